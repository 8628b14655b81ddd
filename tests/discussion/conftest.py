"""One post of each discussion (a proposal comment, a thread reply) in the same association."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.factories import make_group, make_proposal
from tests.moderation.helpers import World, make_world
from twinning.core.content import ModerationState
from twinning.discussion.services import Discussion
from twinning.groups.models import GroupMembership, OpenTo, Thread, ThreadReply
from twinning.groups.services import REPLIES
from twinning.proposals.comments import COMMENTS
from twinning.proposals.models import Comment


@dataclass
class Posts:
    world: World
    comment: Comment
    reply: ThreadReply
    proposal_url: str
    thread_url: str

    def of(self, name: str) -> tuple[Discussion, object]:
        """The discussion and the post of a kind ("comment" or "reply")."""
        return (COMMENTS, self.comment) if name == "comment" else (REPLIES, self.reply)

    def edit_url(self, name: str) -> str:
        if name == "comment":
            return f"{self.proposal_url}/comments/{self.comment.id}/edit"
        return f"{self.thread_url}/replies/{self.reply.id}/edit"

    def delete_url(self, name: str) -> str:
        return self.edit_url(name).removesuffix("/edit") + "/delete"


@pytest.fixture
def posts(session) -> Posts:
    world = make_world(session)
    proposal = make_proposal(session, world.association, world.author, title="Radwerkstatt")
    comment = Comment(
        proposal_id=proposal.id,
        author_id=world.author.id,
        body="Gute Idee",
        moderation_state=ModerationState.APPROVED,
    )
    group = make_group(session, world.association, open_to=OpenTo.EVERYONE, coordinator=world.moderator)
    session.add(GroupMembership(group_id=group.id, user_id=world.author.id))
    thread = Thread(
        group_id=group.id,
        author_id=world.moderator.id,
        title="Aktionstag",
        body="Plan",
        moderation_state=ModerationState.APPROVED,
    )
    session.add_all([comment, thread])
    session.flush()
    reply = ThreadReply(
        thread_id=thread.id,
        author_id=world.author.id,
        body="Ich komme",
        moderation_state=ModerationState.APPROVED,
    )
    session.add(reply)
    session.flush()
    proposal.comment_count = thread.reply_count = 1
    session.flush()
    return Posts(
        world,
        comment,
        reply,
        f"/a/{world.association.slug}/proposals/{proposal.id}",
        f"/groups/{group.id}/threads/{thread.id}",
    )
