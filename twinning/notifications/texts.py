"""What each kind of notification says, translated when shown (in the reader's language).

Features add their kinds here; placeholders come from ``Notification.params``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TEXTS: dict[str, object] = {
    # associations (twinning/associations)
    "association.join_requested": _l("%(name)s asks to join %(association)s."),
    "association.request_accepted": _l("Your request to join %(association)s has been accepted."),
    "association.request_rejected": _l("Your request to join %(association)s has been rejected."),
    "association.registered": _l("%(name)s (%(city)s) asks to be approved as a new association."),
    "association.approved": _l("Your association %(name)s has been approved and is now public."),
    "association.declined": _l("Your association %(name)s was not approved. Reason: %(reason)s"),
    "association.link_requested": _l("%(association)s asks to link its space with yours as partners."),
    "association.link_confirmed": _l("%(association)s has confirmed the partnership link."),
    # groups (twinning/groups)
    "group.thread_new": _l("New thread in %(group)s: “%(title)s”"),
    "group.thread_waiting": _l("A new thread in %(group)s waits for the moderators: “%(title)s”"),
    "group.reply": _l("%(name)s replied to your thread “%(title)s”."),
    "thread.reply": _l("%(name)s replied in the thread “%(title)s” that you follow."),
    "group.removed": _l("You are no longer a member of the group %(group)s."),
    "reply.edit_approved": _l("Your change of a reply in “%(title)s” has been published."),
    "reply.edit_declined": _l(
        "Your change of a reply in “%(title)s” was not published; the reply stays as it was. Reason: %(reason)s"
    ),
    # moderation (twinning/moderation): decisions on any kind of post, with the reason
    "moderation.approve": _l("“%(title)s” has been approved by the moderators."),
    "moderation.decline": _l("“%(title)s” was not published. Reason: %(reason)s"),
    "moderation.hide": _l("“%(title)s” has been hidden by the moderators. Reason: %(reason)s"),
    "moderation.restore": _l("“%(title)s” is visible again."),
    "moderation.auto_hide": _l(
        "“%(title)s” has been hidden after several reports. A moderator will review it."
    ),
    "moderation.waiting": _l("Posts waiting for a decision in %(association)s: %(count)s"),
    "moderation.reported": _l("Reported posts in %(association)s: %(count)s"),
    "moderation.auto_hidden_alert": _l(
        "“%(title)s” in %(association)s has been hidden after several reports. Please decide on it."
    ),
    "moderation.forwarded": _l("Moderators forwarded “%(title)s” to the platform admins. Note: %(reason)s"),
    # proposals (twinning/proposals)
    "proposal.approved": _l("Your proposal “%(title)s” has been published."),
    "proposal.declined": _l("Your proposal “%(title)s” was not published. Reason: %(reason)s"),
    "proposal.hidden": _l("Your proposal “%(title)s” has been hidden by the moderators."),
    "proposal.auto_hidden": _l(
        "Your proposal “%(title)s” has been hidden after several reports. A moderator will review it."
    ),
    "proposal.restored": _l("Your proposal “%(title)s” is visible again."),
    "proposal.reopened": _l(
        "The proposal “%(title)s” is open for support again; the association has answered."
    ),
    "proposal.under_review": _l(
        "The proposal “%(title)s” is now under review; the association has answered."
    ),
    "proposal.accepted": _l("The proposal “%(title)s” has been accepted; the association has answered."),
    "proposal.rejected": _l("The proposal “%(title)s” has been rejected; the association has answered."),
    "proposal.implemented": _l("The proposal “%(title)s” has been implemented."),
    "proposal.threshold_reached": _l(
        "The proposal “%(title)s” has reached %(count)s supports and now awaits the board's review."
    ),
    "proposal.cosponsor_invited": _l(
        "%(association)s invites your association to co-sponsor the proposal “%(title)s”."
    ),
    "proposal.changed": _l(
        "The proposal “%(title)s” that you support has been changed. Its page shows the new version and the earlier ones."
    ),
    "proposal.edit_approved": _l("Your change of the proposal “%(title)s” has been published."),
    "proposal.edit_declined": _l(
        "Your change of the proposal “%(title)s” was not published; the previous version stays. Reason: %(reason)s"
    ),
    "comment.edit_approved": _l("Your change of a comment on “%(title)s” has been published."),
    "comment.edit_declined": _l(
        "Your change of a comment on “%(title)s” was not published; the comment stays as it was. Reason: %(reason)s"
    ),
    "comment.reply": _l("Someone replied to your comment on “%(title)s”."),
    "comment.approved": _l("Your comment on “%(title)s” has been published."),
    "comment.declined": _l("Your comment on “%(title)s” was not published. Reason: %(reason)s"),
    "comment.hidden": _l("Your comment on “%(title)s” has been hidden by the moderators."),
    "comment.auto_hidden": _l(
        "Your comment on “%(title)s” has been hidden after several reports. A moderator will review it."
    ),
    "comment.restored": _l("Your comment on “%(title)s” is visible again."),
}


# The categories a person chooses a delivery for (/profile/notifications), in this order.
CATEGORIES: dict[str, object] = {
    "proposal": _l("Proposals: answers, changes, supports"),
    "comment": _l("Comments on proposals"),
    "group": _l("Groups and threads: new threads and replies"),
    "association": _l("Associations: join requests, approvals, partnerships"),
    "moderation": _l("Moderators' decisions on your posts"),
}
_CATEGORY_OF_PREFIX = {"thread": "group", "reply": "group"}


def category_of(kind: str) -> str:
    """The category of a notification kind ("proposal.approved" → "proposal")."""
    prefix = kind.split(".", 1)[0]
    prefix = _CATEGORY_OF_PREFIX.get(prefix, prefix)
    return prefix if prefix in CATEGORIES else "moderation"


def render(kind: str, params: dict) -> str:
    template = TEXTS.get(kind)
    if template is None:
        return kind
    try:
        text = str(template) % params
    except (KeyError, TypeError, ValueError):
        text = str(template)
    # Every decision reaches its author with its reason, also where the sentence has no place
    # for one (a moderator may explain a hide or a restore).
    reason = params.get("reason")
    if reason and "%(reason)s" not in str(template):
        text += " " + str(_l("Reason: %(reason)s")) % {"reason": reason}
    return text
