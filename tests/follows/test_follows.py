"""Following proposals, groups and threads: toggling, implied follows, who hears of what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_association, make_group, make_member, make_proposal, make_user
from tests.querycount import count_queries
from twinning.auth.models import EmailNotifications
from twinning.core.content import ModerationState
from twinning.groups.models import Thread, ThreadReply
from twinning.groups.services import notify_members_of_thread, notify_thread_author
from twinning.notifications import follows
from twinning.notifications.models import Follow, Notification
from twinning.proposals.models import Lifecycle, Support
from twinning.proposals.services import answer_proposal


@pytest.fixture(autouse=True)
def _context(app):
    with app.app_context():
        yield


def _quiet(user):
    user.email_notifications = EmailNotifications.NEVER
    return user


def _kinds(session, user_id):
    return [n.kind for n in session.scalars(select(Notification).where(Notification.user_id == user_id))]


def test_answer_reaches_explicit_followers_and_implied_ones_unless_turned_off(session):
    admin = _quiet(make_user(session))
    association = make_association(session, admin=admin)
    author = _quiet(make_member(session, association))
    supporter = _quiet(make_member(session, association))
    follower = _quiet(make_user(session))  # not even a member: anyone who sees it may follow
    bystander = _quiet(make_user(session))
    proposal = make_proposal(session, association, author)
    session.add(Support(proposal_id=proposal.id, user_id=supporter.id))
    session.flush()
    assert follows.is_following(session, author, "proposal", proposal.id)  # implied by authoring
    assert follows.is_following(session, supporter, "proposal", proposal.id)  # implied by supporting
    assert follows.toggle(session, follower, "proposal", proposal.id) is True
    assert follows.toggle(session, supporter, "proposal", proposal.id) is False  # turned off

    answer_proposal(session, admin, proposal, lifecycle=Lifecycle.UNDER_REVIEW, answer="Wir prüfen.")

    assert _kinds(session, follower.id) == ["proposal.under_review"]
    assert _kinds(session, author.id) == ["proposal.under_review"]
    assert _kinds(session, supporter.id) == []
    assert _kinds(session, bystander.id) == []
    assert _kinds(session, admin.id) == []  # no notification for one's own action


def test_recipients_is_one_query(session):
    admin = make_user(session)
    association = make_association(session, admin=admin)
    proposal = make_proposal(session, association, admin)
    for _ in range(5):
        follows.set_following(session, make_user(session), "proposal", proposal.id, True)
    with count_queries() as counted:
        found = follows.recipients(session, "proposal", proposal.id)
    assert len(found) == 6 and counted.total == 1


def test_group_followers_hear_of_new_threads_and_thread_followers_of_replies(session):
    admin = _quiet(make_user(session))
    association = make_association(session, admin=admin)
    coordinator = _quiet(make_member(session, association))
    group = make_group(session, association, coordinator=coordinator)
    outsider = _quiet(make_user(session))
    follows.toggle(session, outsider, "group", group.id)
    assert follows.toggle(session, coordinator, "group", group.id) is False  # member turns it off
    thread = Thread(group_id=group.id, author_id=admin.id, title="Plan", body="b")
    thread.moderation_state = ModerationState.APPROVED
    session.add(thread)
    session.flush()
    notify_members_of_thread(session, thread)
    assert _kinds(session, outsider.id) == ["group.thread_new"]
    assert _kinds(session, coordinator.id) == []

    follows.toggle(session, outsider, "thread", thread.id)
    reply = ThreadReply(thread_id=thread.id, author_id=coordinator.id, body="Ja")
    reply.moderation_state = ModerationState.APPROVED
    session.add(reply)
    session.flush()
    notify_thread_author(session, reply)
    assert _kinds(session, outsider.id) == ["group.thread_new", "thread.reply"]
    assert _kinds(session, admin.id) == ["group.reply"]  # the author, implied
    assert _kinds(session, coordinator.id) == []  # not for one's own reply


def test_follow_view_toggles_and_button_shows_state(client, session):
    admin = make_user(session)
    association = make_association(session, admin=admin)
    proposal = make_proposal(session, association, admin, title="Radweg")
    reader = make_user(session)
    url = f"/a/{association.slug}/proposals/{proposal.id}"
    sign_in(client, reader.email)
    assert 'aria-pressed="false"' in client.get(url).get_data(as_text=True)
    response = client.post(f"/follow/proposal/{proposal.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    assert 'aria-pressed="true"' in client.get(url).get_data(as_text=True)
    assert follows.is_following(session, reader, "proposal", proposal.id)
    profile = client.get("/profile").get_data(as_text=True)
    assert 'href="/profile/following"' in profile and 'href="/profile/notifications"' in profile
    page = client.get("/profile/following").get_data(as_text=True)
    assert f'<a href="{url}">Radweg</a>' in page
    client.post(f"/follow/proposal/{proposal.id}", data={"next": "/profile/following"})
    assert not follows.is_following(session, reader, "proposal", proposal.id)
    page = client.get("/profile/following").get_data(as_text=True)
    assert f'href="{url}"' not in page and "Radweg" in page  # only the flash names it now


def test_following_what_one_may_not_see_is_404(client, session):
    admin = make_user(session)
    association = make_association(session, admin=admin)
    author = make_member(session, association)
    pending = make_proposal(session, association, author, moderation_state=ModerationState.PENDING)
    stranger = make_user(session)
    sign_in(client, stranger.email)
    assert client.post(f"/follow/proposal/{pending.id}").status_code == 404
    assert client.post("/follow/proposal/999999").status_code == 404
    assert client.post("/follow/nonsense/1").status_code == 404
    assert client.post("/follow/proposal/99999999999").status_code == 404
    assert session.scalar(select(Follow).where(Follow.user_id == stranger.id)) is None


def test_following_needs_sign_in(client, session):
    admin = make_user(session)
    association = make_association(session, admin=admin)
    proposal = make_proposal(session, association, admin)
    response = client.post(f"/follow/proposal/{proposal.id}")
    assert response.status_code in (302, 401, 403)
    assert session.scalar(select(Follow)) is None


def test_followers_choices_are_read_in_one_query(session):
    admin = _quiet(make_user(session))
    association = make_association(session, admin=admin)
    proposal = make_proposal(session, association, admin)
    for _ in range(6):
        follows.set_following(session, _quiet(make_user(session)), "proposal", proposal.id, True)
    with count_queries() as counted:
        answer_proposal(session, admin, proposal, lifecycle=Lifecycle.UNDER_REVIEW, answer="Wir prüfen.")
    preference_reads = [s for s in counted.statements if "FROM notification_preferences" in s]
    assert len(preference_reads) == 1
