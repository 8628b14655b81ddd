"""What every discussion does the same way: post, reply one level deep, edit within the window, delete.

A feature describes its discussion once in a ``Discussion`` (models, whose moderation policy
applies, the counts to keep, its messages); the services here take it with the acting user
and the post, enforce the rules ``<name>.edit``/``<name>.delete``/``<name>.view``/``<name>.reply``,
flush and never commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from twinning.auth.models import User
from twinning.core.content import ModerationState, within_edit_window
from twinning.core.db import utcnow
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.moderation.edits import (
    check_decision_on_edit,
    drop_waiting_edit,
    refuse_if_reported,
    save_waiting_edit,
    waiting_edit,
)
from twinning.moderation.policy import initial_state
from twinning.notifications.services import notify
from twinning.permissions import can


@dataclass(frozen=True, eq=False)
class Discussion:
    """What one feature's discussion is made of; the shared services work through it."""

    # The moderation kind of a post, the prefix of its permission rules and of its
    # notification kinds ("comment" → "comment.edit", "comment.edit_approved").
    name: str
    model: type  # a DiscussionPostMixin model
    edit_model: type  # its PendingEditMixin model, the change that waits for a moderator
    edit_key: str  # the edit model's column holding the post's id ("comment_id")
    parent_model: type  # what the posts discuss (Proposal, Thread)
    parent_key: str  # the post's column holding the parent's id ("proposal_id")
    count_column: str  # the parent's column counting the published posts ("comment_count")
    association: Callable[[object], object]  # the association whose moderation policy applies to a post
    # Keeps the parent's count right after a post changed (the feature may add to it).
    recount: Callable[[Session, object], None]
    max_length: int
    label: object  # the edit form's label: "Your comment"
    empty: object  # "Please write a comment."
    not_your_edit: object  # "You can only edit your own comments."
    not_your_delete: object  # "You can only delete your own comments."
    too_late: object  # "Comments can only be edited within 15 minutes."
    # For discussions whose posts take replies (a ``parent_id`` column), one level deep.
    no_such_parent: object = None  # "The comment you wanted to reply to does not exist."
    parent_unpublished: object = None  # "This comment is not published, so it takes no replies."

    @property
    def edit_column(self):
        return getattr(self.edit_model, self.edit_key)


def clean_body(discussion: Discussion, body: str | None) -> str:
    """The post's text, stripped; empty or too long is a validation error on ``body``."""
    body = (body or "").strip()
    if not body:
        raise ValidationError(discussion.empty, field="body")
    if len(body) > discussion.max_length:
        raise ValidationError(
            _l("At most %(max)d characters, please.", max=discussion.max_length), field="body"
        )
    return body


def new_post(discussion: Discussion, author: User, association, body: str, **keys):
    """A post of ``author`` with the state the association's moderation policy gives it (not added yet)."""
    return discussion.model(
        author_id=author.id,
        body=clean_body(discussion, body),
        moderation_state=initial_state(association, author, discussion.name),
        **keys,
    )


def reply_parent(
    session: Session, discussion: Discussion, author: User, parent_id: int, belongs: Callable[[object], bool]
) -> tuple[object, object]:
    """The post a reply hangs under and the one it answers; a reply to a reply joins the same thread.

    What the author may not see does not exist for them, and a reply never publishes its parent.
    """
    parent = session.get(discussion.model, parent_id) if 0 < parent_id < 2**62 else None
    if parent is None or not belongs(parent) or not can(author, f"{discussion.name}.view", parent):
        raise ValidationError(discussion.no_such_parent)
    if not can(author, f"{discussion.name}.reply", parent):
        raise InvalidState(discussion.parent_unpublished)
    replied_to = parent
    if parent.parent_id is not None:
        parent = parent.parent
    return parent, replied_to


def recount_posts(session: Session, discussion: Discussion, parent_id: int, **values) -> None:
    """The parent's count = its published, not deleted posts, computed in SQL in this transaction."""
    model = discussion.model
    published = (
        select(func.count(model.id))
        .where(
            getattr(model, discussion.parent_key) == parent_id,
            model.moderation_state == ModerationState.APPROVED,
            model.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    parent = discussion.parent_model
    session.execute(
        update(parent)
        .where(parent.id == parent_id)
        .values({discussion.count_column: published, **values})
        .execution_options(synchronize_session=False)
    )


def post_is_editable(discussion: Discussion, user, post) -> bool:
    """Whether the page offers to edit the post: its author, within the edit window."""
    return can(user, f"{discussion.name}.edit", post) and within_edit_window(post.created_at)


def waiting_change(session: Session, discussion: Discussion, post):
    """The post's change that waits for a moderator, if any: the author goes on from it."""
    return waiting_edit(session, discussion.edit_model, discussion.edit_column, post.id)


def edit_post(session: Session, discussion: Discussion, editor: User, post, body: str | None):
    """The author corrects a post within the edit window; returns the change if it waits.

    Under the "strict" policy a published post keeps its text until a moderator approved
    the change, as a new post would wait. A reported post stays as it was reported.
    """
    if not can(editor, f"{discussion.name}.edit", post):
        raise NotAllowed(discussion.not_your_edit)
    if not within_edit_window(post.created_at):
        raise InvalidState(discussion.too_late)
    refuse_if_reported(session, discussion.name, post.id)
    body = clean_body(discussion, body)
    waits = (
        post.moderation_state == ModerationState.APPROVED
        and initial_state(discussion.association(post), editor, discussion.name) == ModerationState.PENDING
    )
    if waits and body != post.body:
        return save_waiting_edit(
            session, discussion.edit_model, discussion.edit_column, post.id, editor.id, body=body
        )
    drop_waiting_edit(session, discussion.edit_model, discussion.edit_column, post.id)
    if body != post.body:
        post.body = body
        post.edited_at = utcnow()
    session.flush()
    return None


def delete_post(session: Session, discussion: Discussion, actor: User, post):
    """The author deletes a post: its text is gone, a placeholder keeps replies in context, the count drops."""
    if not can(actor, f"{discussion.name}.delete", post):
        raise NotAllowed(discussion.not_your_delete)
    refuse_if_reported(session, discussion.name, post.id)
    drop_waiting_edit(session, discussion.edit_model, discussion.edit_column, post.id)
    post.deleted_at = utcnow()
    post.body = ""  # the author asked for the text to be gone
    session.flush()
    discussion.recount(session, post)
    return post


def decide_change(
    session: Session, discussion: Discussion, edit, actor, decision: str, *, link: str, title: str
) -> None:
    """Approved: the post shows the new text, marked as edited. Declined: it stays as it was.

    The change's author hears of the decision with the moderators' reason.
    """
    check_decision_on_edit(session, edit, discussion.edit_column, decision)
    post = edit.published_version
    if decision == "approve" and post.deleted_at is None:
        post.body = edit.body
        post.edited_at = utcnow()
    if edit.author_id is not None and (actor is None or actor.id != edit.author_id):
        author = session.get(User, edit.author_id)
        if author is not None:
            notify(
                session,
                author,
                f"{discussion.name}.edit_{decision}d",
                link=link,
                title=title,
                reason=edit.moderation_reason or "",
            )
    session.flush()
