"""content version: one row that every writing transaction changes, for the visitors' page cache

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 01:40:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        'content_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_content_version_single_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_content_version')),
    )
    op.bulk_insert(table, [{'id': 1, 'token': 'initial'}])


def downgrade() -> None:
    op.drop_table('content_version')
