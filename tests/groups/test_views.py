"""Group pages through the test client: the newcomer's journey, management and bad input."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.conftest import sign_in
from tests.factories import make_association, make_group, make_member, make_user
from twinning.associations.models import ModerationPolicy, Role
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.groups.models import Group, GroupMembership, GroupRole, OpenTo, Thread, ThreadReply


def _count(session, model, *where):
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _setup(session):
    admin = make_user(session, email="admin-aachen@example.org")
    host = make_association(session, admin=admin, name="Aachen Klima", slug="aachen-klima")
    moderator = make_member(session, host, role=Role.MODERATOR, email="mod@example.org")
    topic = make_group(session, host, name="Klima-Jugend", open_to=OpenTo.EVERYONE, coordinator=moderator)
    working = make_group(session, host, name="Vorstand AG", open_to=OpenTo.MEMBERS, coordinator=admin)
    return host, moderator, topic, working


def test_newcomer_signs_up_from_get_involved_joins_posts_and_leaves(client, session, outbox):
    _host, _moderator, topic, _working = _setup(session)
    topic_id = topic.id
    page = client.get("/get-involved?themes=klimaschutz&sdgs=13").get_data(as_text=True)
    page = client.get("/get-involved").get_data(as_text=True)
    assert "Klima-Jugend" in page
    join_link = f"/groups/{topic_id}/join?account=new"
    assert join_link in page
    response = client.get(join_link)  # remembers the join, and asks to sign up
    assert response.headers["Location"] == f"/auth/register?next=/groups/{topic_id}/join"
    assert _count(session, GroupMembership, GroupMembership.group_id == topic_id) == 1  # GET wrote nothing

    response = client.post(
        response.headers["Location"],
        data={"email": "jonas19@example.org", "display_name": "Jonas", "password": "climate-2030!"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/groups/{topic_id}"  # joined with the sign-up
    jonas = session.scalar(select(User).where(User.email == "jonas19@example.org"))
    assert _count(session, GroupMembership, GroupMembership.user_id == jonas.id) == 1
    assert session.get(Group, topic_id).member_count == 2

    # Unconfirmed accounts may not post yet.
    assert client.get(f"/groups/{topic_id}/threads/new").status_code == 403
    link = outbox.link(outbox.last_to("jonas19@example.org"))
    client.get(link.replace("http://localhost", ""))

    response = client.post(
        f"/groups/{topic_id}/threads/new",
        data={"title": "Klimastreik im Mai", "body": "Wer macht mit? **Bitte melden!**"},
    )
    assert response.status_code == 302
    thread = session.scalar(select(Thread).where(Thread.title == "Klimastreik im Mai"))
    assert thread.moderation_state == ModerationState.PENDING  # host policy "all"
    own_view = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>Bitte melden!</strong>" in own_view

    client.post("/auth/logout")
    assert client.get(f"/groups/{topic_id}/threads/{thread.id}").status_code == 404  # not yet public

    response = client.post(f"/groups/{topic_id}/leave")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    sign_in(client, "jonas19@example.org", "climate-2030!")
    client.post(f"/groups/{topic_id}/leave")
    assert _count(session, GroupMembership, GroupMembership.user_id == jonas.id) == 0
    assert session.get(Group, topic_id).member_count == 1


def test_non_member_is_refused_a_working_group(client, session):
    _host, _moderator, _topic, working = _setup(session)
    other = make_association(session)
    outsider = make_member(session, other, email="outsider@example.org")
    sign_in(client, outsider.email)
    assert client.post(f"/groups/{working.id}/join").status_code == 403
    assert client.get(f"/groups/{working.id}/threads/new").status_code == 403
    assert (
        client.post(f"/groups/{working.id}/threads/new", data={"title": "x", "body": "y"}).status_code == 403
    )
    assert _count(session, GroupMembership, GroupMembership.user_id == outsider.id) == 0


def test_joining_twice_and_leaving_a_group_you_are_not_in_give_messages(client, session):
    _host, _moderator, topic, _working = _setup(session)
    user = make_user(session, email="twice@example.org")
    sign_in(client, user.email)
    client.post(f"/groups/{topic.id}/join")
    response = client.post(f"/groups/{topic.id}/join", follow_redirects=True)
    assert response.status_code == 200
    assert "bereits Mitglied" in response.get_data(as_text=True)
    client.post(f"/groups/{topic.id}/leave")
    response = client.post(f"/groups/{topic.id}/leave", follow_redirects=True)
    assert "nicht Mitglied" in response.get_data(as_text=True)
    assert session.get(Group, topic.id).member_count == 1


def test_moderator_creates_a_group_and_bad_input_is_400_with_values_kept(client, session):
    host, moderator, _topic, _working = _setup(session)
    sign_in(client, moderator.email)
    url = f"/a/{host.slug}/groups/new"
    before = _count(session, Group)
    cases = [
        ({"name": "", "open_to": "members"}, "Bitte geben Sie der Gruppe einen Namen"),
        ({"name": "A" * 10_000, "open_to": "members"}, "höchstens 120 Zeichen"),
        ({"name": "Na\x00me", "open_to": "members"}, "nicht erlaubt"),
        ({"name": "Gut", "open_to": "nobody"}, "Not a valid choice"),
        ({"name": "Gut", "open_to": "members", "sdgs": "99"}, "Not a valid choice"),
        ({"name": "Gut", "open_to": "members", "themes": "no-such-theme"}, "Not a valid choice"),
    ]
    for data, _message in cases:
        response = client.post(url, data=data)
        assert response.status_code == 400, data
    assert _count(session, Group) == before
    kept = client.post(
        url, data={"name": "Grüne Städte 🌱", "description": "x" * 6000, "open_to": "everyone"}
    )
    assert kept.status_code == 400 and "Grüne Städte 🌱" in kept.get_data(as_text=True)

    response = client.post(
        url,
        data={
            "name": "Wasser für Kapstadt",
            "description": "SDG 6",
            "open_to": "everyone",
            "themes": ["solidaritaet"],
            "sdgs": ["6", "17"],
        },
    )
    assert response.status_code == 302
    group = session.scalar(select(Group).where(Group.name == "Wasser für Kapstadt"))
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Wasser für Kapstadt" in page and "6 · " in page


def test_plain_member_and_visitor_cannot_create_groups(client, session):
    host, _moderator, _topic, _working = _setup(session)
    url = f"/a/{host.slug}/groups/new"
    assert client.get(url).status_code == 302  # to sign in
    member = make_member(session, host, email="plain@example.org")
    sign_in(client, member.email)
    assert client.get(url).status_code == 403
    assert client.post(url, data={"name": "X", "open_to": "members"}).status_code == 403
    assert client.get("/a/no-such-association/groups/new").status_code == 404


def test_member_names_only_for_signed_in_people(client, session):
    _host, _moderator, topic, _working = _setup(session)
    member = make_user(session, name="Zoë Verborgen", email="zoe@example.org")
    session.add(GroupMembership(group_id=topic.id, user_id=member.id))
    assert "Zoë Verborgen" not in client.get(f"/groups/{topic.id}").get_data(as_text=True)
    assert client.get(f"/groups/{topic.id}/members").status_code == 302
    sign_in(client, member.email)
    assert "Zoë Verborgen" in client.get(f"/groups/{topic.id}").get_data(as_text=True)


def test_coordinator_manages_members_but_not_the_last_coordinator(client, session):
    _host, moderator, topic, _working = _setup(session)
    member = make_user(session, email="m1@example.org")
    session.add(GroupMembership(group_id=topic.id, user_id=member.id))
    topic.member_count = 2
    sign_in(client, moderator.email)
    response = client.post(f"/groups/{topic.id}/members/{moderator.id}/remove", follow_redirects=True)
    assert "mindestens eine Koordinatorin" in response.get_data(as_text=True) or response.status_code == 200
    assert _count(session, GroupMembership, GroupMembership.user_id == moderator.id) == 1
    client.post(f"/groups/{topic.id}/members/{moderator.id}/role", data={"role": "member"})
    assert (
        session.scalar(select(GroupMembership.role).where(GroupMembership.user_id == moderator.id))
        == GroupRole.COORDINATOR
    )
    client.post(f"/groups/{topic.id}/members/{member.id}/role", data={"role": "coordinator"})
    assert (
        session.scalar(select(GroupMembership.role).where(GroupMembership.user_id == member.id))
        == GroupRole.COORDINATOR
    )
    assert (
        client.post(f"/groups/{topic.id}/members/{member.id}/role", data={"role": "king"}).status_code == 400
    )
    client.post(f"/groups/{topic.id}/members/{member.id}/remove")
    assert _count(session, GroupMembership, GroupMembership.group_id == topic.id) == 1
    assert client.post(f"/groups/{topic.id}/members/999999/remove").status_code == 404
    assert client.post(f"/groups/{topic.id}/members/99999999999999999999/remove").status_code == 404


def test_plain_member_cannot_manage(client, session):
    _host, moderator, topic, _working = _setup(session)
    member = make_user(session, email="m2@example.org")
    session.add(GroupMembership(group_id=topic.id, user_id=member.id))
    sign_in(client, member.email)
    assert client.post(f"/groups/{topic.id}/members/{moderator.id}/remove").status_code == 403
    assert client.get(f"/groups/{topic.id}/edit").status_code == 403
    assert (
        client.post(f"/groups/{topic.id}/members/{member.id}/role", data={"role": "coordinator"}).status_code
        == 403
    )


def _member_and_thread(session, host, moderator, topic):
    """A member of the topic group and a published thread of the moderator's, replies unmoderated."""
    host.moderation_policy = ModerationPolicy.NONE
    member = make_user(session, email="m3@example.org")
    session.add(GroupMembership(group_id=topic.id, user_id=member.id))
    thread = Thread(
        group_id=topic.id,
        author_id=moderator.id,
        title="Aktionstag",
        body="Plan",
        moderation_state=ModerationState.APPROVED,
    )
    session.add(thread)
    session.flush()
    return member, thread


def test_replies_pinning_and_other_groups_ids(client, session):
    host, moderator, topic, working = _setup(session)
    member, thread = _member_and_thread(session, host, moderator, topic)
    sign_in(client, member.email)
    assert (
        client.post(f"/groups/{topic.id}/threads/{thread.id}/replies", data={"body": ""}).status_code == 400
    )
    assert (
        client.post(
            f"/groups/{topic.id}/threads/{thread.id}/replies", data={"body": "x" * 10_001}
        ).status_code
        == 400
    )
    response = client.post(
        f"/groups/{topic.id}/threads/{thread.id}/replies",
        data={"body": "Ich bin dabei! <script>alert(1)</script> Олена"},
    )
    assert response.status_code == 302
    page = client.get(f"/groups/{topic.id}/threads/{thread.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "Олена" in page
    assert _count(session, ThreadReply, ThreadReply.thread_id == thread.id) == 1
    # The thread belongs to the topic group: under another group's id it is not there.
    assert client.get(f"/groups/{working.id}/threads/{thread.id}").status_code == 404
    assert client.post(f"/groups/{topic.id}/threads/{thread.id}/pin").status_code == 403
    client.post("/auth/logout")
    sign_in(client, moderator.email)
    client.post(f"/groups/{topic.id}/threads/{thread.id}/pin")
    assert session.get(Thread, thread.id).pinned


def test_directory_filters_and_paging(client, session):
    _host, _moderator, _topic, _working = _setup(session)
    other = make_association(session, country="ZA", city="Cape Town", slug="cape-town-water")
    make_group(session, other, name="Water Circle", open_to=OpenTo.EVERYONE)
    page = client.get("/groups?country=ZA").get_data(as_text=True)
    assert "Water Circle" in page and "Klima-Jugend" not in page
    page = client.get("/groups?open_to=members").get_data(as_text=True)
    assert "Vorstand AG" in page and "Water Circle" not in page
    page = client.get("/groups?q=klima").get_data(as_text=True)
    assert "Klima-Jugend" in page and "Water Circle" not in page
    page = client.get("/groups?association=cape-town-water").get_data(as_text=True)
    assert "Water Circle" in page and "Vorstand AG" not in page
    for query in (
        "page=abc",
        "page=-1",
        "page=99999999999999999999",
        "sdg=99",
        "sdg=x",
        "theme=%00",
        "q=" + "x" * 10_000,
        "open_to=nobody",
        "country=%00%00",
        "page=" + "9" * 5000,
        "page=%C2%B2",
        "sdg=%C2%B2",
        "q=%F0%9F%8C%B1",
    ):
        assert client.get("/groups?" + query).status_code in (200, 404), query
    assert client.get("/groups?page=50").status_code == 404


def test_group_pages_404_for_unknown_ids(client, session):
    assert client.get("/groups/0").status_code == 404
    assert client.get("/groups/123456").status_code == 404
    assert client.get("/groups/abc").status_code == 404
    assert client.get("/groups/1/threads/99999999999999999999").status_code == 404


def test_group_of_a_pending_association_is_not_shown(client, session):
    from twinning.associations.models import AssociationStatus

    pending = make_association(session, status=AssociationStatus.PENDING)
    group = make_group(session, pending, name="Geheim")
    assert client.get(f"/groups/{group.id}").status_code == 404
    assert "Geheim" not in client.get("/groups").get_data(as_text=True)


def test_space_and_profile_sections(client, session, app):
    host, moderator, _topic, _working = _setup(session)
    with app.test_request_context("/"):
        from twinning.groups.sections import my_groups, space_groups

        template, context = space_groups(host, moderator)
        assert template == "groups/_space_section.html" and context["total"] == 2
        template, context = my_groups(moderator, moderator)
    assert [g.name for g in context["groups"]] == ["Klima-Jugend"]


def test_thread_waits_in_the_hosts_queue_and_a_moderator_approves_it(client, session):
    from twinning.moderation.models import Report
    from twinning.notifications.models import Notification

    host, moderator, topic, _working = _setup(session)
    author = make_user(session, email="poster@example.org")
    reader = make_user(session, email="reader@example.org")
    for person in (author, reader):
        session.add(GroupMembership(group_id=topic.id, user_id=person.id))
    sign_in(client, author.email)
    client.post(f"/groups/{topic.id}/threads/new", data={"title": "Baumpflanzaktion", "body": "Samstag?"})
    thread = session.scalar(select(Thread).where(Thread.title == "Baumpflanzaktion"))
    client.post("/auth/logout")

    sign_in(client, moderator.email)
    queue = client.get(f"/a/{host.slug}/moderation")
    assert queue.status_code == 200 and "Baumpflanzaktion" in queue.get_data(as_text=True)
    response = client.post(f"/a/{host.slug}/moderation/thread/{thread.id}", data={"decision": "approve"})
    assert response.status_code == 302
    assert session.get(Thread, thread.id).moderation_state == ModerationState.APPROVED
    assert (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == reader.id, Notification.kind == "group.thread_new")
        )
        == 1
    )
    client.post("/auth/logout")

    sign_in(client, reader.email)
    page = client.get(f"/groups/{topic.id}/threads/{thread.id}").get_data(as_text=True)
    assert f'action="/report/thread/{thread.id}"' in page
    client.post(f"/report/thread/{thread.id}", data={"reason": "spam", "text": ""})
    assert (
        session.scalar(
            select(func.count())
            .select_from(Report)
            .where(Report.kind == "thread", Report.item_id == thread.id, Report.association_id == host.id)
        )
        == 1
    )


def test_the_author_edits_and_deletes_a_reply_others_cannot(client, session, app):
    host, moderator, topic, working = _setup(session)
    member, thread = _member_and_thread(session, host, moderator, topic)
    sign_in(client, member.email)
    client.post(f"/groups/{topic.id}/threads/{thread.id}/replies", data={"body": "Ich bin dabei"})
    reply = session.scalar(select(ThreadReply).where(ThreadReply.thread_id == thread.id))
    base = f"/groups/{topic.id}/threads/{thread.id}/replies/{reply.id}"
    page = client.get(f"/groups/{topic.id}/threads/{thread.id}").get_data(as_text=True)
    assert f'href="{base}/edit"' in page and f'action="{base}/delete"' in page

    form = client.get(f"{base}/edit")
    assert form.status_code == 200 and "Ich bin dabei" in form.get_data(as_text=True)
    refused = client.post(f"{base}/edit", data={"body": ""})
    assert refused.status_code == 400 and "Bitte schreiben Sie etwas" in refused.get_data(as_text=True)
    assert client.post(f"{base}/edit", data={"body": "Ich bin dabei, mit Rad"}).status_code == 302
    page = client.get(f"/groups/{topic.id}/threads/{thread.id}").get_data(as_text=True)
    assert "Ich bin dabei, mit Rad" in page and "bearbeitet" in page

    # Ids from another thread or group, or past the 32-bit range, are not there.
    assert client.get(f"/groups/{working.id}/threads/{thread.id}/replies/{reply.id}/edit").status_code == 404
    assert client.get(f"/groups/{topic.id}/threads/{thread.id}/replies/99999999999/edit").status_code == 404

    client.post("/auth/logout")
    sign_in(client, moderator.email)
    page = client.get(f"/groups/{topic.id}/threads/{thread.id}").get_data(as_text=True)
    assert f'action="{base}/delete"' not in page
    assert client.get(f"{base}/edit").status_code == 403
    assert client.post(f"{base}/delete").status_code == 403
    client.post("/auth/logout")
    assert client.post(f"{base}/delete").status_code == 302  # to the sign-in page
    assert session.get(ThreadReply, reply.id).deleted_at is None

    sign_in(client, member.email)
    assert client.post(f"{base}/delete").status_code == 302
    page = client.get(f"/groups/{topic.id}/threads/{thread.id}").get_data(as_text=True)
    assert "Ihre Antwort wurde gelöscht." in page and "Ich bin dabei, mit Rad" not in page
    assert session.get(Thread, thread.id).reply_count == 0
    assert client.get(f"{base}/edit").status_code == 404
