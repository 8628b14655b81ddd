"""An action started while signed out is remembered through sign-in, sign-up and confirmation (issue 14.6)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import make_association, make_group, make_member, make_proposal, make_user
from twinning.associations.models import JoinPolicy, Membership
from twinning.groups.models import GroupMembership, OpenTo


@pytest.fixture
def client(app):
    """A browser that reads the site in English (the messages below are the English source texts)."""
    browser = app.test_client()
    browser.get("/auth/login")
    with browser.session_transaction() as state:
        state["lang"] = "en"
    return browser


SIGN_UP = {"display_name": "Jonas", "password": "climate-2030!"}


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _group(session):
    admin = make_user(session, email="admin@example.org")
    host = make_association(session, admin=admin, name="Aachen Klima", slug="aachen-klima")
    return host, make_group(
        session, host, name="Klima-Jugend Aachen", open_to=OpenTo.EVERYONE, coordinator=admin
    )


def _is_group_member(session, group_id, email):
    return bool(
        session.scalar(
            select(func.count())
            .select_from(GroupMembership)
            .join(GroupMembership.user)
            .where(
                GroupMembership.group_id == group_id,
                GroupMembership.user.property.mapper.class_.email == email,
            )
        )
    )


def _start_join(client, group_id):
    response = client.post(f"/groups/{group_id}/join")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_join_group_through_sign_in(client, session):
    _host, group = _group(session)
    make_user(session, email="lea@example.org")
    _start_join(client, group.id)
    response = sign_in(client, "lea@example.org")
    assert response.status_code == 302
    assert _path(response.headers["Location"]) == f"/groups/{group.id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You are now a member of Klima-Jugend Aachen." in page
    assert _is_group_member(session, group.id, "lea@example.org")
    with client.session_transaction() as state:
        assert "intent" not in state  # done once, not again at the next sign-in


def test_join_group_through_sign_up_and_confirmation(client, session, outbox):
    _host, group = _group(session)
    _start_join(client, group.id)
    response = client.post("/auth/register", data={"email": "jonas@example.org", **SIGN_UP})
    assert _path(response.headers["Location"]) == f"/groups/{group.id}"
    assert _is_group_member(session, group.id, "jonas@example.org")
    link = outbox.link(outbox.last_to("jonas@example.org"))
    response = client.get(_path(link))
    assert response.status_code == 302
    response = client.get(response.headers["Location"], follow_redirects=True)
    assert response.request.path == f"/groups/{group.id}"  # lands in the group, as a member


def test_confirmation_in_another_browser_offers_the_action_after_sign_in(app, client, session, outbox):
    _host, group = _group(session)
    _start_join(client, group.id)
    # Signs up, then the session is lost before anything was joined (e.g. another device).
    client.post("/auth/register", data={"email": "mia@example.org", **SIGN_UP})
    session.execute(
        GroupMembership.__table__.delete().where(
            GroupMembership.group_id == group.id, GroupMembership.role == "member"
        )
    )
    link = outbox.link(outbox.last_to("mia@example.org"))
    other = app.test_client()
    response = other.get(_path(link))
    assert response.status_code == 302
    assert _path(response.headers["Location"]) == f"/groups/{group.id}/join"
    response = other.get(response.headers["Location"])
    assert "/auth/login" in response.headers["Location"]  # signed out here: sign in first
    response = other.post("/auth/login", data={"email": "mia@example.org", "password": SIGN_UP["password"]})
    assert _path(response.headers["Location"]) == f"/groups/{group.id}"
    assert _is_group_member(session, group.id, "mia@example.org")


def test_join_association_through_sign_in(client, session):
    association = make_association(
        session, name="Klima-Jugend Reims", slug="kj-reims", join_policy=JoinPolicy.OPEN
    )
    user = make_user(session, email="lea@example.org")
    response = client.post("/a/kj-reims/join")
    assert "/auth/login" in response.headers["Location"]
    response = sign_in(client, "lea@example.org")
    assert _path(response.headers["Location"]) == "/a/kj-reims"
    assert "You are now a member of Klima-Jugend Reims." in client.get("/a/kj-reims").get_data(as_text=True)
    assert session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.association_id == association.id)
    ).is_active


def test_support_is_offered_to_members_after_sign_in(client, session):
    admin = make_user(session)
    association = make_association(session, admin=admin, slug="aachen")
    proposal = make_proposal(session, association, admin)
    make_member(session, association, email="member@example.org")
    response = client.post(f"/a/aachen/proposals/{proposal.id}/support")
    assert "/auth/login" in response.headers["Location"]
    response = sign_in(client, "member@example.org")
    assert _path(response.headers["Location"]) == f"/a/aachen/proposals/{proposal.id}"
    assert "You can support this proposal now." in client.get(f"/a/aachen/proposals/{proposal.id}").get_data(
        as_text=True
    )


def test_support_by_a_non_member_offers_joining_the_association(client, session):
    admin = make_user(session)
    association = make_association(session, admin=admin, slug="aachen", name="Aachen Klima")
    proposal = make_proposal(session, association, admin)
    make_user(session, email="lea@example.org")
    client.post(f"/a/aachen/proposals/{proposal.id}/support")
    response = sign_in(client, "lea@example.org")
    assert _path(response.headers["Location"]) == "/a/aachen"
    assert "join Aachen Klima to support it" in client.get("/a/aachen").get_data(as_text=True)


def test_register_an_association_leads_back_to_the_form_after_confirmation(client, session, outbox):
    response = client.get("/associations/new")
    assert "/auth/login" in response.headers["Location"]
    response = client.post("/auth/register", data={"email": "founder@example.org", **SIGN_UP})
    assert _path(response.headers["Location"]) == "/"  # founding waits for the confirmed address
    link = outbox.link(outbox.last_to("founder@example.org"))
    response = client.get(_path(link))
    assert _path(response.headers["Location"]) == "/associations/new"
    assert client.get("/associations/new").status_code == 200


def test_tampered_session_values_are_ignored(client, session):
    _host, group = _group(session)
    make_user(session, email="lea@example.org")
    for value in (
        {"kind": "admin.delete", "id": group.id},
        {"kind": "group.join", "id": "1; drop"},
        {"kind": "group.join", "id": True},
        {"kind": "group.join", "url": "https://evil.example"},
        "group.join",
        {"kind": "group.join", "id": 987654},  # no such group
    ):
        client.get("/auth/login")  # a first request, so the test client has a session to change
        with client.session_transaction() as state:
            state["intent"] = value
        response = sign_in(client, "lea@example.org")
        assert response.status_code == 302, (value, response.get_data(as_text=True))
        assert _path(response.headers["Location"]) == "/"
        assert not _is_group_member(session, group.id, "lea@example.org")
        client.post("/auth/logout")


def test_the_next_parameter_cannot_send_elsewhere_with_an_intent(client, session):
    _host, group = _group(session)
    make_user(session, email="lea@example.org")
    _start_join(client, group.id)
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={"email": "lea@example.org", "password": "correct horse battery"},
    )
    assert _path(response.headers["Location"]) == f"/groups/{group.id}"


def test_visitors_see_how_to_register_an_association(client, session):
    make_association(session, name="Aachen Klima", slug="aachen-klima")
    for path in ("/", "/associations"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/associations/new"' in page, path
        assert "afterwards we bring you back to the form" in page, path
    response = client.get("/associations/new")
    assert "/auth/login" in response.headers["Location"]
    make_user(session, email="lea@example.org")
    response = sign_in(client, "lea@example.org")
    assert _path(response.headers["Location"]) == "/associations/new"  # back to the form
    assert client.get("/associations/new").status_code == 200


def test_visitor_taps_sign_up_and_join_signs_up_confirms_and_lands_in_the_group(client, session, outbox):
    _host, group = _group(session)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert f'href="/groups/{group.id}/join?account=new"' in page
    response = client.get(f"/groups/{group.id}/join?account=new")
    assert _path(response.headers["Location"]) == f"/auth/register?next=/groups/{group.id}/join"
    response = client.post(response.headers["Location"], data={"email": "jonas@example.org", **SIGN_UP})
    assert _path(response.headers["Location"]) == f"/groups/{group.id}"
    assert "You are now a member of Klima-Jugend Aachen." in client.get(f"/groups/{group.id}").get_data(
        as_text=True
    )
    response = client.get(_path(outbox.link(outbox.last_to("jonas@example.org"))), follow_redirects=True)
    assert response.request.path == f"/groups/{group.id}"
    assert "You are a member." in response.get_data(as_text=True)
