"""Proposals as open data: an association's and the network's published proposals as CSV."""

from __future__ import annotations

import csv
import io

from sqlalchemy import event

from tests.factories import make_association, make_member, make_proposal, theme
from twinning.associations.models import AssociationStatus
from twinning.core.content import ModerationState
from twinning.core.extensions import db
from twinning.proposals.models import Lifecycle


def _table(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def _world(session):
    aachen = make_association(session, slug="aachen-reims", name="Aachen–Reims", city="Aachen", country="DE")
    author = make_member(session, aachen)
    climate = theme(session, "klimaschutz")
    make_proposal(session, aachen, author, title="Fahrradwerkstatt", sdgs=[11, 13], themes=[climate])
    make_proposal(session, aachen, author, title='=HYPERLINK("http://evil")', summary="+1 formula")
    make_proposal(session, aachen, author, title="Heimlich", moderation_state=ModerationState.PENDING)
    make_proposal(session, aachen, author, title="Versteckt", moderation_state=ModerationState.HIDDEN)
    make_proposal(session, aachen, author, title="Zurückgezogen", lifecycle=Lifecycle.WITHDRAWN)
    cape = make_association(session, slug="cape-town", city="Cape Town", country="ZA")
    make_proposal(session, cape, make_member(session, cape), title="Wasser für Schulen", sdgs=[6])
    pending = make_association(session, slug="neu", status=AssociationStatus.PENDING)
    make_proposal(session, pending, make_member(session, pending), title="Noch nicht freigegeben")
    return aachen


def test_an_associations_csv_lists_only_its_published_proposals(client, session):
    _world(session)
    rows = _table(client.get("/a/aachen-reims/proposals.csv?lang=en"))
    assert rows[0][:3] == ["ID", "Title", "Summary"]
    titles = [row[1] for row in rows[1:]]
    assert sorted(titles) == sorted(["Fahrradwerkstatt", '\'=HYPERLINK("http://evil")'])
    bike = next(row for row in rows if row[1] == "Fahrradwerkstatt")
    assert bike[3:8] == ["Aachen–Reims", "Aachen", "DE", "Open for support", "open"]
    assert bike[8:10] == ["klimaschutz", "11; 13"]
    assert bike[-1].endswith(f"/a/aachen-reims/proposals/{bike[0]}")
    formula = next(row for row in rows if row[1].startswith("'="))
    assert formula[2] == "'+1 formula"


def test_the_network_csv_has_every_active_associations_published_proposals(client, session):
    _world(session)
    titles = [row[1] for row in _table(client.get("/network/proposals.csv"))[1:]]
    assert "Wasser für Schulen" in titles and "Fahrradwerkstatt" in titles
    for hidden in ("Heimlich", "Versteckt", "Zurückgezogen", "Noch nicht freigegeben"):
        assert hidden not in titles


def test_the_csv_takes_the_lists_filters(client, session):
    _world(session)
    by_goal = _table(client.get("/network/proposals.csv?sdg=6"))
    assert [row[1] for row in by_goal[1:]] == ["Wasser für Schulen"]
    by_theme = _table(client.get("/a/aachen-reims/proposals.csv?theme=klimaschutz"))
    assert [row[1] for row in by_theme[1:]] == ["Fahrradwerkstatt"]
    withdrawn = _table(client.get("/a/aachen-reims/proposals.csv?status=withdrawn"))
    assert [row[1] for row in withdrawn[1:]] == ["Zurückgezogen"]
    for bad in ("sdg=18", "theme=nope", "status=secret"):
        assert client.get(f"/network/proposals.csv?{bad}").status_code == 404
    assert client.get("/a/neu/proposals.csv").status_code == 404


def test_the_csv_costs_the_same_few_queries_for_many_proposals(app, client, session):
    association = make_association(session, slug="gross")
    author = make_member(session, association)

    def statements() -> int:
        count = [0]

        def tick(*_args):
            count[0] += 1

        event.listen(db.engine, "before_cursor_execute", tick)
        try:
            client.get("/a/gross/proposals.csv")
        finally:
            event.remove(db.engine, "before_cursor_execute", tick)
        return count[0]

    make_proposal(session, association, author, sdgs=[1])
    few = statements()
    for n in range(30):
        make_proposal(session, association, author, sdgs=[n % 17 + 1])
    assert statements() == few


def test_the_dashboard_names_the_licence_and_links_the_csv(client, session):
    page = client.get("/network?lang=en").get_data(as_text=True)
    assert "CC BY 4.0" in page and "/network/proposals.csv" in page
    _world(session)
    listing = client.get("/a/aachen-reims/proposals?lang=en&sdg=11").get_data(as_text=True)
    assert "/a/aachen-reims/proposals.csv?sdg=11" in listing
