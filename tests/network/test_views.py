"""Goal and theme pages, the dashboard, insights, CSV downloads and Atom feeds."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from xml.etree import ElementTree

import pytest

from tests.conftest import sign_in
from tests.factories import make_association, make_group, make_member, make_proposal, make_user, theme
from tests.network.builders import give_association_goals, give_group_goals, support
from twinning.associations.models import AssociationStatus, Partnership, Role
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.groups.models import OpenTo

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def network(session):
    """Two active associations and one pending, with content in every moderation state."""
    admin = make_user(session, email="admin-reims@example.org")
    reims = make_association(session, name="Aachen–Reims", slug="aachen-reims", country="DE", admin=admin)
    kapstadt = make_association(session, name="Kapstadt-Verein", slug="kapstadt", country="ZA")
    pending = make_association(
        session, name="Noch nicht da", slug="pending-assoc", status=AssociationStatus.PENDING
    )
    author = make_member(session, reims, email="author@example.org")
    za_author = make_member(session, kapstadt)
    pending_author = make_member(session, pending)
    climate = theme(session, "klimaschutz")
    published = make_proposal(
        session, reims, author, title="Solar roofs for schools", sdgs=[7, 13], themes=[climate]
    )
    make_proposal(session, kapstadt, za_author, title="Clean water for Khayelitsha", sdgs=[6])
    make_proposal(
        session,
        reims,
        author,
        title="Secret pending idea",
        sdgs=[13],
        moderation_state=ModerationState.PENDING,
        themes=[climate],
    )
    make_proposal(
        session,
        reims,
        author,
        title="Declined nonsense",
        sdgs=[13],
        moderation_state=ModerationState.DECLINED,
    )
    make_proposal(
        session,
        reims,
        author,
        title="Hidden after report",
        sdgs=[13],
        moderation_state=ModerationState.HIDDEN,
        themes=[climate],
    )
    make_proposal(
        session,
        pending,
        pending_author,
        title="Proposal of a pending association",
        sdgs=[13],
        themes=[climate],
    )
    group = give_group_goals(session, make_group(session, reims, name="Klima-Gruppe Aachen"), 13)
    give_group_goals(session, make_group(session, pending, name="Invisible group"), 13)
    give_association_goals(session, kapstadt, 13)
    support(session, published, author)
    return {
        "reims": reims,
        "kapstadt": kapstadt,
        "pending": pending,
        "published": published,
        "group": group,
        "admin": admin,
        "author": author,
    }


def text_of(response) -> str:
    return response.get_data(as_text=True)


# -- /sdgs -----------------------------------------------------------------------------


def test_sdgs_page_shows_17_tiles_with_counts(client, network):
    response = client.get("/sdgs?lang=en")
    page = text_of(response)
    assert response.status_code == 200
    assert page.count('class="sdg-tile sdg-') == 17
    assert "Climate Action" in page and 'href="/sdgs/13"' in page
    # Goal 13: one published proposal, one group, two associations (Reims works, Kapstadt declares).
    tile = page.split('class="sdg-tile sdg-13"')[1].split("</li>")[0]
    assert "<dt>Proposals</dt><dd>1</dd>" in tile
    assert "<dt>Groups</dt><dd>1</dd>" in tile
    assert "<dt>Associations</dt><dd>2</dd>" in tile


def test_sdgs_page_names_goals_in_german(client):
    assert "Maßnahmen zum Klimaschutz" in text_of(client.get("/sdgs?lang=de"))


# -- /sdgs/<n> and /themes/<slug> ------------------------------------------------------


def test_goal_page_shows_only_published_content(client, network):
    page = text_of(client.get("/sdgs/13?lang=en"))
    assert "Solar roofs for schools" in page
    assert "Klima-Gruppe Aachen" in page
    assert "Kapstadt-Verein" in page  # declares the goal
    for secret in (
        "Secret pending idea",
        "Declined nonsense",
        "Hidden after report",
        "Proposal of a pending association",
        "Invisible group",
        "Noch nicht da",
    ):
        assert secret not in page
    assert f'href="/a/aachen-reims/proposals/{network["published"].id}"' in page


def test_goal_page_filters_by_association_and_country(client, network):
    page = text_of(client.get("/sdgs/6?lang=en&country=DE"))
    assert "Clean water for Khayelitsha" not in page
    assert "No published proposal matches this filter." in page
    page = text_of(client.get("/sdgs/6?lang=en&country=za"))
    assert "Clean water for Khayelitsha" in page
    page = text_of(client.get("/sdgs/13?lang=en&association=kapstadt"))
    assert "Solar roofs for schools" not in page
    page = text_of(client.get("/sdgs/13?lang=en&association=aachen-reims"))
    assert "Solar roofs for schools" in page


def test_theme_page_shows_published_content_on_the_theme(client, network):
    page = text_of(client.get("/themes/klimaschutz?lang=en"))
    assert "Climate action" in page and "Solar roofs for schools" in page
    assert "Secret pending idea" not in page and "Hidden after report" not in page
    assert "Proposal of a pending association" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/sdgs/0",
        "/sdgs/18",
        "/sdgs/abc",
        "/sdgs/-1",
        "/sdgs/99999999999999999999",
        "/themes/no-such-theme",
        "/themes/" + "x" * 10_000,
        "/themes/%00",
        "/themes/klima%00schutz",
        "/a/%00/feed.atom",
        "/a/x%00/insights",
        "/network/%00.csv",
    ],
)
def test_unknown_goals_and_themes_are_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-3",
        "page=abc",
        "page=99999999999999999999",
        "page=100000",
        "page=2.5",
        "country=" + "ü" * 10_000,
        "association=" + "a" * 10_000,
        "association=%00%01",
        "country=%00",
        "association=nope&country=XX",
        "page=",
        "country[]=1",
    ],
)
def test_absurd_filters_and_pages_never_fail(client, network, query):
    for path in ("/sdgs/13", "/themes/klimaschutz", "/network"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, (path, query)


def test_page_beyond_the_end_is_empty_and_friendly(client, network):
    page = text_of(client.get("/sdgs/13?lang=en&page=50"))
    assert "There are no more proposals on this page." in page


def test_goal_page_paginates_proposals(client, session, network):
    for n in range(23):
        make_proposal(session, network["reims"], network["author"], title=f"Bulk proposal {n:02d}", sdgs=[2])
    first = text_of(client.get("/sdgs/2?lang=en"))
    second = text_of(client.get("/sdgs/2?lang=en&page=2"))
    assert first.count("Bulk proposal") == 20 and second.count("Bulk proposal") == 3
    assert "Page 1 of 2" in first and 'rel="next"' in first


# -- /network --------------------------------------------------------------------------


def test_dashboard_shows_matrix_charts_and_gaps(client, network):
    page = text_of(client.get("/network?lang=en"))
    assert 'role="img"' in page and '<title id="chart-goals-title">' in page
    assert '<desc id="chart-goals-desc">' in page
    assert "<table" in page and "Aachen–Reims" in page and "Kapstadt-Verein" in page
    assert "Noch nicht da" not in page
    # Goal 1 has nothing: it is named as a gap.
    gaps = page.split("Not yet covered by any published proposal or group:")[1].split("</ul>")[0]
    assert 'href="/sdgs/1"' in gaps and 'href="/sdgs/13"' not in gaps
    assert 'href="/network/coverage.csv"' in page and 'href="/feed.atom"' in page


def test_dashboard_charts_need_no_script(client, network):
    page = text_of(client.get("/network"))
    main = page.split("<main")[1]
    assert "<script" not in main and " style=" not in main


def test_dashboard_csv_downloads(client, network):
    for table in ("coverage", "goals", "activity", "groups"):
        response = client.get(f"/network/{table}.csv?lang=en")
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        rows = list(csv.reader(io.StringIO(text_of(response))))
        assert len(rows) >= 2
    coverage = list(csv.reader(io.StringIO(text_of(client.get("/network/coverage.csv?lang=en")))))
    assert coverage[0][0] == "Association" and len(coverage[0]) == 3 + 17 + 1
    reims = next(row for row in coverage if row[0] == "Aachen–Reims")
    assert reims[3 + 12] == "2"  # goal 13: one proposal, one group
    assert not any(row[0] == "Noch nicht da" for row in coverage)
    assert client.get("/network/secrets.csv").status_code == 404


def test_csv_cells_cannot_become_formulas(client, session):
    make_association(session, name='=HYPERLINK("http://evil")', slug="evil")
    make_association(session, name="@SUM(A1)", slug="evil2")
    body = text_of(client.get("/network/coverage.csv"))
    assert "'=HYPERLINK" in body and "'@SUM" in body


def test_activity_counts_per_month(client, session, network):
    old = utcnow() - timedelta(days=400)
    proposal = make_proposal(session, network["reims"], network["author"], title="Old one", sdgs=[1])
    proposal.created_at = old
    support(session, network["published"], make_member(session, network["reims"]), at=utcnow())
    rows = list(csv.reader(io.StringIO(text_of(client.get("/network/activity.csv?lang=en")))))
    assert rows[0] == ["Month", "New proposals", "Supports", "New members"]
    assert len(rows) == 13
    this_month = rows[-1]
    assert this_month[0] == utcnow().strftime("%Y-%m")
    assert this_month[1] == "2"  # the two published proposals of active associations, not the old one
    assert this_month[2] == "2"


# -- insights --------------------------------------------------------------------------


def test_insights_for_the_association_admin(client, session, network):
    sign_in(client, "admin-reims@example.org")
    response = client.get("/a/aachen-reims/insights?lang=en")
    page = text_of(response)
    assert response.status_code == 200
    assert "Active in the last 90 days" in page and "waiting for moderation" in page
    assert 'role="img"' in page
    csv_response = client.get("/a/aachen-reims/insights/proposals.csv?lang=en")
    assert csv_response.status_code == 200 and "declined" in text_of(csv_response)
    assert client.get("/a/aachen-reims/insights/members.csv").status_code == 200
    assert client.get("/a/aachen-reims/insights/nope.csv").status_code == 404


def test_insights_are_closed_to_others(client, session, network):
    assert client.get("/a/aachen-reims/insights").status_code == 302  # to the sign-in page
    sign_in(client, "author@example.org")  # a member, not an admin
    assert client.get("/a/aachen-reims/insights").status_code == 403
    assert client.get("/a/aachen-reims/insights/members.csv").status_code == 403
    moderator = make_member(session, network["kapstadt"], role=Role.ADMIN)
    client.post("/auth/logout")
    sign_in(client, moderator.email)
    assert client.get("/a/aachen-reims/insights").status_code == 403  # admin elsewhere
    assert client.get("/a/no-such-association/insights").status_code == 404


def test_platform_admin_sees_insights(client, session, network):
    make_user(session, email="platform@example.org", platform_admin=True)
    sign_in(client, "platform@example.org")
    assert client.get("/a/aachen-reims/insights").status_code == 200


# -- feeds -----------------------------------------------------------------------------


def parse_feed(response) -> ElementTree.Element:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ElementTree.fromstring(response.get_data())  # noqa: S314 (our own output)


def test_network_feed_is_atom_with_published_activity(client, session, network):
    session.add(Partnership(association_id=network["kapstadt"].id, city="Kapstadt", country="ZA"))
    feed = parse_feed(client.get("/feed.atom?lang=en"))
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://localhost/feed.atom"
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert "New proposal: Solar roofs for schools" in titles
    assert "New group: Klima-Gruppe Aachen" in titles
    assert "New partnership with Kapstadt" in titles
    assert not any(
        "pending" in title.lower() or "Hidden" in title or "Invisible" in title for title in titles
    )
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:localhost,") for i in ids)
    for entry in feed.findall(f"{ATOM}entry"):
        assert entry.find(f"{ATOM}link").get("href").startswith("http://localhost/")
        assert entry.findtext(f"{ATOM}updated").endswith("Z")


def test_feed_escapes_user_text(client, session, network):
    make_proposal(
        session,
        network["reims"],
        network["author"],
        title="<script>&\"'</script> ü \x0b",
        summary="Ä <b>bold</b> & more",
    )
    raw = client.get("/feed.atom").get_data()
    feed = ElementTree.fromstring(raw)  # noqa: S314 (our own output; raises on broken XML)
    assert b"<script>" not in raw
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert any("<script>&\"'</script> ü" in title for title in titles)


def test_answers_appear_in_the_association_feed(client, session, network):
    proposal = network["published"]
    proposal.answer = "We will do it."
    proposal.answered_at = utcnow()
    feed = parse_feed(client.get("/a/aachen-reims/feed.atom?lang=en"))
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert "Answer to “Solar roofs for schools”" in titles
    assert "New proposal: Clean water for Khayelitsha" not in titles  # another association's


def test_feed_of_pending_or_unknown_association_is_404(client, network):
    assert client.get("/a/pending-assoc/feed.atom").status_code == 404
    assert client.get("/a/nobody/feed.atom").status_code == 404


def test_empty_feed_is_still_valid(client):
    feed = parse_feed(client.get("/feed.atom"))
    assert feed.find(f"{ATOM}updated") is not None and feed.findall(f"{ATOM}entry") == []


def test_topic_groups_and_working_groups_both_listed(client, session, network):
    give_group_goals(
        session, make_group(session, network["kapstadt"], name="Board only", open_to=OpenTo.MEMBERS), 6
    )
    page = text_of(client.get("/sdgs/6?lang=en"))
    assert "Board only" in page and "Working group" in page


def test_space_shows_recent_activity_and_its_feed(client, network):
    response = client.get("/a/aachen-reims?lang=en")
    if response.status_code == 404:
        pytest.skip("the space page is not there yet")
    page = text_of(response)
    assert "Recent activity" in page and 'href="/a/aachen-reims/feed.atom"' in page
    assert "New proposal: Solar roofs for schools" in page
    assert "Clean water for Khayelitsha" not in page
    assert 'href="/a/aachen-reims/insights"' not in page  # only for its admins


def test_space_links_insights_for_its_admins(client, network):
    sign_in(client, "admin-reims@example.org")
    response = client.get("/a/aachen-reims?lang=en")
    if response.status_code == 404:
        pytest.skip("the space page is not there yet")
    assert 'href="/a/aachen-reims/insights"' in text_of(response)
