"""Reading proposals, their goals, comments and supports for pages (constant query counts)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort
from sqlalchemy import Select, func, literal, or_, select
from sqlalchemy.orm import contains_eager, defer, lazyload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from twinning.associations.models import (
    Association,
    AssociationStatus,
    LinkState,
    Partnership,
)
from twinning.core.content import ModerationState
from twinning.core.extensions import db
from twinning.core.pagination import PAGE_SIZE, Page, count, offset
from twinning.permissions import can
from twinning.proposals.models import (
    Comment,
    CoSponsorship,
    CoSponsorState,
    Lifecycle,
    Proposal,
    Support,
    proposal_sdgs,
    proposal_themes,
)
from twinning.topics.models import Theme
from twinning.topics.queries import all_themes

SORTS = {
    "supports": (Proposal.support_count.desc(), Proposal.id.desc()),
    "new": (Proposal.created_at.desc(), Proposal.id.desc()),
    "comments": (Proposal.comment_count.desc(), Proposal.id.desc()),
}


def in_space(association_id: int):
    """Proposals shown in an association's space: its own and those it co-sponsors.

    The co-sponsored ids are read first (a small indexed lookup), so that the usual case —
    no co-sponsoring — is a plain ``association_id = ?`` that walks the list index in its
    sort order, instead of an OR that makes the database scan every published proposal.
    """
    return _space_criterion(association_id)[0]


def _space_criterion(association_id: int):
    """``in_space``'s criterion, and whether the space co-sponsors anything at all."""
    # Only proposals whose own space is public: "proposal.view" shows no other.
    cosponsored = list(
        db.session.scalars(
            select(CoSponsorship.proposal_id)
            .join(Proposal, Proposal.id == CoSponsorship.proposal_id)
            .join(Association, Association.id == Proposal.association_id)
            .where(
                CoSponsorship.association_id == association_id,
                CoSponsorship.state == CoSponsorState.ACCEPTED,
                Association.status == AssociationStatus.ACTIVE,
            )
        )
    )
    if not cosponsored:
        return Proposal.association_id == association_id, False
    return or_(Proposal.association_id == association_id, Proposal.id.in_(cosponsored)), True


def proposal_in_space_or_404(association: Association, proposal_id: int) -> Proposal:
    """The proposal if it belongs to this space (origin or accepted co-sponsor); else 404."""
    proposal = db.session.get(Proposal, proposal_id) if 0 < proposal_id < 2**62 else None
    if proposal is None or association.id not in proposal.sponsor_association_ids:
        abort(404)
    return proposal


@dataclass
class ProposalPage(Page):
    sdgs: dict[int, list[int]] = field(default_factory=dict)
    themes: list[Theme] = field(default_factory=list)  # every theme, for the filter


def _listing(association_id: int, theme: Theme | None, sdg: int | None, status: Lifecycle | None) -> Select:
    return filtered_published(_space_criterion(association_id)[0], theme, sdg, status)


def filtered_published(space, theme: Theme | None, sdg: int | None, status: Lifecycle | None) -> Select:
    statement = select(Proposal).where(space, Proposal.moderation_state == ModerationState.APPROVED)
    if theme is not None:
        statement = statement.where(
            Proposal.id.in_(
                select(proposal_themes.c.proposal_id).where(proposal_themes.c.theme_id == theme.id)
            )
        )
    if sdg is not None:
        statement = statement.where(
            Proposal.id.in_(select(proposal_sdgs.c.proposal_id).where(proposal_sdgs.c.sdg == sdg))
        )
    if status is not None:
        statement = statement.where(Proposal.lifecycle == status)
    else:
        statement = statement.where(Proposal.lifecycle != Lifecycle.WITHDRAWN)
    return statement


def list_proposals(
    association_id: int,
    *,
    sort: str,
    page: int,
    theme: Theme | None = None,
    sdg: int | None = None,
    status: Lifecycle | None = None,
) -> ProposalPage | None:
    """One page of published proposals; None when ``page`` is past the last page.

    Loads only what a card shows, in as few queries as the page allows:

    - Not the body (cards show the summary; the body is the one long column), the author
      (cards name none) nor the co-sponsorships (the model loads them with every proposal,
      for permission checks the list does not make); should a card ever ask, they load
      lazily. The space's own association is already in the session, so only when the
      space co-sponsors something are the other origins loaded, together.
    - Every theme (the filter lists them all) and, in one query, the theme ids and goal
      numbers of the page's proposals; each card's ``themes`` is filled from the former.
    """
    space, cosponsors = _space_criterion(association_id)
    statement = filtered_published(space, theme, sdg, status)
    options = [lazyload(Proposal.cosponsorships), defer(Proposal.body)]
    if cosponsors:
        options.append(selectinload(Proposal.association))
    found = ProposalPage([], page, count(statement))
    if found.beyond_the_end:
        return None
    found.items = list(
        db.session.scalars(
            statement.order_by(*SORTS[sort]).limit(PAGE_SIZE).offset(offset(page)).options(*options)
        )
    )
    found.themes = all_themes()
    found.sdgs = _tag(found.items, found.themes)
    return found


def _tag(items: list[Proposal], themes: list[Theme]) -> dict[int, list[int]]:
    """Fill in each proposal's themes (in the relationship's order) and return the goal
    numbers by proposal id, both read in one query instead of a query each."""
    sdgs: dict[int, list[int]] = {p.id: [] for p in items}
    if not items:
        return sdgs
    ids = list(sdgs)
    theme_ids: dict[int, list[int]] = {pid: [] for pid in ids}
    rows = db.session.execute(
        select(proposal_themes.c.proposal_id, literal(True), proposal_themes.c.theme_id)
        .where(proposal_themes.c.proposal_id.in_(ids))
        .union_all(
            select(proposal_sdgs.c.proposal_id, literal(False), proposal_sdgs.c.sdg).where(
                proposal_sdgs.c.proposal_id.in_(ids)
            )
        )
    )
    for proposal_id, is_theme, value in rows:
        (theme_ids if is_theme else sdgs)[proposal_id].append(value)
    by_id = {t.id: t for t in themes}
    for proposal in items:
        chosen = sorted(
            (by_id[i] for i in theme_ids[proposal.id] if i in by_id), key=lambda t: (t.position, t.id)
        )
        set_committed_value(proposal, "themes", chosen)
    for numbers in sdgs.values():
        numbers.sort()
    return sdgs


def sdgs_of(proposal_ids: list[int]) -> dict[int, list[int]]:
    """Goal numbers by proposal id, in one query."""
    found: dict[int, list[int]] = {pid: [] for pid in proposal_ids}
    if proposal_ids:
        rows = db.session.execute(
            select(proposal_sdgs.c.proposal_id, proposal_sdgs.c.sdg)
            .where(proposal_sdgs.c.proposal_id.in_(proposal_ids))
            .order_by(proposal_sdgs.c.sdg)
        )
        for proposal_id, number in rows:
            found[proposal_id].append(number)
    return found


def latest_published(association_id: int, limit: int = 5) -> list[Proposal]:
    return list(
        db.session.scalars(
            select(Proposal)
            .where(
                in_space(association_id),
                Proposal.moderation_state == ModerationState.APPROVED,
                Proposal.lifecycle != Lifecycle.WITHDRAWN,
            )
            .order_by(Proposal.published_at.desc().nulls_last(), Proposal.id.desc())
            .limit(limit)
            .options(selectinload(Proposal.association), selectinload(Proposal.themes))
        )
    )


def open_cosponsor_invitations(association_id: int, limit: int = 50) -> list[CoSponsorship]:
    """Invitations to co-sponsor that wait for this association's answer, oldest first.

    One query: each invitation with its proposal and the proposal's association (joined).
    """
    return list(
        db.session.scalars(
            select(CoSponsorship)
            .join(Proposal, Proposal.id == CoSponsorship.proposal_id)
            .where(
                CoSponsorship.association_id == association_id,
                CoSponsorship.state == CoSponsorState.INVITED,
                Proposal.moderation_state == ModerationState.APPROVED,
            )
            .order_by(CoSponsorship.created_at, CoSponsorship.id)
            .limit(limit)
            .options(
                contains_eager(CoSponsorship.proposal).joinedload(Proposal.association),
                contains_eager(CoSponsorship.proposal).lazyload(Proposal.cosponsorships),
            )
        )
    )


def proposals_by_author(user_id: int, limit: int = 50) -> list[Proposal]:
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.author_id == user_id)
            .order_by(Proposal.id.desc())
            .limit(limit)
            .options(selectinload(Proposal.association))
        )
    )


def has_supported(user, proposal_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        db.session.scalar(
            select(Support.id).where(Support.proposal_id == proposal_id, Support.user_id == user.id)
        )
        is not None
    )


def comment_thread(proposal: Proposal, viewer, can_moderate: bool) -> list[tuple[Comment, list[Comment]]]:
    """Top-level comments with their replies, oldest first; one query.

    What shows is what the rule "comment.view" lets the viewer see: pending and declined
    comments only to their author and the moderators, hidden ones only to moderators.
    Deleted comments stay as a placeholder so replies keep their context, and so does a
    top-level comment the viewer may not see that has visible replies: the template shows
    "This comment was removed." in its place, never its author or text.
    """
    comments = list(
        db.session.scalars(
            select(Comment)
            .where(Comment.proposal_id == proposal.id)
            .order_by(Comment.created_at, Comment.id)
            .options(selectinload(Comment.author))
        )
    )

    def visible(comment: Comment) -> bool:
        return comment.deleted_at is not None or can_moderate or can(viewer, "comment.view", comment)

    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id is not None and visible(comment):
            replies.setdefault(comment.parent_id, []).append(comment)
    return [
        (c, replies.get(c.id, []))
        for c in comments
        if c.parent_id is None and (visible(c) or replies.get(c.id))
    ]


def linked_partner_associations(association_id: int) -> list[Association]:
    """Active associations linked to this one by a partnership both sides confirmed."""
    outgoing = select(Partnership.partner_association_id).where(
        Partnership.association_id == association_id, Partnership.link_state == LinkState.CONFIRMED
    )
    incoming = select(Partnership.association_id).where(
        Partnership.partner_association_id == association_id, Partnership.link_state == LinkState.CONFIRMED
    )
    return list(
        db.session.scalars(
            select(Association)
            .where(
                or_(Association.id.in_(outgoing), Association.id.in_(incoming)),
                Association.id != association_id,
            )
            .order_by(Association.name)
        )
    )


def _readable_revisions(proposal: Proposal, viewer):
    """The proposal's earlier versions the viewer may read, as a select (None: none at all).

    The author and the moderators ("proposal.revisions") read them all; everyone else only
    the texts that were public, i.e. replaced after the proposal was first published: what
    the author changed while it waited for the moderators was never approved.
    """
    from twinning.proposals.models import ProposalRevision

    statement = select(ProposalRevision).where(ProposalRevision.proposal_id == proposal.id)
    if can(viewer, "proposal.revisions", proposal):
        return statement
    if proposal.published_at is None:
        return None
    return statement.where(ProposalRevision.created_at >= proposal.published_at)


def revisions_of(proposal: Proposal, viewer) -> list:
    """The earlier versions the viewer may read, newest first."""
    from twinning.proposals.models import ProposalRevision

    statement = _readable_revisions(proposal, viewer)
    return (
        [] if statement is None else list(db.session.scalars(statement.order_by(ProposalRevision.id.desc())))
    )


def revision_count(proposal: Proposal, viewer) -> int:
    statement = _readable_revisions(proposal, viewer)
    return (
        0 if statement is None else db.session.scalar(select(func.count()).select_from(statement.subquery()))
    )


def answers_of(proposal_id: int):
    """The association's answers to a proposal, newest first, with who gave them."""
    from twinning.proposals.models import ProposalAnswer

    return list(
        db.session.scalars(
            select(ProposalAnswer)
            .where(ProposalAnswer.proposal_id == proposal_id)
            .order_by(ProposalAnswer.created_at.desc(), ProposalAnswer.id.desc())
        )
    )


def waiting_change(proposal_id: int):
    """The proposal's change that waits for a moderator, if any (one indexed lookup)."""
    from twinning.proposals.models import ProposalEdit

    return db.session.scalar(
        select(ProposalEdit).where(
            ProposalEdit.proposal_id == proposal_id, ProposalEdit.moderation_state == ModerationState.PENDING
        )
    )
