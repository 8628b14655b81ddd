"""The queue tells what each item is and approves inline; /moderation and the header badge."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_association, make_member, make_proposal, make_user
from tests.moderation.helpers import make_comment
from twinning.associations.models import Membership, ModerationPolicy, Role
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.moderation.models import Decision, ModerationAction
from twinning.notifications.models import Notification
from twinning.proposals.models import Proposal


def _world(session):
    admin = make_user(session, email="admin@example.org", locale="en")
    association = make_association(
        session, admin=admin, name="Aachen–Reims", moderation_policy=ModerationPolicy.STRICT
    )
    moderator = make_member(session, association, Role.MODERATOR, email="mod@example.org", locale="en")
    author = make_member(session, association, name="Jana Autorin")
    membership = session.scalar(select(Membership).where(Membership.user_id == author.id))
    membership.decided_at = utcnow() - timedelta(days=60)
    session.flush()
    return association, admin, moderator, author


def test_the_queue_tells_kind_excerpt_place_author_membership_and_wait(client, session):
    association, _admin, moderator, author = _world(session)
    proposal = make_proposal(
        session,
        association,
        author,
        title="Fahrradwerkstatt",
        summary="Eine offene Werkstatt für alle",
        moderation_state=ModerationState.PENDING,
    )
    proposal.created_at = utcnow() - timedelta(days=3)
    published = make_proposal(session, association, author, title="Partnerschaftsfest")
    comment = make_comment(
        session, published, author, body="Ich bringe Kuchen mit", state=ModerationState.PENDING
    )
    session.add(
        ModerationAction(
            kind="comment",
            item_id=comment.id,
            association_id=association.id,
            actor_id=moderator.id,
            decision=Decision.FORWARD,
            reason="",
        )
    )
    session.flush()
    sign_in(client, moderator.email)
    page = client.get(f"/a/{association.slug}/moderation").get_data(as_text=True)
    assert "Proposal:" in page and "Fahrradwerkstatt" in page and "Eine offene Werkstatt für alle" in page
    # A comment names the proposal it belongs to, and shows its text.
    assert "Comment:" in page and "Partnerschaftsfest" in page and "Ich bringe Kuchen mit" in page
    assert "by Jana Autorin, member for 2 months" in page
    assert "waiting for 3 days" in page
    decide = f"/a/{association.slug}/moderation/proposal/{proposal.id}"
    assert f'formaction="{decide}" name="decision" value="approve"' in page
    assert "Decline with a reason…" in page
    # Only possible decisions: the forwarded comment is not offered to be forwarded again.
    assert page.count("Forward to the platform admins…") == 1


def test_approve_from_the_queue_without_opening_the_item(client, session):
    association, _admin, moderator, author = _world(session)
    proposal = make_proposal(session, association, author, moderation_state=ModerationState.PENDING)
    proposal_id = proposal.id
    sign_in(client, moderator.email)
    # What the inline button sends: the whole list form to the item's decision address.
    response = client.post(
        f"/a/{association.slug}/moderation/proposal/{proposal_id}",
        data={"decision": "approve", "items": []},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/a/{association.slug}/moderation")
    session.expire_all()
    assert session.get(Proposal, proposal_id).moderation_state == ModerationState.APPROVED


def test_all_my_queues_and_the_header_badge(client, session):
    association, _admin, moderator, author = _world(session)
    other = make_association(session, name="Lyon–Köln")
    session.add(Membership(user_id=moderator.id, association_id=other.id, role=Role.ADMIN))
    elsewhere = make_association(session, name="Nicht meins")
    make_proposal(session, association, author, title="Erste Idee", moderation_state=ModerationState.PENDING)
    make_proposal(session, association, author, title="Zweite Idee", moderation_state=ModerationState.PENDING)
    stranger = make_member(session, elsewhere)
    make_proposal(session, elsewhere, stranger, title="Fremde Idee", moderation_state=ModerationState.PENDING)
    session.flush()
    sign_in(client, moderator.email)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/moderation"' in home and '2<span class="visually-hidden"> waiting' in home
    page = client.get("/moderation").get_data(as_text=True)
    assert "Aachen–Reims" in page and "2 items wait for a decision." in page
    assert "Erste Idee" in page and "Zweite Idee" in page
    assert "Lyon–Köln" in page and "Nothing is waiting." in page
    assert "Fremde Idee" not in page and "Nicht meins" not in page


def test_people_who_moderate_nothing_get_no_badge_and_no_page(client, session):
    association, _admin, _moderator, author = _world(session)
    make_proposal(session, association, author, moderation_state=ModerationState.PENDING)
    assert client.get("/moderation").status_code == 302  # visitors sign in first
    sign_in(client, author.email)
    assert client.get("/moderation").status_code == 403
    assert 'href="/moderation"' not in client.get("/").get_data(as_text=True)


def test_an_alert_for_an_item_decided_meanwhile_still_leads_somewhere(client, session):
    association, admin, moderator, author = _world(session)
    sign_in(client, author.email)
    client.post(f"/a/{association.slug}/proposals/new", data={"title": "Idee", "summary": "S", "body": "B"})
    proposal = session.scalar(select(Proposal).where(Proposal.title == "Idee"))
    alert = session.scalar(select(Notification).where(Notification.user_id == admin.id))
    client.post("/auth/logout")
    sign_in(client, moderator.email)
    client.post(f"/a/{association.slug}/moderation/proposal/{proposal.id}", data={"decision": "approve"})
    client.post("/auth/logout")
    sign_in(client, admin.email)
    response = client.get(alert.link)
    assert response.status_code == 200 and "Nothing is waiting." in response.get_data(as_text=True)
