"""Control characters, line breaks and bidi controls are refused in every single-line field
of every form; multi-line fields keep their line breaks but refuse NUL and bidi overrides."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField

import twinning
from tests.conftest import sign_in
from tests.factories import make_association, make_group, make_member, make_user
from twinning.associations.models import Association, Role
from twinning.auth.models import User
from twinning.core.forms import MULTI_LINE_MESSAGE, SINGLE_LINE_MESSAGE, Form
from twinning.groups.models import Group, Thread
from twinning.proposals.models import Proposal
from twinning.topics.models import Theme

# NUL, tab, CR, LF, other C0, DEL, C1 (NEL), line/paragraph separators, every bidi control.
SINGLE_LINE_BAD = [
    "\x00",
    "\t",
    "\r",
    "\n",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u2029",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]
MULTI_LINE_BAD = ["\x00", "\x1b", "\x85", "\u202a", "\u202e", "\u2066", "\u2069"]
MULTI_LINE_GOOD = ["\n", "\r\n", "\t", "\u200f", "\u200d"]


def _form_classes() -> list[type[Form]]:
    for module in pkgutil.walk_packages(twinning.__path__, "twinning."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = [], [Form]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        found.append(cls)
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))


def _fields(kind) -> list[tuple[type[Form], str]]:
    pairs = []
    for cls in _form_classes():
        for name in dir(cls):
            unbound = getattr(cls, name, None)
            if isinstance(unbound, UnboundField) and kind(unbound.field_class):
                pairs.append((cls, name))
    return pairs


def _single(field_class) -> bool:
    return issubclass(field_class, StringField) and not issubclass(field_class, TextAreaField | PasswordField)


SINGLE_LINE_FIELDS = _fields(_single)
MULTI_LINE_FIELDS = _fields(lambda field_class: issubclass(field_class, TextAreaField))


def _ids(pair) -> str:
    return f"{pair[0].__module__.removeprefix('twinning.')}.{pair[0].__name__}.{pair[1]}"


def test_the_forms_are_found():
    names = {_ids(pair) for pair in SINGLE_LINE_FIELDS}
    assert {
        "associations.forms.AssociationForm.name",
        "associations.forms.AssociationForm.city",
        "auth.forms.RegisterForm.display_name",
        "auth.forms.RegisterForm.email",
        "proposals.forms.ProposalForm.title",
        "groups.forms.GroupForm.name",
        "groups.forms.ThreadForm.title",
        "admin.forms.ThemeForm.name_de",
    } <= names
    assert len(SINGLE_LINE_FIELDS) >= 15 and len(MULTI_LINE_FIELDS) >= 8


def _validate(app, cls, name, value) -> list[str]:
    """The errors of field ``name``, with the two messages written in English for comparing."""
    with app.test_request_context("/?lang=en", method="POST", headers={"Accept-Language": "en"}):
        form = cls(formdata=MultiDict({name: value}), meta={"csrf": False})
        form.validate()
        english = {str(SINGLE_LINE_MESSAGE): "single", str(MULTI_LINE_MESSAGE): "multi"}
        return [english.get(str(error), str(error)) for error in form[name].errors]


@pytest.mark.parametrize("pair", SINGLE_LINE_FIELDS, ids=_ids)
def test_every_single_line_field_refuses_every_bad_character(app, pair):
    cls, name = pair
    for char in SINGLE_LINE_BAD:
        errors = _validate(app, cls, name, f"Ab{char}cd")
        assert "single" in errors, (name, repr(char))
    assert "single" not in _validate(app, cls, name, "Łódź 宁波 Чернігів עברית")


@pytest.mark.parametrize("pair", MULTI_LINE_FIELDS, ids=_ids)
def test_multi_line_fields_keep_line_breaks_and_refuse_overrides(app, pair):
    cls, name = pair
    for char in MULTI_LINE_BAD:
        assert "multi" in _validate(app, cls, name, f"Ab{char}cd"), (name, repr(char))
    for char in MULTI_LINE_GOOD:
        assert "multi" not in _validate(app, cls, name, f"Ab{char}cd"), (name, repr(char))


def _count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def _setup(session, client, who):
    """Sign in the right person; the view cases below need an association, a group, a theme admin."""
    association = make_association(session, name="Verein", slug="verein")
    admin = make_member(session, association, role=Role.ADMIN, email="admin@example.org", platform_admin=True)
    group = make_group(session, association, name="Gruppe", coordinator=admin)
    if who == "admin":
        sign_in(client, "admin@example.org")
    elif who == "confirmed":
        make_user(session, email="founder@example.org")
        sign_in(client, "founder@example.org")
    return {"group": group.id}


PASSWORD = "correct horse battery staple"
# (who, path, valid form, single-line field under test, model that must stay unchanged, a typed value kept)
VIEW_CASES = [
    (
        None,
        "/auth/register",
        {"email": "neu@example.org", "display_name": "Neu", "password": PASSWORD},
        "display_name",
        User,
        "neu@example.org",
    ),
    (
        None,
        "/auth/register",
        {"email": "neu@example.org", "display_name": "Neu", "password": PASSWORD},
        "email",
        User,
        "Neu",
    ),
    (
        "confirmed",
        "/associations/new",
        {"name": "Freunde", "city": "Aachen", "country": "DE", "join_policy": "open"},
        "name",
        Association,
        "Aachen",
    ),
    (
        "confirmed",
        "/associations/new",
        {"name": "Freunde", "city": "Aachen", "country": "DE", "join_policy": "open"},
        "city",
        Association,
        "Freunde",
    ),
    (
        "confirmed",
        "/associations/new",
        {
            "name": "Freunde",
            "city": "Aachen",
            "country": "DE",
            "join_policy": "open",
            "website": "https://example.org/",
        },
        "website",
        Association,
        "Aachen",
    ),
    (
        "admin",
        "/a/verein/groups/new",
        {"name": "Jugend", "open_to": "members", "description": "Wir"},
        "name",
        Group,
        "Wir",
    ),
    (
        "admin",
        "/a/verein/proposals/new",
        {"title": "Austausch", "summary": "Kurz gesagt", "budget": "100"},
        "title",
        Proposal,
        "Kurz gesagt",
    ),
    (
        "admin",
        "/a/verein/proposals/new",
        {"title": "Austausch", "summary": "Kurz gesagt", "budget": "100"},
        "budget",
        Proposal,
        "Kurz gesagt",
    ),
    ("admin", "/groups/{group}/threads/new", {"title": "Treffen", "body": "Wann?"}, "title", Thread, "Wann?"),
    (
        "admin",
        "/admin/themes",
        {"name_de": "Jugend neu", "name_en": "New youth"},
        "name_de",
        Theme,
        "New youth",
    ),
]


@pytest.mark.parametrize("char", ["\x00", "\n", "\u2028", "\u202e", "\u2066", "\u200f"], ids=repr)
@pytest.mark.parametrize("case", VIEW_CASES, ids=lambda case: f"{case[1]}:{case[3]}")
def test_views_answer_400_keep_the_input_and_write_nothing(client, session, case, char):
    who, path, data, field, model, kept = case
    ids = _setup(session, client, who)
    before = _count(session, model)
    response = client.post(
        path.format(**ids), data=data | {field: f"{data[field][:2]}{char}{data[field][2:]}"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "in einer Zeile" in page and "nicht erlaubt" in page
    assert kept in page
    assert _count(session, model) == before


def test_a_description_keeps_its_line_breaks_but_not_an_override(client, session):
    _setup(session, client, "confirmed")
    data = {"name": "Freunde", "city": "Aachen", "country": "DE", "join_policy": "open"}
    response = client.post("/associations/new", data=data | {"description": "Wir sind\u202e nett"})
    assert response.status_code == 400 and "Textrichtung" in response.get_data(as_text=True)
    assert _count(session, Association) == 1
    response = client.post("/associations/new", data=data | {"description": "Zeile eins\r\nZeile zwei"})
    assert response.status_code == 302
    session.expire_all()
    assert (
        session.scalar(select(Association.description).where(Association.name == "Freunde"))
        == "Zeile eins\r\nZeile zwei"
    )
