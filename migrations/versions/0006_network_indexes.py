"""network indexes: the latest published proposals and answers, supports per month

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 00:30:00.000000
"""

from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Home, goal and theme pages and the feeds list published proposals (and answers) newest
    # first; these let them read the first rows in order instead of sorting all of them.
    op.create_index('ix_proposals_public_published', 'proposals', ['moderation_state', 'published_at', 'id'],
                    unique=False)
    op.create_index('ix_proposals_public_answered', 'proposals', ['moderation_state', 'answered_at'], unique=False)
    # Supports per month, counted from index ranges alone: of a proposal (insights) and of the
    # whole network (dashboard).
    op.create_index('ix_supports_proposal_created', 'supports', ['proposal_id', 'created_at'], unique=False)
    op.create_index('ix_supports_created', 'supports', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_supports_created', table_name='supports')
    op.drop_index('ix_supports_proposal_created', table_name='supports')
    op.drop_index('ix_proposals_public_answered', table_name='proposals')
    op.drop_index('ix_proposals_public_published', table_name='proposals')
