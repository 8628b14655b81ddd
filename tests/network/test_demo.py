"""The demo's history step spreads fresh demo rows over the last year, once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.factories import make_association, make_group, make_member, make_proposal, make_user
from tests.network.builders import support
from twinning.associations.models import Membership
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.demo import network as demo_network
from twinning.proposals.models import Proposal, Support


def test_demo_history_is_spread_believably_and_idempotent(session):
    admin = make_user(session, email="demo-admin@example.org")
    association = make_association(session, admin=admin)
    authors = [make_member(session, association, email=f"demo{n}@example.org") for n in range(6)]
    proposals = [
        make_proposal(session, association, author, sdgs=[n % 17 + 1]) for n, author in enumerate(authors)
    ]
    waiting = make_proposal(session, association, authors[0], moderation_state=ModerationState.PENDING)
    for proposal in proposals:
        for author in authors[:3]:
            support(session, proposal, author)
    make_group(session, association, coordinator=authors[1])
    other = make_association(session)  # no demo people: left alone
    outsider = make_proposal(session, other, make_member(session, other, email="real@elsewhere.org"))

    demo_network.load(session, "unused")
    now = utcnow()
    created = [session.get(Proposal, p.id).created_at for p in proposals]
    assert all(now - timedelta(days=366) < moment < now - timedelta(days=1) for moment in created)
    assert len({moment.date() for moment in created}) > 3
    assert session.get(Proposal, waiting.id).created_at > now - timedelta(days=14)
    for proposal in proposals:
        assert proposal.published_at > proposal.created_at
        for row in session.scalars(select(Support).where(Support.proposal_id == proposal.id)):
            assert proposal.published_at <= row.created_at <= now
        membership = session.scalar(
            select(Membership).where(
                Membership.user_id == proposal.author_id, Membership.association_id == association.id
            )
        )
        assert membership.created_at < proposal.created_at
    assert session.get(Proposal, outsider.id).created_at > now - timedelta(minutes=5)
    assert association.created_at < min(created)

    before = sorted(p.created_at for p in session.scalars(select(Proposal)))
    demo_network.load(session, "unused")
    assert sorted(p.created_at for p in session.scalars(select(Proposal))) == before
