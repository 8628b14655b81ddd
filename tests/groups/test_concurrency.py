"""Fifty people joining one group at the same moment give exactly fifty members."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import make_association, make_group, make_user
from tests.racing import live_session, race  # noqa: F401 (live_session replaces the rolled-back session)
from twinning.core.extensions import db
from twinning.groups.models import Group, GroupMembership, OpenTo

PEOPLE = 50


def test_fifty_simultaneous_joins_count_exactly_fifty(session):
    live = session
    association = make_association(live.session, name="Concurrency e.V.", slug=live.slug("concurrency"))
    group = make_group(live.session, association, name="Rush", open_to=OpenTo.EVERYONE)
    people = [make_user(live.session, email=live.email(f"rush{n}")) for n in range(PEOPLE)]
    live.session.commit()
    group_id = group.id
    clients = [live.client(person) for person in people]

    statuses = [
        response.status_code
        for response in race(
            *(lambda client=client: client.post(f"/groups/{group_id}/join") for client in clients)
        )
    ]
    # And a second click from one of them changes nothing.
    statuses.append(clients[0].post(f"/groups/{group_id}/join").status_code)

    db.session.remove()
    rows = db.session.scalar(
        select(func.count()).select_from(GroupMembership).where(GroupMembership.group_id == group_id)
    )
    assert statuses == [302] * (PEOPLE + 1)
    assert rows == PEOPLE
    assert db.session.get(Group, group_id).member_count == PEOPLE
