"""Group content a viewer may not see never shows: threads, their replies and report pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import make_association, make_group, make_member, make_user
from twinning.associations.models import Association, AssociationStatus, Role
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.groups.models import GroupMembership, OpenTo, Thread, ThreadReply

SECRET = "Geheimer Thread-Titel"


@pytest.fixture
def group(session):
    host = make_association(session, slug="aachen-klima", admin=make_user(session, email="admin@example.org"))
    make_member(session, host, role=Role.MODERATOR, email="mod@example.org")
    author = make_member(session, host, email="author@example.org")
    other = make_member(session, host, email="other@example.org")
    group = make_group(session, host, open_to=OpenTo.EVERYONE, coordinator=author)
    session.add(GroupMembership(group_id=group.id, user_id=other.id))
    session.flush()
    return group, author


def _thread(session, group, author, state=ModerationState.APPROVED, title=SECRET) -> Thread:
    thread = Thread(
        group_id=group.id, author_id=author.id, title=title, body="Text des Threads", moderation_state=state
    )
    session.add(thread)
    session.flush()
    return thread


def _reply(session, thread, author, state=ModerationState.APPROVED, body="Eine Antwort") -> ThreadReply:
    reply = ThreadReply(thread_id=thread.id, author_id=author.id, body=body, moderation_state=state)
    session.add(reply)
    session.flush()
    return reply


@pytest.mark.parametrize("state", [ModerationState.HIDDEN, ModerationState.PENDING, ModerationState.DECLINED])
def test_report_page_of_a_reply_never_shows_an_unpublished_threads_title(client, session, group, state):
    group, author = group
    thread = _thread(session, group, author, state)
    reply = _reply(session, thread, author)
    sign_in(client, "other@example.org")
    for method in (client.get, client.post):
        response = method(f"/report/reply/{reply.id}", data={"reason": "spam"})
        assert response.status_code == 404 and SECRET not in response.get_data(as_text=True)


def test_deleted_reply_cannot_be_reported(client, session, group):
    group, author = group
    reply = _reply(session, _thread(session, group, author), author)
    reply.deleted_at = utcnow()
    session.flush()
    sign_in(client, "other@example.org")
    assert client.get(f"/report/reply/{reply.id}").status_code == 404


def test_published_thread_and_reply_can_still_be_reported(client, session, group):
    group, author = group
    thread = _thread(session, group, author, title="Offener Thread")
    reply = _reply(session, thread, author)
    sign_in(client, "other@example.org")
    for path in (f"/report/thread/{thread.id}", f"/report/reply/{reply.id}"):
        response = client.get(path)
        assert response.status_code == 200 and "Offener Thread" in response.get_data(as_text=True)


@pytest.mark.parametrize("viewer", [None, "other@example.org"])
def test_unpublished_thread_and_its_replies_do_not_show(client, session, group, viewer):
    group, author = group
    thread = _thread(session, group, author, ModerationState.HIDDEN)
    _reply(session, thread, author, body="Antwort unter verstecktem Thread")
    if viewer:
        sign_in(client, viewer)
    assert client.get(f"/groups/{group.id}/threads/{thread.id}").status_code == 404
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert SECRET not in page and "Antwort unter verstecktem Thread" not in page


def test_replying_to_an_unpublished_thread_creates_nothing(client, session, group):
    group, author = group
    thread = _thread(session, group, author, ModerationState.PENDING)
    sign_in(client, "other@example.org")
    response = client.post(
        f"/groups/{group.id}/threads/{thread.id}/replies", data={"body": "Öffentlich machen"}
    )
    assert response.status_code == 404
    assert session.scalar(select(func.count(ThreadReply.id))) == 0


def test_waiting_reply_shows_to_its_author_and_moderators_only(client, session, group):
    group, author = group
    thread = _thread(session, group, author, title="Offener Thread")
    _reply(session, thread, author, ModerationState.PENDING, body="Wartende Antwort")
    url = f"/groups/{group.id}/threads/{thread.id}"
    for viewer, sees in (
        (None, False),
        ("other@example.org", False),
        ("author@example.org", True),
        ("mod@example.org", True),
    ):
        client.post("/auth/logout")
        if viewer:
            sign_in(client, viewer)
        assert ("Wartende Antwort" in client.get(url).get_data(as_text=True)) is sees


def test_home_lists_no_group_of_a_suspended_association(client, session, group):
    group, _author = group
    group.name = "Gruppe im gesperrten Verein"
    session.flush()
    sign_in(client, "author@example.org")
    assert "Gruppe im gesperrten Verein" in client.get("/").get_data(as_text=True)  # one of "my groups"
    session.get(Association, group.association_id).status = AssociationStatus.SUSPENDED
    session.flush()
    assert client.get(f"/groups/{group.id}").status_code == 404
    assert "Gruppe im gesperrten Verein" not in client.get("/").get_data(as_text=True)
