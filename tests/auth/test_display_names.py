"""Display names must show, and may not pose as the platform or one of its roles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_user
from twinning.auth import services
from twinning.auth.display_names import check_display_name, imitates_a_role, is_invisible
from twinning.auth.models import User
from twinning.core.errors import ValidationError

INVISIBLE = [
    "",
    "   ",
    "\u200b",
    "\u200b\u200c\u200d\u2060",
    "\ufeff",
    "\u00a0\u3000",
    "\u202e\u202d",
    "\u2028 \u2029",
]
ROLE_LIKE = [
    "Admin",
    "ADMIN",
    "admin ",
    "Administrator",
    "Administratorin",
    "Plattform-Admin",
    "Plattform Admin",
    "PlattformAdmin",
    "platform_admin",
    "Moderator",
    "Moderatorin",
    "moderatorin",
    "Mod-Team Moderation",
    "Twinning",
    "Twinning Support",
    "Twinning-Team",
    "TwinningSupport",
    "Support",
    "System",
    "SysAdmin",
    "Systemadministrator",
    "A d m i n",
    "A.d.m.i.n",
    "Ａｄｍｉｎ",
    "𝐀𝐝𝐦𝐢𝐧",
    "Аdmin",
    "Adm1n",
    "M0derator",
    "Ádmin",
    "Sup\u200bport",
    "Anna (Moderatorin)",
    "Offizieller Support",
    "Admin2",
    "Chef-Admin",
]
ORDINARY = [
    "Anna",
    "Jonas Becker",
    "Олена Коваленко 🌻",
    "Li Wu",
    "Badminton-Bernd",
    "Adam Inger",
    "Simone Adler",
    "Supporter Klaus",
    "Das Team",
    "Mo",
    "Fritz Gründer",
    "Maria-Theresia von Systemberg",
    "User 1",
    "José Ramírez",
    "محمد",
    "李雷",
]


@pytest.mark.parametrize("name", INVISIBLE)
def test_invisible_names_are_refused(name):
    assert is_invisible(name)
    with pytest.raises(ValidationError) as error:
        check_display_name(name)
    assert error.value.field == "display_name"


@pytest.mark.parametrize("name", ROLE_LIKE)
def test_names_that_imitate_roles_are_refused(name):
    assert imitates_a_role(name), name
    with pytest.raises(ValidationError) as error:
        check_display_name(name)
    assert "mistaken for the platform" in str(error.value.message)


@pytest.mark.parametrize("name", ORDINARY)
def test_ordinary_names_pass(name):
    check_display_name(name)


def test_register_and_profile_services_refuse_such_names(ctx, session):
    with pytest.raises(ValidationError):
        services.register_user(
            session,
            email="poser@example.org",
            display_name="Plattform-Admin",
            password="long enough pw",
            locale="de",
        )
    with pytest.raises(ValidationError):
        services.register_user(
            session, email="ghost@example.org", display_name="\u200b", password="long enough pw", locale="de"
        )
    user = make_user(session, name="Honest Name")
    with pytest.raises(ValidationError):
        services.update_profile(session, user, display_name="Moderatorin", locale="de", bio="")
    assert user.display_name == "Honest Name"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Plattform-Admin", "könnte mit der Plattform oder einer ihrer Rollen verwechselt werden"),
        ("\u200b\u200b", "Bitte geben Sie den Namen ein, den andere sehen"),
    ],
)
def test_register_view_refuses_with_the_other_values_kept(client, session, name, message):
    response = client.post(
        "/auth/register",
        data={"email": "newcomer@example.org", "display_name": name, "password": "long enough pw"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="newcomer@example.org"' in page
    assert session.scalar(select(User).where(User.email == "newcomer@example.org")) is None


def test_profile_view_refuses_with_the_typed_values_kept(client, session):
    user = make_user(session, email="editor@example.org", name="Edith")
    sign_in(client, "editor@example.org")
    response = client.post(
        "/profile", data={"display_name": "Twinning Support", "locale": "de", "bio": "Ich helfe gern."}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "könnte mit der Plattform oder einer ihrer Rollen verwechselt werden" in page
    assert 'value="Twinning Support"' in page and "Ich helfe gern." in page
    assert session.scalar(select(User.display_name).where(User.id == user.id)) == "Edith"
    ok = client.post("/profile", data={"display_name": "Edith Sommer", "locale": "de", "bio": ""})
    assert ok.status_code == 302
