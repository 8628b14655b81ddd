"""Rate limits as deployed: the address behind trusted proxies, sign-in without lockout, posting per account."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import PASSWORD, make_association, make_group, make_member, make_proposal, make_user
from twinning.associations.models import ModerationPolicy
from twinning.core import security
from twinning.core.content import ModerationState
from twinning.groups.models import GroupMembership, Thread
from twinning.proposals.models import Comment, Proposal

TOO_MANY = "Zu viele Versuche"
PROPOSAL = {
    "title": "Fahrradwerkstatt",
    "summary": "Eine offene Werkstatt.",
    "body": "Mit **Werkzeug**.",
    "themes": ["klimaschutz"],
    "sdgs": ["11"],
}


def _failed_sign_in(client, email: str, **kwargs) -> int:
    return client.post("/auth/login", data={"email": email, "password": "wrong guess"}, **kwargs).status_code


def _from(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


@pytest.fixture
def behind_one_proxy(app, monkeypatch):
    """The app as ``TWINNING_PROXY_HOPS=1`` builds it, for one test."""
    monkeypatch.setitem(app.config, "PROXY_HOPS", 1)
    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)  # restored afterwards
    security.trust_proxies(app)


# -- the client's address --------------------------------------------------------------------


def test_forwarded_for_is_ignored_without_trusted_proxies(client):
    """By default anyone could send X-Forwarded-For: a new one per request must not reset the count."""
    statuses = [
        _failed_sign_in(client, f"nobody{i}@example.org", headers={"X-Forwarded-For": f"203.0.113.{i}"})
        for i in range(31)
    ]
    assert statuses[:30] == [400] * 30
    assert statuses[30] == 429


def test_forwarded_for_is_the_address_behind_one_trusted_proxy(client, behind_one_proxy):
    statuses = [
        _failed_sign_in(client, f"nobody{i}@example.org", headers={"X-Forwarded-For": f"203.0.113.{i}"})
        for i in range(31)
    ]
    assert statuses == [400] * 31  # 31 different people behind the proxy


def test_behind_one_proxy_only_the_address_it_added_counts(client, behind_one_proxy):
    """A client's own X-Forwarded-For entries come first; the proxy appends the address it saw."""
    statuses = [
        _failed_sign_in(
            client, f"nobody{i}@example.org", headers={"X-Forwarded-For": f"10.0.0.{i}, 198.51.100.7"}
        )
        for i in range(31)
    ]
    assert statuses[30] == 429


# -- sign-in: slowed per address and per account and address, never a lockout ---------------


def test_wrong_passwords_from_elsewhere_never_lock_the_owner_out(app, session):
    make_user(session, email="owner@example.org")
    attacker, owner = app.test_client(), app.test_client()
    statuses = [_failed_sign_in(attacker, "owner@example.org", **_from("198.51.100.9")) for _ in range(40)]
    assert statuses[:10] == [400] * 10
    assert statuses[10:] == [429] * 30  # ten guesses per 15 minutes for this account from there
    response = attacker.post(
        "/auth/login", data={"email": "owner@example.org", "password": PASSWORD}, **_from("198.51.100.9")
    )
    assert response.status_code == 429  # not even the right password gets through from there

    response = owner.post(
        "/auth/login", data={"email": "owner@example.org", "password": PASSWORD}, **_from("203.0.113.20")
    )
    assert response.status_code == 302
    assert owner.get("/profile").status_code == 200


def test_attacks_from_many_addresses_leave_the_owner_their_own(app, session):
    make_user(session, email="owner@example.org")
    for n in range(5):
        attacker = app.test_client()
        assert [
            _failed_sign_in(attacker, "owner@example.org", **_from(f"198.51.100.{n}")) for _ in range(11)
        ][-1] == 429
    owner = app.test_client()
    assert (
        _failed_sign_in(owner, "owner@example.org", **_from("203.0.113.20")) == 400
    )  # a typo of the owner's
    response = owner.post(
        "/auth/login", data={"email": "owner@example.org", "password": PASSWORD}, **_from("203.0.113.20")
    )
    assert response.status_code == 302


def test_one_address_guessing_many_accounts_is_stopped(client):
    statuses = [
        _failed_sign_in(client, f"person{i}@example.org", **_from("198.51.100.50")) for i in range(31)
    ]
    assert statuses[29] == 400 and statuses[30] == 429
    assert TOO_MANY in client.post(
        "/auth/login", data={"email": "x@example.org", "password": "x"}, **_from("198.51.100.50")
    ).get_data(as_text=True)


def test_successful_sign_ins_do_not_count(app, session):
    make_user(session, email="often@example.org")
    for _ in range(15):
        client = app.test_client()
        assert sign_in(client, "often@example.org").status_code == 302


def test_the_sign_in_limits_are_settings(app, client, session, monkeypatch):
    monkeypatch.setitem(app.config, "LIMIT_SIGN_IN_PER_ACCOUNT_AND_ADDRESS", "2 per hour")
    make_user(session, email="owner@example.org")
    statuses = [_failed_sign_in(client, "owner@example.org") for _ in range(3)]
    assert statuses == [400, 400, 429]


# -- posting, per account ----------------------------------------------------------------------


@pytest.fixture
def space(session):
    admin = make_user(session, email="admin@verein.example")
    association = make_association(
        session, admin=admin, slug="aachen-reims", moderation_policy=ModerationPolicy.NONE
    )
    return association, admin


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_ten_proposals_an_hour_then_429(client, session, space):
    association, _admin = space
    author = make_member(session, association, email="busy@example.org")
    sign_in(client, author.email)
    statuses = [
        client.post("/a/aachen-reims/proposals/new", data=PROPOSAL | {"title": f"Idee {i}"}).status_code
        for i in range(11)
    ]
    assert statuses == [302] * 10 + [429]
    page = client.post("/a/aachen-reims/proposals/new", data=PROPOSAL)
    assert page.status_code == 429 and TOO_MANY in page.get_data(as_text=True)
    assert _count(session, Proposal, Proposal.author_id == author.id) == 10


def test_refused_forms_and_previews_do_not_count(app, client, session, space, monkeypatch):
    monkeypatch.setitem(app.config, "LIMIT_PROPOSALS", "2 per hour")
    association, _admin = space
    author = make_member(session, association, email="careful@example.org")
    sign_in(client, author.email)
    for _ in range(3):
        assert client.post("/a/aachen-reims/proposals/new", data=PROPOSAL | {"title": ""}).status_code == 400
        assert (
            client.post("/a/aachen-reims/proposals/new", data=PROPOSAL | {"preview": "1"}).status_code == 200
        )
    statuses = [
        client.post("/a/aachen-reims/proposals/new", data=PROPOSAL | {"title": f"Idee {i}"}).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_comments_are_limited_per_account_not_per_address(app, session, space, monkeypatch):
    monkeypatch.setitem(app.config, "LIMIT_COMMENTS", "3 per 10 minutes")
    association, admin = space
    proposal = make_proposal(session, association, admin)
    first, second = app.test_client(), app.test_client()
    sign_in(first, make_member(session, association, email="first@example.org").email)
    sign_in(second, make_member(session, association, email="second@example.org").email)
    url = f"/a/aachen-reims/proposals/{proposal.id}/comments"
    assert [first.post(url, data={"body": f"Gut {i}"}).status_code for i in range(4)] == [302, 302, 302, 429]
    # Replies to comments count as comments.
    parent = session.scalar(select(Comment).where(Comment.proposal_id == proposal.id).limit(1))
    assert first.post(url, data={"body": "Antwort", "parent_id": str(parent.id)}).status_code == 429
    assert second.post(url, data={"body": "Ich auch"}).status_code == 302  # same address, other account
    assert _count(session, Comment, Comment.proposal_id == proposal.id) == 4


@pytest.fixture
def thread_world(session, space):
    association, admin = space
    group = make_group(session, association, coordinator=admin)
    member = make_member(session, association, email="talker@example.org")
    session.add(GroupMembership(group_id=group.id, user_id=member.id))
    thread = Thread(
        group_id=group.id,
        author_id=admin.id,
        title="Aktionstag",
        body="Plan",
        moderation_state=ModerationState.APPROVED,
    )
    session.add(thread)
    session.flush()
    return group, thread, member


def test_replies_are_limited_per_account(app, client, session, thread_world, monkeypatch):
    monkeypatch.setitem(app.config, "LIMIT_REPLIES", "2 per 10 minutes")
    group, thread, member = thread_world
    sign_in(client, member.email)
    url = f"/groups/{group.id}/threads/{thread.id}/replies"
    assert client.post(url, data={"body": ""}).status_code == 400  # refused: does not count
    assert [client.post(url, data={"body": f"Dabei {i}"}).status_code for i in range(3)] == [302, 302, 429]


def test_threads_are_limited_per_account(app, client, session, thread_world, monkeypatch):
    monkeypatch.setitem(app.config, "LIMIT_THREADS", "2 per hour")
    group, _thread, member = thread_world
    sign_in(client, member.email)
    url = f"/groups/{group.id}/threads/new"
    statuses = [client.post(url, data={"title": f"Thema {i}", "body": "Text"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert client.get(url).status_code == 200  # only posting is limited
    assert _count(session, Thread, Thread.author_id == member.id) == 2


def test_invitations_are_limited_per_account(app, client, session, space, monkeypatch):
    monkeypatch.setitem(app.config, "LIMIT_INVITATIONS", "2 per hour")
    _association, admin = space
    sign_in(client, admin.email)
    statuses = [
        client.post("/a/aachen-reims/invitations", data={"email": f"guest{i}@example.org"}).status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_default_posting_limits_leave_room_for_a_busy_evening(app):
    """What a real person does in three hours fits under every default."""
    from limits import parse_many

    evening = 3 * 3600

    def in_an_evening(setting: str) -> int:
        return min(
            item.amount * max(1, evening // item.get_expiry()) for item in parse_many(app.config[setting])
        )

    assert in_an_evening("LIMIT_PROPOSALS") >= 10
    assert in_an_evening("LIMIT_THREADS") >= 10
    assert in_an_evening("LIMIT_COMMENTS") >= 100
    assert in_an_evening("LIMIT_REPLIES") >= 100
    assert in_an_evening("LIMIT_INVITATIONS") >= 100
