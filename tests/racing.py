"""Requests that really compete: committed data, each request on its own connection and thread.

The shared ``session`` fixture keeps a test inside one rolled-back transaction, which no other
connection can see. A race test imports ``live_session`` instead (it is named ``session``, so
it replaces the shared fixture in that module): what the test builds is committed on the real
engine, every request in ``race`` runs in its own thread with its own connection, as under a
threaded server, and everything whose e-mail or slug carries ``live.tag`` is deleted afterwards.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import TypeVar

import pytest
from sqlalchemy import delete

from twinning.associations.models import Association
from twinning.auth.models import User
from twinning.core.extensions import db, limiter

T = TypeVar("T")
RACE_SECONDS = 120


class Live:
    """The committed world of one race test: ``tag`` marks what it creates."""

    def __init__(self, app) -> None:
        self.app = app
        self.tag = uuid.uuid4().hex[:10]
        self.session = db.session

    def email(self, name: str) -> str:
        return f"{name}-{self.tag}@example.org"

    def slug(self, name: str) -> str:
        return f"{name}-{self.tag}"

    def client(self, user: User | None = None):
        """A test client, signed in as ``user`` through its session cookie (no sign-in request)."""
        client = self.app.test_client()
        if user is not None:
            with client.session_transaction() as cookie:
                cookie["_user_id"] = f"{user.id}:{user.session_version}"
                cookie["_fresh"] = True
        return client

    def clean_up(self) -> None:
        db.session.remove()
        with db.engine.begin() as connection:
            connection.execute(delete(Association).where(Association.slug.like(f"%-{self.tag}")))
            connection.execute(delete(User).where(User.email.like(f"%-{self.tag}@example.org")))


@pytest.fixture(name="session")
def live_session(app):
    """Replaces the shared fixture: committed data on the real engine, cleaned up afterwards."""
    db.session.remove()
    db.session.configure(bind=db.engine)
    limiter.reset()
    enabled, limiter.enabled = limiter.enabled, False  # the races, not the rate limits
    live = Live(app)
    live.clean_up()
    try:
        yield live
    finally:
        limiter.enabled = enabled
        live.clean_up()


def race(*calls: Callable[[], T]) -> list[T]:
    """Start the calls at the same moment, each in its own thread; their results, in order."""
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    failures: list[BaseException] = []

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            start.wait()
            results[index] = call()
        except BaseException as error:
            failures.append(error)
        finally:
            db.session.remove()  # this thread's session and connection

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=RACE_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    assert not failures, failures
    return results
