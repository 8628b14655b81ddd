"""Feeds, CSV tables, the home page and the space: unpublished proposals never leave.

Guards for the paths that read across the network: a pending, declined or hidden proposal
(with its answer) shows on none of them, a published one shows.
"""

from __future__ import annotations

import pytest

from tests.conftest import sign_in
from tests.factories import make_association, make_member, make_proposal, make_user
from twinning.core.content import ModerationState
from twinning.core.db import utcnow

PATHS = [
    "/",
    "/feed.atom",
    "/a/aachen-reims/feed.atom",
    "/a/aachen-reims",
    "/a/aachen-reims/proposals",
    "/network",
    "/network/coverage.csv",
    "/network/goals.csv",
    "/network/activity.csv",
    "/network/groups.csv",
    "/sdgs/13",
]


@pytest.mark.parametrize("state", [ModerationState.PENDING, ModerationState.DECLINED, ModerationState.HIDDEN])
def test_unpublished_proposal_and_its_answer_show_nowhere(client, session, state):
    association = make_association(
        session, slug="aachen-reims", admin=make_user(session, email="admin@example.org")
    )
    author = make_member(session, association, email="author@example.org")
    for title, moderation in (
        ("Veröffentlichter Vorschlag", ModerationState.APPROVED),
        ("Geheimer Vorschlag", state),
    ):
        proposal = make_proposal(
            session, association, author, title=title, moderation_state=moderation, sdgs=[13]
        )
        proposal.answer, proposal.answered_at = f"Antwort auf {title}", utcnow()
    session.flush()
    for viewer in (None, "author@example.org"):
        client.post("/auth/logout")
        if viewer:
            sign_in(client, viewer)
        seen = ""
        for path in PATHS:
            response = client.get(path)
            assert response.status_code in (200, 404), path
            page = response.get_data(as_text=True)
            assert "Geheimer Vorschlag" not in page, path
            seen += page
        assert "Veröffentlichter Vorschlag" in seen and "Antwort auf Veröffentlichter Vorschlag" in seen
