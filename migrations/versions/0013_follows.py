"""follows and notification settings: follow proposals, groups and threads; delivery per category

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 02:40:00.000000
"""

from alembic import op
import sqlalchemy as sa

from twinning.core.db import UTCDateTime


revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("following", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_follows_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
        sa.UniqueConstraint("user_id", "kind", "target_id", name=op.f("uq_follows_user_id_kind_target_id")),
    )
    op.create_index("ix_follows_target", "follows", ["kind", "target_id"], unique=False)
    op.create_table(
        "notification_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("delivery", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_preferences")),
        sa.UniqueConstraint("user_id", "category", name=op.f("uq_notification_preferences_user_id_category")),
    )
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.add_column(sa.Column("association_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_notifications_association_id_associations"),
            "associations",
            ["association_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Only digest readers' notifications wait for a mail now (notify() marks all others as mailed):
    # mark the old unmailed ones of everybody else, so choosing the digest later sends no backlog.
    op.execute(
        "UPDATE notifications SET emailed_at = created_at WHERE emailed_at IS NULL AND user_id IN "
        "(SELECT id FROM users WHERE email_notifications <> 'digest')"
    )


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.drop_constraint(op.f("fk_notifications_association_id_associations"), type_="foreignkey")
        batch_op.drop_column("association_id")
    op.drop_table("notification_preferences")
    op.drop_index("ix_follows_target", table_name="follows")
    op.drop_table("follows")
