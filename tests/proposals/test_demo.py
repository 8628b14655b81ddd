"""The demo proposals: all 17 goals, three languages, queues, co-sponsoring; safe to load twice."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import make_association, make_user
from twinning.content import ModerationState
from twinning.demo import proposals as demo
from twinning.proposals.models import Comment, CoSponsorship, CoSponsorState, Proposal, proposal_sdgs


def test_demo_proposals_cover_every_goal_and_load_idempotently(session):
    admin = make_user(session)
    make_association(session, city="Aachen", admin=admin)
    make_association(session, city="Reims", country="FR")
    make_association(session, city="Cape Town", country="ZA")
    accounts = demo.load(session, admin.password_hash)
    assert ("member who posts proposals (Aachen)", "paul@example.org") in accounts
    counts = (session.scalar(select(func.count(Proposal.id))), session.scalar(select(func.count(Comment.id))))
    demo.load(session, admin.password_hash)
    assert (session.scalar(select(func.count(Proposal.id))), session.scalar(select(func.count(Comment.id)))) == counts
    assert set(session.scalars(select(proposal_sdgs.c.sdg).distinct())) == set(range(1, 18))
    assert session.scalar(select(func.count(Proposal.id)).where(
        Proposal.moderation_state == ModerationState.PENDING)) >= 2
    assert session.scalar(select(func.count(Comment.id)).where(
        Comment.moderation_state == ModerationState.PENDING)) == 1
    states = set(session.scalars(select(CoSponsorship.state)))
    assert states == {CoSponsorState.ACCEPTED, CoSponsorState.INVITED}
    for proposal in session.scalars(select(Proposal)):
        visible = session.scalar(select(func.count(Comment.id)).where(
            Comment.proposal_id == proposal.id, Comment.moderation_state == ModerationState.APPROVED))
        assert proposal.comment_count == visible


def test_demo_without_associations_does_nothing(session):
    assert demo.load(session, "x") == []
    assert session.scalar(select(func.count(Proposal.id))) == 0
