"""An association's address changes only when its admins rename it and ask for it; old ones keep working."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_association, make_user
from twinning.associations.models import Association

BASE = {"city": "Aachen", "country": "DE", "join_policy": "open", "moderation_policy": "all"}


def _slug(session, association_id: int) -> str:
    return session.scalar(select(Association.slug).where(Association.id == association_id))


def _space(session):
    admin = make_user(session, email="admin@example.org")
    # The demo's kind of data: a short address that is not the slug of the long name.
    return make_association(
        session, name="Städtepartnerschaft Aachen–Reims", slug="aachen-reims", admin=admin
    )


def test_saving_unchanged_settings_keeps_the_address(client, session):
    association = _space(session)
    sign_in(client, "admin@example.org")
    response = client.post("/a/aachen-reims/settings", data=BASE | {"name": association.name})
    assert response.status_code == 302 and response.headers["Location"].endswith("/a/aachen-reims/settings")
    assert _slug(session, association.id) == "aachen-reims"
    # Ticking the box without a new name changes nothing either.
    client.post("/a/aachen-reims/settings", data=BASE | {"name": association.name, "change_address": "y"})
    assert _slug(session, association.id) == "aachen-reims"


def test_a_rename_keeps_the_address_unless_the_admin_asks(client, session):
    association = _space(session)
    sign_in(client, "admin@example.org")
    client.post("/a/aachen-reims/settings", data=BASE | {"name": "Freundeskreis Aachen–Reims"})
    assert _slug(session, association.id) == "aachen-reims"
    assert (
        session.scalar(select(Association.name).where(Association.id == association.id))
        == "Freundeskreis Aachen–Reims"
    )
    client.post(
        "/a/aachen-reims/settings", data=BASE | {"name": "Partnerschaft Reims", "change_address": "y"}
    )
    assert _slug(session, association.id) == "partnerschaft-reims"
    assert client.get("/a/aachen-reims").headers["Location"].endswith("/a/partnerschaft-reims")


def test_a_form_loaded_before_the_rename_still_posts(client, session):
    association = _space(session)
    sign_in(client, "admin@example.org")
    client.post(
        "/a/aachen-reims/settings", data=BASE | {"name": "Partnerschaft Reims", "change_address": "y"}
    )
    # The second tab still shows the old address in its form's action.
    response = client.post(
        "/a/aachen-reims/settings", data=BASE | {"name": "Partnerschaft Reims", "moderation_policy": "none"}
    )
    assert response.status_code == 307
    assert response.headers["Location"].endswith("/a/partnerschaft-reims/settings")
    followed = client.post(
        "/a/aachen-reims/settings",
        data=BASE | {"name": "Partnerschaft Reims", "moderation_policy": "none"},
        follow_redirects=True,
    )
    assert followed.status_code == 200
    assert (
        session.scalar(select(Association.moderation_policy).where(Association.id == association.id)).value
        == "none"
    )


def test_a_post_to_an_unknown_address_is_still_a_404(client, session):
    _space(session)
    sign_in(client, "admin@example.org")
    assert client.post("/a/nirgendwo/settings", data=BASE | {"name": "X"}).status_code == 404
