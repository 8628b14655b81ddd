"""Moderation decisions, bulk approval, forwarding to the platform admins, and reports."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twinning.associations.models import Association, Membership, MembershipState
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.core.urls import path_for
from twinning.moderation.alerts import alert_auto_hidden, alert_reported
from twinning.moderation.models import Decision, ModerationAction, Report, ReportReason
from twinning.moderation.queries import latest_decision
from twinning.moderation.registry import KINDS, ContentKind
from twinning.notifications.services import notified_mark, notified_since, notify
from twinning.permissions import can_moderate, is_confirmed

# After this many reports from different people who count (see _counting_reporters) an item
# is hidden until a moderator decides.
AUTO_HIDE_THRESHOLD = 3
REASON_MAX = 2000

# decision -> (states it may start from, the state it leads to)
TRANSITIONS: dict[Decision, tuple[set[ModerationState], ModerationState]] = {
    Decision.APPROVE: (
        {ModerationState.PENDING, ModerationState.HIDDEN, ModerationState.DECLINED},
        ModerationState.APPROVED,
    ),
    Decision.DECLINE: ({ModerationState.PENDING}, ModerationState.DECLINED),
    Decision.HIDE: ({ModerationState.APPROVED}, ModerationState.HIDDEN),
    Decision.RESTORE: ({ModerationState.HIDDEN}, ModerationState.APPROVED),
}
REASON_REQUIRED = {Decision.DECLINE, Decision.HIDE}
MODERATOR_DECISIONS = {*TRANSITIONS, Decision.FORWARD}


def _check_moderator(actor: User, association_id: int) -> None:
    if not can_moderate(actor, association_id):
        raise NotAllowed(_l("You do not moderate this association."))


def _open_reports(kind: str, item_id: int):
    return select(Report).where(Report.kind == kind, Report.item_id == item_id, Report.resolved_at.is_(None))


def has_open_reports(session: Session, kind: ContentKind, item) -> bool:
    """Whether people reported the item and no moderator has decided since."""
    query = select(func.count()).select_from(_open_reports(kind.name, item.id).subquery())
    return bool(session.scalar(query))


def _record(
    session: Session, kind: ContentKind, item, actor: User | None, decision: Decision, reason: str
) -> ModerationAction:
    action = ModerationAction(
        association_id=kind.association_id(item),
        kind=kind.name,
        item_id=item.id,
        actor_id=actor.id if actor is not None else None,
        decision=decision,
        reason=reason,
    )
    session.add(action)
    return action


def _notify_author(
    session: Session, kind: ContentKind, item, actor: User | None, decision: Decision, reason: str
) -> None:
    author_id = getattr(item, "author_id", None)
    if author_id is None or (actor is not None and actor.id == author_id):
        return
    author = session.get(User, author_id)
    if author is not None:
        # Once not published, the item is out of the author's sight where it was; their own page shows it.
        link = kind.url(item) if item.moderation_state == ModerationState.APPROVED else kind.author_url(item)
        notify(
            session, author, f"moderation.{decision.value}", link=link, title=kind.title(item), reason=reason
        )


def possible_decisions(session: Session, kind: ContentKind, item) -> list[Decision]:
    """What a moderator can decide on the item now, in the order the form offers it."""
    state = item.moderation_state
    possible = [decision for decision, (sources, _target) in TRANSITIONS.items() if state in sources]
    if state == ModerationState.APPROVED and has_open_reports(session, kind, item):
        possible.insert(0, Decision.APPROVE)  # keeps it published and dismisses the reports
    if not is_forwarded(session, kind.name, item.id):
        possible.append(Decision.FORWARD)
    return possible


def offer_decisions(session: Session, entries) -> None:
    """``possible_decisions`` for a page of waiting queue entries, in one query for the page.

    A waiting item has no open reports (only published items can be reported), so only the
    forwards are looked up: the latest action of each item on the page.
    """
    ids = {entry.item.id for entry in entries}
    latest: dict[tuple[str, int], Decision] = {}
    if ids:
        rows = session.execute(
            select(ModerationAction.kind, ModerationAction.item_id, ModerationAction.decision)
            .where(
                ModerationAction.item_id.in_(ids), ModerationAction.kind.in_({e.kind.name for e in entries})
            )
            .order_by(ModerationAction.id)
        )
        latest = {(row.kind, row.item_id): row.decision for row in rows}
    for entry in entries:
        state = entry.item.moderation_state
        entry.decisions = [d for d, (sources, _target) in TRANSITIONS.items() if state in sources]
        if latest.get((entry.kind.name, entry.item.id)) != Decision.FORWARD:
            entry.decisions.append(Decision.FORWARD)


def lock_item(session: Session, item) -> None:
    """Lock the item's row and read its state afresh: reports and decisions on one item queue up,
    so exactly one of them hides, approves or notifies (a no-op on SQLite, where writes serialise).

    Only the state is re-read: the rest stays as the moderator saw it, so a decision on a
    waiting change can tell that the author replaced it meanwhile (moderation/edits.py)."""
    session.refresh(item, ["moderation_state"], with_for_update=True)


def decide(session: Session, actor: User, kind: ContentKind, item, decision: str, reason: str = "") -> None:
    """Approve, decline, hide, restore or forward an item; audited, and its author is told why."""
    try:
        decision = Decision(decision)
    except ValueError:
        raise ValidationError(_l("Please choose a decision."), field="decision") from None
    if decision not in MODERATOR_DECISIONS:
        raise ValidationError(_l("Please choose a decision."), field="decision")
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _l("Please keep the reason under %(n)s characters.", n=REASON_MAX), field="reason"
        )
    _check_moderator(actor, kind.association_id(item))
    if decision == Decision.FORWARD:
        forward(session, actor, kind, item, reason)
        return
    if decision in REASON_REQUIRED and not reason:
        raise ValidationError(_l("Please give a reason: the author will read it."), field="reason")

    sources, target = TRANSITIONS[decision]
    lock_item(session, item)
    state = item.moderation_state
    # Approving a published item that was reported keeps it and dismisses the reports.
    dismissing = decision == Decision.APPROVE and state == ModerationState.APPROVED
    if dismissing and not has_open_reports(session, kind, item):
        raise InvalidState(_l("This item is already published."))
    if not dismissing and state not in sources:
        raise InvalidState(_l("This decision is not possible in the item's current state."))

    item.moderation_state = target
    item.moderation_reason = reason
    session.execute(
        update(Report)
        .where(Report.kind == kind.name, Report.item_id == item.id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow())
    )
    _record(session, kind, item, actor, decision, reason)
    session.flush()
    if not dismissing:
        _state_changed(session, kind, item, actor, decision, reason)
    session.flush()


def _state_changed(
    session: Session, kind: ContentKind, item, actor: User | None, decision: Decision, reason: str
) -> None:
    """Let the feature react, then tell the author (unless the feature's hook already did)."""
    mark = notified_mark(session)
    if kind.on_state_change is not None:
        kind.on_state_change(session, item, actor, decision.value)
    if getattr(item, "author_id", None) not in notified_since(session, mark):
        _notify_author(session, kind, item, actor, decision, reason)


def bulk_approve(
    session: Session,
    actor: User,
    association: Association,
    items: list[tuple[ContentKind, object]],
    reason: str = "",
) -> int:
    """Approve several waiting items of one association at once; all or nothing."""
    if not items:
        raise ValidationError(_l("Please select at least one item."), field="items")
    for kind, item in items:
        if kind.association_id(item) != association.id:
            raise NotAllowed(_l("You do not moderate this association."))
        if item.moderation_state != ModerationState.PENDING:
            raise InvalidState(_l("Only waiting items can be approved together."))
    for kind, item in items:
        decide(session, actor, kind, item, Decision.APPROVE.value, reason)
    return len(items)


def forward(session: Session, actor: User, kind: ContentKind, item, reason: str = "") -> None:
    """Hand an item to the platform admins; it shows in their queue until someone decides."""
    _check_moderator(actor, kind.association_id(item))
    if is_forwarded(session, kind.name, item.id):
        raise InvalidState(_l("This item has already been forwarded to the platform admins."))
    _record(session, kind, item, actor, Decision.FORWARD, reason.strip())
    session.flush()
    admins = session.scalars(select(User).where(User.is_platform_admin.is_(True), User.id != actor.id))
    for admin in admins:
        notify(
            session,
            admin,
            "moderation.forwarded",
            link=path_for("moderation.forwarded"),
            title=kind.title(item),
            reason=reason.strip() or "–",
        )


def is_forwarded(session: Session, kind: str, item_id: int) -> bool:
    """The item's latest moderation action is a forward (no one has decided since)."""
    return latest_decision(session, kind, item_id) == Decision.FORWARD


def report(
    session: Session,
    reporter: User,
    kind: ContentKind,
    item,
    reason: str,
    text: str = "",
    *,
    min_account_age: timedelta = timedelta(days=7),
) -> Report:
    """Report a published item once; the third counting report hides it until a moderator decides.

    Who counts: see ``_counting_reporters``; ``min_account_age`` is the operator's setting
    REPORT_MIN_ACCOUNT_AGE_DAYS.
    """
    try:
        reason = ReportReason(reason)
    except ValueError:
        raise ValidationError(_l("Please choose a reason."), field="reason") from None
    text = (text or "").strip()
    if reason == ReportReason.OTHER and not text:
        raise ValidationError(_l("Please describe the problem."), field="text")
    if len(text) > REASON_MAX:
        raise ValidationError(_l("Please keep the text under %(n)s characters.", n=REASON_MAX), field="text")
    if not is_confirmed(reporter):
        raise NotAllowed(_l("Please confirm your e-mail address before you report a post."))
    lock_item(session, item)
    if item.moderation_state != ModerationState.APPROVED:
        raise InvalidState(_l("This item cannot be reported."))
    if getattr(item, "author_id", None) == reporter.id:
        raise InvalidState(_l("You cannot report your own post."))
    existing = session.scalar(
        select(Report.id).where(
            Report.kind == kind.name, Report.item_id == item.id, Report.reporter_id == reporter.id
        )
    )
    if existing is not None:
        raise InvalidState(_l("You have already reported this. Our moderators will look at it."))

    new_report = Report(
        kind=kind.name,
        item_id=item.id,
        association_id=kind.association_id(item),
        reporter_id=reporter.id,
        reason=reason,
        text=text,
    )
    try:
        with session.begin_nested():  # two clicks at once: the unique constraint decides
            session.add(new_report)
            session.flush()
    except IntegrityError:
        raise InvalidState(_l("You have already reported this. Our moderators will look at it.")) from None
    association = session.get(Association, new_report.association_id)
    open_count = select(func.count()).select_from(_open_reports(kind.name, item.id).subquery())
    if session.scalar(open_count) == 1:  # the item's first open report: one alert per item
        alert_reported(session, association, reporter.id)

    if _counting_reporters(session, kind, item, min_account_age) >= AUTO_HIDE_THRESHOLD:
        _auto_hide(session, kind, item)
    return new_report


def _counting_reporters(session: Session, kind: ContentKind, item, min_account_age: timedelta) -> int:
    """How many distinct people with open reports on the item count toward hiding it, in one query.

    Every report reaches the moderators, but only people with a stake may hide an item
    together, so that throwaway accounts cannot: active members of the owning association;
    for a network topic group's content (anyone may join those) confirmed accounts older than
    ``min_account_age`` with at least one approved contribution, not blocked by the host.
    """
    association_id = kind.association_id(item)
    membership = select(Membership.id).where(
        Membership.user_id == Report.reporter_id, Membership.association_id == association_id
    )
    if kind.network_wide is not None and kind.network_wide(item):
        contributed = [
            select(other.model.id)
            .where(
                other.model.author_id == Report.reporter_id,
                other.model.moderation_state == ModerationState.APPROVED,
            )
            .exists()
            for other in KINDS.values()
        ]
        counts = and_(
            User.created_at <= utcnow() - min_account_age,
            or_(*contributed),
            ~membership.where(Membership.state == MembershipState.BLOCKED).exists(),
        )
    else:
        counts = membership.where(Membership.state == MembershipState.ACTIVE).exists()
    query = (
        select(func.count(func.distinct(Report.reporter_id)))
        .join(User, User.id == Report.reporter_id)
        .where(
            Report.kind == kind.name,
            Report.item_id == item.id,
            Report.resolved_at.is_(None),
            User.email_confirmed_at.is_not(None),
            counts,
        )
    )
    return session.scalar(query) or 0


def _auto_hide(session: Session, kind: ContentKind, item) -> None:
    item.moderation_state = ModerationState.HIDDEN
    item.moderation_reason = ""
    _record(session, kind, item, None, Decision.AUTO_HIDE, "")
    session.flush()
    _state_changed(session, kind, item, None, Decision.AUTO_HIDE, "")
    association = session.get(Association, kind.association_id(item))
    link = path_for("moderation.decide", slug=association.slug, kind_name=kind.name, item_id=item.id)
    alert_auto_hidden(session, association, kind.title(item), link)
    session.flush()
