"""The demo proposals: all 17 goals, three languages, queues, co-sponsoring; safe to load twice."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import make_association, make_user
from twinning.associations.models import Membership
from twinning.core.content import ModerationState
from twinning.demo import proposals as demo
from twinning.proposals.models import Comment, CoSponsorship, CoSponsorState, Proposal, Support, proposal_sdgs


def test_demo_proposals_cover_every_goal_and_load_idempotently(session):
    admin = make_user(session)
    make_association(session, slug="aachen-reims", city="Aachen", admin=admin)
    make_association(session, slug="comite-jumelage-reims", city="Reims", country="FR")
    make_association(session, slug="cape-town-aachen", city="Cape Town", country="ZA")
    make_association(session, slug="aachen-kapstadt", city="Aachen")
    make_association(session, slug="aachen-tschernihiw", city="Aachen")
    accounts = demo.load(session, admin.password_hash)
    assert ("member who posts proposals (Aachen)", "paul@example.org") in accounts
    counts = (session.scalar(select(func.count(Proposal.id))), session.scalar(select(func.count(Comment.id))))
    demo.load(session, admin.password_hash)
    assert (
        session.scalar(select(func.count(Proposal.id))),
        session.scalar(select(func.count(Comment.id))),
    ) == counts
    assert set(session.scalars(select(proposal_sdgs.c.sdg).distinct())) == set(range(1, 18))
    assert (
        session.scalar(
            select(func.count(Proposal.id)).where(Proposal.moderation_state == ModerationState.PENDING)
        )
        >= 2
    )
    assert (
        session.scalar(
            select(func.count(Comment.id)).where(Comment.moderation_state == ModerationState.PENDING)
        )
        == 1
    )
    states = set(session.scalars(select(CoSponsorship.state)))
    assert states == {CoSponsorState.ACCEPTED, CoSponsorState.INVITED}
    for proposal in session.scalars(select(Proposal)):
        visible = session.scalar(
            select(func.count(Comment.id)).where(
                Comment.proposal_id == proposal.id, Comment.moderation_state == ModerationState.APPROVED
            )
        )
        assert proposal.comment_count == visible


def test_the_partnerships_the_city_reports_on_carry_their_own_proposals(session):
    admin = make_user(session)
    spaces = {
        slug: make_association(session, slug=slug, admin=admin)
        for slug in (
            "aachen-reims",
            "comite-jumelage-reims",
            "cape-town-aachen",
            "aachen-kapstadt",
            "aachen-tschernihiw",
        )
    }
    demo.load(session, admin.password_hash)

    def titles(slug):
        return set(session.scalars(select(Proposal.title).where(Proposal.association_id == spaces[slug].id)))

    assert "Schulpartnerschaft Aachen–Kapstadt zum Thema Wasser" in titles("aachen-kapstadt")
    assert {
        "Gemeinschaftsgarten für Geflüchtete und Nachbarn",
        "Shelter and warmth: repairing homes in Chernihiv",
    } <= titles("aachen-tschernihiw")
    assert not titles("aachen-reims") & (titles("aachen-kapstadt") | titles("aachen-tschernihiw"))
    # Every support comes from a member of the proposing association.
    outsiders = session.scalar(
        select(func.count(Support.id))
        .join(Proposal, Proposal.id == Support.proposal_id)
        .outerjoin(
            Membership,
            (Membership.user_id == Support.user_id) & (Membership.association_id == Proposal.association_id),
        )
        .where(Membership.id.is_(None))
    )
    assert outsiders == 0


def test_demo_without_associations_does_nothing(session):
    assert demo.load(session, "x") == []
    assert session.scalar(select(func.count(Proposal.id))) == 0
