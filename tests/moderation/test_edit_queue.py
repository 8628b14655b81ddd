"""Waiting changes in the moderation queue: listed, shown beside the published text, decided, never reported."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import make_group, make_member, make_proposal, make_user
from tests.moderation.helpers import make_comment, make_world
from twinning.associations.models import ModerationPolicy
from twinning.core.content import ModerationState
from twinning.core.errors import InvalidState
from twinning.groups import services as groups
from twinning.groups.models import GroupMembership, OpenTo, ReplyEdit, Thread, ThreadReply
from twinning.moderation import queries
from twinning.moderation import services as moderation
from twinning.moderation.models import ModerationAction
from twinning.moderation.registry import KINDS
from twinning.notifications.models import Notification
from twinning.proposals import comments, services
from twinning.proposals.models import Proposal, ProposalEdit


def _values(**changes) -> dict:
    values = {
        "title": "Radwerkstatt",
        "summary": "Offen für alle.",
        "body": "Werkzeug.",
        "theme_slugs": [],
        "sdgs": [],
        "budget": None,
    }
    values.update(changes)
    return values


def _published(session, world, title="Radwerkstatt"):
    return make_proposal(
        session, world.association, world.author, title=title, summary="Offen für alle.", body="Werkzeug."
    )


def test_the_queue_lists_a_waiting_change_beside_new_posts(session, ctx):
    world = make_world(session)
    world.association.moderation_policy = ModerationPolicy.STRICT
    proposal = _published(session, world)
    edit = services.edit_proposal(session, world.author, proposal, **_values(title="Radwerkstatt plus"))
    comment = make_comment(session, proposal, world.author, body="Erster Gedanke")
    comment_edit = comments.edit_comment(session, world.author, comment, "Zweiter Gedanke")
    page = queries.pending(session, world.association)
    keys = {entry.key for entry in page.items}
    assert keys == {f"proposal_edit:{edit.id}", f"comment_edit:{comment_edit.id}"}
    assert page.total == 2 == queries.pending_count(session, world.association)
    by_key = {entry.key: entry for entry in page.items}
    assert by_key[f"proposal_edit:{edit.id}"].author.id == world.author.id
    assert "Radwerkstatt" in by_key[f"proposal_edit:{edit.id}"].title
    # Not in another association's queue.
    assert queries.pending(session, world.other).total == 0


def test_bulk_approval_applies_waiting_changes(session, ctx):
    world = make_world(session)
    proposal = _published(session, world)
    edit = services.edit_proposal(session, world.author, proposal, **_values(title="Sammelfreigabe"))
    moderation.bulk_approve(session, world.moderator, world.association, [(KINDS["proposal_edit"], edit)])
    assert proposal.title == "Sammelfreigabe"


def test_changes_cannot_be_reported(client, session, ctx):
    world = make_world(session)
    proposal = _published(session, world)
    edit = services.edit_proposal(session, world.author, proposal, **_values(title="Neu"))
    moderation.decide(session, world.moderator, KINDS["proposal_edit"], edit, "approve")
    sign_in(client, make_member(session, world.association).email)
    assert client.get(f"/report/proposal_edit/{edit.id}").status_code == 404
    assert client.post(f"/report/proposal_edit/{edit.id}", data={"reason": "spam"}).status_code == 404


def test_queue_page_and_item_page_show_the_change_and_the_published_version(client, session):
    world = make_world(session)
    proposal = _published(session, world)
    edit = services.edit_proposal(
        session,
        world.author,
        proposal,
        **_values(summary="Nur noch für Mitglieder.", body="Geänderter **Text**"),
    )
    slug = world.association.slug
    sign_in(client, world.moderator.email)
    queue = client.get(f"/a/{slug}/moderation").get_data(as_text=True)
    assert (
        f"/a/{slug}/moderation/proposal_edit/{edit.id}" in queue
        and f'value="proposal_edit:{edit.id}"' in queue
    )
    item = client.get(f"/a/{slug}/moderation/proposal_edit/{edit.id}")
    page = item.get_data(as_text=True)
    assert item.status_code == 200
    assert "Nur noch für Mitglieder." in page and "<strong>Text</strong>" in page  # the change
    assert "Offen für alle." in page and "Werkzeug." in page  # the published version beside it


def test_decline_through_the_page_needs_a_reason_and_keeps_the_text(client, session):
    world = make_world(session)
    proposal = _published(session, world)
    edit = services.edit_proposal(session, world.author, proposal, **_values(title="Unpassend"))
    url = f"/a/{world.association.slug}/moderation/proposal_edit/{edit.id}"
    sign_in(client, world.moderator.email)
    assert client.post(url, data={"decision": "decline", "reason": ""}).status_code == 400
    assert client.post(url, data={"decision": "hide", "reason": "x"}).status_code == 400  # not for a change
    assert client.post(url, data={"decision": "decline", "reason": "Nicht sachlich."}).status_code == 302
    session.expire_all()
    assert session.get(Proposal, proposal.id).title == "Radwerkstatt"
    assert session.get(ProposalEdit, edit.id).moderation_state == ModerationState.DECLINED
    note = session.scalar(
        select(Notification).where(
            Notification.user_id == world.author.id, Notification.kind == "proposal.edit_declined"
        )
    )
    assert note.params["reason"] == "Nicht sachlich."
    log = client.get(f"/a/{world.association.slug}/moderation/log").get_data(as_text=True)
    assert "Nicht sachlich." in log


def test_other_moderators_members_and_visitors_cannot_decide_a_change(client, session):
    world = make_world(session)
    proposal = _published(session, world)
    edit = services.edit_proposal(session, world.author, proposal, **_values(title="Neu"))
    slug, other_slug = world.association.slug, world.other.slug
    assert (
        client.post(f"/a/{slug}/moderation/proposal_edit/{edit.id}", data={"decision": "approve"}).status_code
        == 302
    )  # to sign-in
    for user, path, status in (
        (world.author, slug, 403),
        (world.other_moderator, slug, 403),
        (world.other_moderator, other_slug, 404),
    ):
        sign_in(client, user.email)
        assert client.get(f"/a/{path}/moderation/proposal_edit/{edit.id}").status_code == status
        assert (
            client.post(
                f"/a/{path}/moderation/proposal_edit/{edit.id}", data={"decision": "approve"}
            ).status_code
            == status
        )
        client.post("/auth/logout")
    session.expire_all()
    assert session.get(Proposal, proposal.id).title == "Radwerkstatt"
    assert session.scalar(select(ModerationAction.id).where(ModerationAction.kind == "proposal_edit")) is None


# -- group replies under "strict" -----------------------------------------------------------


@pytest.fixture
def reply_world(session):
    world = make_world(session)
    world.association.moderation_policy = ModerationPolicy.STRICT
    group = make_group(session, world.association, open_to=OpenTo.EVERYONE, coordinator=world.moderator)
    session.add(GroupMembership(group_id=group.id, user_id=world.author.id))
    thread = Thread(
        group_id=group.id,
        author_id=world.moderator.id,
        title="Aktionstag",
        body="Plan",
        moderation_state=ModerationState.APPROVED,
    )
    session.add(thread)
    session.flush()
    reply = ThreadReply(
        thread_id=thread.id,
        author_id=world.author.id,
        body="Ich komme",
        moderation_state=ModerationState.APPROVED,
    )
    session.add(reply)
    session.flush()
    return world, group, thread, reply


def test_strict_reply_edit_waits_and_is_applied_on_approval(session, ctx, reply_world):
    world, _group, _thread, reply = reply_world
    edit = groups.edit_reply(session, world.author, reply, body="Ich komme mit Kuchen")
    assert edit is not None and reply.body == "Ich komme"
    assert [e.key for e in queries.pending(session, world.association).items] == [f"reply_edit:{edit.id}"]
    moderation.decide(session, world.moderator, KINDS["reply_edit"], edit, "approve")
    assert reply.body == "Ich komme mit Kuchen" and reply.edited_at is not None
    assert session.scalar(
        select(Notification.id).where(
            Notification.user_id == world.author.id, Notification.kind == "reply.edit_approved"
        )
    )


def test_reported_reply_can_be_neither_edited_nor_deleted(session, ctx, reply_world):
    world, _group, _thread, reply = reply_world
    world.association.moderation_policy = ModerationPolicy.NONE
    moderation.report(session, make_user(session), KINDS["reply"], reply, "offensive")
    with pytest.raises(InvalidState):
        groups.edit_reply(session, world.author, reply, body="Harmlos")
    with pytest.raises(InvalidState):
        groups.delete_reply(session, world.author, reply)
    assert reply.body == "Ich komme" and reply.deleted_at is None
    moderation.decide(session, world.moderator, KINDS["reply"], reply, "approve")  # reports dismissed
    groups.delete_reply(session, world.author, reply)
    assert reply.deleted_at is not None


def test_strict_reply_edit_through_the_pages(client, session, reply_world):
    world, group, thread, reply = reply_world
    base = f"/groups/{group.id}/threads/{thread.id}"
    sign_in(client, world.author.email)
    assert (
        client.post(f"{base}/replies/{reply.id}/edit", data={"body": "Ich komme später"}).status_code == 302
    )
    assert "Ich komme später" in client.get(f"{base}/replies/{reply.id}/edit").get_data(as_text=True)
    client.post("/auth/logout")
    page = client.get(base).get_data(as_text=True)
    assert "Ich komme" in page and "Ich komme später" not in page
    edit = session.scalar(select(ReplyEdit).where(ReplyEdit.reply_id == reply.id))
    sign_in(client, world.moderator.email)
    url = f"/a/{world.association.slug}/moderation/reply_edit/{edit.id}"
    item = client.get(url).get_data(as_text=True)
    assert "Ich komme später" in item and "Ich komme" in item
    assert client.post(url, data={"decision": "approve"}).status_code == 302
    client.post("/auth/logout")
    assert "Ich komme später" in client.get(base).get_data(as_text=True)


def test_reported_reply_delete_is_refused_through_the_page(client, session, ctx, reply_world):
    world, group, thread, reply = reply_world
    moderation.report(session, make_user(session), KINDS["reply"], reply, "spam")
    sign_in(client, world.author.email)
    assert client.post(f"/groups/{group.id}/threads/{thread.id}/replies/{reply.id}/delete").status_code == 302
    session.expire_all()
    assert session.get(ThreadReply, reply.id).deleted_at is None


def test_a_change_replaced_after_the_moderator_opened_it_is_not_approved_unread(client, session):
    import re

    from sqlalchemy import update

    world = make_world(session)
    proposal = _published(session, world)
    edit = services.edit_proposal(session, world.author, proposal, **_values(title="Harmlos"))
    url = f"/a/{world.association.slug}/moderation/proposal_edit/{edit.id}"
    sign_in(client, world.moderator.email)
    seen = re.search(r'name="seen" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)
    session.execute(
        update(ProposalEdit)
        .where(ProposalEdit.id == edit.id)
        .values(  # the author sent a new text
            title="Gar nicht harmlos", created_at=edit.created_at.replace(year=edit.created_at.year + 1)
        )
    )
    response = client.post(url, data={"decision": "approve", "seen": seen})
    assert response.status_code == 409 and "Gar nicht harmlos" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Proposal, proposal.id).title == "Radwerkstatt"
    fresh = session.get(ProposalEdit, edit.id)
    assert fresh.moderation_state == ModerationState.PENDING
    assert (
        client.post(url, data={"decision": "approve", "seen": fresh.created_at.isoformat()}).status_code
        == 302
    )
    session.expire_all()
    assert session.get(Proposal, proposal.id).title == "Gar nicht harmlos"


def test_the_decision_rereads_a_change_replaced_while_it_runs(session, ctx):
    from sqlalchemy import update

    world = make_world(session)
    proposal = _published(session, world)
    edit = services.edit_proposal(session, world.author, proposal, **_values(title="Erst so"))
    # Another transaction replaced the text after this one loaded the change.
    session.execute(
        update(ProposalEdit)
        .where(ProposalEdit.id == edit.id)
        .values(title="Dann anders", created_at=edit.created_at.replace(year=edit.created_at.year + 1))
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(InvalidState):
        moderation.decide(session, world.moderator, KINDS["proposal_edit"], edit, "approve")
    assert proposal.title == "Radwerkstatt"
