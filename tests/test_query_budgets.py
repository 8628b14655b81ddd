"""Query budgets: each main page sends a fixed number of statements, at 1× and at 10× the data,
and no page writes to the database when it is read."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import _PASSWORD_HASH
from tests.querycount import count_queries
from twinning.associations.models import Association, Membership, Role
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.groups.models import Group, group_sdgs
from twinning.proposals.models import Proposal
from twinning.scale import seed_scale

# page: (path template, who looks, most statements allowed)
PAGES = {
    "home": ("/", None, 14),
    "home as member": ("/", "member", 10),
    "home as admin": ("/", "admin", 10),
    "directory": ("/associations", None, 8),
    "space": ("/a/{slug}", None, 17),
    "space as member": ("/a/{slug}", "member", 20),
    "proposal list": ("/a/{slug}/proposals", None, 10),
    "proposal list as member": ("/a/{slug}/proposals", "member", 13),
    "proposal": ("/a/{slug}/proposals/{proposal}", None, 12),
    "proposal as member": ("/a/{slug}/proposals/{proposal}", "member", 14),
    "groups": ("/groups", None, 8),
    "group": ("/groups/{group}", None, 10),
    "sdgs": ("/sdgs", None, 4),
    "sdg": ("/sdgs/{sdg}", None, 10),
    "network": ("/network", None, 9),
    "moderation queue": ("/a/{slug}/moderation", "admin", 18),
    "all my queues": ("/moderation", "admin", 12),
}


def _grow(session, factor: int) -> None:
    seed_scale(
        session,
        associations=2 * factor,
        users=25 * factor,
        proposals=40 * factor,
        supports=300 * factor,
        seed=factor,
        password_hash=_PASSWORD_HASH,
        add_to_existing=True,
    )
    session.commit()


def _subjects(session) -> dict[str, object]:
    association = session.scalar(
        select(Association).where(Association.slug.like("scale-%")).order_by(Association.id)
    )
    proposal = session.scalar(
        select(Proposal.id)
        .where(
            Proposal.association_id == association.id, Proposal.moderation_state == ModerationState.APPROVED
        )
        .order_by(Proposal.support_count.desc())
    )
    group = session.scalar(select(Group.id).where(Group.association_id == association.id).order_by(Group.id))
    # A goal with groups and proposals already at the small size, so its page lists both.
    sdg = session.scalar(select(group_sdgs.c.sdg).where(group_sdgs.c.group_id == group))

    def email_of(role: Role) -> str:
        return session.scalar(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.association_id == association.id, Membership.role == role)
            .order_by(User.id)
        )

    return {
        "slug": association.slug,
        "proposal": proposal,
        "group": group,
        "sdg": sdg,
        "member": email_of(Role.MEMBER),
        "admin": email_of(Role.ADMIN),
    }


def _measure(app, subjects) -> dict[str, tuple[int, int]]:
    """(statements, writes) for every page, each from a fresh client."""
    results = {}
    for name, (template, who, _budget) in PAGES.items():
        client = app.test_client()
        if who:
            sign_in(client, subjects[who])
        client.get(template.format(**subjects))  # warm-up: caches, first-request work
        with count_queries() as counted:
            response = client.get(template.format(**subjects))
        assert response.status_code == 200, (name, response.status_code)
        writes = [
            s for s in counted.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        ]
        results[name] = (counted.total, len(writes))
    return results


@pytest.mark.slow
def test_main_pages_keep_their_query_budget_at_ten_times_the_data(app, session):
    _grow(session, 1)
    subjects = _subjects(session)
    small = _measure(app, subjects)
    _grow(session, 9)
    large = _measure(app, subjects)

    report = "\n".join(
        f"{name:<26} {small[name][0]:>3} → {large[name][0]:>3} (budget {PAGES[name][2]})" for name in PAGES
    )

    for name, (_template, _who, budget) in PAGES.items():
        assert large[name][0] == small[name][0], f"{name} grows with the data:\n{report}"
        assert large[name][0] <= budget, f"{name} is over its budget:\n{report}"
        assert small[name][1] == 0 and large[name][1] == 0, f"{name} writes on GET:\n{report}"
