"""Platform administration: the approval queue and the theme list."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_association, make_user, theme
from twinning.associations.models import Association, AssociationStatus
from twinning.topics.models import Theme


def _admin(client, session):
    make_user(session, email="platform@example.org", platform_admin=True)
    sign_in(client, "platform@example.org")


def test_decline_needs_a_reason_and_mails_the_founder(client, session, outbox):
    founder = make_user(session, email="founder@example.org")
    make_association(session, name="Wartend", slug="wartend", status=AssociationStatus.PENDING, admin=founder)
    _admin(client, session)
    response = client.post("/admin/associations/wartend/decision", data={"decision": "decline", "reason": ""})
    assert response.status_code == 400 and "Begründung" in response.get_data(as_text=True)
    response = client.post("/admin/associations/wartend/decision", data={"decision": "maybe"})
    assert response.status_code == 400
    response = client.post(
        "/admin/associations/wartend/decision",
        data={"decision": "decline", "reason": "Kein Partnerschaftsverein."},
    )
    assert response.status_code == 302
    session.expire_all()
    assert (
        session.scalar(select(Association.status).where(Association.slug == "wartend"))
        == AssociationStatus.DECLINED
    )
    assert (
        "Kein Partnerschaftsverein."
        in outbox.last_to("founder@example.org").get_body(("plain",)).get_content()
    )
    assert (
        client.post("/admin/associations/wartend/decision", data={"decision": "approve"}).status_code == 400
    )
    assert client.post("/admin/associations/nope/decision", data={"decision": "approve"}).status_code == 404


def test_themes_add_rename_reorder_delete(client, session):
    _admin(client, session)
    assert client.post("/admin/themes", data={"name_de": "Wasser", "name_en": "Water"}).status_code == 302
    water = session.scalar(select(Theme).where(Theme.slug == "wasser"))
    water_id = water.id
    for data, message in [
        ({"name_de": "Wasser", "name_en": "Other"}, "gibt es bereits"),
        ({"name_de": "", "name_en": "x"}, "Bitte geben Sie einen Namen ein"),
        ({"name_de": "🌊", "name_en": "Wave"}, "mindestens einen Buchstaben"),
        ({"name_de": "x" * 10_000, "name_en": "y"}, "höchstens 80 Zeichen"),
    ]:
        response = client.post("/admin/themes", data=data)
        assert response.status_code == 400 and message in response.get_data(as_text=True), data
    assert (
        client.post(f"/admin/themes/{water_id}", data={"name_de": "Meere", "name_en": "Seas"}).status_code
        == 302
    )
    last_before = session.scalars(select(Theme.id).order_by(Theme.position, Theme.id)).all()
    assert last_before[-1] == water_id
    assert client.post(f"/admin/themes/{water_id}/move", data={"direction": "up"}).status_code == 302
    session.expire_all()
    order = session.scalars(select(Theme.id).order_by(Theme.position, Theme.id)).all()
    assert order[-2] == water_id
    assert client.post(f"/admin/themes/{water_id}/move", data={"direction": "sideways"}).status_code == 400
    assert client.post(f"/admin/themes/{water_id}/delete").status_code == 302
    assert client.post("/admin/themes/999999/delete").status_code == 404


def test_a_theme_in_use_is_not_deleted(client, session):
    climate = theme(session, "klimaschutz")
    association = make_association(session)
    association.themes = [climate]
    climate_id = climate.id
    _admin(client, session)
    response = client.post(f"/admin/themes/{climate_id}/delete")
    assert response.status_code == 400 and "noch 1-mal verwendet" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Theme, climate_id) is not None
