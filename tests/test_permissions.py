"""Every named rule against every role, and the same roles through HTTP on the association routes.

Roles: a visitor, a signed-in user, a member, a moderator and an admin of association A, the
admin of another association B, a platform admin, a member of A who was blocked, and two people
who belong to no association: the coordinator and a member of A's topic group (both are also in
A's working group, where, not being members of A, the role gives them nothing).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_association, make_group, make_membership, make_proposal, make_user
from twinning.associations import members
from twinning.associations.models import (
    AssociationStatus,
    JoinPolicy,
    LinkState,
    MembershipState,
    Partnership,
    PartnershipKind,
    Role,
)
from twinning.core.db import utcnow
from twinning.groups.models import OpenTo
from twinning.permissions import RULES, can
from twinning.topics.models import Theme

ROLES = [
    "visitor",
    "user",
    "member",
    "moderator",
    "admin",
    "other_admin",
    "platform_admin",
    "blocked",
    "group_coordinator",
    "group_member",
]
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"visitor"}
ACTIVE_MEMBERS = {"member", "moderator", "admin"}
MODERATORS = {"moderator", "admin", "platform_admin"}
MANAGERS = {"admin", "platform_admin"}
PLATFORM = {"platform_admin"}
AUTHOR = {"member"}  # the proposal, the comment and the reply are the member's
IN_THE_GROUP = {"group_coordinator", "group_member"}

# rule → (object to check it on, the roles it allows)
EXPECTED = {
    "admin.access": ("none", PLATFORM),
    "themes.manage": ("none", PLATFORM),
    "profile.edit": ("none", SIGNED_IN),
    "notifications.view": ("none", SIGNED_IN),
    "content.report": ("proposal", SIGNED_IN - AUTHOR),  # someone else's published post
    "content.view_own": ("proposal", AUTHOR),
    "association.create": ("none", SIGNED_IN),
    "association.view": ("association", EVERYONE),
    "association.decide": ("pending", PLATFORM),
    "association.join": ("association", {"user", "other_admin", "platform_admin"} | IN_THE_GROUP),
    "association.leave": ("association", ACTIVE_MEMBERS),
    "association.manage": ("association", MANAGERS),
    "association.invite": ("association", MANAGERS),
    "association.insights": ("association", MANAGERS),
    "association.moderate": ("association", MODERATORS),
    # /moderation lists the queues of the associations one moderates as a member.
    "moderation.anywhere": ("none", {"moderator", "admin", "other_admin"}),
    "proposal.create": ("association", ACTIVE_MEMBERS),
    "proposal.view": ("proposal", EVERYONE),
    "proposal.support": ("proposal", ACTIVE_MEMBERS),
    "proposal.comment": ("proposal", ACTIVE_MEMBERS),
    "proposal.edit": ("proposal", AUTHOR),
    "proposal.withdraw": ("proposal", AUTHOR),
    "proposal.view_waiting_change": ("proposal", AUTHOR | MODERATORS),
    "proposal.answer": ("proposal", MODERATORS),
    "proposal.cosponsor": ("proposal", MANAGERS),
    "proposal.revisions": ("proposal", AUTHOR | MODERATORS),
    "comment.view": ("real_comment", EVERYONE),
    "comment.reply": ("real_comment", ACTIVE_MEMBERS),
    "thread.view": ("thread", EVERYONE),
    "reply.view": ("group_reply", EVERYONE),
    "comment.edit": ("comment", AUTHOR),
    "comment.delete": ("comment", AUTHOR),
    "reply.edit": ("reply", AUTHOR),
    "reply.delete": ("reply", AUTHOR),
    "group.create": ("association", MODERATORS),
    "group.view": ("group", EVERYONE),
    "group.join": ("group", SIGNED_IN - {"blocked"}),
    "group.leave": ("group", IN_THE_GROUP),
    "group.post": ("group", IN_THE_GROUP),
    "group.coordinate": ("group", {"group_coordinator"}),
    "group.manage": ("group", MANAGERS | {"group_coordinator"}),
    "thread.pin": ("thread", MANAGERS | {"group_coordinator"}),
    "group.moderate": ("group", MODERATORS),
}

# Rules whose answer depends on the object's state: (object, the roles it allows).
STATE_CASES = {
    ("association.view", "pending"): {"platform_admin", "founder"},
    ("association.join", "pending"): set(),
    ("association.invite", "pending"): set(),  # not even its founder, nor a platform admin
    ("association.join", "invite"): set(),
    ("association.join", "approval"): SIGNED_IN | {"founder"},  # nobody belongs to it yet
    ("proposal.view", "pending_proposal"): {"user", "moderator", "admin", "platform_admin"},  # user wrote it
    ("proposal.support", "pending_proposal"): set(),
    ("proposal.view_waiting_change", "pending_proposal"): {"user", "moderator", "admin", "platform_admin"},
    ("group.join", "working_group"): ACTIVE_MEMBERS,
    # The working group: the member of A belongs to it too; a group role needs the host's membership.
    ("group.leave", "working_group"): IN_THE_GROUP | {"member"},
    ("group.post", "working_group"): {"member"},
    ("group.coordinate", "working_group"): set(),
    ("group.manage", "working_group"): MANAGERS,
    ("thread.pin", "pending_thread"): set(),  # only published threads go to the top
    ("reply.edit", "deleted_reply"): set(),
    ("reply.delete", "deleted_reply"): set(),
    ("comment.edit", "deleted_reply"): set(),
    ("content.view_own", "deleted_reply"): set(),
    ("content.report", "none"): SIGNED_IN | {"founder"},  # may report at all: confirmed accounts
    ("content.report", "pending_proposal"): set(),
    ("content.report", "pending_comment"): set(),
    ("content.report", "hidden_comment"): set(),
    ("content.report", "group_reply"): SIGNED_IN - AUTHOR | {"founder"},
    ("proposal.revisions", "pending_proposal"): {"user"} | MODERATORS,  # user wrote it
    ("comment.view", "pending_comment"): AUTHOR | MODERATORS,
    ("comment.view", "hidden_comment"): MODERATORS,
    ("comment.view", "comment_on_pending_proposal"): {"user"} | MODERATORS,
    ("comment.reply", "pending_comment"): set(),
    ("comment.reply", "reply_under_pending"): set(),  # a published reply in an unpublished thread
    ("thread.view", "pending_thread"): AUTHOR | MODERATORS,
    ("reply.view", "reply_in_pending_thread"): AUTHOR | MODERATORS,
    ("reply.view", "pending_group_reply"): AUTHOR | MODERATORS,
}


def test_every_rule_is_in_the_matrix():
    assert set(RULES) == set(EXPECTED)


@pytest.fixture
def world(session):
    """Association A with a member in every role, B with its own admin, and a pending one."""
    people = {role: make_user(session, email=f"{role}@example.org") for role in ROLES if role != "visitor"}
    people["platform_admin"].is_platform_admin = True
    people["founder"] = make_user(session, email="founder@example.org")
    people["visitor"] = AnonymousUserMixin()
    a = make_association(session, name="Verein A", slug="verein-a", admin=people["admin"])
    make_membership(session, people["member"], a)
    make_membership(session, people["moderator"], a, role=Role.MODERATOR)
    make_membership(session, people["blocked"], a, state=MembershipState.BLOCKED)
    b = make_association(
        session, name="Verein B", slug="verein-b", city="Reims", country="FR", admin=people["other_admin"]
    )
    pending = make_association(
        session, name="Neu", slug="neu", status=AssociationStatus.PENDING, admin=people["founder"]
    )
    invite = make_association(
        session, name="Nur Einladung", slug="nur-einladung", join_policy=JoinPolicy.INVITE
    )
    approval = make_association(
        session, name="Mit Anfrage", slug="mit-anfrage", join_policy=JoinPolicy.APPROVAL
    )
    proposal = make_proposal(session, a, people["member"])
    from twinning.core.content import ModerationState

    pending_proposal = make_proposal(session, a, people["user"], moderation_state=ModerationState.PENDING)
    objects = {
        "none": None,
        "association": a,
        "pending": pending,
        "invite": invite,
        "approval": approval,
        "proposal": proposal,
        "pending_proposal": pending_proposal,
        "comment": SimpleNamespace(author_id=people["member"].id, deleted_at=None, association_id=a.id),
        "reply": SimpleNamespace(author_id=people["member"].id, deleted_at=None),
        "deleted_reply": SimpleNamespace(author_id=people["member"].id, deleted_at=utcnow()),
        "group": make_group(session, a),
        "working_group": make_group(session, a, open_to=OpenTo.MEMBERS),
    }
    objects |= _content(session, people, objects, proposal, pending_proposal)
    _group_roles(session, people, objects)
    return SimpleNamespace(people=people, a=a, b=b, pending=pending, objects=objects)


def _group_roles(session, people, objects) -> None:
    from twinning.groups.models import GroupMembership, GroupRole

    for group, names in (
        (objects["group"], IN_THE_GROUP),
        (objects["working_group"], IN_THE_GROUP | {"member"}),
    ):
        for name in names:
            role = GroupRole.COORDINATOR if name == "group_coordinator" else GroupRole.MEMBER
            session.add(GroupMembership(group_id=group.id, user_id=people[name].id, role=role))
    session.flush()


def _content(session, people, objects, proposal, pending_proposal) -> dict:
    """Real comments, threads and replies (the member's) in each moderation state."""
    from tests.factories import make_comment
    from twinning.core.content import ModerationState
    from twinning.groups.models import Thread, ThreadReply

    author, pending, hidden = people["member"], ModerationState.PENDING, ModerationState.HIDDEN
    waiting = make_comment(session, proposal, author, moderation_state=pending)
    threads = {}
    for name, state in (("thread", ModerationState.APPROVED), ("pending_thread", pending)):
        threads[name] = Thread(
            group_id=objects["group"].id, author_id=author.id, title=name, body=".", moderation_state=state
        )
        session.add(threads[name])
    session.flush()

    def reply(thread, state=ModerationState.APPROVED):
        found = ThreadReply(thread_id=thread.id, author_id=author.id, body=".", moderation_state=state)
        session.add(found)
        session.flush()
        return found

    return threads | {
        "real_comment": make_comment(session, proposal, author),
        "pending_comment": waiting,
        "hidden_comment": make_comment(session, proposal, author, moderation_state=hidden),
        "comment_on_pending_proposal": make_comment(session, pending_proposal, people["user"]),
        "reply_under_pending": make_comment(session, proposal, people["admin"], parent=waiting),
        "group_reply": reply(threads["thread"]),
        "pending_group_reply": reply(threads["thread"], pending),
        "reply_in_pending_thread": reply(threads["pending_thread"]),
    }


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_rule_matrix(world, rule):
    kind, allowed = EXPECTED[rule]
    answers = {role: can(world.people[role], rule, world.objects[kind]) for role in ROLES}
    assert {role for role, yes in answers.items() if yes} == allowed


@pytest.mark.parametrize(("rule", "kind"), sorted(STATE_CASES))
def test_rules_follow_the_objects_state(world, rule, kind):
    roles = [*ROLES, "founder"]
    answers = {role: can(world.people[role], rule, world.objects[kind]) for role in roles}
    assert {role for role, yes in answers.items() if yes} == STATE_CASES[(rule, kind)]


def test_a_role_in_one_association_gives_nothing_in_another(world):
    admin = world.people["admin"]
    for rule in ("association.manage", "association.moderate", "proposal.create", "group.create"):
        assert can(admin, rule, world.a) and not can(admin, rule, world.b)


# -- the same roles through HTTP -------------------------------------------------------------

LOGIN = "login"


def _admin_only(success: int) -> dict:
    return {role: success if role in MANAGERS else 403 for role in ROLES} | {"visitor": LOGIN}


def _platform_only(success: int) -> dict:
    return {role: success if role in PLATFORM else 403 for role in ROLES} | {"visitor": LOGIN}


def _everyone(code: int) -> dict:
    return dict.fromkeys(ROLES, code)


ROUTES = {
    "directory": ("get", "/associations", None, _everyone(200)),
    "new": ("get", "/associations/new", None, _everyone(200) | {"visitor": LOGIN}),
    "space": ("get", "/a/verein-a", None, _everyone(200)),
    "pending space": ("get", "/a/neu", None, _everyone(404) | {"platform_admin": 200}),
    "join": (
        "post",
        "/a/verein-a/join",
        {},
        {
            "visitor": LOGIN,
            "user": 302,
            "member": 400,
            "moderator": 400,
            "admin": 400,
            "other_admin": 302,
            "platform_admin": 302,
            "blocked": 403,
            "group_coordinator": 302,
            "group_member": 302,
        },
    ),
    "leave": (
        "post",
        "/a/verein-a/leave",
        {},
        {
            "visitor": LOGIN,
            "user": 403,
            "member": 302,
            "moderator": 302,
            "admin": 400,
            "other_admin": 403,
            "platform_admin": 403,
            "blocked": 403,
            "group_coordinator": 403,
            "group_member": 403,
        },
    ),
    "members": ("get", "/a/verein-a/members", None, _admin_only(200)),
    "role": ("post", "/a/verein-a/members/{target}/role", {"role": "moderator"}, _admin_only(302)),
    "accept": ("post", "/a/verein-a/members/{requester}/accept", {}, _admin_only(302)),
    "reject": ("post", "/a/verein-a/members/{requester}/reject", {}, _admin_only(302)),
    "block": ("post", "/a/verein-a/members/{target}/block", {}, _admin_only(302)),
    "unblock": ("post", "/a/verein-a/members/{blocked}/unblock", {}, _admin_only(302)),
    "invite": ("post", "/a/verein-a/invitations", {"email": ""}, _admin_only(200)),
    "revoke": ("post", "/a/verein-a/invitations/{invitation}/revoke", {}, _admin_only(302)),
    "invitation link": ("get", "/a/verein-a/invitations/{token}", None, _everyone(200)),
    "settings": ("get", "/a/verein-a/settings", None, _admin_only(200)),
    "save settings": (
        "post",
        "/a/verein-a/settings",
        {
            "name": "Verein A",
            "city": "Aachen",
            "country": "DE",
            "join_policy": "approval",
            "moderation_policy": "strict",
        },
        _admin_only(302),
    ),
    "partnerships": ("get", "/a/verein-a/partnerships", None, _admin_only(200)),
    "add partnership": (
        "post",
        "/a/verein-a/partnerships/new",
        {"city": "Halifax", "country": "GB", "kind": "twinning", "since_year": "1979"},
        _admin_only(302),
    ),
    "remove partnership": ("post", "/a/verein-a/partnerships/{own}/remove", {}, _admin_only(302)),
    "link partnership": (
        "post",
        "/a/verein-a/partnerships/{own}/link",
        {"partner": "verein-b"},
        _admin_only(302),
    ),
    "confirm link": ("post", "/a/verein-a/partnerships/{incoming}/confirm", {}, _admin_only(302)),
    "decline link": ("post", "/a/verein-a/partnerships/{incoming}/decline", {}, _admin_only(302)),
    "admin": ("get", "/admin", None, _platform_only(200)),
    "admin queue": ("get", "/admin/associations", None, _platform_only(200)),
    "decision": ("post", "/admin/associations/neu/decision", {"decision": "approve"}, _platform_only(302)),
    "themes": ("get", "/admin/themes", None, _platform_only(200)),
    "add theme": ("post", "/admin/themes", {"name_de": "Wasser", "name_en": "Water"}, _platform_only(302)),
    "rename theme": (
        "post",
        "/admin/themes/{theme}",
        {"name_de": "Meer", "name_en": "Sea"},
        _platform_only(302),
    ),
    "move theme": ("post", "/admin/themes/{theme}/move", {"direction": "up"}, _platform_only(302)),
    "delete theme": ("post", "/admin/themes/{theme}/delete", {}, _platform_only(302)),
    # The group rules through the group pages (group.manage and group.post).
    "edit group": ("get", "/groups/{group}/edit", None, _admin_only(200) | {"group_coordinator": 200}),
    "group members": ("get", "/groups/{group}/members", None, _everyone(200) | {"visitor": LOGIN}),
    "pin": (
        "post",
        "/groups/{group}/threads/{thread}/pin",
        {},
        _admin_only(302) | {"group_coordinator": 302},
    ),
    "new thread": (
        "get",
        "/groups/{group}/threads/new",
        None,
        dict.fromkeys(ROLES, 403) | dict.fromkeys(IN_THE_GROUP, 200) | {"visitor": LOGIN},
    ),
    "working group thread": (
        "get",
        "/groups/{working_group}/threads/new",
        None,
        dict.fromkeys(ROLES, 403) | {"member": 200, "visitor": LOGIN},
    ),
}


@pytest.fixture
def http_world(session, world):
    people = world.people
    target = make_user(session, email="target@example.org")
    make_membership(session, target, world.a)
    requester = make_user(session, email="requester@example.org")
    make_membership(session, requester, world.a, state=MembershipState.PENDING)
    blocked = make_user(session, email="blocked-target@example.org")
    make_membership(session, blocked, world.a, state=MembershipState.BLOCKED)
    invitation, token = members.create_invitation(session, people["admin"], world.a)
    own = Partnership(association_id=world.a.id, city="Reims", country="FR", kind=PartnershipKind.TWINNING)
    incoming = Partnership(
        association_id=world.b.id,
        city="Aachen",
        country="DE",
        kind=PartnershipKind.TWINNING,
        partner_association_id=world.a.id,
        link_state=LinkState.REQUESTED,
    )
    theme = Theme(slug="unbenutzt", name_de="Unbenutzt", name_en="Unused", position=99)
    session.add_all([own, incoming, theme])
    session.flush()
    return {
        "target": target.id,
        "requester": requester.id,
        "blocked": blocked.id,
        "invitation": invitation.id,
        "token": token,
        "own": own.id,
        "incoming": incoming.id,
        "theme": theme.id,
        "group": world.objects["group"].id,
        "working_group": world.objects["working_group"].id,
        "thread": world.objects["thread"].id,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", sorted(ROUTES))
def test_http_matrix(client, http_world, route, role):
    method, path, data, expected = ROUTES[route]
    if role != "visitor":
        assert sign_in(client, f"{role}@example.org").status_code == 302
    response = getattr(client, method)(path.format(**http_world), data=data)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], route
    else:
        assert response.status_code == want, (route, role, response.get_data(as_text=True)[-2000:])
        if want == 302:
            assert "/auth/login" not in response.headers["Location"]


def test_acting_on_another_associations_member_by_id_is_404(client, session, world):
    """A's admin changes the id in the URL to a member of B: not found, nothing changes."""
    stranger = make_user(session, email="stranger@example.org")
    make_membership(session, stranger, world.b)
    stranger_id = stranger.id
    sign_in(client, "admin@example.org")
    for action, data in (("role", {"role": "admin"}), ("block", {}), ("accept", {}), ("unblock", {})):
        assert client.post(f"/a/verein-a/members/{stranger_id}/{action}", data=data).status_code == 404
    session.expire_all()
    from twinning.associations.models import Membership

    found = session.scalar(select(Membership).where(Membership.user_id == stranger_id))
    assert found.role == Role.MEMBER and found.state == MembershipState.ACTIVE
