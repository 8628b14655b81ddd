"""follows: people follow proposals, groups and threads, or turn an implied follow off

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 02:40:00.000000
"""

from alembic import op
import sqlalchemy as sa

from twinning.core.db import UTCDateTime


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'follows',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('following', sa.Boolean(), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_follows_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_follows')),
        sa.UniqueConstraint('user_id', 'kind', 'target_id', name=op.f('uq_follows_user_id_kind_target_id')),
    )
    op.create_index('ix_follows_target', 'follows', ['kind', 'target_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_follows_target', table_name='follows')
    op.drop_table('follows')
