"""Outgoing mail, rendered in the recipient's language and sent only after commit.

Services call ``queue_mail`` inside their transaction; the message leaves when the
request commits, and is dropped on rollback, so nobody gets mail about something
that did not happen. Without ``MAIL_SERVER`` mails go to the log and to
``instance/outbox/`` so a person trying Twinning locally can open the links.
"""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from twinning.core.urls import path_for

_OUTBOX_KEY = "twinning_outbox"


def absolute_url(endpoint: str, **values) -> str:
    """A link for mails: BASE_URL, since a mail may be written outside any request."""
    return current_app.config["BASE_URL"].rstrip("/") + path_for(endpoint, **values)


def queue_mail(
    session: Session, to: str, subject, template: str, locale: str, *, headers: dict | None = None, **context
) -> None:
    """Render ``mail/<template>.txt`` and ``.html`` in ``locale``; send after commit.

    ``headers`` adds header lines (e.g. ``List-Unsubscribe``).
    """
    with force_locale(locale):
        message = EmailMessage()
        message["Subject"] = str(subject)
        message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
        message["To"] = to
        message["Message-ID"] = make_msgid(domain="twinning")
        for name, value in (headers or {}).items():
            message[name] = value
        message.set_content(render_template(f"mail/{template}.txt", **context))
        message.add_alternative(render_template(f"mail/{template}.html", **context), subtype="html")
    session.info.setdefault(_OUTBOX_KEY, []).append((current_app._get_current_object(), message))


def deliver(app, message: EmailMessage) -> None:
    server = app.config.get("MAIL_SERVER")
    if not server:
        _write_to_outbox(app, message)
        return
    with smtplib.SMTP(server, int(app.config["MAIL_PORT"]), timeout=20) as smtp:
        if app.config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if app.config.get("MAIL_USERNAME"):
            smtp.login(app.config["MAIL_USERNAME"], app.config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _write_to_outbox(app, message: EmailMessage) -> None:
    outbox = Path(app.config.get("OUTBOX_FOLDER") or Path(app.instance_path) / "outbox")
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = outbox / f"{stamp}.eml"
    path.write_bytes(bytes(message))
    body = message.get_body(("plain",))
    text = body.get_content() if body else ""
    # A decoded copy beside the .eml, so the links can be read and clicked as they are.
    readable = f"To: {message['To']}\nSubject: {message['Subject']}\n\n{text}"
    path.with_suffix(".txt").write_text(readable, encoding="utf-8")
    app.logger.info("Mail to %s: %s (saved to %s)\n%s", message["To"], message["Subject"], path, text)


@event.listens_for(Session, "after_commit")
def _send_queued(session: Session) -> None:
    for app, message in session.info.pop(_OUTBOX_KEY, []):
        try:
            deliver(app, message)
        except (OSError, smtplib.SMTPException):
            # The action itself succeeded; a mail server hiccup must not turn it into a 500.
            app.logger.exception("Could not send mail to %s", message["To"])


@event.listens_for(Session, "after_rollback")
def _drop_queued(session: Session) -> None:
    session.info.pop(_OUTBOX_KEY, None)
