"""The issue's acceptance journey through HTTP: found, approve, join under each policy, promote, link."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_association, make_user
from twinning.associations.models import (
    Association,
    AssociationStatus,
    JoinPolicy,
    LinkState,
    Membership,
    MembershipState,
    Partnership,
    Role,
)


def _association(session, slug: str) -> Association:
    session.expire_all()
    return session.scalar(select(Association).where(Association.slug == slug))


def _membership(session, user_id: int, association_id: int) -> Membership | None:
    session.expire_all()
    return session.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.association_id == association_id)
    )


def test_found_approve_join_promote_link(client, session, outbox):
    founder = make_user(session, email="founder@example.org")
    admin = make_user(session, email="platform@example.org", platform_admin=True)
    joiner = make_user(session, email="joiner@example.org")
    founder_id, joiner_id = founder.id, joiner.id

    sign_in(client, "founder@example.org")
    response = client.post(
        "/associations/new",
        data={
            "name": "Städtepartnerschaft Aachen–Reims",
            "city": "Aachen",
            "country": "DE",
            "description": "Seit **1967**.",
            "join_policy": "open",
            "themes": ["jugend"],
            "sdgs": ["4", "17"],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"].endswith("/a/staedtepartnerschaft-aachen-reims")
    page = client.get("/a/staedtepartnerschaft-aachen-reims").get_data(as_text=True)
    assert "Freigabe" in page  # waits for approval
    association = _association(session, "staedtepartnerschaft-aachen-reims")
    assert association.status == AssociationStatus.PENDING
    association_id = association.id
    assert _membership(session, founder_id, association_id).role == Role.ADMIN
    client.post("/auth/logout")

    # Invisible to others while pending.
    assert client.get("/a/staedtepartnerschaft-aachen-reims").status_code == 404
    assert "Aachen–Reims" not in client.get("/associations").get_data(as_text=True)

    sign_in(client, "platform@example.org")
    assert "Aachen–Reims" in client.get("/admin/associations").get_data(as_text=True)
    response = client.post(
        "/admin/associations/staedtepartnerschaft-aachen-reims/decision",
        data={"decision": "approve", "reason": ""},
    )
    assert response.status_code == 302
    assert _association(session, "staedtepartnerschaft-aachen-reims").status == AssociationStatus.ACTIVE
    decision_mails = [
        m
        for m in outbox.messages()
        if m["To"] == "founder@example.org"
        and "confirm" not in m["Subject"].lower()
        and "bestätigen" not in m["Subject"]
    ]
    assert len(decision_mails) == 1  # the decision mail, not a second notification mail
    client.post("/auth/logout")

    # open: join at once.
    sign_in(client, "joiner@example.org")
    assert client.post("/a/staedtepartnerschaft-aachen-reims/join").status_code == 302
    assert _membership(session, joiner_id, association_id).state == MembershipState.ACTIVE
    assert client.post("/a/staedtepartnerschaft-aachen-reims/leave").status_code == 302
    assert _membership(session, joiner_id, association_id) is None
    client.post("/auth/logout")

    # approval: a request the admin accepts.
    sign_in(client, "founder@example.org")
    settings = client.get("/a/staedtepartnerschaft-aachen-reims/settings")
    assert settings.status_code == 200
    client.post(
        "/a/staedtepartnerschaft-aachen-reims/settings",
        data={
            "name": "Städtepartnerschaft Aachen–Reims",
            "city": "Aachen",
            "country": "DE",
            "description": "x",
            "join_policy": "approval",
            "moderation_policy": "all",
        },
    )
    assert _association(session, "staedtepartnerschaft-aachen-reims").join_policy == JoinPolicy.APPROVAL
    client.post("/auth/logout")
    sign_in(client, "joiner@example.org")
    client.post("/a/staedtepartnerschaft-aachen-reims/join")
    assert _membership(session, joiner_id, association_id).state == MembershipState.PENDING
    client.post("/auth/logout")
    sign_in(client, "founder@example.org")
    assert "Beitrittsanfragen" in client.get("/a/staedtepartnerschaft-aachen-reims/members").get_data(
        as_text=True
    )
    assert client.post(f"/a/staedtepartnerschaft-aachen-reims/members/{joiner_id}/accept").status_code == 302
    assert _membership(session, joiner_id, association_id).state == MembershipState.ACTIVE

    # promote to moderator.
    response = client.post(
        f"/a/staedtepartnerschaft-aachen-reims/members/{joiner_id}/role", data={"role": "moderator"}
    )
    assert response.status_code == 302
    assert _membership(session, joiner_id, association_id).role == Role.MODERATOR
    client.post("/auth/logout")

    # invite: only with a link.
    reims_admin = make_user(session, email="reims@example.org")
    reims = make_association(
        session,
        name="Jumelage Reims–Aix",
        slug="jumelage-reims-aix",
        city="Reims",
        country="FR",
        join_policy=JoinPolicy.INVITE,
        admin=reims_admin,
    )
    reims_id = reims.id
    sign_in(client, "joiner@example.org")
    assert client.post("/a/jumelage-reims-aix/join").status_code == 403
    client.post("/auth/logout")
    sign_in(client, "reims@example.org")
    page = client.post("/a/jumelage-reims-aix/invitations", data={"email": ""}).get_data(as_text=True)
    link = page.split('class="invitation-link">')[1].split("<")[0]
    client.post("/auth/logout")
    sign_in(client, "joiner@example.org")
    path = link.replace("http://localhost", "")
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    assert _membership(session, joiner_id, reims_id).state == MembershipState.ACTIVE
    assert client.post(path).status_code == 400  # single use
    client.post("/auth/logout")

    # link the two partner associations: one asks, the other confirms.
    sign_in(client, "founder@example.org")
    response = client.post(
        "/a/staedtepartnerschaft-aachen-reims/partnerships/new",
        data={
            "city": "Reims",
            "country": "FR",
            "since_year": "1967",
            "kind": "twinning",
            "partner": "jumelage-reims-aix",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    client.post("/auth/logout")
    sign_in(client, "reims@example.org")
    session.expire_all()
    request = session.scalar(select(Partnership).where(Partnership.partner_association_id == reims_id))
    assert request.link_state == LinkState.REQUESTED
    assert client.post(f"/a/jumelage-reims-aix/partnerships/{request.id}/confirm").status_code == 302
    assert "Städtepartnerschaft Aachen–Reims" in client.get("/a/jumelage-reims-aix").get_data(as_text=True)
    assert "Jumelage Reims–Aix" in client.get("/a/staedtepartnerschaft-aachen-reims").get_data(as_text=True)

    # An admin of another association gets 403 on every admin page and action of this one.
    for method, path, data in [
        ("get", "/a/staedtepartnerschaft-aachen-reims/members", None),
        ("get", "/a/staedtepartnerschaft-aachen-reims/settings", None),
        ("get", "/a/staedtepartnerschaft-aachen-reims/partnerships", None),
        ("post", f"/a/staedtepartnerschaft-aachen-reims/members/{joiner_id}/role", {"role": "admin"}),
        ("post", f"/a/staedtepartnerschaft-aachen-reims/members/{joiner_id}/block", {}),
        ("post", "/a/staedtepartnerschaft-aachen-reims/invitations", {}),
        ("post", "/admin/associations/staedtepartnerschaft-aachen-reims/decision", {"decision": "approve"}),
    ]:
        assert getattr(client, method)(path, data=data).status_code == 403, path
    assert _membership(session, joiner_id, association_id).role == Role.MODERATOR
    del admin
