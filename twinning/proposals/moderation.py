"""Hands proposals and their comments to moderation, and reacts to its decisions."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session, joinedload, lazyload, selectinload

from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.core.urls import path_for
from twinning.discussion.moderation import register_discussion
from twinning.moderation.edits import check_decision_on_edit
from twinning.moderation.registry import ContentKind, kind_or_none, register_kind
from twinning.notifications.services import notify
from twinning.proposals.comments import COMMENTS, comment_path, notify_reply, recount_comments
from twinning.proposals.models import Comment, CommentEdit, Proposal, ProposalEdit
from twinning.proposals.services import apply_proposal_change, proposal_path

# Decision → the notification kind its author gets ("forward" tells nobody yet).
_PROPOSAL_KINDS = {
    "approve": "proposal.approved",
    "decline": "proposal.declined",
    "hide": "proposal.hidden",
    "auto_hide": "proposal.auto_hidden",
    "restore": "proposal.restored",
}
_COMMENT_KINDS = {
    "approve": "comment.approved",
    "decline": "comment.declined",
    "hide": "comment.hidden",
    "auto_hide": "comment.auto_hidden",
    "restore": "comment.restored",
}


def _author_link(kind_name: str, item, published_path: str) -> str:
    """The published page while the item is published; else the page where its author reads it."""
    if item.moderation_state == ModerationState.APPROVED:
        return published_path
    return kind_or_none(kind_name).author_url(item)


def on_proposal_state_change(session: Session, proposal: Proposal, actor, decision: str) -> None:
    """Publish on first approval and tell the author what was decided."""
    first_publication = (
        proposal.moderation_state == ModerationState.APPROVED and proposal.published_at is None
    )
    if first_publication:
        proposal.published_at = utcnow()
    kind = _PROPOSAL_KINDS.get(str(decision))
    if kind and proposal.author is not None and (actor is None or actor.id != proposal.author_id):
        notify(
            session,
            proposal.author,
            kind,
            link=_author_link("proposal", proposal, proposal_path(proposal)),
            title=proposal.title,
            reason=proposal.moderation_reason or "",
        )
    session.flush()


def on_comment_state_change(session: Session, comment: Comment, actor, decision: str) -> None:
    """Keep the proposal's comment count right and tell the author; a published reply notifies."""
    session.flush()
    recount_comments(session, comment.proposal_id)
    kind = _COMMENT_KINDS.get(str(decision))
    if kind and comment.author is not None and (actor is None or actor.id != comment.author_id):
        notify(
            session,
            comment.author,
            kind,
            link=_author_link("comment", comment, comment_path(comment)),
            title=comment.proposal.title,
            reason=comment.moderation_reason or "",
        )
    if str(decision) == "approve" and comment.moderation_state == ModerationState.APPROVED:
        notify_reply(session, comment)
    session.refresh(comment.proposal, ["comment_count"])


def _tell_editor(session: Session, edit, actor, kind: str, link: str, title: str) -> None:
    """Tell the author of a change what the moderators decided, with their reason."""
    if edit.author_id is None or (actor is not None and actor.id == edit.author_id):
        return
    author = session.get(User, edit.author_id)
    if author is not None:
        notify(session, author, kind, link=link, title=title, reason=edit.moderation_reason or "")


def on_proposal_edit_decided(session: Session, edit: ProposalEdit, actor, decision: str) -> None:
    """Approved: the change becomes the proposal's text and supporters hear of it. Declined: nothing changes."""
    check_decision_on_edit(session, edit, ProposalEdit.proposal_id, decision)
    proposal = edit.proposal
    if decision == "approve":
        apply_proposal_change(
            session,
            proposal,
            edit.author_id,
            title=edit.title,
            summary=edit.summary,
            body=edit.body,
            budget=edit.budget,
        )
    _tell_editor(session, edit, actor, f"proposal.edit_{decision}d", proposal_path(proposal), proposal.title)
    session.flush()


def _proposal_edits_in_association(statement, association_id: int):
    return statement.join(Proposal, ProposalEdit.proposal_id == Proposal.id).where(
        Proposal.association_id == association_id
    )


def _comments_in_association(statement, association_id: int):
    return statement.join(Proposal, Comment.proposal_id == Proposal.id).where(
        Proposal.association_id == association_id
    )


def register_kinds() -> None:
    """Hand proposals, their comments and the waiting changes to moderation (from ``init_app``)."""
    register_kind(
        ContentKind(
            name="proposal",
            model=Proposal,
            association_id=lambda p: p.association_id,
            title=lambda p: p.title,
            url=proposal_path,
            on_state_change=on_proposal_state_change,
            # What title and url read; lists add authors themselves, and no list needs the
            # co-sponsorships the model loads by default.
            load_options=(selectinload(Proposal.association), lazyload(Proposal.cosponsorships)),
            list_url=lambda p: path_for("proposals.index", slug=p.association.slug),
        )
    )
    register_discussion(
        COMMENTS,
        association_id=lambda c: c.proposal.association_id,
        title=lambda c: c.proposal.title,
        url=comment_path,
        on_state_change=on_comment_state_change,
        in_association=_comments_in_association,
        load_options=(
            joinedload(Comment.proposal).joinedload(Proposal.association),
            joinedload(Comment.proposal).lazyload(Proposal.cosponsorships),
        ),
        list_url=lambda c: proposal_path(c.proposal),
        edit_title=lambda e: _("Change of a comment on “%(title)s”", title=e.comment.proposal.title),
        edit_load_options=(
            joinedload(CommentEdit.comment).joinedload(Comment.proposal).joinedload(Proposal.association),
            joinedload(CommentEdit.comment).joinedload(Comment.proposal).lazyload(Proposal.cosponsorships),
        ),
    )
    register_kind(
        ContentKind(
            name="proposal_edit",
            model=ProposalEdit,
            association_id=lambda e: e.proposal.association_id,
            title=lambda e: _("Change of the proposal “%(title)s”", title=e.proposal.title),
            url=lambda e: proposal_path(e.proposal),
            on_state_change=on_proposal_edit_decided,
            in_association=_proposal_edits_in_association,
            load_options=(
                joinedload(ProposalEdit.proposal).joinedload(Proposal.association),
                joinedload(ProposalEdit.proposal).lazyload(Proposal.cosponsorships),
            ),
            reportable=False,
        )
    )
