"""The ``twinning`` command: database, accounts, demo data, translations."""

from __future__ import annotations

import subprocess  # runs pybabel only, with fixed arguments  # nosec B404
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from twinning import ROOT, migrate
from twinning.core.extensions import db

TRANSLATIONS = ROOT / "twinning" / "translations"
POT = TRANSLATIONS / "messages.pot"


def _create_app():
    from twinning import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def main() -> None:
    """Twinning: a participatory platform for town-twinning associations."""


@click.group("db")
def db_group() -> None:
    """Database schema (Alembic)."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Create or update the schema."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo("Database is up to date.")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Step the schema back to REVISION."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@with_appcontext
def db_revision(message: str) -> None:
    """Write a new revision from the difference between models and database."""
    migrate.revision(current_app.config["DATABASE_URL"], message)


@db_group.command("current")
@with_appcontext
def db_current() -> None:
    migrate.current(current_app.config["DATABASE_URL"])


@click.command("demo")
@click.option(
    "--password",
    default=None,
    help="Password of the demo accounts; required in production, where the public one is refused.",
)
@with_appcontext
def demo(password: str | None) -> None:
    """Load the demo data (idempotent) and print the sign-ins to try."""
    from twinning.demo import load_demo
    from twinning.demo.users import DEMO_PASSWORD

    if current_app.config["ENV"] == "production" and password in (None, DEMO_PASSWORD):
        raise click.ClickException(
            "In production the demo accounts need their own password (--password): "
            f"the public one ({DEMO_PASSWORD}) is printed in the documentation."
        )
    sign_ins = load_demo(db.session, password or DEMO_PASSWORD)
    db.session.commit()
    click.echo("Demo data is ready. Sign in with any of these (password for all: see below):")
    for role, email in sign_ins["accounts"]:
        click.echo(f"  {role:<28} {email}")
    click.echo(f"  password: {sign_ins['password']}")


@click.command("seed-scale")
@click.option("--associations", default=50, show_default=True)
@click.option("--users", default=2_000, show_default=True)
@click.option("--proposals", default=10_000, show_default=True)
@click.option("--supports", default=200_000, show_default=True)
@click.option("--seed", default=1, show_default=True, help="The same seed gives the same data.")
@with_appcontext
def seed_scale(associations: int, users: int, proposals: int, supports: int, seed: int) -> None:
    """Large synthetic data (groups, comments and memberships in proportion)."""
    import time

    if current_app.config["ENV"] == "production":
        raise click.ClickException(
            "seed-scale creates thousands of accounts with a public password: never in production."
        )

    from twinning.auth.services import hash_password
    from twinning.scale import AlreadySeeded
    from twinning.scale import seed_scale as seed_data

    started = time.perf_counter()
    try:
        counts = seed_data(
            db.session,
            associations=associations,
            users=users,
            proposals=proposals,
            supports=supports,
            seed=seed,
            password_hash=hash_password("twinning-scale"),
            progress=True,
        )
    except AlreadySeeded as error:
        db.session.rollback()
        raise click.ClickException("This database already holds scale data; use a fresh one.") from error
    db.session.commit()
    summary = ", ".join(f"{count:,} {label}" for label, count in counts.items())
    click.echo(f"Inserted {summary} in {time.perf_counter() - started:.1f} s (password: twinning-scale).")


@click.group("translate")
def translate() -> None:
    """Message catalogues: extract, update, compile."""


def _pybabel(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT
    )  # our own interpreter and the command's fixed arguments, no shell  # nosec B603


@translate.command("extract")
def translate_extract() -> None:
    """Collect every msgid from code and templates into messages.pot."""
    # Babel skips folders starting with "_" unless told otherwise; templates/_macros has strings.
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "--ignore-dirs",
        ".* ._",
        "--no-location",
        "--sort-output",
        "--omit-header",
        "-o",
        str(POT),
        ".",
    )


@translate.command("update")
def translate_update() -> None:
    """Extract, merge into the de and en catalogues, and fill English from the source."""
    translate_extract.callback()
    _pybabel(
        "update",
        "-i",
        str(POT),
        "-d",
        str(TRANSLATIONS),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
        "-w",
        "100",
    )
    from twinning.translations_tools import fill_source_language

    fill_source_language(TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po")


@translate.command("compile")
def translate_compile() -> None:
    """Write the .mo files the app reads."""
    _pybabel("compile", "-d", str(TRANSLATIONS), "--statistics")


for command in (db_group, demo, seed_scale, translate):
    main.add_command(command)


def register_commands(app) -> None:
    """``flask --app twinning`` gets the same commands as the console script."""
    for command in (db_group, demo, seed_scale, translate):
        app.cli.add_command(command)


if __name__ == "__main__":
    main()
