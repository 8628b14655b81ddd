"""Proposal pages through the test client: the journey, bad input, and other associations."""

from __future__ import annotations

import re

import pytest
from flask import render_template
from sqlalchemy import event, func, select

from tests.conftest import sign_in
from tests.factories import (
    link_partners,
    make_association,
    make_comment,
    make_member,
    make_proposal,
    make_user,
    theme,
)
from twinning.associations.models import ModerationPolicy, Role
from twinning.core.content import ModerationState
from twinning.core.extensions import db
from twinning.proposals.models import Comment, CoSponsorship, CoSponsorState, Lifecycle, Proposal
from twinning.proposals.moderation import on_proposal_state_change
from twinning.proposals.sections import profile_section, space_section

FORM = {
    "title": "Fahrradwerkstatt",
    "summary": "Eine offene Werkstatt.",
    "body": "Mit **Werkzeug**.",
    "themes": ["klimaschutz"],
    "sdgs": ["11", "13"],
    "budget": "2.500 €",
}


def _count(page: str) -> int:
    return int(re.search(r'data-support-count="(\d+)"', page).group(1))


@pytest.fixture
def space(session):
    admin = make_user(session, email="admin@verein.example")
    association = make_association(session, admin=admin, slug="aachen-reims")
    return association, admin


def test_post_moderate_support_comment_journey(app, client, session, space):
    association, admin = space
    make_member(session, association, email="anna@example.org")
    supporters = [make_member(session, association, email=f"s{i}@example.org") for i in range(2)]
    other = make_association(session, slug="elsewhere")
    make_member(session, other, role=Role.MODERATOR, email="othermod@example.org")

    sign_in(client, "anna@example.org")
    response = client.post("/a/aachen-reims/proposals/new", data=FORM)
    assert response.status_code == 302
    proposal = session.scalar(select(Proposal).where(Proposal.title == "Fahrradwerkstatt"))
    assert proposal.moderation_state == ModerationState.PENDING and proposal.budget == 2500
    assert client.get(response.location).status_code == 200  # the author sees it

    client.post("/auth/logout")
    assert client.get(f"/a/aachen-reims/proposals/{proposal.id}").status_code == 404
    assert "Fahrradwerkstatt" not in client.get("/a/aachen-reims/proposals").get_data(as_text=True)

    sign_in(client, "othermod@example.org")  # a moderator elsewhere sees nothing either
    assert client.get(f"/a/aachen-reims/proposals/{proposal.id}").status_code == 404
    client.post("/auth/logout")

    proposal = session.get(Proposal, proposal.id)
    proposal.moderation_state = ModerationState.APPROVED
    with app.test_request_context("/"):  # what moderation's decide service does
        on_proposal_state_change(session, proposal, admin, "approve")
        session.commit()  # leaving the context removes the session
    response = client.get(f"/a/aachen-reims/proposals/{proposal.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    assert "Fahrradwerkstatt" in page and "<strong>Werkzeug</strong>" in page and _count(page) == 0
    assert "11 · " in page and "13 · " in page  # goals by number and name, not colour alone

    for supporter in supporters:
        sign_in(client, supporter.email)
        assert client.post(f"/a/aachen-reims/proposals/{proposal.id}/support").status_code == 302
        client.post("/auth/logout")
    sign_in(client, "anna@example.org")
    result = client.post(
        f"/a/aachen-reims/proposals/{proposal.id}/support", headers={"Accept": "application/json"}
    )
    assert result.get_json() == {"supported": True, "count": 3, "label": "Unterstützungen"}
    result = client.post(
        f"/a/aachen-reims/proposals/{proposal.id}/support", headers={"Accept": "application/json"}
    )
    assert result.get_json() == {"supported": False, "count": 2, "label": "Unterstützungen"}
    assert (
        client.post(
            f"/a/aachen-reims/proposals/{proposal.id}/comments", data={"body": "Ich helfe mit 🚲"}
        ).status_code
        == 302
    )
    page = client.get(f"/a/aachen-reims/proposals/{proposal.id}").get_data(as_text=True)
    assert _count(page) == 2 and "Ich helfe mit 🚲" in page
    listing = client.get("/a/aachen-reims/proposals").get_data(as_text=True)
    assert "Fahrradwerkstatt" in listing and "1 Kommentar" in listing


def test_markdown_is_sanitized(client, session, space):
    association, _admin = space
    author = make_member(session, association)
    body = (
        "<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>"
        "\n\n<iframe src=https://evil.example></iframe>\n\n[ok](https://example.org)"
    )
    proposal = make_proposal(session, association, author, body=body)
    page = client.get(f"/a/aachen-reims/proposals/{proposal.id}").get_data(as_text=True)
    body_html = page.split('class="proposal-body"', 1)[1].split("</section>", 1)[0]
    assert "<script" not in body_html and "<iframe" not in body_html and "<img" not in body_html
    assert 'href="javascript' not in body_html
    assert 'rel="nofollow ugc noopener"' in body_html


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "Titel"),
        ({"body": "x" * 200_000}, "höchstens 20000 Zeichen"),
        ({"sdgs": ["18"]}, "Ziele von 1 bis 17"),
        ({"sdgs": ["abc"]}, "Ziele von 1 bis 17"),
        ({"themes": ["no-such-theme"]}, "Themen aus der Liste"),
        ({"budget": "viel"}, "ganze Zahl"),
        ({"budget": "-5"}, "ganze Zahl"),
        ({"title": "Null\x00byte"}, "nicht erlaubt"),
        ({"summary": "s" * 10_000}, "höchstens 500 Zeichen"),
    ],
)
def test_bad_input_is_400_with_message_and_text_kept(client, session, space, changes, message):
    association, _admin = space
    make_member(session, association, email="anna@example.org")
    sign_in(client, "anna@example.org")
    before = session.scalar(select(func.count(Proposal.id)))
    data = dict(FORM, **changes)
    response = client.post("/a/aachen-reims/proposals/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert "Eine offene Werkstatt." in page or "summary" in changes
    if "body" in changes:
        assert data["body"] in page  # the long text is not lost
    assert session.scalar(select(func.count(Proposal.id))) == before


def test_unicode_and_preview(client, session, space):
    association, _admin = space
    make_member(session, association, email="anna@example.org")
    sign_in(client, "anna@example.org")
    data = dict(FORM, title="Олена 🌻 Réseau", body="# Überschrift\n\n*kursiv*", preview="1")
    response = client.post("/a/aachen-reims/proposals/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<em>kursiv</em>" in page and "<h2>Überschrift</h2>" in page
    assert session.scalar(select(func.count(Proposal.id))) == 0
    del data["preview"]
    assert client.post("/a/aachen-reims/proposals/new", data=data).status_code == 302
    assert session.scalar(select(Proposal.title)) == "Олена 🌻 Réseau"


def test_new_proposal_needs_membership(client, session, space):
    make_user(session, email="visitor@example.org")
    assert client.get("/a/aachen-reims/proposals/new").status_code == 302  # to sign-in
    sign_in(client, "visitor@example.org")
    assert client.get("/a/aachen-reims/proposals/new").status_code == 403
    assert client.post("/a/aachen-reims/proposals/new", data=FORM).status_code == 403
    assert client.get("/a/no-such-space/proposals/new").status_code == 404


def test_support_refusals(client, session, space):
    association, _admin = space
    member = make_member(session, association, email="anna@example.org")
    pending = make_proposal(session, association, member, moderation_state=ModerationState.PENDING)
    withdrawn = make_proposal(session, association, member, lifecycle=Lifecycle.WITHDRAWN)
    other = make_association(session, slug="elsewhere")
    foreign = make_proposal(session, other, make_member(session, other))
    open_one = make_proposal(session, association, member)
    assert client.post(f"/a/aachen-reims/proposals/{open_one.id}/support").status_code == 302  # sign in first
    sign_in(client, "anna@example.org")
    assert client.post(f"/a/aachen-reims/proposals/{withdrawn.id}/support").status_code == 403
    assert client.post(f"/a/elsewhere/proposals/{foreign.id}/support").status_code == 403
    assert (
        client.post(f"/a/aachen-reims/proposals/{foreign.id}/support").status_code == 404
    )  # id of another space
    assert client.get(f"/a/aachen-reims/proposals/{2**70}").status_code == 404
    assert client.post(f"/a/aachen-reims/proposals/{pending.id}/support").status_code == 403
    assert session.scalar(select(func.sum(Proposal.support_count))) == 0


def test_list_sorts_filters_paginates_with_constant_queries(client, session, space, app):
    association, _admin = space
    author = make_member(session, association)
    climate = theme(session, "klimaschutz")
    for n in range(25):
        proposal = make_proposal(
            session,
            association,
            author,
            title=f"P{n:02d}",
            sdgs=[n % 17 + 1],
            themes=[climate] if n % 2 else [],
        )
        proposal.support_count = n
        proposal.comment_count = 25 - n
    session.flush()
    page = client.get("/a/aachen-reims/proposals").get_data(as_text=True)
    assert page.index("P24") < page.index("P23") and "P04" not in page
    assert "P04" in client.get("/a/aachen-reims/proposals?page=2").get_data(as_text=True)
    assert client.get("/a/aachen-reims/proposals?page=abc").status_code == 200
    assert client.get("/a/aachen-reims/proposals?page=-3").status_code == 200
    assert client.get("/a/aachen-reims/proposals?page=99").status_code == 404
    by_comments = client.get("/a/aachen-reims/proposals?sort=comments").get_data(as_text=True)
    assert by_comments.index("P00") < by_comments.index("P01")
    assert client.get("/a/aachen-reims/proposals?sort=nonsense").status_code == 200
    only_sdg = client.get("/a/aachen-reims/proposals?sdg=5").get_data(as_text=True)
    assert "P04" in only_sdg and "P05" not in only_sdg
    only_theme = client.get("/a/aachen-reims/proposals?theme=klimaschutz&sort=new").get_data(as_text=True)
    assert "P03" in only_theme and "P02" not in only_theme
    for bad in ("sdg=18", "sdg=x", "theme=nope", "status=maybe", "sdg=99999999999999999999"):
        assert client.get(f"/a/aachen-reims/proposals?{bad}").status_code == 404, bad

    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        client.get("/a/aachen-reims/proposals?page=2")
        few = len(statements)
        statements.clear()
        client.get("/a/aachen-reims/proposals")
        many = len(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert few == many  # 5 proposals or 20: the same number of queries


def test_cosponsored_proposal_in_both_spaces_only(client, session, space):
    association, admin = space
    partner_admin = make_user(session, email="reims-admin@example.org")
    partner = make_association(session, admin=partner_admin, slug="reims-aachen", city="Reims", country="FR")
    make_association(session, slug="third")
    link_partners(session, association, partner)
    proposal = make_proposal(session, association, make_member(session, association), title="Jugendaustausch")

    sign_in(client, admin.email)
    assert (
        client.post(
            f"/a/aachen-reims/proposals/{proposal.id}/cosponsors", data={"association": "third"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/a/aachen-reims/proposals/{proposal.id}/cosponsors", data={"association": "reims-aachen"}
        ).status_code
        == 302
    )
    invitation = session.scalar(select(CoSponsorship))
    assert client.get(f"/a/reims-aachen/proposals/{proposal.id}").status_code == 404  # not yet accepted
    accept = f"/a/aachen-reims/proposals/{proposal.id}/cosponsors/{invitation.id}/accept"
    assert client.post(accept).status_code == 403  # the origin cannot accept for the partner
    client.post("/auth/logout")

    sign_in(client, "reims-admin@example.org")
    assert "Einladung" in client.get(f"/a/aachen-reims/proposals/{proposal.id}").get_data(as_text=True)
    assert client.post(accept).status_code == 302
    assert session.get(CoSponsorship, invitation.id).state == CoSponsorState.ACCEPTED
    assert client.post(accept).status_code == 302  # answered already: a message, not an error
    assert client.get(f"/a/reims-aachen/proposals/{proposal.id}").status_code == 200
    assert "Jugendaustausch" in client.get("/a/reims-aachen/proposals").get_data(as_text=True)
    assert client.get(f"/a/third/proposals/{proposal.id}").status_code == 404
    assert client.post(f"/a/reims-aachen/proposals/{proposal.id}/support").status_code == 302


def test_answer_only_by_own_moderators(client, session, space):
    association, admin = space
    proposal = make_proposal(session, association, make_member(session, association))
    other = make_association(session, slug="elsewhere")
    make_member(session, other, role=Role.ADMIN, email="otheradmin@example.org")
    sign_in(client, "otheradmin@example.org")
    url = f"/a/aachen-reims/proposals/{proposal.id}/answer"
    assert client.post(url, data={"lifecycle": "rejected", "answer": "No."}).status_code == 403
    client.post("/auth/logout")
    sign_in(client, admin.email)
    assert client.post(url, data={"lifecycle": "implemented", "answer": "?"}).status_code == 400
    assert client.post(url, data={"lifecycle": "accepted", "answer": ""}).status_code == 400
    assert client.post(url, data={"lifecycle": "accepted", "answer": "Ja, im Mai."}).status_code == 302
    page = client.get(f"/a/aachen-reims/proposals/{proposal.id}").get_data(as_text=True)
    assert "Ja, im Mai." in page and "Angenommen" in page


def test_edit_withdraw_and_revisions(client, session, space):
    association, _admin = space
    association.moderation_policy = ModerationPolicy.NONE  # edits apply at once (no supports yet)
    author = make_member(session, association, email="anna@example.org")
    make_member(session, association, email="bert@example.org")
    proposal = make_proposal(session, association, author, title="Erste Fassung")
    edit = f"/a/aachen-reims/proposals/{proposal.id}/edit"
    sign_in(client, "bert@example.org")
    assert client.get(edit).status_code == 403
    client.post("/auth/logout")
    sign_in(client, "anna@example.org")
    assert 'value="Erste Fassung"' in client.get(edit).get_data(as_text=True)
    assert client.post(edit, data=dict(FORM, title="")).status_code == 400
    assert client.post(edit, data=dict(FORM, title="Zweite Fassung")).status_code == 302
    revisions = client.get(f"/a/aachen-reims/proposals/{proposal.id}/revisions").get_data(as_text=True)
    assert "Erste Fassung" in revisions
    assert client.post(f"/a/aachen-reims/proposals/{proposal.id}/withdraw").status_code == 302
    assert session.get(Proposal, proposal.id).lifecycle == Lifecycle.WITHDRAWN
    assert client.post(f"/a/aachen-reims/proposals/{proposal.id}/withdraw").status_code == 403
    assert client.get(edit).status_code == 403


def test_comment_bad_input_edit_delete(client, session, space):
    association, _admin = space
    author = make_member(session, association, email="anna@example.org")
    make_member(session, association, email="bert@example.org")
    proposal = make_proposal(session, association, author)
    url = f"/a/aachen-reims/proposals/{proposal.id}/comments"
    sign_in(client, "anna@example.org")
    assert client.post(url, data={"body": ""}).status_code == 400
    assert client.post(url, data={"body": "x" * 10_000}).status_code == 400
    assert client.post(url, data={"body": "a\x00b"}).status_code == 400
    response = client.post(url, data={"body": "Antwort ins Leere", "parent_id": "999999999"})
    assert response.status_code == 400 and "Antwort ins Leere" in response.get_data(as_text=True)
    assert client.post(url, data={"body": "x", "parent_id": "abc"}).status_code == 400
    assert client.post(url, data={"body": "Mein Kommentar"}).status_code == 302
    comment = session.scalar(select(Comment).where(Comment.body == "Mein Kommentar"))
    assert client.post(url, data={"body": "Antwort", "parent_id": str(comment.id)}).status_code == 302
    edit = f"{url}/{comment.id}/edit"
    assert client.post(edit, data={"body": "Mein geänderter Kommentar"}).status_code == 302
    client.post("/auth/logout")
    sign_in(client, "bert@example.org")
    assert client.post(edit, data={"body": "Übernommen"}).status_code == 403
    assert client.post(f"{url}/{comment.id}/delete").status_code == 403
    client.post("/auth/logout")
    sign_in(client, "anna@example.org")
    assert client.post(f"{url}/{comment.id}/delete").status_code == 302
    page = client.get(f"/a/aachen-reims/proposals/{proposal.id}").get_data(as_text=True)
    assert "gelöscht" in page and "Antwort" in page and "Mein geänderter Kommentar" not in page
    assert session.get(Proposal, proposal.id).comment_count == 1
    other = make_association(session, slug="elsewhere")
    foreign = make_proposal(session, other, make_member(session, other))
    foreign_comment = make_comment(session, foreign, author)
    assert client.post(f"{url}/{foreign_comment.id}/delete").status_code == 404


def test_sections_render(app, session, space):
    association, admin = space
    proposal = make_proposal(session, association, admin, title="Im Raum", sdgs=[6])
    with app.test_request_context("/"):
        template, context = space_section(association, admin)
        html = render_template(template, section=context)
        assert "Im Raum" in html and "6 · " in html
        template, context = profile_section(admin, admin)
        assert proposal in context["proposals"]
        assert "Im Raum" in render_template(template, section=context)
        assert profile_section(admin, make_user(session)) is None


def test_one_support_is_singular_on_the_page_and_in_json(client, session):
    admin = make_user(session)
    association = make_association(session, admin=admin, slug="singular")
    author = make_member(session, association, email="solo@example.org")
    proposal = make_proposal(session, association, author)
    sign_in(client, "solo@example.org")
    result = client.post(
        f"/a/singular/proposals/{proposal.id}/support", headers={"Accept": "application/json"}
    )
    assert result.get_json() == {"supported": True, "count": 1, "label": "Unterstützung"}
    page = client.get(f"/a/singular/proposals/{proposal.id}?lang=en").get_data(as_text=True)
    assert 'data-support-count="1">1</strong>' in page
    assert "<span data-support-label>support</span>" in page


def test_partner_admins_find_open_invitations_on_their_space_and_answer_there(client, session, space):
    from tests.querycount import get_counted

    association, admin = space
    partner_admin = make_user(session, email="reims-admin@example.org")
    partner = make_association(session, admin=partner_admin, slug="reims-aachen", city="Reims", country="FR")
    partner_member = make_member(session, partner, email="reims-member@example.org")
    link_partners(session, association, partner)
    titles = ["Jugendaustausch", "Chorreise", "Fahrradwerkstatt"]
    proposals = [
        make_proposal(session, association, make_member(session, association), title=t) for t in titles
    ]
    session.add(CoSponsorship(proposal_id=proposals[0].id, association_id=partner.id))
    heading = "Einladungen zum Mittragen"

    assert heading not in client.get("/a/reims-aachen").get_data(as_text=True)  # visitors
    sign_in(client, partner_member.email)
    assert heading not in client.get("/a/reims-aachen").get_data(as_text=True)  # plain members
    client.post("/auth/logout")
    sign_in(client, admin.email)  # the origin's admin: the invitation is not theirs to answer
    assert heading not in client.get("/a/aachen-reims").get_data(as_text=True)
    client.post("/auth/logout")

    sign_in(client, partner_admin.email)
    _status, one = get_counted(client, "/a/reims-aachen")
    for proposal in proposals[1:]:
        session.add(CoSponsorship(proposal_id=proposal.id, association_id=partner.id))
    status, three = get_counted(client, "/a/reims-aachen")
    assert status == 200 and three.total == one.total  # however many invitations wait
    page = client.get("/a/reims-aachen").get_data(as_text=True)
    assert heading in page and all(title in page for title in titles)
    accept = re.search(r'action="(/a/aachen-reims/proposals/\d+/cosponsors/\d+/accept)"', page).group(1)
    assert client.post(accept).status_code == 302
    page = client.get("/a/reims-aachen").get_data(as_text=True)
    assert page.count("/cosponsors/") == 2 * 2  # two invitations left, each with accept and decline
    assert (
        session.scalar(
            select(func.count())
            .select_from(CoSponsorship)
            .where(CoSponsorship.state == CoSponsorState.ACCEPTED)
        )
        == 1
    )


def test_support_goes_on_at_the_board_and_the_page_says_when_it_ends(client, session):
    admin = make_user(session, email="admin@verein.example")
    association = make_association(session, admin=admin, slug="schwelle", support_threshold=1)
    proposal = make_proposal(session, association, make_member(session, association))
    for n in range(2):
        make_member(session, association, email=f"fan{n}@example.org")
    url = f"/a/schwelle/proposals/{proposal.id}"
    for n in range(2):
        sign_in(client, f"fan{n}@example.org")
        assert client.post(f"{url}/support").status_code == 302
        client.post("/auth/logout")
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert _count(page) == 2
    session.get(
        type(association), association.id
    ).support_after_threshold = False  # the requests ended its session
    sign_in(client, "admin@verein.example")
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert "This proposal no longer collects support." in page
    assert client.post(f"{url}/support").status_code == 403
