"""Demo data for trying Twinning locally; idempotent, so ``make run`` may load it every time.

Each feature has its module here; they run in floor order, each finding what the ones
before it made (by e-mail, slug or title) instead of creating it twice.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from twinning.auth.services import hash_password
from twinning.demo import associations, groups, moderation, network, proposals, users
from twinning.demo.users import DEMO_PASSWORD

# Floor order: later steps find what earlier ones made; network spreads dates over the year.
STEPS = [users, associations, proposals, moderation, groups, network]


def load_demo(session: Session, password: str = DEMO_PASSWORD) -> dict:
    shared_hash = hash_password(password)  # one argon2 run, not one per account
    accounts: list[tuple[str, str]] = []
    for step in STEPS:
        accounts += step.load(session, shared_hash) or []
        session.flush()
    return {"accounts": accounts, "password": password}
