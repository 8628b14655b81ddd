"""Mixed races against the live app, on SQLite and on PostgreSQL (TWINNING_TEST_DATABASE_URL).

Each test sends competing requests from threads, each on its own connection (tests/racing.py),
and checks the invariant the issue names: a single-use link used once, an admin left, one
account per address, one decision per request, one hide / notice / approval per item, no
deadlock between a support and an answer, one record per create form — and never a 500.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import (
    make_association,
    make_comment,
    make_group,
    make_member,
    make_membership,
    make_proposal,
)
from tests.racing import live_session, race  # noqa: F401 (live_session replaces the rolled-back session)
from twinning.associations.members import _hash
from twinning.associations.models import (
    Association,
    Invitation,
    JoinPolicy,
    Membership,
    MembershipState,
    Role,
)
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.core.extensions import db
from twinning.groups.models import Group, OpenTo, Thread, ThreadReply
from twinning.moderation.models import Decision, ModerationAction, Report
from twinning.notifications.models import Notification
from twinning.proposals.models import Comment, Lifecycle, Proposal, Support


def _count(model, *where) -> int:
    db.session.remove()  # a fresh session: what the requests committed
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _statuses(responses) -> list[int]:
    return sorted(response.status_code for response in responses)


def test_fifty_people_accepting_one_invitation_make_one_member(session):
    live = session
    admin = make_member(
        live.session,
        make_association(live.session, slug=live.slug("invite")),
        Role.ADMIN,
        email=live.email("admin"),
    )
    association = live.session.scalar(select(Association).where(Association.slug == live.slug("invite")))
    association.join_policy = JoinPolicy.INVITE
    token = secrets.token_urlsafe(24)
    live.session.add(
        Invitation(
            association_id=association.id,
            token_hash=_hash(token),
            created_by_id=admin.id,
            expires_at=utcnow() + timedelta(days=1),
        )
    )
    people = [
        make_member(
            live.session,
            make_association(live.session, slug=live.slug(f"home{n}")),
            email=live.email(f"guest{n}"),
        )
        for n in range(50)
    ]
    live.session.commit()
    url = f"/a/{association.slug}/invitations/{token}"
    clients = [live.client(person) for person in people]

    responses = race(*(lambda client=client: client.post(url) for client in clients))

    assert _statuses(responses) == [302] + [400] * 49
    assert (
        _count(
            Membership,
            Membership.association_id == association.id,
            Membership.state == MembershipState.ACTIVE,
        )
        == 2
    )  # the admin and one guest
    refused = next(response for response in responses if response.status_code == 400)
    assert "bereits verwendet" in refused.get_data(as_text=True)  # "has already been used"


def test_two_admins_demoting_each_other_leave_an_admin(session):
    live = session
    for round_ in range(5):
        association = make_association(live.session, slug=live.slug(f"admins{round_}"))
        first = make_member(live.session, association, Role.ADMIN, email=live.email(f"first{round_}"))
        second = make_member(live.session, association, Role.ADMIN, email=live.email(f"second{round_}"))
        live.session.commit()
        base = f"/a/{association.slug}/members"
        by_first, by_second = live.client(first), live.client(second)

        responses = race(
            *(
                lambda client=client, url=f"{base}/{other.id}/role": client.post(url, data={"role": "member"})
                for client, other in ((by_first, second), (by_second, first))
            )
        )

        statuses = _statuses(responses)
        # One demotion wins; the other is refused (the loser is no admin any more, or the last one).
        assert statuses[0] == 302 and statuses[1] in (400, 403), statuses
        assert (
            _count(Membership, Membership.association_id == association.id, Membership.role == Role.ADMIN)
            == 1
        )


def test_thirty_sign_ups_with_one_address_make_one_account(session):
    live = session
    email = live.email("twin")
    form = {"email": email, "display_name": "Zwilling", "password": "correct horse battery staple"}
    clients = [live.client() for _ in range(30)]

    responses = race(*(lambda client=client: client.post("/auth/register", data=form) for client in clients))

    assert _statuses(responses) == [302] + [400] * 29
    assert _count(User, User.email == email) == 1
    for response in responses:
        if response.status_code == 400:  # the same answer as a sign-up after the first one
            assert "Ein Konto mit dieser E-Mail-Adresse existiert bereits" in response.get_data(as_text=True)


def test_accepting_and_rejecting_one_request_at_once_decides_once(session):
    live = session
    for round_ in range(5):
        association = make_association(
            live.session, slug=live.slug(f"request{round_}"), join_policy=JoinPolicy.APPROVAL
        )
        first = make_member(live.session, association, Role.ADMIN, email=live.email(f"a{round_}"))
        second = make_member(live.session, association, Role.ADMIN, email=live.email(f"b{round_}"))
        requester = make_member(
            live.session,
            make_association(live.session, slug=live.slug(f"elsewhere{round_}")),
            email=live.email(f"asks{round_}"),
        )
        make_membership(live.session, requester, association, state=MembershipState.PENDING)
        live.session.commit()
        base = f"/a/{association.slug}/members/{requester.id}"
        by_first, by_second = live.client(first), live.client(second)

        responses = race(
            *(
                lambda client=client, url=url: client.post(url)
                for client, url in ((by_first, f"{base}/accept"), (by_second, f"{base}/reject"))
            )
        )

        # The loser is told it was decided already (400), or finds the rejected request gone (404).
        statuses = _statuses(responses)
        assert statuses[0] == 302 and statuses[1] in (400, 404), statuses
        told = _count(
            Notification,
            Notification.user_id == requester.id,
            Notification.kind.in_(["association.request_accepted", "association.request_rejected"]),
        )
        assert told == 1
        accepted = _count(
            Membership,
            Membership.association_id == association.id,
            Membership.user_id == requester.id,
            Membership.state == MembershipState.ACTIVE,
        )
        rejected = (
            _count(
                Membership, Membership.association_id == association.id, Membership.user_id == requester.id
            )
            == 0
        )
        assert accepted + rejected == 1


def test_ten_parallel_reports_hide_once_and_tell_the_author_once(session):
    live = session
    association = make_association(live.session, slug=live.slug("reports"))
    author = make_member(live.session, association, email=live.email("author"))
    proposal = make_proposal(live.session, association, author)
    reporters = [make_member(live.session, association, email=live.email(f"reporter{n}")) for n in range(10)]
    live.session.commit()
    url = f"/report/proposal/{proposal.id}"
    clients = [live.client(reporter) for reporter in reporters]

    responses = race(*(lambda client=client: client.post(url, data={"reason": "spam"}) for client in clients))

    assert set(_statuses(responses)) <= {302, 400, 404}, _statuses(responses)
    assert (
        _count(
            ModerationAction,
            ModerationAction.kind == "proposal",
            ModerationAction.item_id == proposal.id,
            ModerationAction.decision == Decision.AUTO_HIDE,
        )
        == 1
    )
    assert (
        _count(Notification, Notification.user_id == author.id, Notification.kind == "proposal.auto_hidden")
        == 1
    )
    assert db.session.get(Proposal, proposal.id).moderation_state == ModerationState.HIDDEN
    assert _count(Report, Report.kind == "proposal", Report.item_id == proposal.id) >= 3


def test_ten_parallel_approvals_approve_once(session):
    live = session
    association = make_association(live.session, slug=live.slug("approvals"))
    author = make_member(live.session, association, email=live.email("author"))
    moderator = make_member(live.session, association, Role.MODERATOR, email=live.email("moderator"))
    proposal = make_proposal(live.session, association, author, moderation_state=ModerationState.PENDING)
    live.session.commit()
    url = f"/a/{association.slug}/moderation/proposal/{proposal.id}"
    clients = [live.client(moderator) for _ in range(10)]

    responses = race(
        *(lambda client=client: client.post(url, data={"decision": "approve"}) for client in clients)
    )

    assert _statuses(responses) == [302] + [400] * 9
    assert (
        _count(
            ModerationAction,
            ModerationAction.kind == "proposal",
            ModerationAction.item_id == proposal.id,
            ModerationAction.decision == Decision.APPROVE,
        )
        == 1
    )
    assert (
        _count(Notification, Notification.user_id == author.id, Notification.kind == "proposal.approved") == 1
    )


ANSWER = {"lifecycle": "under_review", "answer": "Wir prüfen."}


def test_supports_racing_a_moderators_answer_all_succeed(session):
    live = session
    for round_ in range(4):
        association = make_association(live.session, slug=live.slug(f"answer{round_}"))
        moderator = make_member(live.session, association, Role.MODERATOR, email=live.email(f"mod{round_}"))
        author = make_member(live.session, association, email=live.email(f"author{round_}"))
        members = [
            make_member(live.session, association, email=live.email(f"fan{round_}-{n}")) for n in range(5)
        ]
        proposal = make_proposal(live.session, association, author)
        live.session.commit()
        base = f"/a/{association.slug}/proposals/{proposal.id}"
        moderating = live.client(moderator)
        supporting = [live.client(member) for member in members]

        responses = race(
            lambda client=moderating, url=f"{base}/answer": client.post(url, data=ANSWER),
            *(
                lambda client=client, url=f"{base}/support": client.post(
                    url, headers={"Accept": "application/json"}
                )
                for client in supporting
            ),
        )

        answer, supports = responses[0], responses[1:]
        assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
        # A support is counted, or — when it arrived after the answer closed the proposal — refused
        # with a clear 403; never a deadlock (which was a 500).
        assert all(response.status_code in (200, 403) for response in supports), _statuses(supports)
        counted = sum(response.status_code == 200 for response in supports)
        assert counted >= 1
        assert _count(Support, Support.proposal_id == proposal.id) == counted
        fresh = db.session.get(Proposal, proposal.id)
        assert fresh.support_count == counted and fresh.lifecycle == Lifecycle.UNDER_REVIEW


# -- the same create form sent twice ---------------------------------------------------------


def _proposal_form(live):
    association = make_association(live.session, slug=live.slug("form"))
    author = make_member(live.session, association, email=live.email("author"))
    return (
        author,
        f"/a/{association.slug}/proposals/new",
        {"title": "Fahrradwerkstatt", "summary": "Eine offene Werkstatt.", "body": "Mit Werkzeug."},
        (Proposal, Proposal.association_id == association.id),
    )


def _comment_form(live):
    association = make_association(live.session, slug=live.slug("form"))
    author = make_member(live.session, association, email=live.email("author"))
    proposal = make_proposal(live.session, association, author)
    return (
        author,
        f"/a/{association.slug}/proposals/{proposal.id}/comments",
        {"body": "Gute Idee!"},
        (Comment, Comment.proposal_id == proposal.id),
    )


def _reply_to_comment_form(live):
    author, url, data, _counted = _comment_form(live)
    proposal_id = int(url.split("/")[-2])
    parent = make_comment(live.session, live.session.get(Proposal, proposal_id), author)
    return author, url, data | {"parent_id": str(parent.id)}, (Comment, Comment.parent_id == parent.id)


def _group_form(live):
    association = make_association(live.session, slug=live.slug("form"))
    admin = make_member(live.session, association, Role.ADMIN, email=live.email("admin"))
    return (
        admin,
        f"/a/{association.slug}/groups/new",
        {"name": "Radgruppe", "open_to": "members"},
        (Group, Group.association_id == association.id),
    )


def _group_with_member(live):
    association = make_association(live.session, slug=live.slug("form"))
    member = make_member(live.session, association, email=live.email("member"))
    group = make_group(live.session, association, open_to=OpenTo.EVERYONE, coordinator=member)
    return member, group


def _thread_form(live):
    member, group = _group_with_member(live)
    return (
        member,
        f"/groups/{group.id}/threads/new",
        {"title": "Treffen im Mai", "body": "Wer kommt?"},
        (Thread, Thread.group_id == group.id),
    )


def _thread_reply_form(live):
    member, group = _group_with_member(live)
    thread = Thread(
        group_id=group.id,
        author_id=member.id,
        title="Treffen",
        body="Wer kommt?",
        moderation_state=ModerationState.APPROVED,
    )
    live.session.add(thread)
    live.session.flush()
    return (
        member,
        f"/groups/{group.id}/threads/{thread.id}/replies",
        {"body": "Ich!"},
        (ThreadReply, ThreadReply.thread_id == thread.id),
    )


def _association_form(live):
    founder = make_member(
        live.session, make_association(live.session, slug=live.slug("home")), email=live.email("founder")
    )
    name = f"Freundeskreis {live.tag}"
    return (
        founder,
        "/associations/new",
        {"name": name, "city": "Aachen", "country": "DE", "join_policy": "open", "description": "Austausch."},
        (Association, Association.name == name),
    )


def _report_form(live):
    association = make_association(live.session, slug=live.slug("form"))
    author = make_member(live.session, association, email=live.email("author"))
    reporter = make_member(live.session, association, email=live.email("reporter"))
    proposal = make_proposal(live.session, association, author)
    return (
        reporter,
        f"/report/proposal/{proposal.id}",
        {"reason": "spam"},
        (Report, Report.item_id == proposal.id, Report.kind == "proposal"),
    )


CREATE_FORMS = {
    "proposal": _proposal_form,
    "comment": _comment_form,
    "comment reply": _reply_to_comment_form,
    "group": _group_form,
    "thread": _thread_form,
    "thread reply": _thread_reply_form,
    "association": _association_form,
    "report": _report_form,
}


@pytest.mark.parametrize("form", CREATE_FORMS)
def test_a_create_form_sent_twice_makes_one_record(session, form):
    live = session
    user, url, data, (model, *where) = CREATE_FORMS[form](live)
    live.session.commit()
    data = data | {"once": secrets.token_hex(16)}  # what the rendered form carries
    clients = [live.client(user) for _ in range(3)]

    at_once = race(*(lambda client=client: client.post(url, data=data) for client in clients[:2]))
    later = clients[2].post(url, data=data)  # and again, a moment later (a reload of the POST)

    assert [response.status_code for response in (*at_once, later)] == [302] * 3
    assert len({response.location for response in (*at_once, later)}) == 1  # all on to the one record
    assert _count(model, *where) == 1
    # A new form (a new token) still creates a second record where the feature allows one.
    if form in ("comment", "comment reply", "thread", "thread reply"):
        again = clients[2].post(url, data=data | {"once": secrets.token_hex(16)})
        assert again.status_code == 302
        assert _count(model, *where) == 2


def test_forms_render_a_fresh_token(session):
    live = session
    author, url, _data, _counted = _proposal_form(live)
    live.session.commit()
    client = live.client(author)
    pages = [client.get(url).get_data(as_text=True) for _ in range(2)]
    tokens = [page.split('name="once" value="', 1)[1].split('"', 1)[0] for page in pages]
    assert all(len(token) == 32 for token in tokens) and tokens[0] != tokens[1]
