"""Labels people read: country names, unambiguous dates, plural forms."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import make_association, make_group, make_user
from twinning.associations.models import JoinPolicy
from twinning.core.i18n import format_date, format_datetime


@pytest.mark.parametrize(
    ("lang", "day", "moment"),
    [
        ("en", "21 Nov 2026", "21 Nov 2026, 15:05"),
        ("de", "21.11.2026", "21.11.2026, 15:05"),
    ],
)
def test_dates_put_the_day_first_and_never_a_two_digit_year(app, lang, day, moment):
    value = datetime(2026, 11, 21, 14, 5, tzinfo=UTC)  # 15:05 in Berlin
    with app.test_request_context(f"/?lang={lang}"):
        assert format_date(value) == day
        assert format_datetime(value, "short") == moment


def test_the_groups_filter_names_countries_in_the_readers_language(client, session):
    make_group(session, make_association(session, country="ZA", city="Cape Town"))
    make_group(session, make_association(session, country="DE"))
    english = client.get("/groups?lang=en").get_data(as_text=True)
    assert '<option value="ZA">South Africa</option>' in english
    assert '<option value="DE">Germany</option>' in english
    assert english.index(">Germany<") < english.index(">South Africa<")
    german = client.get("/groups?lang=de").get_data(as_text=True)
    assert '<option value="ZA">Südafrika</option>' in german


def test_get_involved_writes_city_and_country_name(client, session):
    make_association(session, city="Reims", country="FR", join_policy=JoinPolicy.OPEN, name="Comité Reims")
    page = client.get("/get-involved?lang=en").get_data(as_text=True)
    assert "Reims, France" in page
    assert "Reims (FR)" not in page


def test_one_group_is_not_announced_as_all_one_groups(client, session):
    association = make_association(session, slug="klein")
    make_group(session, association)
    make_user(session)
    english = client.get("/a/klein?lang=en").get_data(as_text=True)
    german = client.get("/a/klein?lang=de").get_data(as_text=True)
    assert "All 1 group" not in english and "Show the group" in english
    assert "Die 1 Gruppe" not in german and "Zur Gruppe" in german
