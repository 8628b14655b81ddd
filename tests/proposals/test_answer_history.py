"""Official answers are kept as a history: a later answer never hides an earlier one."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from tests.conftest import sign_in
from tests.factories import make_association, make_member, make_proposal, make_user
from twinning import migrate
from twinning.associations.models import Role
from twinning.core.db import utcnow
from twinning.proposals import queries
from twinning.proposals.models import Lifecycle, ProposalAnswer
from twinning.proposals.services import answer_proposal


def _answered_twice(app, session):
    with app.test_request_context("/"):
        built = _answer_twice(session)
        session.commit()  # the context's teardown ends the session; in the test's transaction this keeps it
        return built


def _answer_twice(session):
    admin = make_user(session, email="board@example.org")
    association = make_association(session, admin=admin, slug="aachen-reims")
    author = make_member(session, association)
    proposal = make_proposal(session, association, author, title="Fairer Kaffee")
    answer_proposal(session, admin, proposal, lifecycle=Lifecycle.UNDER_REVIEW, answer="Wir prüfen das.")
    first = session.scalar(select(ProposalAnswer).where(ProposalAnswer.proposal_id == proposal.id))
    first.created_at = utcnow() - timedelta(days=3)  # answered on an earlier day
    answer_proposal(session, admin, proposal, lifecycle=Lifecycle.ACCEPTED, answer="Der Vorstand stimmt zu.")
    return association, proposal


def test_every_answer_is_kept_newest_first(ctx, session):
    _association, proposal = _answer_twice(session)
    history = queries.answers_of(proposal.id)
    assert [(a.lifecycle, a.answer) for a in history] == [
        (Lifecycle.ACCEPTED, "Der Vorstand stimmt zu."),
        (Lifecycle.UNDER_REVIEW, "Wir prüfen das."),
    ]
    # The proposal itself carries the latest answer for lists and feeds.
    assert proposal.answer == "Der Vorstand stimmt zu."


def test_the_proposal_page_shows_the_whole_history_with_states_and_dates(app, client, session):
    association, proposal = _answered_twice(app, session)
    page = client.get(f"/a/{association.slug}/proposals/{proposal.id}?lang=en").get_data(as_text=True)
    newest, older = page.index("Der Vorstand stimmt zu."), page.index("Wir prüfen das.")
    assert newest < older
    assert 'data-answer-state="accepted"' in page and 'data-answer-state="under_review"' in page
    assert "Answers of the association" in page
    assert page.count("<time datetime=") >= 2


def test_answering_through_the_page_adds_to_the_history(client, session):
    admin = make_user(session, email="board@example.org")
    association = make_association(session, admin=admin, slug="aachen-reims")
    proposal = make_proposal(session, association, make_member(session, association))
    sign_in(client, "board@example.org")
    url = f"/a/{association.slug}/proposals/{proposal.id}"
    client.post(f"{url}/answer", data={"lifecycle": "under_review", "answer": "Erste Antwort"})
    client.post(f"{url}/answer", data={"lifecycle": "accepted", "answer": "Zweite Antwort"})
    page = client.get(url).get_data(as_text=True)
    assert "Erste Antwort" in page and "Zweite Antwort" in page
    assert (
        session.scalar(
            select(ProposalAnswer.id)
            .where(ProposalAnswer.proposal_id == proposal.id)
            .order_by(ProposalAnswer.id.desc())
            .limit(1)
        )
        is not None
    )


def test_a_proposal_without_answers_shows_no_answer_section(client, session):
    association = make_association(session, slug="aachen-reims")
    proposal = make_proposal(session, association, make_member(session, association, role=Role.MEMBER))
    page = client.get(f"/a/{association.slug}/proposals/{proposal.id}?lang=en").get_data(as_text=True)
    assert "answer-history" not in page


def test_migration_moves_each_existing_answer_into_the_history(tmp_path):
    url = f"sqlite:///{tmp_path / 'answers.sqlite'}"
    migrate.upgrade(url)
    engine = create_engine(url)
    with Session(engine) as session:
        admin = make_user(session, email="board@example.org")
        association = make_association(session, admin=admin)
        answered = make_proposal(session, association, admin, lifecycle=Lifecycle.ACCEPTED)
        answered.answer, answered.answered_at, answered.answered_by_id = "Ja.", utcnow(), admin.id
        make_proposal(session, association, admin)  # never answered
        session.commit()
        answered_id, admin_id = answered.id, admin.id
    engine.dispose()
    # Back to before the history existed, then up again: the data migration runs on real rows.
    migrate.downgrade(url, "0007")
    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT proposal_id, lifecycle, answer, answered_by_id FROM proposal_answers")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [(answered_id, "accepted", "Ja.", admin_id)]
