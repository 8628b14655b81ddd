"""Parallel follow toggles: the unique constraint decides, nobody gets a 500 (tests/racing.py)."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import make_association, make_proposal, make_user
from tests.racing import live_session, race  # noqa: F401 (live_session replaces the rolled-back session)
from twinning.core.extensions import db
from twinning.notifications.models import Follow


def test_parallel_follow_toggles_leave_one_row_and_no_error(session):
    live = session
    admin = make_user(live.session, email=live.email("admin"))
    association = make_association(live.session, admin=admin, slug=live.slug("follow"))
    proposal = make_proposal(live.session, association, admin)
    reader = make_user(live.session, email=live.email("reader"))
    proposal_id, reader_id = proposal.id, reader.id
    live.session.commit()
    clients = [live.client(reader) for _ in range(8)]

    responses = race(
        *(lambda client=client: client.post(f"/follow/proposal/{proposal_id}") for client in clients)
    )

    assert [response.status_code for response in responses] == [302] * 8
    db.session.remove()
    rows = db.session.scalar(
        select(func.count(Follow.id)).where(Follow.user_id == reader_id, Follow.target_id == proposal_id)
    )
    assert rows == 1
