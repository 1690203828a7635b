"""registrations: a folded copy of name and organisation for the desk's accent-blind search

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 18:00:00

"""
from alembic import op
import sqlalchemy as sa

from eventsys.models.search_key import search_key

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

BATCH = 1000


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_key', sa.String(length=1000), server_default='', nullable=False))
    connection = op.get_bind()
    registrations = sa.table(
        'registrations',
        sa.column('id', sa.Integer()),
        sa.column('first_name', sa.String()),
        sa.column('last_name', sa.String()),
        sa.column('organisation', sa.String()),
        sa.column('search_key', sa.String()),
    )
    rows = connection.execute(
        sa.select(registrations.c.id, registrations.c.first_name, registrations.c.last_name,
                  registrations.c.organisation)
    ).all()
    update = (
        registrations.update()
        .where(registrations.c.id == sa.bindparam('row_id'))
        .values(search_key=sa.bindparam('key'))
    )
    for start in range(0, len(rows), BATCH):
        connection.execute(update, [
            {'row_id': row.id, 'key': search_key(row.first_name, row.last_name, row.organisation)}
            for row in rows[start:start + BATCH]
        ])
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_event_search', ['event_id', 'search_key'], unique=False)


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_event_search')
        batch_op.drop_column('search_key')
