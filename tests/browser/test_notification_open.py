"""Opening an unread notification is a button (a POST that marks it read), and works without JavaScript."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from twinning.auth.models import User
from twinning.notifications.models import Notification

pytestmark = pytest.mark.browser

READER = "jonas@example.org"


def _notify(server, email: str, link: str) -> int:
    engine = create_engine(f"sqlite:///{server.folder / 'browser.sqlite'}")
    try:
        with Session(engine) as session, session.begin():
            user_id = session.scalar(select(User.id).where(User.email == email))
            notification = Notification(
                user_id=user_id, kind="moderation.approve", link=link, params={"title": "Leseecke"}
            )
            session.add(notification)
            session.flush()
            return notification.id
    finally:
        engine.dispose()


def test_an_unread_notification_opens_and_is_read_without_javascript(new_context, server):
    note_id = _notify(server, READER, "/imprint")
    page = new_context(READER, javascript=False).new_page()
    page.goto("/notifications")
    button = page.locator(f"form[action='/notifications/{note_id}/open'] button[type=submit]")
    assert "Leseecke" in button.inner_text()
    with page.expect_navigation():
        button.click()
    assert page.url.endswith("/imprint")

    page.goto("/notifications")
    assert page.locator(f"form[action='/notifications/{note_id}/open']").count() == 0
    link = page.locator(f"a[href='/notifications/{note_id}/open']")
    with page.expect_navigation():
        link.click()
    assert page.url.endswith("/imprint")
