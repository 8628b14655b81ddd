"""Comments and replies written before the shared module read and behave the same through it.

The discussion module keeps both tables as they are (no data moves, no migration): these
tests write rows the way the schema of revision 0012 holds them, with plain SQL, into the
database ``upgrade head`` built, and read and change them through the shared code.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from twinning.core.content import ModerationState
from twinning.discussion.services import delete_post, recount_posts
from twinning.groups.models import ThreadReply
from twinning.groups.services import REPLIES
from twinning.proposals.comments import COMMENTS
from twinning.proposals.models import Comment

# The columns of both tables as revision 0012 left them.
COMMENT_COLUMNS = {
    "id",
    "proposal_id",
    "author_id",
    "parent_id",
    "body",
    "moderation_state",
    "moderation_reason",
    "edited_at",
    "deleted_at",
    "created_at",
}
REPLY_COLUMNS = COMMENT_COLUMNS - {"proposal_id", "parent_id"} | {"thread_id"}


def test_the_tables_keep_their_columns(session):
    inspector = inspect(session.connection())
    assert {column["name"] for column in inspector.get_columns("comments")} == COMMENT_COLUMNS
    assert {column["name"] for column in inspector.get_columns("thread_replies")} == REPLY_COLUMNS


def test_rows_written_before_read_unchanged_and_recount_the_same(session, ctx, posts):
    posted = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
    edited = datetime(2026, 5, 1, 9, 40, tzinfo=UTC)
    proposal_id, thread_id, author_id = (
        posts.comment.proposal_id,
        posts.reply.thread_id,
        posts.world.author.id,
    )
    session.execute(
        text(
            "INSERT INTO comments (id, proposal_id, author_id, parent_id, body, moderation_state, moderation_reason,"
            " edited_at, deleted_at, created_at) VALUES"
            " (901, :p, :a, NULL, 'Alt', 'approved', '', :e, NULL, :c),"
            " (902, :p, :a, 901, 'Antwort', 'declined', 'Werbung', NULL, NULL, :c),"
            " (903, :p, NULL, 901, '', 'approved', '', NULL, :e, :c)"
        ),
        {"p": proposal_id, "a": author_id, "c": posted, "e": edited},
    )
    session.execute(
        text(
            "INSERT INTO thread_replies (id, thread_id, author_id, body, moderation_state, moderation_reason,"
            " edited_at, deleted_at, created_at) VALUES"
            " (911, :t, :a, 'Bis dann', 'pending', '', NULL, NULL, :c),"
            " (912, :t, :a, 'Gern', 'approved', '', :e, NULL, :c)"
        ),
        {"t": thread_id, "a": author_id, "c": posted, "e": edited},
    )
    session.expire_all()

    old = session.get(Comment, 901)
    assert (old.body, old.author.id, old.edited_at, old.created_at, old.parent_id) == (
        "Alt",
        author_id,
        edited,
        posted,
        None,
    )
    answer = session.get(Comment, 902)
    assert (answer.parent, answer.moderation_state, answer.moderation_reason) == (
        old,
        ModerationState.DECLINED,
        "Werbung",
    )
    gone = session.get(Comment, 903)
    assert gone.author is None and gone.deleted_at == edited
    reply = session.get(ThreadReply, 912)
    assert (reply.body, reply.edited_at, reply.thread.id, reply.author.id) == (
        "Gern",
        edited,
        thread_id,
        author_id,
    )
    assert session.get(ThreadReply, 911).moderation_state == ModerationState.PENDING

    # Published and not deleted: the fixture's post plus 901; the fixture's reply plus 912.
    recount_posts(session, COMMENTS, proposal_id)
    recount_posts(session, REPLIES, thread_id)
    session.expire_all()
    assert old.proposal.comment_count == 2 and reply.thread.reply_count == 2
    delete_post(session, REPLIES, posts.world.author, reply)
    assert reply.thread.reply_count == 1
