"""Comments on proposals: one level of replies, edits within 15 minutes, deletion by the author.

The proposal's discussion (``COMMENTS``) runs on the shared ``twinning.discussion`` services;
this module adds what only comments do: who may comment, and the reply notification.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.core.errors import NotAllowed
from twinning.core.urls import path_for
from twinning.discussion.services import (
    Discussion,
    clean_body,
    delete_post,
    edit_post,
    new_post,
    recount_posts,
    reply_parent,
)
from twinning.moderation.alerts import alert_waiting
from twinning.notifications.services import notify
from twinning.permissions import can
from twinning.proposals.models import Comment, CommentEdit, Proposal

COMMENT_MAX = 5_000


def comment_path(comment: Comment) -> str:
    proposal = comment.proposal
    return path_for(
        "proposals.detail",
        _anchor=f"comment-{comment.id}",
        slug=proposal.association.slug,
        proposal_id=proposal.id,
    )


def recount_comments(session: Session, proposal_id: int) -> None:
    """comment_count = published, not deleted comments, computed in SQL in this transaction."""
    recount_posts(session, COMMENTS, proposal_id)


COMMENTS = Discussion(
    name="comment",
    model=Comment,
    edit_model=CommentEdit,
    edit_key="comment_id",
    parent_model=Proposal,
    parent_key="proposal_id",
    count_column="comment_count",
    association=lambda comment: comment.proposal.association,
    recount=lambda session, comment: recount_comments(session, comment.proposal_id),
    max_length=COMMENT_MAX,
    label=_l("Your comment"),
    empty=_l("Please write a comment."),
    not_your_edit=_l("You can only edit your own comments."),
    not_your_delete=_l("You can only delete your own comments."),
    too_late=_l("Comments can only be edited within 15 minutes."),
    no_such_parent=_l("The comment you wanted to reply to does not exist."),
    parent_unpublished=_l("This comment is not published, so it takes no replies."),
)


def add_comment(
    session: Session, author: User, proposal: Proposal, body: str, parent_id: int | None = None
) -> Comment:
    """Comment or reply; a reply to a reply joins the same thread (one level only)."""
    if not can(author, "proposal.comment", proposal):
        raise NotAllowed(_l("Only members of the sponsoring associations can comment on this proposal."))
    body = clean_body(COMMENTS, body)
    parent = replied_to = None
    if parent_id is not None:
        parent, replied_to = reply_parent(
            session, COMMENTS, author, parent_id, belongs=lambda post: post.proposal_id == proposal.id
        )
    comment = new_post(
        COMMENTS,
        author,
        proposal.association,
        body,
        proposal_id=proposal.id,
        parent_id=parent.id if parent else None,
    )
    session.add(comment)
    session.flush()
    if comment.moderation_state == ModerationState.APPROVED:
        recount_comments(session, proposal.id)
        notify_reply(session, comment, replied_to)
    else:
        alert_waiting(session, proposal.association, author.id)
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
    """The author corrects a comment within 15 minutes; returns the change if it waits (``edit_post``)."""
    return edit_post(session, COMMENTS, editor, comment, body)


def delete_comment(session: Session, actor: User, comment: Comment) -> Comment:
    """The author deletes a comment; the thread keeps a placeholder so replies stay in context."""
    return delete_post(session, COMMENTS, actor, comment)
