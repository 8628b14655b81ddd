"""The accounts feature's command: ``twinning create-admin``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from twinning.auth.services import create_admin as create
from twinning.core.errors import DomainError
from twinning.core.extensions import db


@click.command("create-admin")
@click.argument("email")
@click.option("--password", required=True, help="At least 10 characters (unused when promoting).")
@with_appcontext
def create_admin(email: str, password: str) -> None:
    """Create a confirmed platform admin, or promote an existing account."""
    try:
        user, created = create(db.session, email, password)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"{'Created' if created else 'Promoted'} platform admin {user.email}.")
