"""Demo data for trying Twinning locally; idempotent, so ``make run`` may load it every time.

Each feature has its module here; they run in floor order, each finding what the ones
before it made (by e-mail, slug or title) instead of creating it twice.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from twinning.auth.services import hash_password
from twinning.demo import users
from twinning.demo.users import DEMO_PASSWORD

# Feature modules add themselves here in floor order: (module path, function name).
STEPS: list[str] = [
    "twinning.demo.associations",
    "twinning.demo.proposals",
    "twinning.demo.groups",
    "twinning.demo.network",
]


def load_demo(session: Session) -> dict:
    import importlib

    shared_hash = hash_password(DEMO_PASSWORD)  # one argon2 run, not one per account
    accounts = users.load(session, shared_hash)
    for path in STEPS:
        try:
            module = importlib.import_module(path)
        except ModuleNotFoundError as error:
            if error.name != path:
                raise
            continue  # that feature has no demo data yet
        accounts += module.load(session, shared_hash) or []
        session.flush()
    return {"accounts": accounts, "password": DEMO_PASSWORD}
