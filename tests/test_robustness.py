"""Never a 500: every POST route, with real and foreign ids, gets empty, huge, NUL, Unicode
and wrongly typed input from a platform admin, an association admin and an outsider."""

from __future__ import annotations

import re

import pytest

from tests.conftest import sign_in
from tests.factories import (
    link_partners,
    make_association,
    make_comment,
    make_group,
    make_member,
    make_proposal,
    make_user,
    theme,
)
from twinning.associations.models import Invitation, Partnership, Role
from twinning.core.db import utcnow
from twinning.groups.models import Thread, ThreadReply
from twinning.notifications.models import Notification
from twinning.proposals.models import CoSponsorship

FIELDS = [
    "title",
    "summary",
    "body",
    "themes",
    "sdgs",
    "budget",
    "name",
    "city",
    "country",
    "description",
    "website",
    "join_policy",
    "moderation_policy",
    "support_threshold",
    "role",
    "decision",
    "reason",
    "text",
    "email",
    "display_name",
    "password",
    "current_password",
    "locale",
    "bio",
    "open_to",
    "lifecycle",
    "answer",
    "parent_id",
    "association",
    "items",
    "since_year",
    "kind",
    "name_de",
    "name_en",
    "slug",
    "direction",
    "email_notifications",
    "remember",
    "preview",
]
PAYLOADS = {
    "empty": {},
    "huge": dict.fromkeys(FIELDS, "x" * 10_000),
    "nul": dict.fromkeys(FIELDS, "a\x00b"),
    "unicode": dict.fromkeys(FIELDS, "Олена 🌻 Ünïcødé ‮"),
    "numbers": dict.fromkeys(FIELDS, "99999999999999999999999"),
    "negative": dict.fromkeys(FIELDS, "-1"),
}
SKIP = {"/auth/logout"}  # would end the session the rest of the walk needs


@pytest.fixture
def world(session):
    """One of everything a POST route can point at."""
    platform = make_user(session, email="platform@example.org", platform_admin=True)
    admin = make_user(session, email="board@example.org")
    outsider = make_user(session, email="outsider@example.org")
    home = make_association(session, slug="home", admin=admin)
    partner = make_association(session, slug="partner", admin=make_user(session))
    link_partners(session, home, partner)
    member = make_member(session, home, Role.MEMBER, email="member@example.org")
    proposal = make_proposal(session, home, member, themes=[theme(session)], sdgs=[13])
    comment = make_comment(session, proposal, member)
    cosponsorship = CoSponsorship(proposal_id=proposal.id, association_id=partner.id)
    group = make_group(session, home, coordinator=admin)
    thread = Thread(group_id=group.id, author_id=admin.id, title="T", body="B", moderation_state="approved")
    session.add(thread)
    session.flush()
    reply = ThreadReply(thread_id=thread.id, author_id=admin.id, body="R")
    invitation = Invitation(association_id=home.id, token_hash="0" * 64, expires_at=utcnow())
    notification = Notification(user_id=admin.id, kind="x", params={}, link="/")
    session.add_all([cosponsorship, reply, invitation, notification])
    session.flush()
    partnership = session.query(Partnership).filter_by(association_id=home.id).first()
    ids = {
        "slug": "home",
        "user_id": member.id,
        "invitation_id": invitation.id,
        "partnership_id": partnership.id if partnership else 1,
        "proposal_id": proposal.id,
        "comment_id": comment.id,
        "cosponsorship_id": cosponsorship.id,
        "group_id": group.id,
        "thread_id": thread.id,
        "reply_id": reply.id,
        "theme_id": theme(session).id,
        "notification_id": notification.id,
        "item_id": proposal.id,
        "kind_name": "proposal",
        "kind": "proposal",  # /follow/<kind>/<target_id>
        "target_id": proposal.id,
        "token": "not-a-token",
        "choice": "accept",
    }
    return {
        "ids": ids,
        "people": [platform.email, admin.email, outsider.email],
        "comment": comment.id,
        "reply": reply.id,
    }


def _paths(app, ids: dict) -> list[str]:
    """Every POST route with real ids, and again with ids that belong to nothing."""
    paths = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule in SKIP or rule.rule.startswith("/_test"):
            continue
        for foreign in (False, True):

            def fill(match, foreign=foreign):
                name = match.group(1).split(":")[-1]
                if foreign and name.endswith("_id"):
                    return "987654321"
                if foreign and name == "slug":
                    return "partner"
                return str(ids[name])

            paths.append(re.sub(r"<([^>]+)>", fill, rule.rule))
    return sorted(set(paths))


def test_no_post_route_answers_500_to_any_input(app, world):
    paths = _paths(app, world["ids"])
    assert len(paths) > 50
    failures = []
    for email in world["people"]:
        client = app.test_client()
        sign_in(client, email)
        for path in paths:
            for name, payload in PAYLOADS.items():
                status = client.post(path, data=payload).status_code
                if status >= 500:
                    failures.append(f"{email} POST {path} [{name}] → {status}")
    assert not failures, "\n".join(failures)


def test_other_kinds_and_unknown_kinds_never_500(app, world):
    client = app.test_client()
    sign_in(client, world["people"][1])
    for kind, item in (("comment", world["comment"]), ("reply", world["reply"]), ("nonsense", 1)):
        for path in (f"/a/home/moderation/{kind}/{item}", f"/report/{kind}/{item}"):
            for payload in PAYLOADS.values():
                assert client.post(path, data=payload).status_code < 500, (path, payload)


QUERIES = [
    "",
    "?page=-1",
    "?page=99999999999999999999",
    "?page=abc&sort=nonsense&status=zzz",
    "?theme=%00&sdg=99&country=ZZZ&q=" + "x" * 5_000,
    "?sdg=0&open_to=nobody&association=%F0%9F%8C%BB",
    "?lang=xx&reported_page=-5",
]


def test_no_get_route_answers_500_to_odd_queries(app, world):
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/_test"):
            continue
        paths.append(
            re.sub(r"<([^>]+)>", lambda m: str(world["ids"].get(m.group(1).split(":")[-1], "x")), rule.rule)
        )
    failures = []
    for email in (None, *world["people"]):
        client = app.test_client()
        if email:
            sign_in(client, email)
        for path in paths:
            for query in QUERIES:
                status = client.get(path + query).status_code
                if status >= 500:
                    failures.append(f"{email} GET {path}{query[:60]} → {status}")
    assert not failures, "\n".join(failures)
