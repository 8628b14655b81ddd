"""``make bench``: throughput and latency of the main pages under gunicorn, against the floor.

Builds (once) a seed-scale SQLite database, starts Twinning and the reference floor app
(../shared/bench/floor_app.py) under the same gunicorn settings (2 workers), drives
each page with wrk at 8 connections on loopback, alternating ours and the floor's
proposal list, and prints requests per second, p50/p99 latency and the peak memory
of each worker. Everything runs on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FLOOR = ROOT.parent / "shared" / "bench" / "floor_app.py"
WORK = ROOT / "instance" / "bench"
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = 8


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TWINNING_DATABASE_URL": f"sqlite:///{database}",
        "TWINNING_SECRET_KEY": "bench",
        "TWINNING_RATELIMIT_ENABLED": "false",
        "TWINNING_OUTBOX_FOLDER": str(WORK / "outbox"),
    }


def prepare(database: Path) -> None:
    if database.exists():
        return
    WORK.mkdir(parents=True, exist_ok=True)
    env = environment(database)
    for args in (["db", "upgrade"], ["demo"], ["seed-scale"]):
        subprocess.run([str(BIN / "twinning"), *args], env=env, check=True, stdout=subprocess.DEVNULL)


def start(app: str, port: int, env: dict[str, str], cwd: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", app],
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{app} did not start on port {port}")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def worker_peak_kib(master: subprocess.Popen) -> list[int]:
    """VmHWM of each gunicorn worker (children of the master)."""
    peaks = []
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    for pid in children.read_text().split() if children.exists() else []:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append(int(match.group(1)))
    return peaks


def sign_in_cookie(base: str, email: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/auth/login").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    opener.open(f"{base}/auth/login", data=data)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def status_of(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wrk(url: str, cookie: str = "") -> dict[str, float]:
    args = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", DURATION, "--latency", url]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(args, capture_output=True, text=True, check=True).stdout

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50": latency("50"),
        "p99": latency("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def subjects(database: Path) -> dict[str, object]:
    """What the pages are measured on: the third seed-scale association, its most supported
    published proposal, the first group, and one admin and one member of the association."""
    with sqlite3.connect(database) as connection:
        slug, association_id = connection.execute(
            "SELECT slug, id FROM associations WHERE slug LIKE 'scale-%' ORDER BY id LIMIT 1 OFFSET 2"
        ).fetchone()
        proposal = connection.execute(
            "SELECT id FROM proposals WHERE association_id = ? AND moderation_state = 'approved' "
            "ORDER BY support_count DESC LIMIT 1",
            (association_id,),
        ).fetchone()[0]
        group = connection.execute("SELECT id FROM groups ORDER BY id LIMIT 1").fetchone()[0]
        admin, member = (
            connection.execute(
                "SELECT u.email FROM users u JOIN memberships m ON m.user_id = u.id "
                "WHERE m.association_id = ? AND m.role = ? ORDER BY u.id",
                (association_id, role),
            ).fetchone()[0]
            for role in ("admin", "member")
        )
    return {"slug": slug, "proposal": proposal, "group": group, "admin": admin, "member": member}


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian package wrk).")
    database = WORK / "bench.sqlite"
    prepare(database)
    ours_port, floor_port = free_port(), free_port()
    ours = start("twinning:create_app()", ours_port, environment(database), ROOT)
    floor = start(
        "floor_app:app", floor_port, {**os.environ, "FLOOR_DB": str(WORK / "floor.db")}, FLOOR.parent
    )
    base = f"http://127.0.0.1:{ours_port}"
    try:
        found = subjects(database)
        slug, proposal_id, group_id = found["slug"], found["proposal"], found["group"]
        admin_email, member_email = found["admin"], found["member"]
        moderator_cookie = sign_in_cookie(base, admin_email, "twinning-scale")
        # Signed in, every page is rendered afresh: the cost of the work itself (twinning.core.pagecache
        # answers signed-out visitors from memory until something is written).
        member_cookie = sign_in_cookie(base, member_email, "twinning-scale")
        pages = [
            ("home", "/", ""),
            ("associations", "/associations", ""),
            ("space", f"/a/{slug}", ""),
            ("proposal list", f"/a/{slug}/proposals", ""),
            ("list, signed in", f"/a/{slug}/proposals", member_cookie),
            ("proposal", f"/a/{slug}/proposals/{proposal_id}", ""),
            ("proposal, signed in", f"/a/{slug}/proposals/{proposal_id}", member_cookie),
            ("groups", "/groups", ""),
            ("group", f"/groups/{group_id}", ""),
            ("sdgs", "/sdgs", ""),
            ("sdg 13", "/sdgs/13", ""),
            ("network", "/network", ""),
            ("moderation queue", f"/a/{slug}/moderation", moderator_cookie),
        ]
        floor_url = f"http://127.0.0.1:{floor_port}/a/3/proposals"
        # Steady state: both workers of each server have compiled their templates and filled
        # their caches before anything is measured.
        for url, cookie in [(floor_url, ""), *((base + path, cookie) for _name, path, cookie in pages)]:
            wrk_warm = ["wrk", "-t", "2", "-c", "4", "-d", "1s", url]
            if cookie:
                wrk_warm[1:1] = ["-H", f"Cookie: {cookie}"]
            subprocess.run(wrk_warm, capture_output=True, check=False)

        print("Signed-out visitors are answered from the page cache; 'signed in' rows render every time.")
        print(f"{'page':<20} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  note")
        results = {}
        floor_runs, list_runs = [], []
        for name, path, cookie in pages:
            code = status_of(base + path, cookie)
            if code != 200:
                print(f"{name:<20} {'—':>8} {'—':>8} {'—':>8}  answers {code}, skipped")
                continue
            if name == "proposal list":
                # Alternate with the floor so both see the same machine state.
                for _ in range(2):
                    floor_runs.append(wrk(floor_url))
                    list_runs.append(wrk(base + path))
                result = max(list_runs, key=lambda r: r["rps"])
            else:
                result = wrk(base + path, cookie)
            results[name] = result
            flag = "" if result["p99"] < 100 else "p99 over 100 ms"
            if result["errors"]:
                flag += f" {result['errors']} errors"
            print(f"{name:<20} {result['rps']:>8.0f} {result['p50']:>8.1f} {result['p99']:>8.1f}  {flag}")
        if floor_runs and list_runs:
            floor_best = max(r["rps"] for r in floor_runs)
            ours_best = max(r["rps"] for r in list_runs)
            print(
                f"{'floor (list)':<20} {floor_best:>8.0f} {min(r['p50'] for r in floor_runs):>8.1f} "
                f"{min(r['p99'] for r in floor_runs):>8.1f}"
            )
            print(f"\nproposal list / floor throughput: {ours_best / floor_best:.2f} (target ≥ 0.80)")
        peaks = worker_peak_kib(ours)
        if peaks:
            print(
                f"peak memory per worker: {', '.join(f'{p / 1024:.0f} MB' for p in peaks)} (target < 150 MB)"
            )
    finally:
        stop(ours)
        stop(floor)


if __name__ == "__main__":
    main()
