"""Moderation pages through the test client: queue, decisions, reports, logs, denials, bad input."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_member, make_proposal, make_user
from tests.moderation.helpers import make_comment, make_world, pending_proposal
from twinning.core.content import ModerationState
from twinning.moderation.models import ModerationAction, Report
from twinning.notifications.models import Notification
from twinning.proposals.models import Proposal


def _state(session, proposal_id):
    session.expire_all()
    return session.get(Proposal, proposal_id).moderation_state


def test_queue_shows_pending_and_reported_items_to_moderators(client, session):
    world = make_world(session)
    pending_proposal(session, world, title="Waiting one")
    reported = make_proposal(session, world.association, world.author, title="Reported one")
    session.add(
        Report(
            kind="proposal",
            item_id=reported.id,
            association_id=world.association.id,
            reporter_id=make_user(session).id,
            reason="spam",
        )
    )
    sign_in(client, world.moderator.email)
    response = client.get(f"/a/{world.association.slug}/moderation")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Waiting one" in page and "Reported one" in page and "1 Meldung" in page


def test_other_associations_moderator_is_refused_at_every_step(client, session):
    world = make_world(session)
    proposal = pending_proposal(session, world)
    slug, other_slug = world.association.slug, world.other.slug
    sign_in(client, world.other_moderator.email)
    assert client.get(f"/a/{slug}/moderation").status_code == 403
    assert client.get(f"/a/{slug}/moderation/log").status_code == 403
    assert (
        client.post(f"/a/{slug}/moderation/proposal/{proposal.id}", data={"decision": "approve"}).status_code
        == 403
    )
    assert (
        client.post(f"/a/{slug}/moderation/bulk", data={"items": f"proposal:{proposal.id}"}).status_code
        == 403
    )
    # Through their own association's address, with the other's id: not there.
    assert client.get(f"/a/{other_slug}/moderation/proposal/{proposal.id}").status_code == 404
    assert (
        client.post(
            f"/a/{other_slug}/moderation/proposal/{proposal.id}", data={"decision": "approve"}
        ).status_code
        == 404
    )
    assert (
        client.post(f"/a/{other_slug}/moderation/bulk", data={"items": f"proposal:{proposal.id}"}).status_code
        == 404
    )
    assert client.get("/moderation/forwarded").status_code == 403
    assert client.get("/moderation/log").status_code == 403
    assert _state(session, proposal.id) == ModerationState.PENDING


def test_members_and_visitors_cannot_see_the_queue(client, session):
    world = make_world(session)
    assert client.get(f"/a/{world.association.slug}/moderation").status_code == 302  # to sign-in
    sign_in(client, world.author.email)
    assert client.get(f"/a/{world.association.slug}/moderation").status_code == 403


def test_report_hide_restore_journey_and_the_author_sees_every_reason(client, session):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author, title="Streitfall")
    reader = make_user(session)
    slug, pid = world.association.slug, proposal.id
    sign_in(client, reader.email)
    assert client.get(f"/report/proposal/{pid}").status_code == 200
    response = client.post(f"/report/proposal/{pid}", data={"reason": "offensive"})
    assert response.status_code == 302
    again = client.post(f"/report/proposal/{pid}", data={"reason": "spam"})
    assert again.status_code == 400 and "bereits gemeldet" in again.get_data(as_text=True)
    client.post("/auth/logout")

    sign_in(client, world.moderator.email)
    queue = client.get(f"/a/{slug}/moderation").get_data(as_text=True)
    assert "Streitfall" in queue
    hide = client.post(
        f"/a/{slug}/moderation/proposal/{pid}", data={"decision": "hide", "reason": "Beleidigend"}
    )
    assert hide.status_code == 302 and _state(session, pid) == ModerationState.HIDDEN
    restore = client.post(
        f"/a/{slug}/moderation/proposal/{pid}", data={"decision": "restore", "reason": "Nach Rücksprache"}
    )
    assert restore.status_code == 302 and _state(session, pid) == ModerationState.APPROVED
    log = client.get(f"/a/{slug}/moderation/log").get_data(as_text=True)
    assert "Beleidigend" in log and "Nach Rücksprache" in log
    client.post("/auth/logout")

    sign_in(client, world.author.email)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Streitfall" in page
    kinds = set(session.scalars(select(Notification.kind).where(Notification.user_id == world.author.id)))
    assert len(kinds) == 2  # hidden (with the reason) and restored


def test_bad_decision_input(client, session):
    world = make_world(session)
    proposal = pending_proposal(session, world)
    slug = world.association.slug
    url = f"/a/{slug}/moderation/proposal/{proposal.id}"
    sign_in(client, world.moderator.email)
    assert client.post(url, data={"decision": "delete"}).status_code == 400
    missing = client.post(url, data={"decision": "decline", "reason": ""})
    assert missing.status_code == 400 and "Bitte geben Sie einen Grund an" in missing.get_data(as_text=True)
    huge = client.post(url, data={"decision": "decline", "reason": "x" * 10_000})
    assert huge.status_code == 400
    nul = client.post(url, data={"decision": "decline", "reason": "a\x00b"})
    assert nul.status_code == 400 and "nicht erlaubt" in nul.get_data(as_text=True)
    wrong_state = client.post(url, data={"decision": "restore", "reason": "x"})
    assert wrong_state.status_code == 400
    assert (
        client.post(f"/a/{slug}/moderation/unknown/{proposal.id}", data={"decision": "approve"}).status_code
        == 404
    )
    assert client.get(f"/a/{slug}/moderation/proposal/999999").status_code == 404
    assert client.get(f"/a/{slug}/moderation/proposal/99999999999999999999").status_code == 404
    assert client.get(f"/a/{slug}/moderation/proposal/abc").status_code == 404
    assert client.get(f"/a/{slug}/moderation?page=-3").status_code == 200
    assert client.get(f"/a/{slug}/moderation?page=99999999999999").status_code == 200
    unicode = client.post(url, data={"decision": "decline", "reason": "Доброго дня 🌻 – doppelt"})
    assert unicode.status_code == 302
    reason = session.scalar(select(ModerationAction.reason).where(ModerationAction.item_id == proposal.id))
    assert reason == "Доброго дня 🌻 – doppelt"


def test_bulk_approve_and_its_bad_input(client, session):
    world = make_world(session)
    first, second = pending_proposal(session, world), pending_proposal(session, world)
    slug = world.association.slug
    sign_in(client, world.moderator.email)
    assert client.post(f"/a/{slug}/moderation/bulk", data={}).status_code == 400
    assert client.post(f"/a/{slug}/moderation/bulk", data={"items": "proposal:abc"}).status_code == 400
    assert client.post(f"/a/{slug}/moderation/bulk", data={"items": "nothing:1"}).status_code == 404
    response = client.post(
        f"/a/{slug}/moderation/bulk", data={"items": [f"proposal:{first.id}", f"proposal:{second.id}"]}
    )
    assert response.status_code == 302
    assert _state(session, first.id) == _state(session, second.id) == ModerationState.APPROVED
    again = client.post(f"/a/{slug}/moderation/bulk", data={"items": f"proposal:{first.id}"})
    assert again.status_code == 400


def test_report_bad_input(client, session):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    pending = pending_proposal(session, world)
    assert (
        client.post(f"/report/proposal/{proposal.id}", data={"reason": "spam"}).status_code == 302
    )  # sign in
    sign_in(client, make_user(session).email)
    assert client.post(f"/report/proposal/{proposal.id}", data={"reason": "boring"}).status_code == 400
    other = client.post(f"/report/proposal/{proposal.id}", data={"reason": "other", "text": ""})
    assert other.status_code == 400
    assert (
        client.post(
            f"/report/proposal/{proposal.id}", data={"reason": "other", "text": "y" * 10_000}
        ).status_code
        == 400
    )
    assert client.post(f"/report/nothing/{proposal.id}", data={"reason": "spam"}).status_code == 404
    assert client.post(f"/report/proposal/{pending.id}", data={"reason": "spam"}).status_code == 404
    assert client.post("/report/proposal/424242", data={"reason": "spam"}).status_code == 404
    assert session.scalar(select(Report.id).where(Report.item_id == proposal.id)) is None


def test_report_a_comment(client, session):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    comment = make_comment(session, proposal, world.author)
    sign_in(client, make_member(session, world.association).email)
    response = client.post(f"/report/comment/{comment.id}", data={"reason": "personal_data"})
    assert response.status_code == 302
    report = session.scalar(select(Report).where(Report.kind == "comment"))
    assert report.association_id == world.association.id


def test_forward_and_platform_admin_pages(client, session):
    world = make_world(session)
    admin = make_user(session, platform_admin=True)
    proposal = pending_proposal(session, world, title="Heikel")
    sign_in(client, world.moderator.email)
    response = client.post(
        f"/a/{world.association.slug}/moderation/proposal/{proposal.id}",
        data={"decision": "forward", "reason": "Rechtsfrage"},
    )
    assert response.status_code == 302
    client.post("/auth/logout")
    sign_in(client, admin.email)
    forwarded = client.get("/moderation/forwarded").get_data(as_text=True)
    assert "Heikel" in forwarded and "Rechtsfrage" in forwarded
    assert "Heikel" in client.get("/moderation/log").get_data(as_text=True)
    assert client.get(f"/a/{world.association.slug}/moderation").status_code == 200


def test_item_page_shows_the_content_and_history(client, session):
    world = make_world(session)
    proposal = pending_proposal(session, world, body="Ein **wichtiger** Text")
    sign_in(client, world.moderator.email)
    page = client.get(f"/a/{world.association.slug}/moderation/proposal/{proposal.id}").get_data(as_text=True)
    assert "<strong>wichtiger</strong>" in page and 'name="decision"' in page


def _count_queries(client, url: str) -> int:
    from sqlalchemy import event

    from twinning.core.extensions import db

    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    db.session.commit()  # the client would commit the test's data (and its content version); not the page's work
    engine = db.session.get_bind()
    engine = getattr(engine, "engine", engine)
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # The test client's commit only releases savepoints; count what the page asks.
    return len([s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))])


def test_queue_takes_a_constant_number_of_queries(client, session):
    world = make_world(session)
    readers = [make_user(session) for _ in range(2)]

    def add_items(n):
        for _ in range(n):
            pending_proposal(session, world)
            published = make_proposal(session, world.association, make_member(session, world.association))
            make_comment(session, published, world.author, state=ModerationState.PENDING)
            for reader in readers:
                session.add(
                    Report(
                        kind="proposal",
                        item_id=published.id,
                        association_id=world.association.id,
                        reporter_id=reader.id,
                        reason="spam",
                    )
                )
        session.flush()

    add_items(1)
    sign_in(client, world.moderator.email)
    url = f"/a/{world.association.slug}/moderation"
    few = _count_queries(client, url)
    add_items(6)
    assert _count_queries(client, url) == few


def test_space_shows_the_queue_link_to_moderators_only(client, session):
    world = make_world(session)
    pending_proposal(session, world)
    slug = world.association.slug
    sign_in(client, world.moderator.email)
    page = client.get(f"/a/{slug}").get_data(as_text=True)
    assert f'href="/a/{slug}/moderation"' in page and "1 Beitrag wartet auf eine Entscheidung." in page
    client.post("/auth/logout")
    sign_in(client, world.other_moderator.email)
    assert f'href="/a/{slug}/moderation"' not in client.get(f"/a/{slug}").get_data(as_text=True)
