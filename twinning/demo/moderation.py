"""Reports waiting in the Aachen–Reims moderation queue, so moderators have something to decide."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from twinning.associations.models import Association
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.moderation.models import Report, ReportReason
from twinning.proposals.models import Comment, Proposal

# (reporter e-mail, kind, reason, text) — two reports, below the three that hide an item.
REPORTS = [
    ("member@example.org", "proposal", ReportReason.OFF_TOPIC, "Das gehört eher in die Kulturgruppe."),
    ("camille@example.org", "comment", ReportReason.OFFENSIVE, "Le ton n'est pas correct."),
]


def load(session: Session, shared_hash: str) -> list[tuple[str, str]]:
    association = session.scalar(select(Association).where(Association.slug == "aachen-reims"))
    if association is None:
        return []
    proposal = session.scalar(
        select(Proposal)
        .where(
            Proposal.association_id == association.id, Proposal.moderation_state == ModerationState.APPROVED
        )
        .order_by(Proposal.id)
    )
    comment = session.scalar(
        select(Comment)
        .join(Proposal, Proposal.id == Comment.proposal_id)
        .where(
            Proposal.association_id == association.id,
            Comment.moderation_state == ModerationState.APPROVED,
            Comment.deleted_at.is_(None),
        )
        .order_by(Comment.id)
    )
    items = {"proposal": proposal, "comment": comment}
    for email, kind, reason, text in REPORTS:
        reporter = session.scalar(select(User).where(User.email == email))
        item = items[kind]
        if reporter is None or item is None or item.author_id == reporter.id:
            continue
        exists = session.scalar(
            select(Report.id).where(
                Report.kind == kind, Report.item_id == item.id, Report.reporter_id == reporter.id
            )
        )
        if exists is None:
            session.add(
                Report(
                    kind=kind,
                    item_id=item.id,
                    association_id=association.id,
                    reporter_id=reporter.id,
                    reason=reason,
                    text=text,
                )
            )
    return []
