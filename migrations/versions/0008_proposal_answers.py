"""proposal answers: every official answer kept with its state and date, newest shown first

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 01:10:00.000000
"""

from alembic import op
import sqlalchemy as sa
import twinning.core.db


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('proposal_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('lifecycle', sa.Enum('open', 'under_review', 'accepted', 'rejected', 'implemented', 'withdrawn', name='lifecycle', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', twinning.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_proposal_answers_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_proposal_answers_proposal_id_proposals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_answers'))
    )
    with op.batch_alter_table('proposal_answers', schema=None) as batch_op:
        batch_op.create_index('ix_proposal_answers_proposal_created', ['proposal_id', 'created_at'], unique=False)
    # Until now only the latest answer was kept, on the proposal itself: it starts the history.
    # A withdrawn proposal's answer was given before the author withdrew it; its state then is
    # unknown, so it is recorded as the state the board left it in, 'under_review' at worst.
    op.execute(
        "INSERT INTO proposal_answers (proposal_id, lifecycle, answer, answered_by_id, created_at) "
        "SELECT id, CASE WHEN lifecycle = 'withdrawn' THEN 'under_review' ELSE lifecycle END, "
        "answer, answered_by_id, answered_at FROM proposals "
        "WHERE answered_at IS NOT NULL AND answer <> ''"
    )


def downgrade() -> None:
    with op.batch_alter_table('proposal_answers', schema=None) as batch_op:
        batch_op.drop_index('ix_proposal_answers_proposal_created')
    op.drop_table('proposal_answers')
