"""The shared discussion services, walked for proposal comments and thread replies alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_user
from twinning.associations.models import ModerationPolicy
from twinning.core.errors import InvalidState, NotAllowed, ValidationError
from twinning.discussion.models import DiscussionPostMixin
from twinning.discussion.services import (
    delete_post,
    edit_post,
    new_post,
    post_is_editable,
    reply_parent,
    waiting_change,
)
from twinning.groups.models import ReplyEdit, ThreadReply
from twinning.moderation import queries
from twinning.moderation import services as moderation
from twinning.moderation.registry import KINDS
from twinning.notifications.models import Notification
from twinning.proposals.comments import COMMENTS, add_comment
from twinning.proposals.models import Comment, CommentEdit

KINDS_OF_POSTS = ["comment", "reply"]


def _count(discussion, post) -> int:
    parent = post.proposal if discussion is COMMENTS else post.thread
    return getattr(parent, discussion.count_column)


def test_comments_and_replies_are_posts_of_one_model():
    assert issubclass(Comment, DiscussionPostMixin) and issubclass(ThreadReply, DiscussionPostMixin)
    assert Comment.__table__.name == "comments" and ThreadReply.__table__.name == "thread_replies"


@pytest.mark.parametrize("name", KINDS_OF_POSTS)
def test_author_edits_within_the_window_and_not_after(session, ctx, posts, name):
    discussion, post = posts.of(name)
    other = make_user(session)
    assert edit_post(session, discussion, posts.world.author, post, "  Korrigiert  ") is None
    assert post.body == "Korrigiert" and post.edited_at is not None
    with pytest.raises(NotAllowed):
        edit_post(session, discussion, other, post, "Meins")
    with pytest.raises(ValidationError) as empty:
        edit_post(session, discussion, posts.world.author, post, "   ")
    assert empty.value.field == "body" and str(empty.value.message) == str(discussion.empty)
    with pytest.raises(ValidationError):
        edit_post(session, discussion, posts.world.author, post, "x" * (discussion.max_length + 1))
    post.created_at -= timedelta(minutes=16)
    assert not post_is_editable(discussion, posts.world.author, post)
    with pytest.raises(InvalidState):
        edit_post(session, discussion, posts.world.author, post, "Zu spät")
    assert post.body == "Korrigiert"


@pytest.mark.parametrize("name", KINDS_OF_POSTS)
def test_strict_edit_waits_and_the_decision_is_the_shared_one(session, ctx, posts, name):
    discussion, post = posts.of(name)
    posts.world.association.moderation_policy = ModerationPolicy.STRICT
    edit = edit_post(session, discussion, posts.world.author, post, "Neu")
    assert isinstance(edit, discussion.edit_model) and post.body != "Neu"
    assert waiting_change(session, discussion, post) is edit
    # A second edit replaces the waiting one.
    assert edit_post(session, discussion, posts.world.author, post, "Neuer") is edit and edit.body == "Neuer"
    assert [e.key for e in queries.pending(session, posts.world.association).items] == [
        f"{name}_edit:{edit.id}"
    ]
    assert queries.pending(session, posts.world.other).total == 0
    moderation.decide(session, posts.world.moderator, KINDS[f"{name}_edit"], edit, "approve")
    assert post.body == "Neuer" and post.edited_at is not None
    assert session.scalar(
        select(Notification.link).where(
            Notification.user_id == posts.world.author.id, Notification.kind == f"{name}.edit_approved"
        )
    ).endswith(f"#{name}-{post.id}")


@pytest.mark.parametrize("name", KINDS_OF_POSTS)
def test_going_back_to_the_published_text_drops_the_waiting_change(session, ctx, posts, name):
    discussion, post = posts.of(name)
    posts.world.association.moderation_policy = ModerationPolicy.STRICT
    published = post.body
    edit_post(session, discussion, posts.world.author, post, "Entwurf")
    assert edit_post(session, discussion, posts.world.author, post, published) is None
    assert waiting_change(session, discussion, post) is None


@pytest.mark.parametrize("name", KINDS_OF_POSTS)
def test_delete_empties_the_post_drops_its_change_and_recounts(session, ctx, posts, name):
    discussion, post = posts.of(name)
    posts.world.association.moderation_policy = ModerationPolicy.STRICT
    edit_post(session, discussion, posts.world.author, post, "Entwurf")
    with pytest.raises(NotAllowed):
        delete_post(session, discussion, make_user(session), post)
    delete_post(session, discussion, posts.world.author, post)
    session.expire_all()
    assert post.deleted_at is not None and post.body == ""
    assert waiting_change(session, discussion, post) is None
    assert _count(discussion, post) == 0
    with pytest.raises(NotAllowed):
        delete_post(session, discussion, posts.world.author, post)


@pytest.mark.parametrize("name", KINDS_OF_POSTS)
def test_a_reported_post_stays_as_it_was_reported(session, ctx, posts, name):
    discussion, post = posts.of(name)
    moderation.report(session, make_user(session), KINDS[name], post, "spam")
    with pytest.raises(InvalidState):
        edit_post(session, discussion, posts.world.author, post, "Harmlos")
    with pytest.raises(InvalidState):
        delete_post(session, discussion, posts.world.author, post)
    assert post.deleted_at is None and post.body in ("Gute Idee", "Ich komme")


def test_the_post_state_follows_the_policy_of_the_association(session, ctx, posts):
    from twinning.groups.services import REPLIES

    posts.world.association.moderation_policy = ModerationPolicy.STRICT
    reply = new_post(
        REPLIES, posts.world.author, posts.world.association, "Hallo", thread_id=posts.reply.thread_id
    )
    assert reply.moderation_state == "pending"
    assert (
        new_post(
            REPLIES, posts.world.moderator, posts.world.association, "Hallo", thread_id=posts.reply.thread_id
        ).moderation_state
        == "approved"
    )


def test_a_reply_to_a_reply_hangs_under_the_first_post(session, ctx, posts):
    first = posts.comment
    answer = add_comment(session, posts.world.moderator, first.proposal, "Danke", parent_id=first.id)
    parent, replied_to = reply_parent(
        session,
        COMMENTS,
        posts.world.author,
        answer.id,
        belongs=lambda post: post.proposal_id == first.proposal_id,
    )
    assert (parent, replied_to) == (first, answer)
    with pytest.raises(ValidationError):  # a post of another proposal does not exist here
        reply_parent(session, COMMENTS, posts.world.author, answer.id, belongs=lambda post: False)
    with pytest.raises(ValidationError):
        reply_parent(session, COMMENTS, posts.world.author, 2**63, belongs=lambda post: True)


def test_each_discussion_registers_a_post_kind_and_a_change_kind():
    for name, model, edit_model in (("comment", Comment, CommentEdit), ("reply", ThreadReply, ReplyEdit)):
        assert KINDS[name].model is model and KINDS[name].reportable
        assert KINDS[f"{name}_edit"].model is edit_model and not KINDS[f"{name}_edit"].reportable


def test_the_discussion_package_imports_no_feature_above_it():
    import ast
    from pathlib import Path

    import twinning.discussion

    folder = Path(twinning.discussion.__file__).parent
    for source in folder.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith(("twinning.proposals", "twinning.groups")), source.name
