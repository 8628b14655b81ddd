"""What a viewer may not see never shows: comment parents, replies, report pages, revisions.

Each test looks through the test client as the roles that matter: a visitor, another
member, the author and a moderator of the proposing association.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import make_association, make_comment, make_member, make_proposal, make_user
from twinning.associations.models import Association, AssociationStatus, ModerationPolicy, Role
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.proposals.models import Comment, CoSponsorship, CoSponsorState, Proposal

SECRET = "Streng geheimer Elterntext"
REMOVED = "Dieser Kommentar wurde entfernt."


@pytest.fixture
def space(session):
    admin = make_user(session, email="admin@verein.example")
    association = make_association(session, admin=admin, slug="aachen-reims")
    make_member(session, association, role=Role.MODERATOR, email="mod@example.org")
    author = make_member(session, association, email="hanna@example.org", name="Hanna Versteckt")
    make_member(session, association, email="bert@example.org", name="Bert Antwort")
    proposal = make_proposal(
        session, association, make_member(session, association), title="Fahrradwerkstatt"
    )
    return association, proposal, author


def _page(client, proposal, email: str | None) -> str:
    client.post("/auth/logout")
    if email:
        sign_in(client, email)
    response = client.get(f"/a/aachen-reims/proposals/{proposal.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("state", [ModerationState.HIDDEN, ModerationState.DECLINED, ModerationState.PENDING])
def test_unpublished_parent_of_a_published_reply_shows_as_placeholder(client, session, space, state):
    _association, proposal, author = space
    replier = make_member(session, space[0], name="Rita Replier")
    parent = make_comment(session, proposal, author, body=SECRET, moderation_state=state)
    make_comment(session, proposal, replier, body="Sichtbare Antwort", parent=parent)

    for viewer in (None, "bert@example.org"):  # a visitor and another member
        page = _page(client, proposal, viewer)
        assert "Sichtbare Antwort" in page and REMOVED in page  # the thread keeps its shape
        assert SECRET not in page and "Hanna Versteckt" not in page
        assert f'name="parent_id" value="{parent.id}"' not in page  # and takes no replies

    own = _page(client, proposal, "hanna@example.org")  # the author sees what is still theirs
    assert (SECRET in own) is (state != ModerationState.HIDDEN)
    moderator = _page(client, proposal, "mod@example.org")
    assert SECRET in moderator and "Hanna Versteckt" in moderator and REMOVED not in moderator


def test_invisible_reply_under_a_published_comment_stays_out(client, session, space):
    _association, proposal, author = space
    parent = make_comment(session, proposal, author, body="Offener Kommentar")
    make_comment(
        session,
        proposal,
        make_member(session, space[0]),
        body=SECRET,
        parent=parent,
        moderation_state=ModerationState.HIDDEN,
    )
    page = _page(client, proposal, "bert@example.org")
    assert "Offener Kommentar" in page and SECRET not in page and REMOVED not in page


@pytest.mark.parametrize("state", [ModerationState.HIDDEN, ModerationState.DECLINED, ModerationState.PENDING])
def test_replying_to_an_unpublished_comment_is_refused_and_creates_nothing(client, session, space, state):
    _association, proposal, author = space
    parent = make_comment(session, proposal, author, body=SECRET, moderation_state=state)
    before = session.scalar(select(func.count(Comment.id)))
    client.post("/auth/logout")
    sign_in(client, "bert@example.org")
    response = client.post(
        f"/a/aachen-reims/proposals/{proposal.id}/comments",
        data={"body": "Ich mache das öffentlich", "parent_id": str(parent.id)},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ich mache das öffentlich" in page  # what was typed is kept
    assert "Der Kommentar, auf den Sie antworten wollten, existiert nicht." in page
    assert SECRET not in page
    assert session.scalar(select(func.count(Comment.id))) == before


def test_replying_to_a_reply_in_an_unpublished_thread_is_refused(client, session, space):
    _association, proposal, author = space
    parent = make_comment(session, proposal, author, body=SECRET, moderation_state=ModerationState.PENDING)
    reply = make_comment(session, proposal, make_member(session, space[0]), body="Antwort", parent=parent)
    before = session.scalar(select(func.count(Comment.id)))
    sign_in(client, "bert@example.org")
    response = client.post(
        f"/a/aachen-reims/proposals/{proposal.id}/comments",
        data={"body": "Noch eine", "parent_id": str(reply.id)},
    )
    assert response.status_code == 400
    assert "nicht veröffentlicht" in response.get_data(as_text=True)
    assert session.scalar(select(func.count(Comment.id))) == before


def test_the_author_may_not_reply_under_their_own_waiting_comment(client, session, space):
    _association, proposal, author = space
    parent = make_comment(
        session, proposal, author, body="Wartet noch", moderation_state=ModerationState.PENDING
    )
    sign_in(client, "hanna@example.org")
    response = client.post(
        f"/a/aachen-reims/proposals/{proposal.id}/comments",
        data={"body": "Nachtrag", "parent_id": str(parent.id)},
    )
    assert response.status_code == 400
    assert "nicht veröffentlicht" in response.get_data(as_text=True)


def test_replying_to_a_published_comment_still_works(client, session, space):
    _association, proposal, author = space
    parent = make_comment(session, proposal, author, body="Offener Kommentar")
    sign_in(client, "bert@example.org")
    response = client.post(
        f"/a/aachen-reims/proposals/{proposal.id}/comments",
        data={"body": "Gute Idee", "parent_id": str(parent.id)},
    )
    assert response.status_code == 302
    assert session.scalar(select(Comment).where(Comment.body == "Gute Idee")).parent_id == parent.id


# -- the report page -------------------------------------------------------------------


@pytest.mark.parametrize("state", [ModerationState.HIDDEN, ModerationState.PENDING, ModerationState.DECLINED])
def test_report_page_of_a_comment_never_shows_an_unpublished_proposals_title(client, session, space, state):
    association, _proposal, author = space
    hidden = make_proposal(session, association, author, title=SECRET, moderation_state=state)
    comment = make_comment(session, hidden, author, body="Ein Kommentar")
    sign_in(client, "bert@example.org")
    for method in (client.get, client.post):
        response = method(f"/report/comment/{comment.id}", data={"reason": "spam"})
        assert response.status_code == 404 and SECRET not in response.get_data(as_text=True)


def test_deleted_comment_cannot_be_reported(client, session, space):
    _association, proposal, author = space
    comment = make_comment(session, proposal, author, body="Weg")
    comment.deleted_at = utcnow()
    session.flush()
    sign_in(client, "bert@example.org")
    assert client.get(f"/report/comment/{comment.id}").status_code == 404


def test_report_page_of_a_visible_comment_still_works(client, session, space):
    _association, proposal, author = space
    comment = make_comment(session, proposal, author)
    sign_in(client, "bert@example.org")
    response = client.get(f"/report/comment/{comment.id}")
    assert response.status_code == 200 and "Fahrradwerkstatt" in response.get_data(as_text=True)


# -- revisions -------------------------------------------------------------------------


def _edit(client, proposal, title: str) -> None:
    response = client.post(
        f"/a/aachen-reims/proposals/{proposal.id}/edit",
        data={"title": title, "summary": "Kurz.", "body": "Text.", "themes": ["klimaschutz"], "sdgs": ["11"]},
    )
    assert response.status_code == 302


def test_revisions_show_the_public_only_versions_that_were_published(client, session, space):
    association, _proposal, author = space
    # Under "none" an edit of the published text applies at once (elsewhere it waits for a moderator).
    association.moderation_policy = ModerationPolicy.NONE
    proposal = make_proposal(
        session,
        association,
        author,
        title="Entwurf nie veröffentlicht",
        moderation_state=ModerationState.PENDING,
    )
    sign_in(client, "hanna@example.org")
    _edit(client, proposal, "Erste veröffentlichte Fassung")  # replaces a text nobody approved
    proposal = session.get(Proposal, proposal.id)
    proposal.moderation_state, proposal.published_at = ModerationState.APPROVED, utcnow()
    session.flush()
    _edit(client, proposal, "Zweite Fassung")  # replaces the published text
    url = f"/a/aachen-reims/proposals/{proposal.id}/revisions"

    for viewer in (None, "bert@example.org"):
        client.post("/auth/logout")
        if viewer:
            sign_in(client, viewer)
        page = client.get(url).get_data(as_text=True)
        assert "Erste veröffentlichte Fassung" in page and "Entwurf nie veröffentlicht" not in page
        detail = client.get(f"/a/aachen-reims/proposals/{proposal.id}").get_data(as_text=True)
        assert "1 frühere Fassung" in detail  # the count agrees with the list
    for viewer in ("hanna@example.org", "mod@example.org"):
        client.post("/auth/logout")
        sign_in(client, viewer)
        page = client.get(url).get_data(as_text=True)
        assert "Erste veröffentlichte Fassung" in page and "Entwurf nie veröffentlicht" in page


# -- lists of a co-sponsoring space ---------------------------------------------------------


def test_cosponsored_proposal_of_a_suspended_origin_leaves_the_partners_lists(client, session, space):
    association, proposal, _author = space
    partner = make_association(session, slug="reims-aachen", city="Reims", country="FR")
    session.add(
        CoSponsorship(proposal_id=proposal.id, association_id=partner.id, state=CoSponsorState.ACCEPTED)
    )
    session.flush()
    assert "Fahrradwerkstatt" in client.get("/a/reims-aachen/proposals").get_data(as_text=True)
    session.get(Association, association.id).status = AssociationStatus.SUSPENDED
    session.flush()
    assert client.get(f"/a/reims-aachen/proposals/{proposal.id}").status_code == 404
    for path in ("/a/reims-aachen/proposals", "/a/reims-aachen"):
        assert "Fahrradwerkstatt" not in client.get(path).get_data(as_text=True)


def test_the_comment_thread_takes_the_same_queries_however_many_parents_are_removed(client, session, space):
    """The rule "comment.view" is asked per comment, in memory: no query per row."""
    from tests.querycount import count_queries

    _association, proposal, author = space
    replier = make_member(session, space[0])

    def add_threads(n: int) -> None:
        for i in range(n):
            state = (ModerationState.HIDDEN, ModerationState.PENDING, ModerationState.APPROVED)[i % 3]
            parent = make_comment(session, proposal, author, body=f"Eltern {i}", moderation_state=state)
            make_comment(session, proposal, replier, body=f"Antwort {i}", parent=parent)

    totals = []
    for n in (2, 12):
        add_threads(n)
        client.post("/auth/logout")
        sign_in(client, "bert@example.org")
        with count_queries() as counted:
            page = client.get(f"/a/aachen-reims/proposals/{proposal.id}").get_data(as_text=True)
        assert REMOVED in page
        totals.append(counted.total)
    assert totals[0] == totals[1]
