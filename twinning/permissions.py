"""Every permission as a named rule over (user, object); templates ask the same rules.

``can(user, "noun.verb", obj)`` answers, ``require("noun.verb", obj)`` sends visitors to
the sign-in page and answers 403 to everyone else. Rules fold in role *and* state: a
blocked member is no member, a pending association has no public space, a withdrawn
proposal takes no supports. A role in one association gives nothing in another.

Rules about content (proposals, comments, groups, threads) read attributes of the objects
they get and never import the features, so this module stands just above the models of
accounts and associations.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, g, has_app_context, has_request_context
from flask_login import current_user
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from twinning.associations.models import (
    Association,
    AssociationStatus,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
)
from twinning.core.content import ModerationState
from twinning.core.extensions import db

Rule = Callable[[object, object], bool]
RULES: dict[str, Rule] = {}

# Lifecycle values, as strings: the proposals feature owns the enum.
_SUPPORTABLE = {"open"}
_SUPPORTABLE_AT_THE_BOARD = {"under_review"}  # unless the association closes collecting there
_EDITABLE = {"open"}
_WITHDRAWABLE = {"open", "under_review"}
_CLOSED = {"withdrawn"}


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(predicate: Rule) -> Rule:
        if name in RULES:
            raise ValueError(f"rule {name!r} defined twice")
        RULES[name] = predicate
        return predicate

    return register


# -- predicates over the user alone ----------------------------------------------------


def is_signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_confirmed(user) -> bool:
    return is_signed_in(user) and user.is_confirmed


def is_platform_admin(user) -> bool:
    return is_signed_in(user) and user.is_platform_admin


# -- request caches: what the rules look up once per request -----------------------------


def cached(name: str, key, load: Callable[[], object]):
    """``load()`` once per request for ``(name, key)`` (every time outside a request).

    All of a request's caches live here, so one call forgets them: ``forget(name)`` after a
    service changed what they hold, and every rollback forgets all of them — a membership
    that was rolled back must not go on granting anything.
    """
    if not has_request_context():
        return load()
    cache = g.setdefault("_twinning_cache", {}).setdefault(name, {})
    if key not in cache:
        cache[key] = load()
    return cache[key]


def forget(name: str | None = None) -> None:
    """Forget one request cache (or all of them)."""
    if not has_app_context() or "_twinning_cache" not in g:
        return
    if name is None:
        g._twinning_cache.clear()
    else:
        g._twinning_cache.pop(name, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(_session, _transaction) -> None:
    forget()


# -- memberships, loaded once per request ----------------------------------------------


def memberships_of(user) -> dict[int, Membership]:
    """The user's memberships by association id; one query per request, not one per check."""
    if not is_signed_in(user):
        return {}
    return cached("memberships", user.id, lambda: _load_memberships(user.id))


def _load_memberships(user_id: int) -> dict[int, Membership]:
    rows = db.session.scalars(select(Membership).where(Membership.user_id == user_id))
    return {m.association_id: m for m in rows}


def forget_memberships() -> None:
    """Services that change memberships call this so later checks in the request see it."""
    forget("memberships")


def membership(user, association_id: int) -> Membership | None:
    return memberships_of(user).get(association_id)


def role_in(user, association_id: int) -> Role | None:
    """The user's role if an *active* member; None for visitors, pending and blocked."""
    found = membership(user, association_id)
    return found.role if found is not None and found.state == MembershipState.ACTIVE else None


def is_member(user, association_id: int) -> bool:
    return role_in(user, association_id) is not None


def is_blocked(user, association_id: int) -> bool:
    found = membership(user, association_id)
    return found is not None and found.state == MembershipState.BLOCKED


def is_moderator_of(user, association_id: int) -> bool:
    return role_in(user, association_id) in (Role.MODERATOR, Role.ADMIN)


def is_admin_of(user, association_id: int) -> bool:
    return role_in(user, association_id) == Role.ADMIN


def can_moderate(user, association_id: int) -> bool:
    return is_platform_admin(user) or is_moderator_of(user, association_id)


def moderated_association_ids(user) -> list[int]:
    """The associations the user moderates or administers as an active member (from the cached memberships)."""
    return sorted(
        association_id
        for association_id, found in memberships_of(user).items()
        if found.state == MembershipState.ACTIVE and found.role in (Role.MODERATOR, Role.ADMIN)
    )


def can_manage(user, association_id: int) -> bool:
    return is_platform_admin(user) or is_admin_of(user, association_id)


# -- group roles, loaded once per request ----------------------------------------------

# The groups feature owns its memberships and hands over how to load them
# (twinning.groups.access), so this module does not import the feature.
_group_roles_loaders: list[Callable[[int], dict[int, str]]] = []


def load_group_roles_with(loader: Callable[[int], dict[int, str]]):
    """Register how a user's group roles (group id → "member"/"coordinator") are loaded."""
    _group_roles_loaders[:] = [loader]
    return loader


def group_roles_of(user) -> dict[int, str]:
    """The user's group roles by group id; one query per request, like association memberships."""
    if not is_signed_in(user) or not _group_roles_loaders:
        return {}
    return cached("group_roles", user.id, lambda: _group_roles_loaders[0](user.id))


def forget_group_roles() -> None:
    """Services that change group memberships call this so later checks see the change."""
    forget("group_roles")


def group_role(user, group) -> str | None:
    return group_roles_of(user).get(group.id)


def is_group_member(user, group) -> bool:
    return group_role(user, group) is not None


def association_is_visible(user, association: Association) -> bool:
    """Active spaces are public; others only for their founder, admins and platform admins."""
    if association.status == AssociationStatus.ACTIVE:
        return True
    if not is_signed_in(user):
        return False
    return is_platform_admin(user) or association.founder_id == user.id or is_admin_of(user, association.id)


def _active(association: Association) -> bool:
    return association.status == AssociationStatus.ACTIVE


def _may_take_part(user, association_ids) -> bool:
    """A confirmed, active member of one of these associations (and blocked in none).

    A block by one sponsor holds for the whole proposal: membership of a co-sponsoring
    association is no way around the proposing association's decision.
    """
    if not is_confirmed(user):
        return False
    association_ids = list(association_ids)
    if any(is_blocked(user, aid) for aid in association_ids):
        return False
    return any(is_member(user, aid) for aid in association_ids)


def _shows_to(user, item, association_id: int, author_sees) -> bool:
    """Published content to everyone; the author's own in ``author_sees`` states; all to moderators."""
    if item.moderation_state == ModerationState.APPROVED:
        return True
    if can_moderate(user, association_id):
        return True
    return is_signed_in(user) and item.author_id == user.id and item.moderation_state in author_sees


def _published(item) -> bool:
    return item.moderation_state == ModerationState.APPROVED and item.deleted_at is None


# -- platform --------------------------------------------------------------------------


@rule("admin.access")
def _admin_access(user, _obj) -> bool:
    return is_platform_admin(user)


@rule("themes.manage")
def _themes_manage(user, _obj) -> bool:
    return is_platform_admin(user)


@rule("profile.edit")
def _profile_edit(user, _obj) -> bool:
    return is_signed_in(user)


@rule("notifications.view")
def _notifications_view(user, _obj) -> bool:
    return is_signed_in(user)


@rule("content.report")
def _content_report(user, item) -> bool:
    """Only confirmed accounts report: a report can help hide content (twinning.moderation).

    Given the item: only someone else's, and only while it is published (the report button).
    """
    if not is_confirmed(user):
        return False
    if item is None:
        return True
    return (
        getattr(item, "author_id", None) != user.id
        and item.moderation_state == ModerationState.APPROVED
        and getattr(item, "deleted_at", None) is None
    )


@rule("content.view_own")
def _content_view_own(user, item) -> bool:
    """Authors read their own post whatever its moderation state, with the reason; not once deleted."""
    return (
        is_signed_in(user)
        and getattr(item, "author_id", None) == user.id
        and getattr(item, "deleted_at", None) is None
    )


# -- associations ----------------------------------------------------------------------


@rule("association.create")
def _association_create(user, _obj) -> bool:
    return is_confirmed(user)


@rule("association.view")
def _association_view(user, association: Association) -> bool:
    return association_is_visible(user, association)


@rule("association.decide")
def _association_decide(user, _association) -> bool:
    return is_platform_admin(user)


@rule("association.join")
def _association_join(user, association: Association) -> bool:
    """Join at once (open) or ask to (approval); invitations are checked by the service."""
    if not is_signed_in(user) or not _active(association):
        return False
    if membership(user, association.id) is not None:  # member, pending or blocked
        return False
    return association.join_policy in (JoinPolicy.OPEN, JoinPolicy.APPROVAL)


@rule("association.leave")
def _association_leave(user, association: Association) -> bool:
    found = membership(user, association.id)
    return found is not None and found.state in (MembershipState.ACTIVE, MembershipState.PENDING)


@rule("association.manage")
def _association_manage(user, association: Association) -> bool:
    """Members, roles, invitations, settings, partnerships: the association's admins."""
    return can_manage(user, association.id)


@rule("association.invite")
def _association_invite(user, association: Association) -> bool:
    """Its admins, once the association is approved: a pending one cannot recruit yet."""
    return _active(association) and can_manage(user, association.id)


@rule("association.insights")
def _association_insights(user, association: Association) -> bool:
    return can_manage(user, association.id)


@rule("association.moderate")
def _association_moderate(user, association: Association) -> bool:
    """See the moderation queue and audit log, decide on items."""
    return can_moderate(user, association.id)


@rule("moderation.anywhere")
def _moderation_anywhere(user, _obj) -> bool:
    """See /moderation, the queues of all one's associations: their moderators and admins."""
    return bool(moderated_association_ids(user))


# -- proposals and comments ------------------------------------------------------------


@rule("proposal.create")
def _proposal_create(user, association: Association) -> bool:
    return _active(association) and _may_take_part(user, [association.id])


@rule("proposal.view")
def _proposal_view(user, proposal) -> bool:
    if proposal.moderation_state == ModerationState.APPROVED:
        return _active(proposal.association)
    if (
        is_signed_in(user)
        and proposal.author_id == user.id
        and proposal.moderation_state != ModerationState.HIDDEN
    ):
        return True
    return can_moderate(user, proposal.association_id)


def proposal_collects_support(proposal) -> bool:
    """Open proposals collect support; at the board too, unless the association closes it there."""
    if proposal.lifecycle in _SUPPORTABLE:
        return True
    return proposal.lifecycle in _SUPPORTABLE_AT_THE_BOARD and proposal.association.support_after_threshold


@rule("proposal.support")
def _proposal_support(user, proposal) -> bool:
    return (
        proposal.moderation_state == ModerationState.APPROVED
        and proposal_collects_support(proposal)
        and _may_take_part(user, proposal.sponsor_association_ids)
    )


@rule("proposal.comment")
def _proposal_comment(user, proposal) -> bool:
    return (
        proposal.moderation_state == ModerationState.APPROVED
        and proposal.lifecycle not in _CLOSED
        and _may_take_part(user, proposal.sponsor_association_ids)
    )


@rule("proposal.edit")
def _proposal_edit(user, proposal) -> bool:
    return (
        is_confirmed(user)
        and proposal.author_id == user.id
        and proposal.moderation_state in (ModerationState.PENDING, ModerationState.APPROVED)
        and proposal.lifecycle in _EDITABLE
        and not is_blocked(user, proposal.association_id)
    )


@rule("proposal.view_waiting_change")
def _proposal_view_waiting_change(user, proposal) -> bool:
    """A change waiting for moderation shows to its author and the moderators, to no one else."""
    if is_signed_in(user) and proposal.author_id == user.id:
        return True
    return can_moderate(user, proposal.association_id)


@rule("proposal.withdraw")
def _proposal_withdraw(user, proposal) -> bool:
    return is_signed_in(user) and proposal.author_id == user.id and proposal.lifecycle in _WITHDRAWABLE


@rule("proposal.answer")
def _proposal_answer(user, proposal) -> bool:
    """Change the lifecycle with an official answer: the origin association's moderators."""
    return proposal.moderation_state == ModerationState.APPROVED and can_moderate(
        user, proposal.association_id
    )


@rule("proposal.cosponsor")
def _proposal_cosponsor(user, proposal) -> bool:
    """Invite a linked partner association to co-sponsor: the origin's admins."""
    return proposal.moderation_state == ModerationState.APPROVED and can_manage(user, proposal.association_id)


@rule("proposal.revisions")
def _proposal_revisions(user, proposal) -> bool:
    """Every earlier version, also those never published: the author and the moderators."""
    if is_signed_in(user) and proposal.author_id == user.id:
        return True
    return can_moderate(user, proposal.association_id)


# Pending and declined comments show to their author, hidden ones to the moderators only.
_COMMENT_AUTHOR_SEES = {ModerationState.PENDING, ModerationState.DECLINED}


@rule("comment.view")
def _comment_view(user, comment) -> bool:
    """Its author and text: on a proposal the user may see, not deleted, published or one's own."""
    proposal = comment.proposal
    if comment.deleted_at is not None or not _proposal_view(user, proposal):
        return False
    return _shows_to(user, comment, proposal.association_id, _COMMENT_AUTHOR_SEES)


@rule("comment.reply")
def _comment_reply(user, comment) -> bool:
    """Answer a published comment one may see, in a published thread; nothing else can be
    made public by replying to it."""
    if not _published(comment) or not _proposal_comment(user, comment.proposal):
        return False
    if not _comment_view(user, comment):
        return False
    return comment.parent_id is None or _published(comment.parent)


@rule("comment.edit")
def _comment_edit(user, comment) -> bool:
    return is_signed_in(user) and comment.author_id == user.id and comment.deleted_at is None


@rule("comment.delete")
def _comment_delete(user, comment) -> bool:
    return is_signed_in(user) and comment.author_id == user.id and comment.deleted_at is None


# A reply to a group thread: like a comment, only its author corrects or deletes it.
rule("reply.edit")(_comment_edit)
rule("reply.delete")(_comment_delete)


# -- groups and threads ----------------------------------------------------------------


@rule("group.create")
def _group_create(user, association: Association) -> bool:
    return _active(association) and is_confirmed(user) and can_moderate(user, association.id)


@rule("group.view")
def _group_view(user, group) -> bool:
    return _active(group.association)


# Group content as the groups' queries select it (twinning.groups.queries._visible_content):
# published to everyone who sees the group, the author's own while it waits, all to moderators.
_GROUP_AUTHOR_SEES = {ModerationState.PENDING}


@rule("thread.view")
def _thread_view(user, thread) -> bool:
    group = thread.group
    return _group_view(user, group) and _shows_to(user, thread, group.association_id, _GROUP_AUTHOR_SEES)


@rule("reply.view")
def _reply_view(user, reply) -> bool:
    """A reply, not deleted, in a thread the user may see."""
    thread = reply.thread
    if reply.deleted_at is not None or not _thread_view(user, thread):
        return False
    return _shows_to(user, reply, thread.group.association_id, _GROUP_AUTHOR_SEES)


@rule("group.join")
def _group_join(user, group) -> bool:
    """Topic groups take any signed-in person; working groups only the host's members."""
    if not is_signed_in(user) or not _active(group.association) or is_blocked(user, group.association_id):
        return False
    if group.open_to == "everyone":
        return True
    return is_member(user, group.association_id)


@rule("group.leave")
def _group_leave(user, group) -> bool:
    """Its members (the service keeps the last coordinator until someone takes over)."""
    return is_group_member(user, group)


@rule("group.coordinate")
def _group_coordinate(user, group) -> bool:
    """A coordinator's rights: who holds the role, is not blocked by the host and, in a
    working group, still belongs to the host (leaving the association ends the role too)."""
    if group_role(user, group) != "coordinator" or not _group_view(user, group):
        return False
    if is_blocked(user, group.association_id):
        return False
    return group.open_to == "everyone" or is_member(user, group.association_id)


@rule("group.manage")
def _group_manage(user, group) -> bool:
    """Edit, pin threads, remove members, change roles: coordinators and the host's admins."""
    if not _group_view(user, group):
        return False
    return can_manage(user, group.association_id) or _group_coordinate(user, group)


@rule("thread.pin")
def _thread_pin(user, thread) -> bool:
    """Pin a published thread to the top (or unpin it): whoever manages its group."""
    return thread.moderation_state == ModerationState.APPROVED and _group_manage(user, thread.group)


@rule("group.post")
def _group_post(user, group) -> bool:
    """Start threads and reply: confirmed group members, who still belong where the group needs.

    A working group needs an active membership of the host (someone who left the association
    keeps no voice in its working groups); nobody blocked by the host posts anywhere in it.
    """
    if not is_confirmed(user) or not _group_view(user, group):
        return False
    if not is_group_member(user, group) or is_blocked(user, group.association_id):
        return False
    return group.open_to == "everyone" or is_member(user, group.association_id)


@rule("group.moderate")
def _group_moderate(user, group) -> bool:
    return can_moderate(user, group.association_id)


def can(user, name: str, obj=None) -> bool:
    return RULES[name](user, obj)


def require(name: str, obj=None) -> None:
    user = current_user._get_current_object()  # the rules read it many times; the proxy looks it up each time
    if can(user, name, obj):
        return
    if not is_signed_in(user):
        from twinning.auth import intents
        from twinning.core.extensions import login_manager

        intents.remember(name, obj)  # joining, supporting, founding: completed or offered after sign-in
        abort(login_manager.unauthorized())  # to the sign-in page, and back afterwards
    abort(403)


def init_app(app) -> None:
    app.jinja_env.globals["can"] = lambda name, obj=None: can(current_user._get_current_object(), name, obj)
    app.jinja_env.globals["proposal_collects_support"] = proposal_collects_support
