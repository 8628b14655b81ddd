"""Two clicks on the same e-mail change link at the same moment: exactly one changes the address.

The requests must really compete, each on its own connection, so this module replaces the
rolled-back test transaction with real commits and deletes what it created afterwards.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import delete

from tests.conftest import sign_in
from tests.factories import PASSWORD, make_user
from twinning.auth.models import User
from twinning.core.extensions import db, limiter


@pytest.fixture
def session(app):
    """Overrides the shared fixture: committed data on the real engine, cleaned up afterwards."""
    db.session.remove()
    db.session.configure(bind=db.engine)
    limiter.reset()
    created: list[int] = []
    yield db.session, created
    db.session.remove()
    with db.engine.begin() as connection:
        connection.execute(delete(User).where(User.id.in_(created)))


@pytest.mark.parametrize("clicks", [2, 8])
def test_parallel_clicks_on_one_link_change_the_address_once(app, session, outbox, clicks):
    session, created = session
    tag = uuid.uuid4().hex[:8]
    user = make_user(session, email=f"race-{tag}@example.org")
    created.append(user.id)
    user_id = user.id
    session.commit()
    owner = app.test_client()
    assert sign_in(owner, f"race-{tag}@example.org").status_code == 302
    new_email = f"raced-{tag}@example.org"
    assert owner.post("/profile/email", data={"email": new_email, "password": PASSWORD}).status_code == 302
    path = outbox.link(outbox.last_to(new_email)).replace("http://localhost", "")
    db.session.remove()
    before = db.session.get(User, user_id)
    sessions_before, links_before = before.session_version, before.email_change_version
    db.session.remove()

    clients = [app.test_client() for _ in range(clicks)]
    start = threading.Barrier(clicks)
    statuses: list[int] = []
    lock = threading.Lock()

    def click(client) -> None:
        start.wait()
        response = client.post(path)
        with lock:
            statuses.append(response.status_code)
        db.session.remove()

    threads = [threading.Thread(target=click, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [302] + [400] * (clicks - 1), statuses
    db.session.remove()
    after = db.session.get(User, user_id)
    assert after.email == new_email
    assert after.session_version == sessions_before + 1
    assert after.email_change_version == links_before + 1
    changed_notices = [
        m for m in outbox.messages() if m["To"] == f"race-{tag}@example.org" and "geändert" in m["Subject"]
    ]
    assert len(changed_notices) == 1
