"""the interpreting plan links a volunteer of the directory by their profile

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 22:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('interpreting_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('profile_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_interpreting_assignments_profile_id_directory_profiles'),
            'directory_profiles', ['profile_id'], ['id'], ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('interpreting_assignments', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_interpreting_assignments_profile_id_directory_profiles'), type_='foreignkey'
        )
        batch_op.drop_column('profile_id')
