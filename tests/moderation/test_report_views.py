"""Reports through the test client: confirmed accounts only, the rate limit, and no dead ends after an auto-hide."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import make_group, make_member, make_proposal, make_user
from tests.moderation.helpers import make_comment, make_world
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.groups.models import OpenTo, Thread, ThreadReply
from twinning.moderation.models import Report
from twinning.notifications.models import Notification
from twinning.proposals.models import Comment, Proposal


def _reports(session, item_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Report).where(Report.item_id == item_id))


def _state(session, model, item_id: int):
    session.expire_all()
    return session.get(model, item_id).moderation_state


def _report_as(client, email: str, path: str, reason: str = "spam"):
    assert sign_in(client, email).status_code == 302
    return client.post(path, data={"reason": reason})


def test_an_unconfirmed_account_gets_403_with_the_reason(client, session):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    unconfirmed = make_member(session, world.association, confirmed=False)
    sign_in(client, unconfirmed.email)
    for response in (
        client.get(f"/report/proposal/{proposal.id}"),
        client.post(f"/report/proposal/{proposal.id}", data={"reason": "spam"}),
    ):
        assert response.status_code == 403
        assert (
            "Bitte bestätigen Sie Ihre E-Mail-Adresse, bevor Sie einen Beitrag melden"
            in response.get_data(as_text=True)
        )
    assert _reports(session, proposal.id) == 0


def test_three_throwaway_sign_ups_cannot_hide_anything(client, session):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author, title="Unbequem")
    path = f"/report/proposal/{proposal.id}"
    emails = [f"wegwerf{n}@example.org" for n in range(3)]
    for n, email in enumerate(emails):
        response = client.post(
            "/auth/register",
            data={"email": email, "display_name": f"Wegwerf {n}", "password": "lange-und-sicher-2030!"},
        )
        assert response.status_code == 302
        assert client.post(path, data={"reason": "spam"}).status_code == 403  # not confirmed yet
        client.post("/auth/logout")
    # Confirmed throwaway addresses are still not members: recorded for the moderators, nothing hidden.
    for user in session.scalars(select(User).where(User.email.in_(emails))):
        user.email_confirmed_at = utcnow()
    for email in emails:
        assert sign_in(client, email, "lange-und-sicher-2030!").status_code == 302
        response = client.post(path, data={"reason": "spam"})
        assert response.status_code == 302 and "/auth/login" not in response.headers["Location"]
        client.post("/auth/logout")
    assert _reports(session, proposal.id) == 3
    assert _state(session, Proposal, proposal.id) == ModerationState.APPROVED
    assert client.get(f"/a/{world.association.slug}/proposals/{proposal.id}").status_code == 200
    sign_in(client, world.moderator.email)
    assert "Unbequem" in client.get(f"/a/{world.association.slug}/moderation").get_data(as_text=True)


def test_the_third_member_returns_to_the_proposal_list_with_the_thank_you(client, session):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    slug, path = world.association.slug, f"/report/proposal/{proposal.id}"
    members = [make_member(session, world.association) for _ in range(3)]
    for member in members[:2]:
        response = _report_as(client, member.email, path)
        assert response.headers["Location"] == f"/a/{slug}/proposals/{proposal.id}"  # still published
        client.post("/auth/logout")
    response = _report_as(client, members[2].email, path)
    assert response.status_code == 302 and response.headers["Location"] == f"/a/{slug}/proposals"
    assert _state(session, Proposal, proposal.id) == ModerationState.HIDDEN
    landing = client.get(response.headers["Location"])
    assert landing.status_code == 200
    assert "Der Beitrag ist ausgeblendet, bis die Moderation" in landing.get_data(as_text=True)


def test_the_third_reporter_of_a_comment_returns_to_the_proposal(client, session):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    comment = make_comment(session, proposal, world.author)
    for _ in range(3):
        response = _report_as(
            client, make_member(session, world.association).email, f"/report/comment/{comment.id}"
        )
        client.post("/auth/logout")
    assert _state(session, Comment, comment.id) == ModerationState.HIDDEN
    assert response.headers["Location"].startswith(f"/a/{world.association.slug}/proposals/{proposal.id}")
    assert client.get(response.headers["Location"]).status_code == 200


def test_the_third_reporter_of_a_topic_group_thread_returns_to_the_group(client, session):
    world = make_world(session)
    group = make_group(session, world.association, open_to=OpenTo.EVERYONE)
    thread = Thread(
        group_id=group.id,
        author_id=world.author.id,
        title="Werbung",
        body="Kaufen!",
        moderation_state=ModerationState.APPROVED,
    )
    session.add(thread)
    session.flush()
    reporters = []
    for _ in range(3):
        person = make_user(session)
        person.created_at = utcnow() - timedelta(days=30)
        session.add(ThreadReply(thread_id=thread.id, author_id=person.id, body="Bitte nicht."))
        reporters.append(person)
    session.flush()
    for person in reporters:
        response = _report_as(client, person.email, f"/report/thread/{thread.id}")
        client.post("/auth/logout")
    assert _state(session, Thread, thread.id) == ModerationState.HIDDEN
    assert response.headers["Location"] == f"/groups/{group.id}"
    assert client.get(f"/groups/{group.id}").status_code == 200


def test_a_second_report_of_the_same_item_gets_a_friendly_message(client, session):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    member = make_member(session, world.association)
    assert _report_as(client, member.email, f"/report/proposal/{proposal.id}").status_code == 302
    again = client.post(f"/report/proposal/{proposal.id}", data={"reason": "offensive"})
    assert again.status_code == 400 and "bereits gemeldet" in again.get_data(as_text=True)
    assert _reports(session, proposal.id) == 1


def test_reports_are_rate_limited_per_account(client, session):
    world = make_world(session)
    proposals = [make_proposal(session, world.association, world.author) for _ in range(11)]
    reader = make_user(session)
    sign_in(client, reader.email)
    for proposal in proposals[:10]:
        assert client.post(f"/report/proposal/{proposal.id}", data={"reason": "spam"}).status_code == 302
    limited = client.post(f"/report/proposal/{proposals[10].id}", data={"reason": "spam"})
    assert limited.status_code == 429 and "Zu viele Versuche" in limited.get_data(as_text=True)
    assert _reports(session, proposals[10].id) == 0
    client.post("/auth/logout")
    # Another account (from the same address) still reports.
    other = _report_as(client, make_user(session).email, f"/report/proposal/{proposals[10].id}")
    assert other.status_code == 302


def _hide_by_reports(client, session, world, path: str) -> None:
    for _ in range(3):
        _report_as(client, make_member(session, world.association).email, path)
        client.post("/auth/logout")


def _follow_notification(client, session, author: User):
    notice = session.scalars(
        select(Notification).where(Notification.user_id == author.id).order_by(Notification.id.desc())
    ).first()
    sign_in(client, author.email)
    opened = client.get(f"/notifications/{notice.id}/open")
    assert opened.status_code == 302
    return client.get(opened.headers["Location"])


def test_the_authors_notice_says_what_happened_and_its_link_shows_the_hidden_proposal(client, session):
    world = make_world(session)
    proposal = make_proposal(
        session, world.association, world.author, title="Streitfall", body="Mein **ganzer** Text"
    )
    _hide_by_reports(client, session, world, f"/report/proposal/{proposal.id}")
    sign_in(client, world.author.email)
    notices = client.get("/notifications").get_data(as_text=True)
    assert "wurde nach mehreren Meldungen ausgeblendet. Die Moderation wird ihn prüfen." in notices
    assert "von der Moderation ausgeblendet" not in notices
    client.post("/auth/logout")
    page = _follow_notification(client, session, world.author)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Streitfall" in text and "<strong>ganzer</strong>" in text and "Ausgeblendet" in text
    assert "nach mehreren Meldungen ausgeblendet" in text


def test_the_authors_link_shows_a_hidden_reply_with_the_moderators_reason(client, session):
    world = make_world(session)
    group = make_group(session, world.association, open_to=OpenTo.MEMBERS)
    thread = Thread(
        group_id=group.id,
        author_id=world.moderator.id,
        title="Sommerfest",
        body="Wer hilft?",
        moderation_state=ModerationState.APPROVED,
    )
    session.add(thread)
    session.flush()
    reply = ThreadReply(thread_id=thread.id, author_id=world.author.id, body="Meine Antwort")
    session.add(reply)
    session.flush()
    _hide_by_reports(client, session, world, f"/report/reply/{reply.id}")
    assert _state(session, ThreadReply, reply.id) == ModerationState.HIDDEN
    page = _follow_notification(client, session, world.author)
    assert page.status_code == 200 and "Meine Antwort" in page.get_data(as_text=True)
    client.post("/auth/logout")

    sign_in(client, world.moderator.email)
    client.post(
        f"/a/{world.association.slug}/moderation/reply/{reply.id}", data={"decision": "approve", "reason": ""}
    )
    client.post(
        f"/a/{world.association.slug}/moderation/reply/{reply.id}",
        data={"decision": "hide", "reason": "Persönliche Daten"},
    )
    client.post("/auth/logout")
    page = _follow_notification(client, session, world.author)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Persönliche Daten" in text and "Meine Antwort" in text


def test_only_the_author_reads_their_hidden_post(client, session):
    world = make_world(session)
    proposal = make_proposal(
        session,
        world.association,
        world.author,
        title="Nur für mich",
        moderation_state=ModerationState.HIDDEN,
    )
    path = f"/moderation/mine/proposal/{proposal.id}"
    visitor = client.get(path)
    assert visitor.status_code == 302 and "/auth/login" in visitor.headers["Location"]
    sign_in(client, world.moderator.email)
    assert client.get(path).status_code == 404  # moderators use their own page
    client.post("/auth/logout")
    sign_in(client, make_user(session).email)
    assert client.get(path).status_code == 404
    assert client.get("/moderation/mine/nothing/1").status_code == 404
    assert client.get("/moderation/mine/proposal/99999999999999999999").status_code == 404
    client.post("/auth/logout")
    sign_in(client, world.author.email)
    assert client.get(path).status_code == 200
    comment = make_comment(session, proposal, world.author)
    session.get(Comment, comment.id).deleted_at = utcnow()
    assert client.get(f"/moderation/mine/comment/{comment.id}").status_code == 404
