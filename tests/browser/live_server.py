"""Twinning served by gunicorn in a child process, with its own database and outbox.

The app runs in a subprocess, never in the pytest process: the db extension is global
and the unit-test app in tests/conftest.py owns it.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from email import message_from_bytes, policy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """One running app: ``url`` to browse, ``outbox`` for the mails it wrote."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.outbox = folder / "outbox"
        self.log_path = folder / "server.log"
        self.process: subprocess.Popen | None = None

    def environment(self) -> dict[str, str]:
        # The developer's own TWINNING_* settings (a mail server, a PostgreSQL URL) must not leak in.
        env = {key: value for key, value in os.environ.items() if not key.startswith(("TWINNING_", "FLASK_"))}
        env.update(
            {
                "TWINNING_DATABASE_URL": f"sqlite:///{self.folder / 'browser.sqlite'}",
                "TWINNING_SECRET_KEY": "browser",
                "TWINNING_RATELIMIT_ENABLED": "false",
                "TWINNING_BASE_URL": self.url,
                "TWINNING_OUTBOX_FOLDER": str(self.outbox),
                "TWINNING_UPLOAD_FOLDER": str(self.folder / "uploads"),
            }
        )
        return env

    def _cli(self, *args: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "twinning.cli", *args],
            cwd=ROOT,
            env=self.environment(),
            check=False,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(f"`twinning {' '.join(args)}` failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        self._cli("db", "upgrade")
        self._cli("demo")
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "1",
                    "--threads",
                    "4",
                    "--log-level",
                    "warning",
                    "twinning:create_app()",
                ],
                cwd=ROOT,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"The app did not answer /healthz:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def outbox_link(self, address: str, timeout: float = 5.0) -> str:
        """The first link in the newest mail to ``address``."""
        deadline = time.monotonic() + timeout
        while True:
            # File names are UTC timestamps to the microsecond, so name order is send order.
            for path in sorted(self.outbox.glob("*.eml"), reverse=True):
                message = message_from_bytes(path.read_bytes(), policy=policy.default)
                if message["To"] != address:
                    continue
                body = message.get_body(("plain",)).get_content()
                match = re.search(r"https?://\S+", body)
                assert match, f"no link in the mail to {address} ({path.name}):\n{body}"
                return match.group(0)
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail to {address} in {self.outbox}")
            time.sleep(0.1)
