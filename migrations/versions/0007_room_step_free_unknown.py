"""rooms: step-free access becomes yes / no / not known, not known by default

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 18:10:00

Until now every new room was ticked "step-free" by default, so a "yes" says nothing about whether
anyone checked. Rooms marked "no" were unticked on purpose and stay "no"; rooms marked "yes"
become "not known" (no longer published) until an organiser confirms them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.alter_column('step_free', existing_type=sa.Boolean(), nullable=True)
    rooms = sa.table('rooms', sa.column('step_free', sa.Boolean()))
    op.execute(rooms.update().where(rooms.c.step_free.is_(True)).values(step_free=None))


def downgrade():
    rooms = sa.table('rooms', sa.column('step_free', sa.Boolean()))
    # "Not known" was not expressible before: it goes back to the old default.
    op.execute(rooms.update().where(rooms.c.step_free.is_(None)).values(step_free=True))
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.alter_column('step_free', existing_type=sa.Boolean(), nullable=False)
