"""Decision forms offer only what is possible for the item now, and choose nothing in advance."""

from __future__ import annotations

import re

import pytest

from tests.conftest import sign_in
from tests.factories import make_association, make_proposal, make_user
from tests.moderation.helpers import make_world, pending_proposal
from twinning.associations.models import AssociationStatus
from twinning.core.content import ModerationState
from twinning.moderation.models import Report


def _offered(page: str) -> list[str]:
    return re.findall(r'<input[^>]*name="decision"[^>]*value="([a-z]+)"', page)


def _checked(page: str) -> list[str]:
    return [tag for tag in re.findall(r'<input[^>]*name="decision"[^>]*>', page) if "checked" in tag]


@pytest.mark.parametrize(
    ("state", "offered"),
    [
        (ModerationState.PENDING, ["approve", "decline", "forward"]),
        (ModerationState.APPROVED, ["hide", "forward"]),
        (ModerationState.HIDDEN, ["approve", "restore", "forward"]),
        (ModerationState.DECLINED, ["approve", "forward"]),
    ],
)
def test_the_form_lists_only_the_decisions_possible_in_the_items_state(client, session, state, offered):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author, moderation_state=state)
    sign_in(client, world.moderator.email)
    page = client.get(f"/a/{world.association.slug}/moderation/proposal/{proposal.id}").get_data(as_text=True)
    assert _offered(page) == offered
    assert _checked(page) == []


def test_a_reported_published_item_can_be_kept_and_the_reports_dismissed(client, session):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    session.add(
        Report(
            kind="proposal",
            item_id=proposal.id,
            association_id=world.association.id,
            reporter_id=make_user(session).id,
            reason="spam",
        )
    )
    sign_in(client, world.moderator.email)
    page = client.get(f"/a/{world.association.slug}/moderation/proposal/{proposal.id}?lang=en").get_data(
        as_text=True
    )
    assert _offered(page) == ["approve", "hide", "forward"]
    assert "Keep it published and dismiss the reports" in page


def test_forwarding_twice_is_not_offered(client, session):
    world = make_world(session)
    proposal = pending_proposal(session, world)
    sign_in(client, world.moderator.email)
    url = f"/a/{world.association.slug}/moderation/proposal/{proposal.id}"
    assert client.post(url, data={"decision": "forward", "reason": "Unsicher"}).status_code == 302
    assert _offered(client.get(url).get_data(as_text=True)) == ["approve", "decline"]


def test_an_impossible_decision_is_refused_on_the_form_with_the_possible_ones(client, session):
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author)
    sign_in(client, world.moderator.email)
    response = client.post(
        f"/a/{world.association.slug}/moderation/proposal/{proposal.id}?lang=en",
        data={"decision": "restore", "reason": "x"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code in (400, 409)
    assert _offered(page) == ["hide", "forward"]


def test_the_platform_admins_association_decision_has_no_preselected_answer(client, session):
    make_user(session, email="root@example.org", platform_admin=True)
    make_association(session, slug="neu", status=AssociationStatus.PENDING)
    sign_in(client, "root@example.org")
    page = client.get("/admin/associations").get_data(as_text=True)
    radios = re.findall(r'<input type="radio" name="decision"[^>]*>', page)
    assert len(radios) == 2 and not [tag for tag in radios if "checked" in tag]
    # Sending without a choice asks for one instead of approving.
    response = client.post("/admin/associations/neu/decision", data={"reason": ""})
    assert response.status_code == 400
