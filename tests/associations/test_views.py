"""Association pages through the test client: bad input, logos, directory, space, profile."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image
from sqlalchemy import event, func, select

from tests.conftest import sign_in
from tests.factories import make_association, make_member, make_membership, make_user, theme
from twinning.associations.models import (
    Association,
    AssociationStatus,
    JoinPolicy,
    MembershipState,
    Partnership,
    PartnershipKind,
    Role,
    association_sdgs,
)
from twinning.core.extensions import db

VALID = {
    "name": "Freundeskreis Aachen–Ningbo",
    "city": "Aachen",
    "country": "DE",
    "join_policy": "open",
    "description": "Wir pflegen den Austausch.",
}


def _png(size=(600, 300), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (25, 72, 106)).save(buffer, format=fmt)
    return buffer.getvalue()


def _count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Association))


def test_bad_input_is_400_with_a_message_and_nothing_written(client, session):
    make_association(session, name="Freundeskreis Aachen–Ningbo", slug="freundeskreis-aachen-ningbo")
    make_user(session, email="founder@example.org")
    sign_in(client, "founder@example.org")
    before = _count(session)
    cases = [
        ({}, "Einen Verein mit diesem Namen gibt es bereits"),
        ({"name": "Freundeskreis Aachen - Ningbo"}, "sehr ähnlichem Namen"),
        ({"name": "🌍🌱🌍"}, "mindestens einen Buchstaben"),
        ({"name": "Neu", "country": "XX"}, "Land aus der Liste"),
        ({"name": "Neu", "country": ""}, "Bitte wählen Sie ein Land"),
        ({"name": "N" * 10_000}, "zwischen 2 und 120 Zeichen"),
        ({"name": "Neu\x00Verein"}, "nicht erlaubt"),
        ({"name": "Neu", "join_policy": "everyone"}, "angebotenen Werte"),
        ({"name": "Neu", "themes": ["no-such-theme"]}, "nur aus den angebotenen Werten"),
        ({"name": "Neu", "website": "javascript:alert(1)"}, "vollständige Webadresse"),
        ({"name": "Neu", "description": "x" * 20_001}, "höchstens 20000 Zeichen"),
        ({"name": ""}, "Bitte geben Sie den Namen des Vereins ein"),
    ]
    for changes, message in cases:
        response = client.post("/associations/new", data=VALID | changes)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, changes
        assert message in page, (changes, message)
    assert 'value="Aachen"' in page  # typed values are kept
    assert _count(session) == before


def test_logo_is_checked_by_content_and_reencoded(client, session, app):
    make_user(session, email="founder@example.org")
    sign_in(client, "founder@example.org")
    php = b"<?php system($_GET['c']); ?>"
    response = client.post(
        "/associations/new",
        data=VALID | {"logo": (io.BytesIO(php), "logo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "PNG-, JPEG- oder WebP-Bild" in response.get_data(as_text=True)
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    response = client.post(
        "/associations/new",
        data=VALID | {"logo": (io.BytesIO(gif.getvalue()), "a.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert _count(session) == 0

    jpeg = _png(fmt="JPEG")
    response = client.post(
        "/associations/new",
        data=VALID | {"logo": (io.BytesIO(jpeg), "photo.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    association = session.scalar(select(Association))
    stored = Path(app.config["UPLOAD_FOLDER"]) / "logos" / association.logo
    with Image.open(stored) as image:
        assert image.format == "PNG" and max(image.size) == 256
    served = client.get(f"/uploads/logos/{association.logo}")
    assert served.status_code == 200 and served.mimetype == "image/png"
    served.close()
    assert client.get("/uploads/logos/..%2F..%2Fsecret_key").status_code == 404


def _multipart(fields: dict, filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body built in memory: Werkzeug's test client would spool a large one to a
    temporary file that it never closes (a ResourceWarning in some later test)."""
    boundary = "----twinning-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="logo"; filename="{filename}"\r\n'
        f"Content-Type: image/png\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_a_5_mb_upload_gets_a_friendly_413(client, session):
    make_user(session, email="founder@example.org")
    sign_in(client, "founder@example.org")
    body, content_type = _multipart(VALID, "big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024))
    response = client.post("/associations/new", data=body, content_type=content_type)
    assert response.status_code == 413
    assert "zu groß" in response.get_data(as_text=True)
    assert _count(session) == 0


def test_a_logo_between_2_and_4_mb_is_refused_by_the_form(client, session):
    make_user(session, email="founder@example.org")
    sign_in(client, "founder@example.org")
    body, content_type = _multipart(VALID, "big.png", _png() + b"\0" * (2 * 1024 * 1024))
    response = client.post("/associations/new", data=body, content_type=content_type)
    assert response.status_code == 400 and "höchstens 2 MB" in response.get_data(as_text=True)


def test_unconfirmed_users_are_refused(client, session):
    make_user(session, email="new@example.org", confirmed=False)
    sign_in(client, "new@example.org")
    assert client.get("/associations/new").status_code == 403


def test_directory_filters_and_counts_in_constant_queries(client, session):
    climate = theme(session, "klimaschutz")
    for n in range(25):
        association = make_association(
            session,
            name=f"Verein {n:02d}",
            slug=f"verein-{n:02d}",
            city="Reims" if n % 2 else "Halifax",
            country="FR" if n % 2 else "GB",
        )
        make_member(session, association)
        session.add(
            Partnership(
                association_id=association.id, city=f"Stadt {n}", country="DE", kind=PartnershipKind.TWINNING
            )
        )
        if n < 3:
            association.themes = [climate]
            session.execute(association_sdgs.insert().values(association_id=association.id, sdg=6))
    make_association(session, name="Wartend", slug="wartend", status=AssociationStatus.PENDING)
    client.get("/associations")  # warm-up: the first request loads translations and templates

    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        page = client.get("/associations").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) <= 10, statements
    assert "25 Vereine gefunden" in page and "Wartend" not in page
    assert "Stadt 0" in page and "1 Mitglied" in page
    assert "Seite 1 von 2" in page
    assert "Verein 24" in client.get("/associations?page=2").get_data(as_text=True)
    assert client.get("/associations?page=99").status_code == 404
    assert client.get("/associations?page=-1").status_code == 200
    assert client.get("/associations?page=abc").status_code == 200
    assert "3 Vereine gefunden" in client.get("/associations?theme=klimaschutz").get_data(as_text=True)
    assert "3 Vereine gefunden" in client.get("/associations?sdg=6").get_data(as_text=True)
    assert "12 Vereine gefunden" in client.get("/associations?country=FR&q=").get_data(as_text=True)
    assert "13 Vereine gefunden" in client.get("/associations?q=halifax").get_data(as_text=True)
    assert "0 Vereine gefunden" in client.get("/associations?q=%25_%5C").get_data(as_text=True)
    assert client.get("/associations?sdg=99&country=ZZZ&theme=" + "x" * 500).status_code == 200


def test_old_slug_redirects_after_rename(client, session):
    admin = make_user(session, email="admin@example.org")
    make_association(session, name="Alter Name", slug="alter-name", admin=admin)
    sign_in(client, "admin@example.org")
    response = client.post(
        "/a/alter-name/settings",
        data={
            "name": "Städtefreundschaft Neu",
            "city": "Aachen",
            "country": "DE",
            "join_policy": "open",
            "moderation_policy": "none",
            "support_threshold": "5",
            "change_address": "y",
        },
    )
    assert response.status_code == 302
    redirect = client.get("/a/alter-name/members")
    assert redirect.status_code == 301 and redirect.headers["Location"].endswith(
        "/a/staedtefreundschaft-neu/members"
    )
    assert client.get("/a/staedtefreundschaft-neu").status_code == 200


def test_settings_close_collecting_supports_at_the_threshold(client, session):
    admin = make_user(session, email="admin@example.org")
    association = make_association(session, name="Verein", slug="verein", admin=admin)
    sign_in(client, "admin@example.org")
    box = re.search(
        r'<input[^>]*name="support_after_threshold"[^>]*>',
        client.get("/a/verein/settings").get_data(as_text=True),
    ).group(0)
    assert "checked" in box  # collecting goes on by default
    base = {
        "name": "Verein",
        "city": "Aachen",
        "country": "DE",
        "join_policy": "open",
        "moderation_policy": "all",
        "support_threshold": "10",
    }
    collects = select(Association.support_after_threshold).where(Association.id == association.id)
    assert client.post("/a/verein/settings", data=base).status_code == 302  # the box left unticked
    assert session.scalar(collects) is False
    assert client.post("/a/verein/settings", data=base | {"support_after_threshold": "y"}).status_code == 302
    assert session.scalar(collects) is True


def test_settings_bad_input(client, session):
    admin = make_user(session, email="admin@example.org")
    make_association(session, name="Verein", slug="verein", admin=admin)
    make_association(session, name="Anderer", slug="anderer")
    sign_in(client, "admin@example.org")
    base = {
        "name": "Verein",
        "city": "Aachen",
        "country": "DE",
        "join_policy": "open",
        "moderation_policy": "all",
    }
    for changes, message in [
        ({"name": "Anderer"}, "gibt es bereits"),
        ({"moderation_policy": "lax"}, "angebotenen Werte"),
        ({"support_threshold": "0"}, "von 1 bis 100.000"),
        ({"support_threshold": "viele"}, "ganze Zahl"),
        ({"country": "ZZ"}, "Land aus der Liste"),
    ]:
        response = client.post("/a/verein/settings", data=base | changes)
        assert response.status_code == 400 and message in response.get_data(as_text=True), changes
    session.expire_all()
    assert (
        session.scalar(select(Association.moderation_policy).where(Association.slug == "verein")).value
        == "all"
    )


def test_space_shows_the_right_join_control(client, session):
    admin = make_user(session, email="admin@example.org")
    open_one = make_association(session, name="Offen", slug="offen", admin=admin)
    make_association(session, name="Anfrage", slug="anfrage", join_policy=JoinPolicy.APPROVAL)
    make_association(session, name="Einladung", slug="einladung", join_policy=JoinPolicy.INVITE)
    user = make_user(session, email="user@example.org")
    blocked = make_user(session, email="blocked@example.org")
    make_membership(session, blocked, open_one, state=MembershipState.BLOCKED)
    assert "Anmelden, um beizutreten" in client.get("/a/offen").get_data(as_text=True)
    sign_in(client, "user@example.org")
    assert "Diesem Verein beitreten" in client.get("/a/offen").get_data(as_text=True)
    assert "Beitritt anfragen" in client.get("/a/anfrage").get_data(as_text=True)
    assert "nur mit Einladung" in client.get("/a/einladung").get_data(as_text=True)
    client.post("/a/anfrage/join")
    assert "wartet auf die Admins" in client.get("/a/anfrage").get_data(as_text=True)
    client.post("/a/offen/join")
    page = client.get("/a/offen").get_data(as_text=True)
    assert "Sie sind Mitglied (Mitglied)" in page and "Austreten" in page
    assert "Verein verwalten" not in page
    client.post("/auth/logout")
    sign_in(client, "blocked@example.org")
    assert "gesperrt" in client.get("/a/offen").get_data(as_text=True)
    assert client.post("/a/offen/join").status_code == 403
    del user


def test_last_admin_leaving_gets_a_message(client, session):
    make_association(
        session, name="Verein", slug="verein", admin=make_user(session, email="admin@example.org")
    )
    sign_in(client, "admin@example.org")
    response = client.post("/a/verein/leave")
    assert response.status_code == 400 and "letzte Person mit Admin-Rolle" in response.get_data(as_text=True)


def test_role_form_refuses_unknown_roles(client, session):
    association = make_association(
        session, name="Verein", slug="verein", admin=make_user(session, email="admin@example.org")
    )
    member = make_member(session, association)
    member_id = member.id
    sign_in(client, "admin@example.org")
    for role in ("owner", "", "x" * 10_000):
        assert client.post(f"/a/verein/members/{member_id}/role", data={"role": role}).status_code == 400
    assert client.post("/a/verein/members/abc/role", data={"role": "admin"}).status_code == 404
    assert client.post("/a/verein/members/999999/role", data={"role": "admin"}).status_code == 404
    session.expire_all()
    assert session.get(type(member), member_id) is not None


def test_invitation_link_for_visitors_and_bad_tokens(client, session):
    from twinning.associations import members

    admin = make_user(session, email="admin@example.org")
    association = make_association(
        session, name="Verein", slug="verein", join_policy=JoinPolicy.INVITE, admin=admin
    )
    _invitation, token = members.create_invitation(session, admin, association)
    page = client.get(f"/a/verein/invitations/{token}").get_data(as_text=True)
    assert "Einladung zu Verein" in page
    response = client.post(f"/a/verein/invitations/{token}")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.get("/a/verein/invitations/nonsense").status_code == 400
    assert client.get("/a/verein/invitations/" + "x" * 500).status_code == 400


def test_invitation_by_mail(client, session, outbox):
    make_association(
        session,
        name="Verein",
        slug="verein",
        join_policy=JoinPolicy.INVITE,
        admin=make_user(session, email="admin@example.org"),
    )
    sign_in(client, "admin@example.org")
    response = client.post("/a/verein/invitations", data={"email": "guest@example.org"})
    assert response.status_code == 200
    link = outbox.link(outbox.last_to("guest@example.org"))
    assert "/a/verein/invitations/" in link
    assert client.post("/a/verein/invitations", data={"email": "not-an-address"}).status_code == 400


def test_profile_lists_my_associations_with_role_and_state(client, session):
    user = make_user(session, email="me@example.org")
    make_association(session, name="Mein Verein", slug="mein-verein", admin=user)
    other = make_association(session, name="Angefragt", slug="angefragt", join_policy=JoinPolicy.APPROVAL)
    make_membership(session, user, other, role=Role.MEMBER, state=MembershipState.PENDING)
    sign_in(client, "me@example.org")
    page = client.get("/profile").get_data(as_text=True)
    assert "Meine Vereine" in page and "Mein Verein" in page and "Admin" in page
    assert "Anfrage offen" in page
