"""The ``twinning`` console script, run as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import create_engine, text

from twinning import ROOT


def _twinning(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "TWINNING_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
        "TWINNING_SECRET_KEY": "cli-test",
    }
    return subprocess.run(
        [sys.executable, "-m", "twinning.cli", *args],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _count(tmp_path, sql: str) -> int:
    engine = create_engine(f"sqlite:///{tmp_path / 'cli.sqlite'}")
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar()
    engine.dispose()
    return value


DEMO_TABLES = [
    "users",
    "associations",
    "memberships",
    "proposals",
    "supports",
    "comments",
    "groups",
    "group_memberships",
    "threads",
    "partnerships",
    "reports",
]


def test_upgrade_demo_twice_and_create_admin(tmp_path):
    assert _twinning(tmp_path, "db", "upgrade").returncode == 0
    first = _twinning(tmp_path, "demo")
    assert first.returncode == 0, first.stderr
    assert "admin@example.org" in first.stdout
    counts = {table: _count(tmp_path, f"SELECT count(*) FROM {table}") for table in DEMO_TABLES}  # noqa: S608
    assert counts["associations"] >= 8 and counts["proposals"] >= 12 and counts["users"] >= 25
    assert _twinning(tmp_path, "demo").returncode == 0
    again = {table: _count(tmp_path, f"SELECT count(*) FROM {table}") for table in DEMO_TABLES}  # noqa: S608
    assert again == counts  # idempotent
    admins_before = _count(tmp_path, "SELECT count(*) FROM users WHERE is_platform_admin")
    created = _twinning(tmp_path, "create-admin", "chief@example.org", "--password", "long enough pw")
    assert created.returncode == 0 and "Created" in created.stdout
    promoted = _twinning(tmp_path, "create-admin", "jonas@example.org", "--password", "whatever12")
    assert "Promoted" in promoted.stdout
    short = _twinning(tmp_path, "create-admin", "new@example.org", "--password", "short")
    assert short.returncode != 0 and "10" in short.stderr

    assert _count(tmp_path, "SELECT count(*) FROM users") == counts["users"] + 1
    assert _count(tmp_path, "SELECT count(*) FROM users WHERE is_platform_admin") == admins_before + 2
