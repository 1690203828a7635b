"""registration counters kept by triggers: places held and waiting per event, seats per session

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 23:00:00

"""
from alembic import op
import sqlalchemy as sa

from eventsys.models import counters

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registration_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('held_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('waiting_count', sa.Integer(), server_default='0', nullable=False))
    op.create_table(
        'registration_session_counts',
        sa.Column('session_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('seats', sa.Integer(), server_default='0', nullable=False),
        sa.Column('waiting', sa.Integer(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(['session_id'], ['programme_sessions.id'],
                                name=op.f('fk_registration_session_counts_session_id_programme_sessions'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('session_id', name=op.f('pk_registration_session_counts')),
    )
    connection = op.get_bind()
    # Counted from the rows, then kept by the triggers (installed in the same transaction).
    counters.recount(connection)
    counters.create_counter_triggers(connection)


def downgrade():
    counters.drop_counter_triggers(op.get_bind())
    op.drop_table('registration_session_counts')
    with op.batch_alter_table('registration_settings', schema=None) as batch_op:
        batch_op.drop_column('waiting_count')
        batch_op.drop_column('held_count')
