"""The get-involved page: interests lead to topic groups, open proposals and open associations."""

from __future__ import annotations

from tests.conftest import sign_in
from tests.factories import make_association, make_group, make_member, make_proposal, make_user, theme
from twinning.associations.models import AssociationStatus, JoinPolicy
from twinning.core.content import ModerationState
from twinning.groups.models import OpenTo, group_sdgs
from twinning.proposals.models import Lifecycle


def _world(session):
    climate = theme(session, "klimaschutz")
    culture = theme(session, "kultur-begegnung")
    host = make_association(session, name="Aachen Klima")
    host.themes = [climate]
    closed = make_association(session, name="Nur mit Einladung", join_policy=JoinPolicy.INVITE)
    closed.themes = [climate]
    topic = make_group(session, host, name="Klima-Jugend", open_to=OpenTo.EVERYONE)
    topic.themes = [climate]
    choir = make_group(session, host, name="Chor", open_to=OpenTo.EVERYONE)
    choir.themes = [culture]
    water = make_group(session, host, name="Wasser-Gruppe", open_to=OpenTo.EVERYONE)
    session.execute(group_sdgs.insert().values(group_id=water.id, sdg=6))
    make_group(session, host, name="Vorstands-AG", open_to=OpenTo.MEMBERS).themes = [climate]
    author = make_member(session, host)
    make_proposal(session, host, author, title="Solardach", themes=[climate])
    make_proposal(
        session, host, author, title="Wartet noch", themes=[climate], moderation_state=ModerationState.PENDING
    )
    make_proposal(
        session, host, author, title="Schon erledigt", themes=[climate], lifecycle=Lifecycle.IMPLEMENTED
    )
    pending = make_association(session, name="Noch nicht frei", status=AssociationStatus.PENDING)
    make_group(session, pending, name="Unsichtbar", open_to=OpenTo.EVERYONE).themes = [climate]
    return topic


def test_interests_choose_what_is_shown(client, session):
    _world(session)
    page = client.get("/get-involved?themes=klimaschutz").get_data(as_text=True)
    assert "Klima-Jugend" in page and "Solardach" in page and "Aachen Klima" in page
    for absent in (
        "Chor",
        "Vorstands-AG",
        "Wartet noch",
        "Schon erledigt",
        "Nur mit Einladung",
        "Unsichtbar",
    ):
        assert absent not in page, absent
    page = client.get("/get-involved?sdgs=6").get_data(as_text=True)
    assert "Wasser-Gruppe" in page and "Klima-Jugend" not in page
    everything = client.get("/get-involved").get_data(as_text=True)
    assert "Chor" in everything and "Klima-Jugend" in everything
    assert "checked" in client.get("/get-involved?themes=klimaschutz").get_data(as_text=True)


def test_bad_interests_never_break_the_page(client, session):
    _world(session)
    for query in (
        "themes=%00",
        "sdgs=0",
        "sdgs=99",
        "sdgs=abc",
        "sdgs=%C2%B2",
        "themes=" + "x" * 10_000,
        "sdgs=" + "9" * 5000,
        "themes=klimaschutz&themes=klimaschutz",
        "themes=%F0%9F%8C%B1",
    ):
        assert client.get("/get-involved?" + query).status_code == 200, query


def test_signed_in_person_gets_a_join_button(client, session):
    topic = _world(session)
    user = make_user(session, email="newbie@example.org")
    sign_in(client, user.email)
    page = client.get("/get-involved?themes=klimaschutz").get_data(as_text=True)
    assert f'action="/groups/{topic.id}/join"' in page
    client.post(f"/groups/{topic.id}/join")
    page = client.get("/get-involved?themes=klimaschutz").get_data(as_text=True)
    assert f'action="/groups/{topic.id}/join"' not in page
