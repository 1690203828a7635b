"""programme imported from other tools: source ids, type labels, links, recording opt-out, shared rooms

GUIDs become unique per event rather than across the database, so the same file can be imported
into two events; sessions and speakers keep the id they had in the source tool.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 17:45:00

"""
from alembic import op
import sqlalchemy as sa

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('programme_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_id', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('type_label', sa.String(length=120), server_default='', nullable=False))
        batch_op.add_column(sa.Column('do_not_record', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('links', sa.JSON(), nullable=True))
        batch_op.drop_constraint('uq_programme_sessions_guid', type_='unique')
        batch_op.create_unique_constraint('uq_programme_sessions_event_guid', ['event_id', 'guid'])
        batch_op.create_unique_constraint('uq_programme_sessions_event_source', ['event_id', 'source_id'])
    op.execute("UPDATE programme_sessions SET links = '[]' WHERE links IS NULL")
    with op.batch_alter_table('programme_sessions', schema=None) as batch_op:
        batch_op.alter_column('links', existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column('type_label', server_default=None)
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shared', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('speakers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_id', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('guid', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint('uq_speakers_event_source', ['event_id', 'source_id'])


def downgrade():
    with op.batch_alter_table('speakers', schema=None) as batch_op:
        batch_op.drop_constraint('uq_speakers_event_source', type_='unique')
        batch_op.drop_column('guid')
        batch_op.drop_column('source_id')
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.drop_column('shared')
    with op.batch_alter_table('programme_sessions', schema=None) as batch_op:
        batch_op.drop_constraint('uq_programme_sessions_event_source', type_='unique')
        batch_op.drop_constraint('uq_programme_sessions_event_guid', type_='unique')
        batch_op.create_unique_constraint('uq_programme_sessions_guid', ['guid'])
        batch_op.drop_column('links')
        batch_op.drop_column('do_not_record')
        batch_op.drop_column('type_label')
        batch_op.drop_column('source_id')
