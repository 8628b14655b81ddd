"""Posting, editing, withdrawing and answering proposals; supporting them exactly."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twinning.associations.members import admins_of
from twinning.associations.models import Association
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.core.urls import path_for
from twinning.moderation.alerts import alert_waiting
from twinning.moderation.edits import drop_waiting_edit, refuse_if_reported, save_waiting_edit
from twinning.moderation.policy import initial_state
from twinning.notifications import follows
from twinning.notifications.services import notify, notify_all
from twinning.permissions import can, can_moderate
from twinning.proposals.models import (
    Lifecycle,
    Proposal,
    ProposalAnswer,
    ProposalEdit,
    ProposalRevision,
    Support,
    proposal_sdgs,
)
from twinning.topics.models import Theme

TITLE_MAX, SUMMARY_MAX, BODY_MAX = 200, 500, 20_000

# Which lifecycle changes an answer may make; withdrawn is the author's alone.
TRANSITIONS: dict[Lifecycle, tuple[Lifecycle, ...]] = {
    Lifecycle.OPEN: (Lifecycle.UNDER_REVIEW, Lifecycle.ACCEPTED, Lifecycle.REJECTED),
    Lifecycle.UNDER_REVIEW: (Lifecycle.OPEN, Lifecycle.ACCEPTED, Lifecycle.REJECTED),
    Lifecycle.ACCEPTED: (Lifecycle.IMPLEMENTED, Lifecycle.REJECTED),
    Lifecycle.REJECTED: (Lifecycle.UNDER_REVIEW,),
    Lifecycle.IMPLEMENTED: (),
    Lifecycle.WITHDRAWN: (),
}
# The notification kind each new lifecycle state sends to the author and the supporters.
ANSWER_KINDS = {
    Lifecycle.OPEN: "proposal.reopened",
    Lifecycle.UNDER_REVIEW: "proposal.under_review",
    Lifecycle.ACCEPTED: "proposal.accepted",
    Lifecycle.REJECTED: "proposal.rejected",
    Lifecycle.IMPLEMENTED: "proposal.implemented",
}


def proposal_path(proposal: Proposal, association: Association | None = None) -> str:
    return path_for(
        "proposals.detail", slug=(association or proposal.association).slug, proposal_id=proposal.id
    )


def _clean_text(title: str, summary: str, body: str) -> tuple[str, str, str]:
    title, summary, body = (title or "").strip(), (summary or "").strip(), (body or "").strip()
    if not title:
        raise ValidationError(_l("Please give your proposal a title."), field="title")
    if not summary:
        raise ValidationError(_l("Please sum up your proposal in a few sentences."), field="summary")
    for value, limit, field in (
        (title, TITLE_MAX, "title"),
        (summary, SUMMARY_MAX, "summary"),
        (body, BODY_MAX, "body"),
    ):
        if len(value) > limit:
            raise ValidationError(_l("At most %(max)d characters, please.", max=limit), field=field)
    return title, summary, body


def _themes(session: Session, slugs: list[str]) -> list[Theme]:
    slugs = sorted(set(slugs or []))
    if not slugs:
        return []
    themes = list(session.scalars(select(Theme).where(Theme.slug.in_(slugs)).order_by(Theme.position)))
    if len(themes) != len(slugs):
        raise ValidationError(_l("Please choose themes from the list."), field="themes")
    return themes


def _check_sdgs(numbers: list[int]) -> list[int]:
    numbers = sorted(set(numbers or []))
    if any(not isinstance(n, int) or not 1 <= n <= 17 for n in numbers):
        raise ValidationError(_l("Please choose goals from 1 to 17."), field="sdgs")
    return numbers


def _check_budget(budget: int | None) -> int | None:
    if budget is not None and not 0 <= budget <= 100_000_000:
        raise ValidationError(_l("That budget is larger than we can record."), field="budget")
    return budget


def _set_sdgs(session: Session, proposal: Proposal, numbers: list[int]) -> None:
    session.execute(delete(proposal_sdgs).where(proposal_sdgs.c.proposal_id == proposal.id))
    if numbers:
        session.execute(insert(proposal_sdgs), [{"proposal_id": proposal.id, "sdg": n} for n in numbers])


def submit_proposal(
    session: Session,
    author: User,
    association: Association,
    *,
    title: str,
    summary: str,
    body: str,
    theme_slugs: list[str],
    sdgs: list[int],
    budget: int | None,
) -> Proposal:
    """Post a proposal; it waits for a moderator unless the association's policy says otherwise."""
    if not can(author, "proposal.create", association):
        raise NotAllowed(_l("Only active members of this association can post proposals."))
    title, summary, body = _clean_text(title, summary, body)
    state = initial_state(association, author, "proposal")
    proposal = Proposal(
        association_id=association.id,
        author_id=author.id,
        title=title,
        summary=summary,
        body=body,
        themes=_themes(session, theme_slugs),
        budget=_check_budget(budget),
        moderation_state=state,
        published_at=utcnow() if state == ModerationState.APPROVED else None,
    )
    session.add(proposal)
    session.flush()
    _set_sdgs(session, proposal, _check_sdgs(sdgs))
    if state == ModerationState.PENDING:
        alert_waiting(session, association, author.id)
    return proposal


def edit_proposal(
    session: Session,
    editor: User,
    proposal: Proposal,
    *,
    title: str,
    summary: str,
    body: str,
    theme_slugs: list[str],
    sdgs: list[int],
    budget: int | None,
) -> ProposalEdit | None:
    """Change the author's own pending or open proposal; returns the change if it waits for a moderator.

    The substance (title, summary, body and budget: what members read and supported) of a
    published proposal changes only with a moderator's approval where the association's
    policy moderates proposals, and always once anyone supports it; until then the public
    keeps reading the approved version. Themes and goals only file the proposal and change
    at once. A reported proposal stays as it was reported until a moderator decided.
    """
    if not can(editor, "proposal.edit", proposal):
        raise NotAllowed(_l("Only the author can edit a proposal, and only while it is open."))
    # A support that commits while this edit runs waits for it, or is seen by it: never
    # does a change go out unmoderated over a support the editor did not see.
    session.refresh(proposal, ["support_count", "moderation_state"], with_for_update=True)
    refuse_if_reported(session, "proposal", proposal.id)
    title, summary, body = _clean_text(title, summary, body)
    themes = _themes(session, theme_slugs)
    numbers = _check_sdgs(sdgs)
    substance = {"title": title, "summary": summary, "body": body, "budget": _check_budget(budget)}
    proposal.themes = themes
    _set_sdgs(session, proposal, numbers)
    unchanged = all(getattr(proposal, name) == value for name, value in substance.items())
    if unchanged or not change_waits_for_moderation(proposal, editor):
        # Back to the published text, or no moderation needed: nothing is left waiting.
        drop_waiting_edit(session, ProposalEdit, ProposalEdit.proposal_id, proposal.id)
        if not unchanged:
            apply_proposal_change(session, proposal, editor.id, **substance)
        session.flush()
        return None
    return save_waiting_edit(
        session, ProposalEdit, ProposalEdit.proposal_id, proposal.id, editor.id, **substance
    )


def change_waits_for_moderation(proposal: Proposal, editor: User) -> bool:
    """Whether the editor's change of the proposal's substance waits for a moderator.

    A proposal not yet published waits as a whole anyway, with its latest text; a published
    one keeps its approved text while a change waits, where the policy moderates new
    proposals, and always once supported: nobody's support silently moves to another text.
    """
    if proposal.moderation_state != ModerationState.APPROVED:
        return False
    if initial_state(proposal.association, editor, "proposal") == ModerationState.APPROVED:
        return proposal.support_count > 0 and not can_moderate(editor, proposal.association_id)
    return True


def apply_proposal_change(
    session: Session,
    proposal: Proposal,
    editor_id: int | None,
    *,
    title: str,
    summary: str,
    body: str,
    budget: int | None,
) -> None:
    """Make a new version the proposal's text; the previous one stays as a revision and supporters hear of it."""
    if (title, summary, body) != (proposal.title, proposal.summary, proposal.body):
        session.add(
            ProposalRevision(
                proposal_id=proposal.id,
                editor_id=editor_id,
                title=proposal.title,
                summary=proposal.summary,
                body=proposal.body,
            )
        )
    proposal.title, proposal.summary, proposal.body, proposal.budget = title, summary, body, budget
    session.flush()
    if proposal.support_count:
        for user in supporters_of(session, proposal.id):
            if user.id != editor_id:
                notify(session, user, "proposal.changed", link=proposal_path(proposal), title=proposal.title)


def withdraw_proposal(session: Session, author: User, proposal: Proposal) -> Proposal:
    """The author takes the proposal back; supports stay as they were, a waiting change is dropped."""
    if not can(author, "proposal.withdraw", proposal):
        raise InvalidState(_l("This proposal can no longer be withdrawn."))
    proposal.lifecycle = Lifecycle.WITHDRAWN
    drop_waiting_edit(session, ProposalEdit, ProposalEdit.proposal_id, proposal.id)
    session.flush()
    return proposal


def supporters_of(session: Session, proposal_id: int) -> list[User]:
    return list(
        session.scalars(
            select(User).join(Support, Support.user_id == User.id).where(Support.proposal_id == proposal_id)
        )
    )


def answer_proposal(
    session: Session, actor: User, proposal: Proposal, *, lifecycle: Lifecycle, answer: str
) -> Proposal:
    """Change the lifecycle with the association's official answer; author and supporters hear of it.

    Every answer is kept (``ProposalAnswer``), so a later one never hides what was said before;
    the proposal's own columns hold the latest, for lists and feeds.
    """
    if not can(actor, "proposal.answer", proposal):
        raise NotAllowed(_l("Only moderators of the proposing association can answer it."))
    if lifecycle not in TRANSITIONS[proposal.lifecycle]:
        raise InvalidState(_l("This status change is not possible."), field="lifecycle")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(_l("Please write the association's answer."), field="answer")
    if len(answer) > 5_000:
        raise ValidationError(_l("At most %(max)d characters, please.", max=5_000), field="answer")
    proposal.lifecycle = lifecycle
    proposal.answer = answer
    proposal.answered_at = utcnow()
    proposal.answered_by_id = actor.id
    session.add(
        ProposalAnswer(
            proposal_id=proposal.id,
            lifecycle=lifecycle,
            answer=answer,
            answered_by_id=actor.id,
            created_at=proposal.answered_at,
        )
    )
    session.flush()
    # Followers: author and supporters unless they turned it off, and whoever chose to follow.
    notify_all(
        session,
        follows.recipients(session, "proposal", proposal.id, exclude=actor.id),
        ANSWER_KINDS[lifecycle],
        link=proposal_path(proposal),
        association_id=proposal.association_id,
        title=proposal.title,
    )
    return proposal


def toggle_support(session: Session, user: User, proposal: Proposal) -> tuple[bool, int]:
    """Support or stop supporting; returns (supported now, count). Exact under concurrent clicks.

    The unique constraint decides who supported; the counter moves in the same transaction
    with an atomic UPDATE, never a read-modify-write in Python.
    """
    if not can(user, "proposal.support", proposal):
        raise NotAllowed(
            _l("Only members of the sponsoring associations can support an open, published proposal.")
        )
    removed = session.execute(
        delete(Support).where(Support.proposal_id == proposal.id, Support.user_id == user.id)
    ).rowcount
    if removed:
        _move_count(session, proposal, -removed)
        supported = False
    else:
        try:
            with session.begin_nested():
                session.execute(
                    insert(Support).values(proposal_id=proposal.id, user_id=user.id, created_at=utcnow())
                )
        except IntegrityError:
            supported = True  # a parallel click of the same person got there first
        else:
            _move_count(session, proposal, +1)
            supported = True
            _move_to_review_at_threshold(session, proposal)
    session.refresh(proposal, ["support_count", "lifecycle"])
    return supported, proposal.support_count


def _move_count(session: Session, proposal: Proposal, delta: int) -> None:
    session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id)
        .values(support_count=Proposal.support_count + delta)
        .execution_options(synchronize_session=False)
    )


def _move_to_review_at_threshold(session: Session, proposal: Proposal) -> None:
    """Open → under review once the association's threshold is reached; admins hear of it once."""
    threshold = proposal.association.support_threshold
    if not threshold:
        return
    # Conditional UPDATE: of concurrent supporters, only the one whose row crossed it moves it.
    moved = session.execute(
        update(Proposal)
        .where(
            Proposal.id == proposal.id,
            Proposal.lifecycle == Lifecycle.OPEN,
            Proposal.support_count >= threshold,
        )
        .values(lifecycle=Lifecycle.UNDER_REVIEW)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not moved:
        return
    for admin in admins_of(session, proposal.association):
        notify(
            session,
            admin,
            "proposal.threshold_reached",
            link=proposal_path(proposal),
            title=proposal.title,
            count=threshold,
        )
