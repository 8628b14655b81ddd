"""seed-scale: consistent counters, members only, reproducible."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories import make_user
from twinning.associations.models import Membership
from twinning.proposals.models import Comment, Proposal, Support
from twinning.scale import AlreadySeeded, seed_scale


def _seed(session, seed=7):
    return seed_scale(
        session, associations=4, users=60, proposals=80, supports=900, seed=seed, password_hash="x"
    )


def test_counters_match_rows_and_supporters_are_members(session):
    counts = _seed(session)
    assert counts["supports"] == 900 and counts["proposals"] == 80
    mismatched = session.scalar(
        select(func.count())
        .select_from(Proposal)
        .where(
            Proposal.support_count
            != select(func.count())
            .where(Support.proposal_id == Proposal.id)
            .correlate(Proposal)
            .scalar_subquery()
        )
    )
    assert mismatched == 0
    comments_off = session.scalar(
        select(func.count())
        .select_from(Proposal)
        .where(
            Proposal.comment_count
            != select(func.count())
            .where(Comment.proposal_id == Proposal.id)
            .correlate(Proposal)
            .scalar_subquery()
        )
    )
    assert comments_off == 0
    outsiders = session.scalar(
        select(func.count())
        .select_from(Support)
        .join(Proposal, Proposal.id == Support.proposal_id)
        .outerjoin(
            Membership,
            (Membership.user_id == Support.user_id) & (Membership.association_id == Proposal.association_id),
        )
        .where(Membership.id.is_(None))
    )
    assert outsiders == 0


def test_ids_keep_working_after_seeding(session):
    _seed(session)
    make_user(session)  # a normal insert after the bulk one must not collide


def test_refuses_to_seed_twice(session):
    _seed(session)
    with pytest.raises(AlreadySeeded):
        _seed(session)


def test_same_seed_same_titles(session):
    _seed(session, seed=3)
    first = list(session.scalars(select(Proposal.title).order_by(Proposal.id).limit(20)))
    session.rollback()
    _seed(session, seed=3)
    again = list(session.scalars(select(Proposal.title).order_by(Proposal.id).limit(20)))
    assert first == again
