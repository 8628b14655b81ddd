"""Comments on proposals: one level of replies, edits within 15 minutes, deletion by the author."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from twinning.auth.models import User
from twinning.content import ModerationState, within_edit_window
from twinning.db import utcnow
from twinning.errors import InvalidState, NotAllowed, ValidationError
from twinning.moderation.edits import drop_waiting_edit, refuse_if_reported, save_waiting_edit
from twinning.moderation.policy import initial_state
from twinning.notifications.services import notify
from twinning.permissions import can
from twinning.proposals.models import Comment, CommentEdit, Proposal

COMMENT_MAX = 5_000


def comment_path(comment: Comment) -> str:
    proposal = comment.proposal
    return f"/a/{proposal.association.slug}/proposals/{proposal.id}#comment-{comment.id}"


def recount_comments(session: Session, proposal_id: int) -> None:
    """comment_count = published, not deleted comments, computed in SQL in this transaction."""
    visible = (
        select(func.count(Comment.id))
        .where(Comment.proposal_id == proposal_id, Comment.moderation_state == ModerationState.APPROVED,
               Comment.deleted_at.is_(None))
        .scalar_subquery()
    )
    session.execute(
        update(Proposal).where(Proposal.id == proposal_id).values(comment_count=visible)
        .execution_options(synchronize_session=False)
    )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_l("Please write a comment."), field="body")
    if len(body) > COMMENT_MAX:
        raise ValidationError(_l("At most %(max)d characters, please.", max=COMMENT_MAX), field="body")
    return body


def add_comment(session: Session, author: User, proposal: Proposal, body: str,
                parent_id: int | None = None) -> Comment:
    """Comment or reply; a reply to a reply joins the same thread (one level only)."""
    if not can(author, "proposal.comment", proposal):
        raise NotAllowed(_l("Only members of the sponsoring associations can comment on this proposal."))
    body = _clean_body(body)
    parent = replied_to = None
    if parent_id is not None:
        parent = session.get(Comment, parent_id) if 0 < parent_id < 2**62 else None
        # What the author may not see does not exist for them; a reply never publishes its parent.
        if parent is None or parent.proposal_id != proposal.id or not can(author, "comment.view", parent):
            raise ValidationError(_l("The comment you wanted to reply to does not exist."))
        if not can(author, "comment.reply", parent):
            raise InvalidState(_l("This comment is not published, so it takes no replies."))
        replied_to = parent
        if parent.parent_id is not None:
            parent = parent.parent
    comment = Comment(
        proposal_id=proposal.id, author_id=author.id, parent_id=parent.id if parent else None, body=body,
        moderation_state=initial_state(proposal.association, author, "comment"),
    )
    session.add(comment)
    session.flush()
    if comment.moderation_state == ModerationState.APPROVED:
        recount_comments(session, proposal.id)
        notify_reply(session, comment, replied_to)
    return comment


def notify_reply(session: Session, comment: Comment, replied_to: Comment | None = None) -> None:
    """Tell the author of the comment replied to about a published reply (not about their own)."""
    if comment.parent_id is None:
        return
    parent = replied_to or session.get(Comment, comment.parent_id)
    if parent is None or parent.author is None or parent.author_id == comment.author_id or parent.deleted_at:
        return
    notify(session, parent.author, "comment.reply", link=comment_path(comment), title=comment.proposal.title)


def edit_comment(session: Session, editor: User, comment: Comment, body: str) -> CommentEdit | None:
    """The author corrects a comment within 15 minutes of posting it; returns the change if it waits.

    Under the "strict" policy a published comment keeps its text until a moderator approved
    the change, as a new comment would wait. A reported comment stays as it was reported.
    """
    if not can(editor, "comment.edit", comment):
        raise NotAllowed(_l("You can only edit your own comments."))
    if not within_edit_window(comment.created_at):
        raise InvalidState(_l("Comments can only be edited within 15 minutes."))
    refuse_if_reported(session, "comment", comment.id)
    body = _clean_body(body)
    waits = (comment.moderation_state == ModerationState.APPROVED
             and initial_state(comment.proposal.association, editor, "comment") == ModerationState.PENDING)
    if waits and body != comment.body:
        return save_waiting_edit(session, CommentEdit, CommentEdit.comment_id, comment.id, editor.id, body=body)
    drop_waiting_edit(session, CommentEdit, CommentEdit.comment_id, comment.id)
    if body != comment.body:
        comment.body = body
        comment.edited_at = utcnow()
    session.flush()
    return None


def delete_comment(session: Session, actor: User, comment: Comment) -> Comment:
    """The author deletes a comment; the thread keeps a placeholder so replies stay in context."""
    if not can(actor, "comment.delete", comment):
        raise NotAllowed(_l("You can only delete your own comments."))
    refuse_if_reported(session, "comment", comment.id)
    drop_waiting_edit(session, CommentEdit, CommentEdit.comment_id, comment.id)
    comment.deleted_at = utcnow()
    comment.body = ""  # the author asked for the text to be gone
    session.flush()
    recount_comments(session, comment.proposal_id)
    return comment
