"""users: platform role (who may create events; existing organisers keep it) and session version
(sessions and remember cookies revocable on the server)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('platform_role', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))
    # Whoever organises an event today created it (or was made its organiser): they keep the
    # right to create events, so existing organiser accounts (and the demo's) work as before.
    op.execute(
        "UPDATE users SET platform_role = 'organiser' WHERE is_admin = false AND id IN "
        "(SELECT user_id FROM event_roles WHERE role = 'organiser')"
    )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
        batch_op.drop_column('platform_role')
