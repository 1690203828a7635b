"""registration settings: the organiser's message in registration e-mails, per language

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registration_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_message', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('translations', sa.JSON(), server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('registration_settings', schema=None) as batch_op:
        batch_op.drop_column('translations')
        batch_op.drop_column('email_message')
