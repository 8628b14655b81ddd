"""Edits of published proposals and comments are moderated like posts; supported proposals never change unseen."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import make_association, make_comment, make_member, make_proposal, make_user
from twinning.associations.models import ModerationPolicy, Role
from twinning.auth.models import EmailNotifications
from twinning.core.content import ModerationState
from twinning.core.errors import InvalidState, NotAllowed
from twinning.moderation import services as moderation
from twinning.moderation.models import Report
from twinning.moderation.registry import KINDS
from twinning.notifications.models import Notification
from twinning.proposals import comments, services
from twinning.proposals.models import Comment, CommentEdit, Proposal, ProposalEdit, ProposalRevision

FORM = {
    "title": "Fahrradwerkstatt",
    "summary": "Eine offene Werkstatt.",
    "body": "Mit **Werkzeug**.",
    "budget": "",
}


def _values(**changes) -> dict:
    values = {
        "title": "Fahrradwerkstatt",
        "summary": "Eine offene Werkstatt.",
        "body": "Mit Werkzeug.",
        "theme_slugs": [],
        "sdgs": [],
        "budget": None,
    }
    values.update(changes)
    return values


@pytest.fixture
def space(session):
    admin = make_user(session, email="admin@example.org")
    association = make_association(session, admin=admin, name="Aachen–Reims", slug="aachen-reims")
    moderator = make_member(session, association, role=Role.MODERATOR, email="mod@example.org")
    author = make_member(session, association, email="anna@example.org")
    return association, moderator, author


def _proposal(session, association, author, **fields):
    return make_proposal(
        session,
        association,
        author,
        title="Fahrradwerkstatt",
        summary="Eine offene Werkstatt.",
        body="Mit Werkzeug.",
        **fields,
    )


def _support(session, proposal, *users):
    for user in users:
        services.toggle_support(session, user, proposal)


def _waiting(session, proposal_id):
    return session.scalars(
        select(ProposalEdit).where(
            ProposalEdit.proposal_id == proposal_id, ProposalEdit.moderation_state == ModerationState.PENDING
        )
    ).all()


def _kinds(session, user, kind):
    return session.scalars(
        select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
    ).all()


# -- services ---------------------------------------------------------------------------


def test_edit_of_a_published_proposal_waits_and_the_approved_text_stays(session, ctx, space):
    association, _moderator, author = space
    proposal = _proposal(session, association, author)
    waiting = services.edit_proposal(
        session, author, proposal, **_values(title="Werkstatt für alle", body="Neu", budget=900)
    )
    assert waiting is not None and waiting.moderation_state == ModerationState.PENDING
    assert (proposal.title, proposal.body, proposal.budget) == ("Fahrradwerkstatt", "Mit Werkzeug.", None)
    assert (waiting.title, waiting.body, waiting.budget) == ("Werkstatt für alle", "Neu", 900)
    assert session.scalar(select(func.count(ProposalRevision.id))) == 0


def test_a_second_edit_replaces_the_waiting_one(session, ctx, space):
    association, _moderator, author = space
    proposal = _proposal(session, association, author)
    first = services.edit_proposal(session, author, proposal, **_values(title="Erster Versuch"))
    second = services.edit_proposal(session, author, proposal, **_values(title="Zweiter Versuch"))
    assert first.id == second.id
    assert [edit.title for edit in _waiting(session, proposal.id)] == ["Zweiter Versuch"]
    # Back to the published text: nothing waits any more.
    assert services.edit_proposal(session, author, proposal, **_values()) is None
    assert _waiting(session, proposal.id) == []


def test_the_database_keeps_one_waiting_change_per_proposal(session, ctx, space):
    from sqlalchemy.exc import IntegrityError

    association, _moderator, author = space
    proposal = _proposal(session, association, author)
    services.edit_proposal(session, author, proposal, **_values(title="Eins"))
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(
            ProposalEdit(proposal_id=proposal.id, author_id=author.id, title="Zwei", summary="s", body="b")
        )
        session.flush()


def test_themes_and_goals_change_at_once_while_the_text_waits(session, ctx, space):
    from twinning.proposals import queries

    association, _moderator, author = space
    proposal = _proposal(session, association, author)
    services.edit_proposal(
        session, author, proposal, **_values(title="Neu", sdgs=[11], theme_slugs=["klimaschutz"])
    )
    assert queries.sdgs_of([proposal.id])[proposal.id] == [11]
    assert [t.slug for t in proposal.themes] == ["klimaschutz"]
    assert proposal.title == "Fahrradwerkstatt"


def test_policy_none_edits_at_once_until_someone_supports(session, ctx):
    association = make_association(session, moderation_policy=ModerationPolicy.NONE)
    author, supporter = make_member(session, association), make_member(session, association)
    proposal = _proposal(session, association, author)
    assert services.edit_proposal(session, author, proposal, **_values(title="Sofort")) is None
    assert proposal.title == "Sofort"
    _support(session, proposal, supporter)
    waiting = services.edit_proposal(session, author, proposal, **_values(title="Jetzt nicht mehr sofort"))
    assert waiting is not None and proposal.title == "Sofort"


def test_pending_proposal_is_edited_in_place(session, ctx, space):
    association, _moderator, author = space
    proposal = _proposal(session, association, author, moderation_state=ModerationState.PENDING)
    assert services.edit_proposal(session, author, proposal, **_values(title="Noch nicht öffentlich")) is None
    assert proposal.title == "Noch nicht öffentlich"


def test_withdrawing_drops_the_waiting_change(session, ctx, space):
    association, _moderator, author = space
    proposal = _proposal(session, association, author)
    services.edit_proposal(session, author, proposal, **_values(title="Doch nicht"))
    services.withdraw_proposal(session, author, proposal)
    assert _waiting(session, proposal.id) == []


def test_a_moderator_authors_own_edit_applies_and_supporters_hear_of_it(session, ctx, space):
    association, moderator, _author = space
    supporter = make_member(session, association)
    proposal = _proposal(session, association, moderator)
    _support(session, proposal, supporter)
    assert services.edit_proposal(session, moderator, proposal, **_values(title="Vom Vorstand")) is None
    assert proposal.title == "Vom Vorstand"
    assert len(_kinds(session, supporter, "proposal.changed")) == 1


def test_approval_applies_the_change_and_tells_supporters_once_each(session, ctx, space):
    association, moderator, author = space
    supporters = [make_member(session, association) for _ in range(3)]
    proposal = _proposal(session, association, author)
    _support(session, proposal, *supporters)
    edit = services.edit_proposal(
        session, author, proposal, **_values(title="Werkstatt 2.0", summary="Größer")
    )
    assert all(not _kinds(session, s, "proposal.changed") for s in supporters)
    moderation.decide(session, moderator, KINDS["proposal_edit"], edit, "approve")
    assert (proposal.title, proposal.summary) == ("Werkstatt 2.0", "Größer")
    assert edit.moderation_state == ModerationState.APPROVED
    revision = session.scalar(select(ProposalRevision).where(ProposalRevision.proposal_id == proposal.id))
    assert (revision.title, revision.editor_id) == ("Fahrradwerkstatt", author.id)
    for supporter in supporters:
        assert len(_kinds(session, supporter, "proposal.changed")) == 1
    assert len(_kinds(session, author, "proposal.edit_approved")) == 1
    assert not _kinds(session, author, "proposal.changed")


def test_supporters_are_found_in_one_query(session, ctx, space):
    from sqlalchemy import event

    association, moderator, author = space
    supporters = [make_member(session, association) for _ in range(5)]
    proposal = _proposal(session, association, author)
    _support(session, proposal, *supporters)
    edit = services.edit_proposal(session, author, proposal, **_values(title="Neu"))
    statements = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT") and "supports" in statement:
            statements.append(statement)

    event.listen(session.get_bind(), "before_cursor_execute", count)
    try:
        moderation.decide(session, moderator, KINDS["proposal_edit"], edit, "approve")
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", count)
    assert len(statements) == 1


def test_decline_keeps_the_old_text_and_tells_the_author_why(session, ctx, space):
    association, moderator, author = space
    proposal = _proposal(session, association, author)
    edit = services.edit_proposal(session, author, proposal, **_values(title="Reklame"))
    moderation.decide(
        session, moderator, KINDS["proposal_edit"], edit, "decline", "Werbung ist nicht erlaubt."
    )
    assert proposal.title == "Fahrradwerkstatt" and edit.moderation_state == ModerationState.DECLINED
    [note] = _kinds(session, author, "proposal.edit_declined")
    assert note.params["reason"] == "Werbung ist nicht erlaubt."
    assert not _kinds(session, author, "moderation.decline")  # told once, not twice


def test_a_change_is_only_approved_or_declined_and_never_over_a_newer_one(session, ctx, space):
    association, moderator, author = space
    proposal = _proposal(session, association, author)
    edit = services.edit_proposal(session, author, proposal, **_values(title="Erste"))
    moderation.decide(session, moderator, KINDS["proposal_edit"], edit, "decline", "Nein.")
    newer = services.edit_proposal(session, author, proposal, **_values(title="Zweite"))
    assert newer.id != edit.id
    with pytest.raises(InvalidState), session.begin_nested():
        moderation.decide(session, moderator, KINDS["proposal_edit"], edit, "approve")
    moderation.decide(session, moderator, KINDS["proposal_edit"], newer, "approve")
    assert proposal.title == "Zweite"
    with pytest.raises(InvalidState), session.begin_nested():
        moderation.decide(session, moderator, KINDS["proposal_edit"], newer, "hide", "Versteckt")


def test_others_cannot_edit_and_other_moderators_cannot_decide(session, ctx, space):
    association, _moderator, author = space
    other = make_association(session)
    other_moderator = make_member(session, other, role=Role.MODERATOR)
    proposal = _proposal(session, association, author)
    with pytest.raises(NotAllowed):
        services.edit_proposal(session, make_member(session, association), proposal, **_values(title="Fremd"))
    edit = services.edit_proposal(session, author, proposal, **_values(title="Eigen"))
    with pytest.raises(NotAllowed):
        moderation.decide(session, other_moderator, KINDS["proposal_edit"], edit, "approve")
    with pytest.raises(NotAllowed):
        moderation.decide(session, author, KINDS["proposal_edit"], edit, "approve")
    assert proposal.title == "Fahrradwerkstatt"


def test_a_reported_proposal_cannot_be_edited_until_a_moderator_decided(session, ctx, space):
    association, moderator, author = space
    proposal = _proposal(session, association, author)
    moderation.report(session, make_member(session, association), KINDS["proposal"], proposal, "spam")
    with pytest.raises(InvalidState):
        services.edit_proposal(session, author, proposal, **_values(title="Schnell weg damit"))
    assert _waiting(session, proposal.id) == [] and proposal.title == "Fahrradwerkstatt"
    moderation.decide(session, moderator, KINDS["proposal"], proposal, "approve")  # reports dismissed
    assert services.edit_proposal(session, author, proposal, **_values(title="Jetzt geht es")) is not None


def test_strict_comment_edit_waits_and_approval_applies_it(session, ctx):
    association = make_association(session, moderation_policy=ModerationPolicy.STRICT)
    moderator = make_member(session, association, role=Role.MODERATOR)
    author = make_member(session, association)
    proposal = _proposal(session, association, make_member(session, association))
    comment = make_comment(session, proposal, author, body="Gute Idee")
    edit = comments.edit_comment(session, author, comment, "Sehr gute Idee")
    assert edit is not None and comment.body == "Gute Idee" and comment.edited_at is None
    again = comments.edit_comment(session, author, comment, "Sehr, sehr gute Idee")
    assert again.id == edit.id and edit.body == "Sehr, sehr gute Idee"
    moderation.decide(session, moderator, KINDS["comment_edit"], edit, "approve")
    assert comment.body == "Sehr, sehr gute Idee" and comment.edited_at is not None
    assert len(_kinds(session, author, "comment.edit_approved")) == 1


def test_strict_comment_edit_declined_keeps_the_comment(session, ctx):
    association = make_association(session, moderation_policy=ModerationPolicy.STRICT)
    moderator = make_member(session, association, role=Role.MODERATOR)
    author = make_member(session, association)
    comment = make_comment(session, _proposal(session, association, author), author, body="Gute Idee")
    edit = comments.edit_comment(session, author, comment, "Kauft bei mir!")
    moderation.decide(session, moderator, KINDS["comment_edit"], edit, "decline", "Werbung")
    assert comment.body == "Gute Idee"
    assert _kinds(session, author, "comment.edit_declined")[0].params["reason"] == "Werbung"


@pytest.mark.parametrize("policy", [ModerationPolicy.ALL, ModerationPolicy.NONE])
def test_comment_edits_apply_at_once_outside_strict(session, ctx, policy):
    association = make_association(session, moderation_policy=policy)
    author = make_member(session, association)
    comment = make_comment(session, _proposal(session, association, author), author, body="Gute Idee")
    assert comments.edit_comment(session, author, comment, "Tolle Idee") is None
    assert comment.body == "Tolle Idee" and session.scalar(select(func.count(CommentEdit.id))) == 0


def test_deleting_a_comment_drops_its_waiting_change(session, ctx):
    association = make_association(session, moderation_policy=ModerationPolicy.STRICT)
    author = make_member(session, association)
    comment = make_comment(session, _proposal(session, association, author), author)
    comments.edit_comment(session, author, comment, "Noch etwas")
    comments.delete_comment(session, author, comment)
    assert session.scalar(select(func.count(CommentEdit.id))) == 0 and comment.body == ""


def test_a_reported_comment_can_be_neither_edited_nor_deleted(session, ctx):
    association = make_association(session, moderation_policy=ModerationPolicy.NONE)
    author = make_member(session, association)
    comment = make_comment(session, _proposal(session, association, author), author, body="Beleidigung")
    moderation.report(session, make_member(session, association), KINDS["comment"], comment, "offensive")
    with pytest.raises(InvalidState):
        comments.edit_comment(session, author, comment, "Harmlos")
    with pytest.raises(InvalidState):
        comments.delete_comment(session, author, comment)
    assert comment.body == "Beleidigung" and comment.deleted_at is None


# -- pages ------------------------------------------------------------------------------


def _paths(proposal):
    base = f"/a/aachen-reims/proposals/{proposal.id}"
    return base, f"{base}/edit", f"{base}/revisions"


def test_author_edit_waits_the_public_sees_the_approved_version(client, session, space):
    association, _moderator, author = space
    proposal = _proposal(session, association, author)
    detail, edit, revisions = _paths(proposal)
    sign_in(client, author.email)
    response = client.post(edit, data=dict(FORM, title="Werkstatt für alle", body="Ganz **neu**"))
    assert response.status_code == 302
    page = client.get(detail).get_data(as_text=True)
    assert "Fahrradwerkstatt" in page and "Ganz" not in page
    assert 'href="' + revisions + '#waiting-change"' in page  # the author is told, with a way to the text
    assert 'value="Werkstatt für alle"' in client.get(edit).get_data(as_text=True)  # goes on from the change
    assert "Ganz **neu**" in client.get(revisions).get_data(as_text=True)
    client.post("/auth/logout")
    # A visitor and another member see neither the change nor that one waits.
    for who in (None, make_member(session, association, email="bert@example.org")):
        if who is not None:
            sign_in(client, who.email)
        for path in (detail, revisions):
            page = client.get(path).get_data(as_text=True)
            assert (
                "Werkstatt für alle" not in page
                and "Ganz **neu**" not in page
                and "waiting-change" not in page
            )
    assert session.get(Proposal, proposal.id).title == "Fahrradwerkstatt"


def test_moderator_sees_the_waiting_change_on_the_revisions_page(client, session, space):
    association, moderator, author = space
    proposal = _proposal(session, association, author)
    services.edit_proposal(session, author, proposal, **_values(title="Wartet noch"))
    sign_in(client, moderator.email)
    page = client.get(_paths(proposal)[2]).get_data(as_text=True)
    assert "Wartet noch" in page and 'id="waiting-change"' in page


def test_bad_edit_is_400_with_the_input_kept_and_nothing_waits(client, session, space):
    association, _moderator, author = space
    proposal = _proposal(session, association, author)
    sign_in(client, author.email)
    response = client.post(_paths(proposal)[1], data=dict(FORM, title="", body="Mein getippter Text"))
    assert response.status_code == 400
    assert "Mein getippter Text" in response.get_data(as_text=True)
    assert _waiting(session, proposal.id) == []


def test_others_cannot_edit_the_proposal(client, session, space):
    association, moderator, author = space
    proposal = _proposal(session, association, author)
    edit = _paths(proposal)[1]
    for user in (make_member(session, association, email="bert@example.org"), moderator):
        sign_in(client, user.email)
        assert client.get(edit).status_code == 403
        assert client.post(edit, data=dict(FORM, title="Übernommen")).status_code == 403
        client.post("/auth/logout")
    assert client.post(edit, data=dict(FORM, title="Anonym")).status_code in (302, 401)
    assert (
        _waiting(session, proposal.id) == []
        and session.get(Proposal, proposal.id).title == "Fahrradwerkstatt"
    )


def test_reported_proposal_edit_is_refused_with_the_input_kept(client, session, space):
    association, _moderator, author = space
    proposal = _proposal(session, association, author)
    session.add(
        Report(
            kind="proposal",
            item_id=proposal.id,
            association_id=association.id,
            reporter_id=make_user(session).id,
            reason="spam",
        )
    )
    sign_in(client, author.email)
    response = client.post(_paths(proposal)[1], data=dict(FORM, title="Ganz harmlos"))
    assert response.status_code == 400
    assert 'value="Ganz harmlos"' in response.get_data(as_text=True)
    assert (
        session.get(Proposal, proposal.id).title == "Fahrradwerkstatt"
        and _waiting(session, proposal.id) == []
    )


def test_supporters_get_a_mail_by_their_choice_when_the_change_lands(client, session, space, outbox):
    association, moderator, author = space
    mailed = make_member(session, association, email="sofort@example.org")
    quiet = make_member(session, association, email="nie@example.org")
    quiet.email_notifications = EmailNotifications.NEVER
    proposal = _proposal(session, association, author)
    _support(session, proposal, mailed, quiet)
    edit = services.edit_proposal(session, author, proposal, **_values(title="Werkstatt 2.0"))
    sign_in(client, moderator.email)
    response = client.post(
        f"/a/aachen-reims/moderation/proposal_edit/{edit.id}", data={"decision": "approve"}
    )
    assert response.status_code == 302
    assert session.get(Proposal, proposal.id).title == "Werkstatt 2.0"
    assert "Werkstatt 2.0" in outbox.last_to("sofort@example.org").get_body(("plain",)).get_content()
    assert not [m for m in outbox.messages() if m["To"] == "nie@example.org"]
    assert len(_kinds(session, quiet, "proposal.changed")) == 1


def test_strict_comment_edit_through_the_page(client, session):
    admin = make_user(session)
    association = make_association(
        session, admin=admin, slug="streng", moderation_policy=ModerationPolicy.STRICT
    )
    author = make_member(session, association, email="carla@example.org")
    proposal = _proposal(session, association, author)
    comment = make_comment(session, proposal, author, body="Gute Idee")
    edit = f"/a/streng/proposals/{proposal.id}/comments/{comment.id}/edit"
    sign_in(client, author.email)
    assert client.post(edit, data={"body": "Geänderte Idee"}).status_code == 302
    assert session.get(Comment, comment.id).body == "Gute Idee"
    assert "Geänderte Idee" in client.get(edit).get_data(as_text=True)  # the author sees the waiting text
    client.post("/auth/logout")
    assert "Geänderte Idee" not in client.get(f"/a/streng/proposals/{proposal.id}").get_data(as_text=True)


def test_reported_comment_delete_is_refused_through_the_page(client, session, space):
    association, _moderator, author = space
    proposal = _proposal(session, association, author)
    comment = make_comment(session, proposal, author, body="Gemeldeter Text")
    session.add(
        Report(
            kind="comment",
            item_id=comment.id,
            association_id=association.id,
            reporter_id=make_user(session).id,
            reason="offensive",
        )
    )
    sign_in(client, author.email)
    base = f"/a/aachen-reims/proposals/{proposal.id}/comments/{comment.id}"
    assert client.post(f"{base}/delete").status_code == 302
    response = client.post(f"{base}/edit", data={"body": "Weg damit"})
    assert response.status_code == 400 and "Weg damit" in response.get_data(as_text=True)
    session.expire_all()
    found = session.get(Comment, comment.id)
    assert (found.body, found.deleted_at) == ("Gemeldeter Text", None)
