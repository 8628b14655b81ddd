"""The group pages ask the named rules: report buttons, coordinator tools, posting."""

from __future__ import annotations

from tests.conftest import sign_in
from tests.factories import make_association, make_comment, make_group, make_member, make_proposal, make_user
from twinning.core.content import ModerationState
from twinning.groups.models import GroupMembership, GroupRole, Thread


def _thread(session, group, author, state=ModerationState.APPROVED) -> Thread:
    thread = Thread(
        group_id=group.id, author_id=author.id, title="Our next meeting", body="When?", moderation_state=state
    )
    session.add(thread)
    session.flush()
    return thread


def test_the_report_button_shows_only_to_whom_may_report(client, session):
    """content.report: confirmed accounts, someone else's published thread."""
    host = make_association(session)
    author = make_member(session, host, email="author@example.org")
    make_user(session, email="new@example.org", confirmed=False)
    make_user(session, email="reader@example.org")
    group = make_group(session, host, coordinator=author)
    thread = _thread(session, group, author)
    page = f"/groups/{group.id}/threads/{thread.id}"
    action = f"/report/thread/{thread.id}"
    for email, shown in (
        ("new@example.org", False),
        ("author@example.org", False),
        ("reader@example.org", True),
    ):
        client.post("/auth/logout", data={})
        assert sign_in(client, email).status_code == 302
        assert (action in client.get(page).get_data(as_text=True)) is shown, email


def test_a_moderator_gets_no_report_button_on_a_waiting_comment(client, session):
    host = make_association(session)
    moderator = make_member(session, host, email="mod@example.org")
    from twinning.associations.models import Membership, Role

    session.query(Membership).filter_by(user_id=moderator.id).update({"role": Role.MODERATOR})
    author = make_member(session, host)
    proposal = make_proposal(session, host, author)
    waiting = make_comment(session, proposal, author, moderation_state=ModerationState.PENDING)
    sign_in(client, "mod@example.org")
    html = client.get(f"/a/{host.slug}/proposals/{proposal.id}").get_data(as_text=True)
    assert f"comment-{waiting.id}" in html  # the moderator sees it ...
    assert f"/report/comment/{waiting.id}" not in html  # ... but cannot report what is not published


def test_a_coordinator_gets_the_tools_a_member_does_not(client, session):
    host = make_association(session)
    coordinator = make_user(session, email="coordinator@example.org")
    member = make_user(session, email="member@example.org")
    group = make_group(session, host, coordinator=coordinator)
    session.add(GroupMembership(group_id=group.id, user_id=member.id, role=GroupRole.MEMBER))
    thread = _thread(session, group, member)
    for email, tools in (("coordinator@example.org", True), ("member@example.org", False)):
        client.post("/auth/logout", data={})
        sign_in(client, email)
        detail = client.get(f"/groups/{group.id}").get_data(as_text=True)
        assert (f"/groups/{group.id}/edit" in detail) is tools
        assert f"/groups/{group.id}/threads/new" in detail  # both post
        assert f"/groups/{group.id}/leave" in detail  # both may leave
        page = client.get(f"/groups/{group.id}/threads/{thread.id}").get_data(as_text=True)
        assert (f"/threads/{thread.id}/pin" in page) is tools
        assert (client.post(f"/groups/{group.id}/threads/{thread.id}/pin").status_code == 302) is tools


def test_a_waiting_thread_is_not_pinned(client, session):
    """thread.pin: the button showed only on published threads; now the route agrees."""
    host = make_association(session)
    coordinator = make_user(session, email="coordinator@example.org")
    group = make_group(session, host, coordinator=coordinator)
    waiting = _thread(session, group, coordinator, ModerationState.PENDING)
    group_id, thread_id = group.id, waiting.id
    sign_in(client, "coordinator@example.org")
    assert client.post(f"/groups/{group_id}/threads/{thread_id}/pin").status_code == 403
    assert not session.get(Thread, thread_id).pinned
