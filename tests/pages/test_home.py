"""The home page: what the network does, and for signed-in people their own places first."""

from __future__ import annotations

from tests.conftest import sign_in
from tests.factories import make_association, make_group, make_member, make_proposal, make_user
from twinning.associations.models import AssociationStatus, Partnership
from twinning.core.content import ModerationState
from twinning.groups.models import GroupMembership


def test_home_explains_and_shows_the_network(client, session):
    reims = make_association(session, name="Aachen–Reims", slug="aachen-reims")
    session.add(Partnership(association_id=reims.id, city="Reims", country="FR"))
    author = make_member(session, reims)
    make_proposal(session, reims, author, title="Bike tour to Reims", sdgs=[11])
    make_proposal(
        session, reims, author, title="Waiting for a moderator", moderation_state=ModerationState.PENDING
    )
    make_group(session, reims, name="Klima-Jugend")
    hidden = make_association(
        session, name="Pending club", slug="pending-club", status=AssociationStatus.PENDING
    )
    make_proposal(session, hidden, make_member(session, hidden), title="Not public yet")

    page = client.get("/?lang=en").get_data(as_text=True)
    assert "Town twinning, together" in page
    assert 'rel="alternate" type="application/atom+xml" href="/feed.atom"' in page
    assert "Aachen–Reims" in page and "Reims" in page
    assert "Bike tour to Reims" in page and "Klima-Jugend" in page
    assert "New proposal: Bike tour to Reims" in page  # the activity list
    assert page.count('class="sdg-badge sdg-') >= 17  # the goal strip
    for secret in ("Waiting for a moderator", "Pending club", "Not public yet"):
        assert secret not in page
    assert "Your associations and groups" not in page


def test_signed_in_user_sees_own_associations_and_groups_first(client, session):
    association = make_association(session, name="Kapstadt-Verein", slug="kapstadt")
    user = make_member(session, association, email="thandi@example.org")
    group = make_group(session, association, name="Water project")
    session.add(GroupMembership(group_id=group.id, user_id=user.id))
    sign_in(client, "thandi@example.org")
    page = client.get("/?lang=en").get_data(as_text=True)
    mine = page.index("Your associations and groups")
    section = page[mine : page.index("Proposals you support")]
    assert "Kapstadt-Verein" in section and "Water project" in section


def test_newcomer_without_places_is_pointed_to_topic_groups(client, session):
    make_user(session, email="jonas@example.org")
    sign_in(client, "jonas@example.org")
    page = client.get("/?lang=en").get_data(as_text=True)
    assert "You have not joined an association or a group yet." in page


def test_empty_platform_home_is_friendly(client):
    response = client.get("/?lang=en")
    assert response.status_code == 200
    assert "No published proposal yet." in response.get_data(as_text=True)
