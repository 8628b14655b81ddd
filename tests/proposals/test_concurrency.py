"""Twelve members clicking "support" at the same moment give exactly twelve supports.

The requests must really compete, each on its own connection (tests/racing.py).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories import make_association, make_member, make_proposal, make_user
from tests.racing import live_session, race  # noqa: F401 (live_session replaces the rolled-back session)
from twinning.core.extensions import db
from twinning.notifications.models import Notification
from twinning.proposals.models import Lifecycle, Proposal, Support


# Twelve as in the proposals issue's acceptance; fifty as in the scale issue's.
@pytest.mark.parametrize("clicks", [12, 50])
def test_concurrent_clicks_give_exactly_as_many_supports(session, clicks):
    live = session
    admin = make_user(live.session, email=live.email("admin"))
    association = make_association(
        live.session, admin=admin, slug=live.slug("race"), support_threshold=clicks
    )
    members = [make_member(live.session, association, email=live.email(f"m{i}")) for i in range(clicks)]
    proposal = make_proposal(live.session, association, members[0])
    url = f"/a/{association.slug}/proposals/{proposal.id}/support"
    proposal_id, admin_id = proposal.id, admin.id
    live.session.commit()
    clients = [live.client(member) for member in members]

    responses = race(
        *(
            lambda client=client: client.post(url, headers={"Accept": "application/json"})
            for client in clients
        )
    )
    results = [(response.status_code, response.get_json(silent=True)) for response in responses]

    assert [status for status, _ in results] == [200] * clicks, results
    assert sorted(body["count"] for _, body in results) == list(range(1, clicks + 1))
    db.session.remove()
    fresh = db.session.get(Proposal, proposal_id)
    assert fresh.support_count == clicks
    assert (
        db.session.scalar(select(func.count(Support.id)).where(Support.proposal_id == proposal_id)) == clicks
    )
    # The last click reached the threshold: under review, and the admin was told exactly once.
    assert fresh.lifecycle == Lifecycle.UNDER_REVIEW
    assert (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == admin_id, Notification.kind == "proposal.threshold_reached"
            )
        )
        == 1
    )
