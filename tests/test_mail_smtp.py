"""A confirmation mail through a real SMTP server (aiosmtpd on a free local port)."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


class Collect:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    handler = Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    yield handler
    app.config.update(MAIL_SERVER=None)
    controller.stop()


def test_registration_mail_goes_through_smtp_with_text_and_html(client, session, smtp_server):
    response = client.post(
        "/auth/register?lang=en",
        data={"email": "smtp@example.org", "display_name": "Thandi", "password": "water for all 6"},
    )
    assert response.status_code == 302
    assert len(smtp_server.messages) == 1
    recipients, message = smtp_server.messages[0]
    assert recipients == ["smtp@example.org"]
    assert message["Subject"] == "Please confirm your e-mail address"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "http://localhost/auth/confirm/" in text
    assert 'href="http://localhost/auth/confirm/' in html
    path = text[text.index("http://localhost") + len("http://localhost") :].split()[0]
    assert client.get(path).status_code == 302


def test_unreachable_mail_server_does_not_break_registration(app, client, session):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())
    try:
        response = client.post(
            "/auth/register",
            data={"email": "nomail@example.org", "display_name": "N", "password": "long enough pw"},
        )
    finally:
        app.config.update(MAIL_SERVER=None)
    assert response.status_code == 302
