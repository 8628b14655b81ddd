"""The group rules (and the group roles on top of them) for every kind of person."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from tests.factories import make_association, make_group, make_member, make_membership, make_user
from twinning.associations.models import AssociationStatus, MembershipState, Role
from twinning.groups.models import GroupMembership, GroupRole, OpenTo
from twinning.permissions import can, can_manage

PEOPLE = [
    "visitor",
    "user",
    "member",
    "moderator",
    "admin",
    "other_member",
    "platform_admin",
    "blocked",
    "coordinator",
]

# person: (group.create, group.view, join topic, join working, host admin rights, group.moderate,
#          group.manage (coordinators too), group.post in the working group they are in)
EXPECTED = {
    "visitor": (False, True, False, False, False, False, False, False),
    "user": (False, True, True, False, False, False, False, False),
    "member": (False, True, True, True, False, False, False, True),
    "moderator": (True, True, True, True, False, True, False, True),
    "admin": (True, True, True, True, True, True, True, True),
    "other_member": (False, True, True, False, False, False, False, False),
    "platform_admin": (True, True, True, False, True, True, True, False),
    "blocked": (False, True, False, False, False, False, False, False),
    "coordinator": (False, True, True, True, False, False, True, True),
}


@pytest.fixture
def world(session):
    host = make_association(session)
    other = make_association(session)
    people = {
        "visitor": AnonymousUserMixin(),
        "user": make_user(session),
        "member": make_member(session, host),
        "moderator": make_member(session, host, role=Role.MODERATOR),
        "admin": make_member(session, host, role=Role.ADMIN),
        "other_member": make_member(session, other),
        "platform_admin": make_user(session, platform_admin=True),
        "blocked": make_user(session),
        "coordinator": make_member(session, host),
    }
    make_membership(session, people["blocked"], host, state=MembershipState.BLOCKED)
    topic = make_group(session, host, open_to=OpenTo.EVERYONE)
    working = make_group(session, host, open_to=OpenTo.MEMBERS)
    # Everyone signed in is in the working group's table, to see what the role itself allows.
    for name, person in people.items():
        if name != "visitor":
            role = GroupRole.COORDINATOR if name == "coordinator" else GroupRole.MEMBER
            session.add(GroupMembership(group_id=working.id, user_id=person.id, role=role))
    session.flush()
    return host, topic, working, people


@pytest.mark.parametrize("person", PEOPLE)
def test_group_rules(world, person):
    host, topic, working, people = world
    user = people[person]
    answers = (
        can(user, "group.create", host),
        can(user, "group.view", topic),
        can(user, "group.join", topic),
        can(user, "group.join", working),
        can_manage(user, host.id),
        can(user, "group.moderate", working),
        can(user, "group.manage", working),
        can(user, "group.post", working),
    )
    assert answers == EXPECTED[person]


def test_groups_of_a_suspended_association_are_closed(session):
    host = make_association(session, status=AssociationStatus.SUSPENDED)
    admin = make_member(session, host, role=Role.ADMIN)
    group = make_group(session, host, coordinator=admin)
    assert not can(admin, "group.view", group)
    assert not can(admin, "group.join", group)
    assert not can(admin, "group.create", host)
    assert not can(admin, "group.manage", group)
    assert not can(admin, "group.post", group)
