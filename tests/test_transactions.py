"""twinning.core.transactions.commit: one commit, or a refusal on the form — never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask_login import login_user
from sqlalchemy import func, select

from tests.factories import make_user
from twinning.auth.forms import RegisterForm
from twinning.auth.models import User
from twinning.core.db import utcnow
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.core.extensions import db
from twinning.core.transactions import CONFLICT_MESSAGE, FormSubmission, commit


def _users(email: str) -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(User.email == email))


def _write_then(error: Exception):
    """A service that writes a user and then fails: nothing of it may stay."""

    def run():
        make_user(db.session, email="half@example.org")
        raise error

    return run


def test_a_committed_service_returns_its_value(session, ctx):
    done = commit(lambda: make_user(db.session, email="whole@example.org"))
    assert done and done.status == 200 and done.value.email == "whole@example.org"
    assert _users("whole@example.org") == 1


def test_a_domain_error_rolls_back_and_lands_on_the_form(session, ctx):
    form = RegisterForm(formdata=None)
    done = commit(_write_then(ValidationError("Bitte prüfen.", "email")), form)
    assert not done and done.status == 400 and done.message == "Bitte prüfen."
    assert form.email.errors == ["Bitte prüfen."]
    assert _users("half@example.org") == 0


def test_a_refusal_keeps_its_status(session, ctx):
    assert commit(_write_then(NotAllowed("Nein."))).status == 403
    done = commit(_write_then(InvalidState("Schon erledigt.")), RegisterForm(formdata=None))
    assert done.status == 400 and _users("half@example.org") == 0


def test_a_constraint_violation_is_a_conflict_not_a_500(session, ctx):
    make_user(session, email="taken@example.org")
    session.commit()  # an earlier request's (in the test's transaction: a savepoint released)
    form = RegisterForm(formdata=None)
    done = commit(lambda: make_user(db.session, email="taken@example.org"), form)
    assert not done and done.status == 409
    assert form.form_errors == [CONFLICT_MESSAGE]
    assert _users("taken@example.org") == 1


def test_a_constraint_violation_can_read_as_the_services_own_refusal(session, ctx):
    make_user(session, email="taken@example.org")
    session.commit()  # an earlier request's (in the test's transaction: a savepoint released)
    form = RegisterForm(formdata=None)
    refusal = ValidationError("Diese Adresse ist vergeben.", "email")
    done = commit(lambda: make_user(db.session, email="taken@example.org"), form, conflict=refusal)
    assert done.status == 400 and form.email.errors == ["Diese Adresse ist vergeben."]


def test_a_token_is_used_once_and_old_ones_are_forgotten(session, app):
    user = make_user(session)
    session.add(
        FormSubmission(token="old", user_id=user.id, url="/old", created_at=utcnow() - timedelta(days=8))
    )
    session.commit()
    with app.test_request_context("/"):
        login_user(user)
        done = commit(lambda: "made", once="new", then=lambda value: f"/{value}")
        repeat = commit(lambda: pytest.fail("the service ran twice"), once="new", then=lambda value: "/other")
    assert done and not done.repeated and done.url == "/made"
    assert repeat and repeat.repeated and repeat.url == "/made"
    assert session.scalars(select(FormSubmission.token).where(FormSubmission.user_id == user.id)).all() == [
        "new"
    ]
