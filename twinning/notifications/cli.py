"""The notifications feature's command: ``twinning send-digests`` (once a day, from cron)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from twinning.core.extensions import db
from twinning.notifications.digest import send_digests as send


@click.command("send-digests")
@with_appcontext
def send_digests() -> None:
    """Mail the daily digest of notifications to everyone who chose it (run once a day)."""
    count = send(db.session)
    db.session.commit()
    click.echo(f"Sent {count} digest mail(s).")
