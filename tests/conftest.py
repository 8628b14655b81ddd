"""One app per test session, one rolled-back transaction per test.

The database is SQLite in a temporary folder, or the PostgreSQL database named by
TWINNING_TEST_DATABASE_URL (its public schema is emptied first). The schema comes from
the Alembic revisions, so every test also exercises the migrations.
"""

from __future__ import annotations

import os
import re
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from twinning import create_app, migrate
from twinning.core.extensions import db, limiter

TEST_DATABASE_URL = os.environ.get("TWINNING_TEST_DATABASE_URL")


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


class CommittingClient(FlaskClient):
    """Commits what the test built before each request, as a real earlier request would have.

    The request shares the test's scoped session (same thread) and removes it afterwards;
    in the test's outer transaction a commit only releases a savepoint.
    """

    def open(self, *args, **kwargs):
        db.session.commit()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("twinning")
    url = TEST_DATABASE_URL or f"sqlite:///{folder / 'test.sqlite'}"
    if url.startswith("postgresql"):
        _empty_postgres(url)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "BASE_URL": "http://localhost",
            "OUTBOX_FOLDER": str(folder / "outbox"),
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "MAIL_SERVER": None,
            "NETWORK_CACHE_SECONDS": 0,  # every test sees its own data; tests/network/test_cache.py turns it on
            "PAGE_CACHE_SECONDS": 0,  # pages are rendered, as they are measured; tests/test_pagecache.py turns it on
        }
    )
    migrate.upgrade(url)
    app.test_client_class = CommittingClient

    @app.route("/_test/boom")
    def boom():
        raise RuntimeError("a bug, on purpose")

    yield app
    db.engine.dispose()


@pytest.fixture(autouse=True)
def session(app):
    """The test's session: everything it and the requests it makes write is rolled back."""
    connection = db.engine.connect()
    transaction = connection.begin()
    db.session.remove()
    db.session.configure(bind=connection, join_transaction_mode="create_savepoint")
    limiter.reset()
    # No app context is held here: requests of the test client must each get their own
    # (and with it a fresh ``g``); service tests ask for ``ctx``.
    yield db.session
    db.session.remove()
    transaction.rollback()
    connection.close()
    db.session.configure(bind=db.engine)


@pytest.fixture
def clock(monkeypatch):
    """``time.monotonic`` as a number the test moves by hand (the caches' idea of time)."""
    import time

    now = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: now[0])
    return now


@pytest.fixture
def ctx(app):
    """A request context for service tests that build URLs, mails or translations."""
    with app.test_request_context("/"):
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf(app):
    """Turn CSRF checking on for one test."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


class Outbox:
    """The mails the app wrote to its outbox folder (no mail server configured)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def messages(self):
        if not self.folder.exists():
            return []
        return [
            message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(self.folder.glob("*.eml"))
        ]

    def last_to(self, address: str):
        found = [m for m in self.messages() if m["To"] == address]
        assert found, f"no mail to {address}"
        return found[-1]

    @staticmethod
    def link(message) -> str:
        body = message.get_body(("plain",)).get_content()
        match = re.search(r"https?://\S+", body)
        assert match, body
        return match.group(0)


@pytest.fixture
def outbox(app):
    folder = Path(app.config["OUTBOX_FOLDER"])
    if folder.exists():
        for path in folder.iterdir():
            path.unlink()
    return Outbox(folder)


def sign_in(client, email: str, password: str = "correct horse battery"):  # noqa: S107
    return client.post("/auth/login", data={"email": email, "password": password})
