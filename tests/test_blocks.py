"""Blocks hold everywhere: across co-sponsoring associations, and for coordinators of groups.

A member blocked by the proposing association may neither support nor comment through a
co-sponsoring association; whoever leaves an association, or is blocked there, coordinates
none of its working groups any more (topic groups stay open to everyone after leaving).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import (
    make_association,
    make_group,
    make_member,
    make_membership,
    make_proposal,
    make_user,
)
from twinning.associations import members
from twinning.associations.models import Membership, MembershipState, Role
from twinning.groups.models import GroupMembership, GroupRole, OpenTo
from twinning.permissions import can, group_role
from twinning.proposals.models import Comment, CoSponsorship, CoSponsorState, Support


@pytest.fixture
def cosponsored(session):
    """Proposal of A co-sponsored by B; "blocked" is blocked in A and an active member of B."""
    a = make_association(session, slug="aachen-reims", admin=make_user(session, email="a-admin@example.org"))
    b = make_association(session, slug="reims-aachen", city="Reims", country="FR")
    proposal = make_proposal(session, a, make_member(session, a), title="Jugendaustausch")
    session.add(CoSponsorship(proposal_id=proposal.id, association_id=b.id, state=CoSponsorState.ACCEPTED))
    blocked = make_user(session, email="blocked@example.org")
    make_membership(session, blocked, a, state=MembershipState.BLOCKED)
    make_membership(session, blocked, b)
    make_member(session, b, email="b-member@example.org")
    session.flush()
    return proposal, blocked


@pytest.mark.parametrize("space", ["reims-aachen", "aachen-reims"])
def test_blocked_by_the_proposing_association_cannot_support_or_comment_through_a_cosponsor(
    client, session, cosponsored, space
):
    proposal, _blocked = cosponsored
    sign_in(client, "blocked@example.org")
    assert client.post(f"/a/{space}/proposals/{proposal.id}/support").status_code == 403
    assert (
        client.post(f"/a/{space}/proposals/{proposal.id}/comments", data={"body": "Trotzdem"}).status_code
        == 403
    )
    assert session.scalar(select(func.count(Support.id))) == 0
    assert session.scalar(select(func.count(Comment.id))) == 0
    page = client.get(f"/a/{space}/proposals/{proposal.id}").get_data(as_text=True)
    assert 'name="body"' not in page  # no comment box to send it from


def test_blocked_cannot_take_part_by_the_rules_either(session, cosponsored, ctx):
    proposal, blocked = cosponsored
    assert not can(blocked, "proposal.support", proposal)
    assert not can(blocked, "proposal.comment", proposal)


def test_the_cosponsors_other_members_still_take_part(client, session, cosponsored):
    proposal, _blocked = cosponsored
    sign_in(client, "b-member@example.org")
    assert client.post(f"/a/reims-aachen/proposals/{proposal.id}/support").status_code == 302
    assert (
        client.post(f"/a/reims-aachen/proposals/{proposal.id}/comments", data={"body": "Ja"}).status_code
        == 302
    )


# -- coordinators ----------------------------------------------------------------------------


@pytest.fixture
def coordinator(session):
    """Someone who coordinates a working group and a topic group of A, with a co-coordinator."""
    admin = make_user(session, email="a-admin@example.org")
    a = make_association(session, slug="aachen-reims", admin=admin)
    person = make_member(session, a, email="coord@example.org")
    working = make_group(session, a, open_to=OpenTo.MEMBERS, coordinator=person)
    topic = make_group(session, a, open_to=OpenTo.EVERYONE, coordinator=person)
    elsewhere = make_group(session, make_association(session), open_to=OpenTo.MEMBERS, coordinator=person)
    return a, person, admin, working, topic, elsewhere


def _role(session, group, user) -> GroupRole | None:
    return session.scalar(
        select(GroupMembership.role).where(
            GroupMembership.group_id == group.id, GroupMembership.user_id == user.id
        )
    )


def test_leaving_the_association_ends_the_coordination_of_its_working_groups(client, session, coordinator):
    _a, person, _admin, working, topic, elsewhere = coordinator
    sign_in(client, "coord@example.org")
    assert client.post("/a/aachen-reims/leave").status_code == 302
    assert _role(session, working, person) == GroupRole.MEMBER
    assert _role(session, topic, person) == GroupRole.COORDINATOR  # open to everyone: not tied to A
    assert _role(session, elsewhere, person) == GroupRole.COORDINATOR  # another association's group
    assert client.get(f"/groups/{working.id}/edit").status_code == 403
    assert client.get(f"/groups/{topic.id}/edit").status_code == 200


def test_being_blocked_ends_the_coordination_of_every_group_the_association_hosts(
    client, session, coordinator
):
    a, person, admin, working, topic, elsewhere = coordinator
    sign_in(client, admin.email)
    assert client.post(f"/a/aachen-reims/members/{person.id}/block").status_code == 302
    assert (
        session.scalar(
            select(Membership.state).where(Membership.user_id == person.id, Membership.association_id == a.id)
        )
        == MembershipState.BLOCKED
    )
    assert _role(session, working, person) == GroupRole.MEMBER
    assert _role(session, topic, person) == GroupRole.MEMBER  # a blocked person manages nothing A hosts
    assert _role(session, elsewhere, person) == GroupRole.COORDINATOR


def test_coordination_ends_in_the_same_transaction_as_the_block(session, coordinator, ctx):
    a, person, admin, working, _topic, _elsewhere = coordinator
    session.commit()  # what was built so far is an earlier request's (a savepoint in the test's transaction)
    membership = session.scalar(
        select(Membership).where(Membership.user_id == person.id, Membership.association_id == a.id)
    )
    members.block_member(session, admin, membership)
    assert _role(session, working, person) == GroupRole.MEMBER
    session.rollback()  # the block and the demotion go together, or not at all
    assert _role(session, working, person) == GroupRole.COORDINATOR


def test_a_coordinator_who_left_before_manages_no_working_group(session, coordinator, ctx):
    """Rows from before the fix: the rule itself asks for the host's membership."""
    a, person, _admin, working, topic, _elsewhere = coordinator
    session.delete(
        session.scalar(
            select(Membership).where(Membership.user_id == person.id, Membership.association_id == a.id)
        )
    )
    session.flush()
    assert group_role(person, working) == "coordinator"
    assert not can(person, "group.manage", working)
    assert can(person, "group.manage", topic)


def test_the_host_admin_names_a_new_coordinator_for_a_group_left_without_one(client, session, coordinator):
    a, _person, admin, working, _topic, _elsewhere = coordinator
    other = make_member(session, a, email="next@example.org")
    session.add(GroupMembership(group_id=working.id, user_id=other.id, role=GroupRole.MEMBER))
    session.flush()
    sign_in(client, "coord@example.org")
    assert client.post("/a/aachen-reims/leave").status_code == 302
    client.post("/auth/logout")
    sign_in(client, admin.email)
    response = client.post(f"/groups/{working.id}/members/{other.id}/role", data={"role": "coordinator"})
    assert response.status_code == 302
    assert _role(session, working, other) == GroupRole.COORDINATOR


def test_a_member_who_is_not_a_coordinator_leaves_as_before(client, session, coordinator):
    a, _person, _admin, working, _topic, _elsewhere = coordinator
    plain = make_member(session, a, email="plain@example.org", role=Role.MEMBER)
    session.add(GroupMembership(group_id=working.id, user_id=plain.id, role=GroupRole.MEMBER))
    session.flush()
    sign_in(client, "plain@example.org")
    assert client.post("/a/aachen-reims/leave").status_code == 302
    assert _role(session, working, plain) == GroupRole.MEMBER
