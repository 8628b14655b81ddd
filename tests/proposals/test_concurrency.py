"""Twelve members clicking "support" at the same moment give exactly twelve supports.

The requests must really compete, each on its own connection, so this module replaces the
rolled-back test transaction with real commits and deletes what it created afterwards.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import delete, func, select

from tests.conftest import sign_in
from tests.factories import make_association, make_member, make_proposal, make_user
from twinning.associations.models import Association
from twinning.auth.models import User
from twinning.extensions import db, limiter
from twinning.notifications.models import Notification
from twinning.proposals.models import Lifecycle, Proposal, Support


@pytest.fixture
def session(app):
    """Overrides the shared fixture: committed data on the real engine, cleaned up afterwards."""
    db.session.remove()
    db.session.configure(bind=db.engine)
    limiter.reset()
    created: dict[str, list[int]] = {"users": [], "associations": []}
    yield db.session, created
    db.session.remove()
    with db.engine.begin() as connection:
        connection.execute(delete(Association).where(Association.id.in_(created["associations"])))
        connection.execute(delete(User).where(User.id.in_(created["users"])))


# Twelve as in the proposals issue's acceptance; fifty as in the scale issue's.
@pytest.mark.parametrize("clicks", [12, 50])
def test_concurrent_clicks_give_exactly_as_many_supports(app, session, clicks):
    session, created = session
    tag = uuid.uuid4().hex[:8]
    admin = make_user(session, email=f"admin-{tag}@example.org")
    association = make_association(session, admin=admin, slug=f"race-{tag}", support_threshold=clicks)
    members = [make_member(session, association, email=f"m{i}-{tag}@example.org") for i in range(clicks)]
    proposal = make_proposal(session, association, members[0])
    created["users"] += [admin.id, *(m.id for m in members)]
    created["associations"].append(association.id)
    url = f"/a/{association.slug}/proposals/{proposal.id}/support"
    proposal_id, admin_id = proposal.id, admin.id
    session.commit()

    clients = []
    for member in members:
        client = app.test_client()
        assert sign_in(client, member.email).status_code == 302
        clients.append(client)
    start = threading.Barrier(clicks)
    results: list[tuple[int, dict | None]] = []
    lock = threading.Lock()

    def click(client) -> None:
        start.wait()
        response = client.post(url, headers={"Accept": "application/json"})
        with lock:
            results.append((response.status_code, response.get_json(silent=True)))
        db.session.remove()

    threads = [threading.Thread(target=click, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [status for status, _ in results] == [200] * clicks, results
    assert sorted(body["count"] for _, body in results) == list(range(1, clicks + 1))
    db.session.remove()
    fresh = db.session.get(Proposal, proposal_id)
    assert fresh.support_count == clicks
    assert db.session.scalar(select(func.count(Support.id)).where(Support.proposal_id == proposal_id)) == clicks
    # The last click reached the threshold: under review, and the admin was told exactly once.
    assert fresh.lifecycle == Lifecycle.UNDER_REVIEW
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == admin_id, Notification.kind == "proposal.threshold_reached")) == 1
