"""Moderators and admins learn that posts wait: one alert per association, counted, none for their own."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import make_association, make_group, make_member, make_proposal, make_user
from twinning.associations.models import ModerationPolicy, Role
from twinning.auth.models import EmailNotifications
from twinning.core.content import ModerationState
from twinning.groups.services import reply_to_thread, start_thread
from twinning.moderation.alerts import AUTO_HIDDEN, REPORTED, WAITING
from twinning.notifications.models import Notification
from twinning.notifications.services import mark_read
from twinning.notifications.texts import render
from twinning.proposals.comments import add_comment
from twinning.proposals.services import submit_proposal


def _alerts(session, user):
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id, Notification.kind == WAITING)
            .order_by(Notification.id)
        )
    )


def _post(session, association, author, title="Fahrradwerkstatt"):
    return submit_proposal(
        session,
        author,
        association,
        title=title,
        summary="Kurz",
        body="Lang",
        theme_slugs=[],
        sdgs=[],
        budget=None,
    )


def _setup(session, policy=ModerationPolicy.ALL):
    admin = make_user(session, email="admin@example.org")
    association = make_association(session, admin=admin, name="Aachen–Reims", moderation_policy=policy)
    moderator = make_member(session, association, Role.MODERATOR, email="mod@example.org")
    member = make_member(session, association, email="member@example.org")
    return association, admin, moderator, member


def test_a_waiting_proposal_alerts_moderators_and_admins_not_the_author(session, ctx):
    association, admin, moderator, member = _setup(session)
    outsider = make_user(session)
    proposal = _post(session, association, member)
    assert proposal.moderation_state == ModerationState.PENDING
    for user in (admin, moderator):
        [alert] = _alerts(session, user)
        assert alert.params == {"association": "Aachen–Reims", "count": 1}
        assert alert.link == f"/a/{association.slug}/moderation"
    assert _alerts(session, member) == [] and _alerts(session, outsider) == []


def test_many_waiting_posts_collapse_into_one_counted_alert(session, ctx):
    association, admin, moderator, member = _setup(session)
    for n in range(7):
        _post(session, association, member, title=f"Idee {n}")
    [alert] = _alerts(session, admin)
    assert alert.params["count"] == 7
    from flask_babel import force_locale

    with force_locale("en"):
        assert render(alert.kind, alert.params) == "Posts waiting for a decision in Aachen–Reims: 7"
    # Once read, the next post starts a new alert.
    mark_read(session, admin, alert)
    _post(session, association, member, title="Noch eine")
    alerts = _alerts(session, admin)
    assert [a.params["count"] for a in alerts] == [7, 1]
    assert [a.params["count"] for a in _alerts(session, moderator)] == [8]


def test_no_alert_for_ones_own_post_and_none_for_a_published_one(session, ctx):
    association, admin, moderator, _member = _setup(session)
    # A moderator publishes directly: nothing waits, nobody is alerted.
    make_proposal(session, association, moderator)
    _post(session, association, moderator, title="Direkt")
    assert _alerts(session, admin) == [] and _alerts(session, moderator) == []


def test_comments_threads_and_replies_that_wait_alert_too(session, ctx):
    association, admin, moderator, member = _setup(session, ModerationPolicy.STRICT)
    proposal = make_proposal(session, association, admin)
    add_comment(session, member, proposal, "Gute Idee")
    group = make_group(session, association, coordinator=admin)
    from twinning.groups.models import GroupMembership

    session.add(GroupMembership(group_id=group.id, user_id=member.id))
    session.flush()
    start_thread(session, member, group, title="Treffen", body="Wann?")
    thread = start_thread(session, admin, group, title="Offen", body="Hier")
    reply_to_thread(session, member, thread, body="Morgen")
    [alert] = _alerts(session, moderator)
    assert alert.params["count"] == 3  # the comment, the member's thread, the reply; not the admin's thread
    assert _alerts(session, member) == []


def test_mail_goes_once_per_alert_under_each_persons_choice(session, ctx, outbox):
    association, _admin, moderator, member = _setup(session)
    moderator.email_notifications = EmailNotifications.DIGEST
    session.flush()
    _post(session, association, member, title="Eins")
    _post(session, association, member, title="Zwei")
    session.commit()
    to_admin = [m for m in outbox.messages() if m["To"] == "admin@example.org"]
    assert len(to_admin) == 1
    assert "Aachen–Reims" in to_admin[0].get_body(("plain",)).get_content()
    assert not [m for m in outbox.messages() if m["To"] == "mod@example.org"]
    [digest_alert] = _alerts(session, moderator)
    assert digest_alert.emailed_at is None  # the digest will carry it


def _kinds(session, user):
    return [
        (n.kind, n.params)
        for n in session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    ]


def test_reports_alert_once_per_item_and_the_auto_hide_names_the_item(session, ctx):
    from twinning.moderation import services
    from twinning.moderation.registry import KINDS

    association, admin, moderator, member = _setup(session)
    first = make_proposal(session, association, member, title="Erste")
    second = make_proposal(session, association, member, title="Zweite")
    readers = [make_member(session, association) for _ in range(3)]
    for reader in readers:
        services.report(session, reader, KINDS["proposal"], first, "spam")
    services.report(session, readers[0], KINDS["proposal"], second, "spam")
    kinds = _kinds(session, moderator)
    # Two items reported: one alert counting two; the third report on the first hid it.
    assert kinds[0] == (REPORTED, {"association": "Aachen–Reims", "count": 2})
    assert kinds[1][0] == AUTO_HIDDEN and kinds[1][1]["title"].endswith("Erste")
    hidden_alert = session.scalar(
        select(Notification).where(Notification.user_id == admin.id, Notification.kind == AUTO_HIDDEN)
    )
    assert hidden_alert.link == f"/a/{association.slug}/moderation/proposal/{first.id}"
    assert [k for k, _ in _kinds(session, readers[0])] == []


def test_a_join_request_alerts_moderators_and_admins(session, ctx):
    from twinning.associations.members import join_association
    from twinning.associations.models import JoinPolicy

    association, admin, moderator, member = _setup(session)
    association.join_policy = JoinPolicy.APPROVAL
    session.flush()
    newcomer = make_user(session, name="Neu")
    join_association(session, newcomer, association)
    for user in (admin, moderator):
        assert ("association.join_requested", {"name": "Neu", "association": "Aachen–Reims"}) in _kinds(
            session, user
        )
    assert _kinds(session, member) == []


def test_platform_admins_learn_that_an_association_asks_for_approval(session, ctx):
    from twinning.associations.services import create_association

    platform_admin = make_user(session, platform_admin=True)
    founding_admin = make_user(session, platform_admin=True)
    create_association(session, founding_admin, name="Lyon–Köln", city="Köln", country="DE")
    [(kind, params)] = _kinds(session, platform_admin)
    assert kind == "association.registered" and params == {"name": "Lyon–Köln", "city": "Köln"}
    assert session.scalar(select(Notification.link).where(Notification.user_id == platform_admin.id)) == (
        "/admin/associations"
    )
    assert _kinds(session, founding_admin) == []  # not for one's own action


def test_group_coordinators_learn_that_a_thread_waits(session, ctx):
    from twinning.groups.models import GroupMembership, GroupRole

    association, _admin, moderator, member = _setup(session)
    coordinator = make_member(session, association, name="Koordinatorin")
    group = make_group(session, association, coordinator=coordinator)
    session.add(GroupMembership(group_id=group.id, user_id=moderator.id, role=GroupRole.COORDINATOR))
    session.add(GroupMembership(group_id=group.id, user_id=member.id))
    session.flush()
    start_thread(session, member, group, title="Treffen", body="Wann?")
    [(kind, params)] = _kinds(session, coordinator)
    assert kind == "group.thread_waiting" and params == {"group": group.name, "title": "Treffen"}
    # The moderator who also coordinates gets the moderators' alert only.
    assert [k for k, _ in _kinds(session, moderator)] == [WAITING]
