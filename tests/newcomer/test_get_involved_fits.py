"""/get-involved suggests only what the signed-in person can still do (issue 14.6)."""

from __future__ import annotations

import pytest

from tests.conftest import sign_in
from tests.factories import make_association, make_group, make_membership, make_proposal, make_user
from twinning.associations.models import JoinPolicy, MembershipState
from twinning.groups.models import GroupMembership, OpenTo
from twinning.proposals.models import Support


@pytest.fixture
def client(app):
    browser = app.test_client()
    browser.get("/auth/login")
    with browser.session_transaction() as state:
        state["lang"] = "en"
    return browser


def test_get_involved_leaves_out_what_the_person_did_already(client, session):
    admin = make_user(session)
    mine = make_association(
        session, admin=admin, name="Mein Verein", slug="mein", join_policy=JoinPolicy.OPEN
    )
    other = make_association(
        session, admin=admin, name="Anderer Verein", slug="anderer", join_policy=JoinPolicy.OPEN
    )
    blocking = make_association(
        session, admin=admin, name="Sperrverein", slug="sperr", join_policy=JoinPolicy.OPEN
    )
    joined = make_group(session, other, name="Schon-Dabei-Gruppe", open_to=OpenTo.EVERYONE)
    make_group(session, other, name="Offene-Gruppe", open_to=OpenTo.EVERYONE)
    make_group(session, blocking, name="Gesperrte-Gruppe", open_to=OpenTo.EVERYONE)
    supported = make_proposal(session, mine, admin, title="Schon-Unterstuetzt")
    make_proposal(session, mine, admin, title="Eigener-Vorschlag")
    make_proposal(session, other, admin, title="Fremder-Vorschlag")
    lea = make_user(session, email="lea@example.org")
    make_membership(session, lea, mine)
    make_membership(session, lea, blocking, state=MembershipState.BLOCKED)
    session.add(GroupMembership(group_id=joined.id, user_id=lea.id))
    session.add(Support(proposal_id=supported.id, user_id=lea.id))
    session.flush()

    visitor_page = client.get("/get-involved").get_data(as_text=True)
    for name in (
        "Schon-Dabei-Gruppe",
        "Schon-Unterstuetzt",
        "Mein Verein",
        "Gesperrte-Gruppe",
        "Sperrverein",
    ):
        assert name in visitor_page  # visitors see everything on offer

    sign_in(client, "lea@example.org")
    page = client.get("/get-involved").get_data(as_text=True)
    assert "Offene-Gruppe" in page and "Eigener-Vorschlag" in page and "Anderer Verein" in page
    for name in ("Schon-Dabei-Gruppe", "Gesperrte-Gruppe", "Schon-Unterstuetzt", "Sperrverein"):
        assert name not in page, name
    assert ">Mein Verein<" not in page  # a member already: not offered to join
    # A proposal of an association they are not in: offered through joining it first.
    assert 'href="/a/anderer">join Anderer Verein</a>' in page
    assert "join Mein Verein" not in page
