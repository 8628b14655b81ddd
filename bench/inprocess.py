"""How each main page's cost grows from 1× to 10× data, in process (no network, no gunicorn).

    .venv/bin/python bench/inprocess.py

Builds two SQLite databases under instance/bench/ (once): 1× = 5 associations, 200 users,
1,000 proposals, 20,000 supports; 10× = the seed-scale defaults (50 / 2,000 / 10,000 /
200,000). For each main page it prints the median time of 40 warm requests through the
Flask test client and the number of SQL statements, as a signed-out visitor with the page
cache off (so the page is rendered every time) and, with the cache on, for a repeat visitor.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from run import subjects  # bench/run.py: the same association, proposal and group

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORK = ROOT / "instance" / "bench"
SIZES = {
    "1x": ["--associations", "5", "--users", "200", "--proposals", "1000", "--supports", "20000"],
    "10x": [],  # the seed-scale defaults, as make bench uses
}
PAGES = [
    "/",
    "/associations",
    "/a/{slug}",
    "/a/{slug}/proposals",
    "/a/{slug}/proposals/{proposal}",
    "/groups",
    "/groups/{group}",
    "/sdgs",
    "/sdgs/13",
    "/network",
]


def prepare(database: Path, size: list[str]) -> None:
    if database.exists():
        return
    WORK.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "TWINNING_DATABASE_URL": f"sqlite:///{database}",
        "TWINNING_OUTBOX_FOLDER": str(WORK / "outbox"),
    }
    for args in (["db", "upgrade"], ["demo"], ["seed-scale", *size]):
        subprocess.run([str(BIN / "twinning"), *args], env=env, check=True, stdout=subprocess.DEVNULL)


def measure(database: Path) -> dict[str, tuple[float, int, float]]:
    """page: (rendered ms, statements, repeat visitor ms)."""
    os.environ["TWINNING_DATABASE_URL"] = f"sqlite:///{database}"
    from sqlalchemy import event

    from twinning import create_app
    from twinning.core import pagecache
    from twinning.core.extensions import db

    app = create_app({"RATELIMIT_ENABLED": False, "PAGE_CACHE_SECONDS": 0})
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    found = subjects(database)
    results = {}
    for template in PAGES:
        path = template.format(**found)
        client = app.test_client()
        app.config["PAGE_CACHE_SECONDS"] = 0
        for _ in range(5):
            assert client.get(path).status_code == 200, path
        times = []
        for _ in range(40):
            statements.clear()
            start = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - start)
        sent = len([s for s in statements if not s.startswith(("BEGIN", "ROLLBACK", "PRAGMA"))])
        app.config["PAGE_CACHE_SECONDS"] = 60
        pagecache.clear(app)
        client.get(path)
        repeat = []
        for _ in range(40):
            start = time.perf_counter()
            client.get(path)
            repeat.append(time.perf_counter() - start)
        results[template] = (statistics.median(times) * 1000, sent, statistics.median(repeat) * 1000)
    db.engine.dispose()
    return results


def main() -> None:
    if len(sys.argv) == 2:  # one size, in a fresh process (the app binds one database)
        size = sys.argv[1]
        database = WORK / ("bench.sqlite" if size == "10x" else f"bench-{size}.sqlite")
        prepare(database, SIZES[size])
        for page, (ms, sent, repeat) in measure(database).items():
            print(f"{page}\t{ms:.1f}\t{sent}\t{repeat:.2f}")
        return
    rows = {}
    for size in SIZES:
        output = subprocess.run(
            [sys.executable, __file__, size], check=True, capture_output=True, text=True
        ).stdout
        for line in output.splitlines():
            page, ms, sent, repeat = line.split("\t")
            rows.setdefault(page, {})[size] = (float(ms), int(sent), float(repeat))
    print(f"{'page':<34} {'1x ms':>7} {'10x ms':>7} {'stmts 1x/10x':>13} {'cached 10x ms':>14}")
    for page, by_size in rows.items():
        small, large = by_size["1x"], by_size["10x"]
        print(
            f"{page:<34} {small[0]:>7.1f} {large[0]:>7.1f} {f'{small[1]}/{large[1]}':>13} {large[2]:>14.2f}"
        )


if __name__ == "__main__":
    main()
