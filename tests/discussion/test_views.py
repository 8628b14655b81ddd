"""One edit page and one delete button for the posts of every discussion, through the test client."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import template_rendered

from tests.conftest import sign_in
from tests.factories import make_user
from twinning.associations.models import ModerationPolicy
from twinning.moderation import services as moderation
from twinning.moderation.registry import KINDS

KINDS_OF_POSTS = ["comment", "reply"]


@contextmanager
def _rendered(app):
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


@pytest.mark.parametrize("name", KINDS_OF_POSTS)
def test_both_discussions_edit_on_the_one_edit_page(app, client, session, posts, name):
    discussion, post = posts.of(name)
    sign_in(client, posts.world.author.email)
    with _rendered(app) as names:
        page = client.get(posts.edit_url(name))
    assert page.status_code == 200 and names[0] == "discussion/edit.html"
    text = page.get_data(as_text=True)
    assert post.body in text and 'name="body"' in text
    assert (posts.proposal_url if name == "comment" else posts.thread_url) in text  # the breadcrumb
    too_long = "x" * (discussion.max_length + 1)
    refused = client.post(posts.edit_url(name), data={"body": too_long})
    assert refused.status_code == 400 and too_long in refused.get_data(as_text=True)
    done = client.post(posts.edit_url(name), data={"body": "Neu geschrieben"})
    assert done.status_code == 302 and done.location.endswith(f"#{name}-{post.id}")
    session.expire_all()
    post = session.get(discussion.model, post.id)
    assert post.body == "Neu geschrieben" and post.edited_at is not None


@pytest.mark.parametrize("name", KINDS_OF_POSTS)
def test_a_waiting_change_is_where_the_author_goes_on(client, session, posts, name):
    discussion, post = posts.of(name)
    posts.world.association.moderation_policy = ModerationPolicy.STRICT
    session.flush()
    sign_in(client, posts.world.author.email)
    assert client.post(posts.edit_url(name), data={"body": "Zweiter Gedanke"}).status_code == 302
    assert "Zweiter Gedanke" in client.get(posts.edit_url(name)).get_data(as_text=True)
    session.expire_all()
    assert session.get(discussion.model, post.id).body != "Zweiter Gedanke"


@pytest.mark.parametrize("name", KINDS_OF_POSTS)
def test_only_the_author_edits_and_deletes_and_only_in_time(client, session, posts, name):
    discussion, post = posts.of(name)
    stranger = make_user(session)
    sign_in(client, stranger.email)
    assert client.get(posts.edit_url(name)).status_code == 403
    assert client.post(posts.delete_url(name)).status_code == 403
    client.post("/auth/logout")
    post = session.get(discussion.model, post.id)  # the requests ended the session the fixture used
    post.created_at -= timedelta(minutes=16)
    session.flush()
    sign_in(client, posts.world.author.email)
    late = client.post(posts.edit_url(name), data={"body": "Zu spät"})
    assert late.status_code == 400 and "15" in late.get_data(as_text=True)


@pytest.mark.parametrize("name", KINDS_OF_POSTS)
def test_delete_through_the_page_and_a_reported_post_stays(client, session, ctx, posts, name):
    discussion, post = posts.of(name)
    moderation.report(session, make_user(session), KINDS[name], post, "spam")
    sign_in(client, posts.world.author.email)
    assert client.post(posts.delete_url(name)).status_code == 302
    session.expire_all()
    post = session.get(discussion.model, post.id)
    assert post.deleted_at is None
    moderation.decide(session, posts.world.moderator, KINDS[name], post, "approve")  # reports dismissed
    session.flush()
    assert client.post(posts.delete_url(name)).status_code == 302
    session.expire_all()
    post = session.get(discussion.model, post.id)
    assert post.deleted_at is not None and post.body == ""


@pytest.mark.parametrize("name", KINDS_OF_POSTS)
def test_the_author_sees_the_post_tools_on_the_page_others_do_not(client, session, posts, name):
    page_url = posts.proposal_url if name == "comment" else posts.thread_url
    sign_in(client, posts.world.author.email)
    page = client.get(page_url).get_data(as_text=True)
    assert f'href="{posts.edit_url(name)}"' in page and f'action="{posts.delete_url(name)}"' in page
    client.post("/auth/logout")
    sign_in(client, make_user(session).email)
    page = client.get(page_url).get_data(as_text=True)
    assert posts.edit_url(name) not in page and posts.delete_url(name) not in page
