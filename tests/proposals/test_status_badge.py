"""A proposal's badge tells its moderation state until it is published, then its lifecycle."""

from __future__ import annotations

import re

import pytest

from tests.conftest import sign_in
from tests.factories import make_association, make_member, make_proposal, make_user
from twinning.associations.models import Role
from twinning.core.content import ModerationState


def _badges(page: str) -> list[str]:
    return re.findall(r'<span class="status-badge status-[a-z_]+">([^<]+)</span>', page)


@pytest.mark.parametrize(
    ("state", "label"),
    [
        (ModerationState.PENDING, "Waiting for moderation"),
        (ModerationState.DECLINED, "Not published"),
    ],
)
def test_an_unpublished_proposal_is_not_labelled_open_for_support(client, session, state, label):
    association = make_association(session, slug="aachen-reims")
    author = make_member(session, association, email="author@example.org")
    make_member(session, association, role=Role.MODERATOR, email="mod@example.org")
    proposal = make_proposal(session, association, author, moderation_state=state, title="Neue Idee")
    for email in ("author@example.org", "mod@example.org"):
        sign_in(client, email)
        detail = client.get(f"/a/aachen-reims/proposals/{proposal.id}?lang=en").get_data(as_text=True)
        assert _badges(detail)[0] == label, email
        assert "Open for support" not in detail
        client.post("/auth/logout")
    sign_in(client, "mod@example.org")
    listing = client.get("/a/aachen-reims/proposals?lang=en").get_data(as_text=True)
    if "Neue Idee" in listing:  # moderators' lists may include what waits for them
        assert "Open for support" not in listing


def test_a_published_proposal_shows_its_lifecycle(client, session):
    association = make_association(session, slug="aachen-reims")
    proposal = make_proposal(session, association, make_member(session, association))
    page = client.get(f"/a/aachen-reims/proposals/{proposal.id}?lang=en").get_data(as_text=True)
    assert _badges(page)[0] == "Open for support"
    assert "Open for support" in client.get("/a/aachen-reims/proposals?lang=en").get_data(as_text=True)


def test_the_author_sees_the_badge_in_english_and_german(client, session):
    association = make_association(session, slug="aachen-reims")
    make_user(session)
    author = make_member(session, association, email="author@example.org")
    proposal = make_proposal(session, association, author, moderation_state=ModerationState.PENDING)
    sign_in(client, "author@example.org")
    page = client.get(f"/a/aachen-reims/proposals/{proposal.id}?lang=de").get_data(as_text=True)
    assert _badges(page)[0] == "Wartet auf Moderation"
