"""The personal home at / for signed-in people (issue 14, item 3); visitors keep the network page."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import sign_in
from tests.factories import (
    make_association,
    make_group,
    make_member,
    make_membership,
    make_proposal,
    make_user,
    theme,
)
from twinning.associations.models import AssociationStatus, Invitation, JoinPolicy, MembershipState, Role
from twinning.core.content import ModerationState
from twinning.core.db import utcnow
from twinning.groups.models import GroupMembership, OpenTo, Thread
from twinning.pages.personal import FIRST_VISIT_LOOKBACK, VISIT_GAP, visit_since
from twinning.proposals.models import CoSponsorship, CoSponsorState, Lifecycle, Support


def _home(client) -> str:
    response = client.get("/?lang=en")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _section(page: str, heading: str) -> str:
    start = page.index(heading)
    end = page.find("</section>", start)
    return page[start:end]


def test_visitor_keeps_the_network_page_without_personal_blocks(client, session):
    make_association(session, name="Aachen–Reims", slug="aachen-reims")
    page = _home(client)
    assert "Town twinning, together" in page and "Associations of the network" in page
    for personal in ("Waiting for you", "Proposals you support", "Suggested for you", "Signed in as"):
        assert personal not in page


def test_the_header_says_who_is_signed_in(client, session):
    make_user(session, email="thandi@example.org", name="Thandi Nkosi")
    sign_in(client, "thandi@example.org")
    for path in ("/?lang=en", "/groups?lang=en"):
        page = client.get(path).get_data(as_text=True)
        header = page[page.index('class="account-nav"') : page.index("</header>")]
        assert "Signed in as" in header and "Thandi Nkosi" in header


def test_member_sees_places_with_what_is_new_supports_and_suggestions(client, session):
    climate = theme(session, "klimaschutz")
    reims = make_association(session, name="Aachen–Reims", slug="aachen-reims")
    reims.themes = [climate]
    other = make_association(session, name="Köln–Lille", slug="koeln-lille")
    user = make_member(session, reims, email="marie@example.org", name="Marie")
    author = make_member(session, other)
    make_membership(session, author, reims)
    group = make_group(session, reims, name="Velo-Gruppe", open_to=OpenTo.MEMBERS)
    session.add(GroupMembership(group_id=group.id, user_id=user.id))
    session.add(
        Thread(group_id=group.id, title="Route", body="Hi", moderation_state=ModerationState.APPROVED)
    )
    make_proposal(session, reims, author, title="Fresh idea")
    liked = make_proposal(session, other, author, title="Bike tour to Lille")
    session.add(Support(proposal_id=liked.id, user_id=user.id))
    liked.support_count = 1
    make_proposal(session, other, author, title="Solar roofs in Lille", themes=[climate])
    make_proposal(session, other, author, title="Unrelated choir")
    make_proposal(
        session, other, author, title="Decided climate", themes=[climate], lifecycle=Lifecycle.ACCEPTED
    )
    make_proposal(
        session,
        other,
        author,
        title="Hidden climate",
        themes=[climate],
        moderation_state=ModerationState.PENDING,
    )
    make_group(session, other, name="Klima-Jugend Lille")  # topic group, no theme: not suggested
    topic = make_group(session, other, name="Klimaschutz-Netz")
    topic.themes = [climate]
    session.flush()

    sign_in(client, "marie@example.org")
    page = _home(client)
    assert "Welcome, Marie" in page
    assert "Associations of the network" not in page  # the personal page, not the visitors' one
    mine = _section(page, "Your associations and groups")
    assert "Aachen–Reims" in mine and "1 new proposal" in mine
    assert "Velo-Gruppe" in mine and "1 thread with new posts" in mine
    supported = _section(page, "Proposals you support")
    assert "Bike tour to Lille" in supported and "1 support" in supported
    suggested = _section(page, "Suggested for you")
    assert "Solar roofs in Lille" in suggested and "Klimaschutz-Netz" in suggested
    for absent in (
        "Bike tour to Lille",
        "Unrelated choir",
        "Decided climate",
        "Hidden climate",
        "Klima-Jugend Lille",
        "Velo-Gruppe",
    ):
        assert absent not in suggested
    assert "Nothing waits for you." in page


def test_what_waits_for_an_admin_and_for_an_invited_person(client, session):
    admin = make_user(session, email="admin@example.org")
    reims = make_association(session, name="Aachen–Reims", slug="aachen-reims", admin=admin)
    reims.join_policy = JoinPolicy.APPROVAL
    make_membership(session, make_user(session), reims, state=MembershipState.PENDING)
    make_proposal(session, reims, make_member(session, reims), moderation_state=ModerationState.PENDING)
    partner = make_association(session, name="Lille–Köln", slug="lille-koeln")
    asking = make_proposal(session, partner, make_member(session, partner), title="Joint festival")
    session.add(CoSponsorship(proposal_id=asking.id, association_id=reims.id, state=CoSponsorState.INVITED))
    inviting = make_association(session, name="Bonn–Oxford", slug="bonn-oxford")
    session.add(
        Invitation(
            association_id=inviting.id,
            token_hash="x" * 64,
            email="admin@example.org",
            expires_at=utcnow() + timedelta(days=3),
        )
    )
    session.flush()

    sign_in(client, "admin@example.org")
    waiting = _section(_home(client), "Waiting for you")
    assert "1 item waits for a moderation decision" in waiting
    assert "/a/aachen-reims/moderation" in waiting
    assert "1 person asks to join" in waiting and "/a/aachen-reims/members" in waiting
    assert "1 proposal asks you to co-sponsor it" in waiting
    assert "Bonn–Oxford" in waiting and "You are invited to join" in waiting


def test_a_plain_member_is_not_shown_queues_or_requests(client, session):
    reims = make_association(
        session, name="Aachen–Reims", slug="aachen-reims", join_policy=JoinPolicy.APPROVAL
    )
    make_member(session, reims, email="member@example.org")
    make_membership(session, make_user(session), reims, state=MembershipState.PENDING)
    make_proposal(session, reims, make_member(session, reims), moderation_state=ModerationState.PENDING)
    sign_in(client, "member@example.org")
    waiting = _section(_home(client), "Waiting for you")
    assert "Nothing waits for you." in waiting and "/moderation" not in waiting


def test_a_moderator_sees_the_queue_but_not_join_requests(client, session):
    reims = make_association(
        session, name="Aachen–Reims", slug="aachen-reims", join_policy=JoinPolicy.APPROVAL
    )
    make_member(session, reims, role=Role.MODERATOR, email="mod@example.org")
    make_membership(session, make_user(session), reims, state=MembershipState.PENDING)
    make_proposal(session, reims, make_member(session, reims), moderation_state=ModerationState.PENDING)
    sign_in(client, "mod@example.org")
    waiting = _section(_home(client), "Waiting for you")
    assert "1 item waits for a moderation decision" in waiting and "asks to join" not in waiting


def test_someone_in_nothing_gets_a_helpful_start(client, session):
    club = make_association(session, name="Aachen–Reims", slug="aachen-reims")
    make_group(session, club, name="Klima-Jugend Aachen")
    make_user(session, email="jonas@example.org")
    sign_in(client, "jonas@example.org")
    page = _home(client)
    mine = _section(page, "Your associations and groups")
    assert "You have not joined an association or a group yet." in mine
    assert "Klima-Jugend Aachen" in mine  # a topic group open to everyone to start from
    assert "You do not support a proposal yet." in page and "Nothing waits for you." in page


def test_the_home_writes_nothing_to_the_database(client, session):
    from tests.querycount import count_queries

    reims = make_association(session, slug="aachen-reims")
    make_member(session, reims, email="marie@example.org")
    sign_in(client, "marie@example.org")
    _home(client)
    with count_queries() as counted:
        _home(client)
    writes = [s for s in counted.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []


def test_new_since_the_previous_visit_is_kept_in_the_session():
    store = {}
    now = utcnow()
    assert visit_since(store, now) == now - FIRST_VISIT_LOOKBACK  # first visit of this session
    # Reloading within a visit keeps the same measure.
    assert visit_since(store, now + timedelta(minutes=5)) == now - FIRST_VISIT_LOOKBACK
    # Coming back later: new since the last time the home was seen.
    later = now + timedelta(minutes=5) + VISIT_GAP + timedelta(minutes=1)
    assert visit_since(store, later) == now + timedelta(minutes=5)
    store["home_seen"] = "garbage"
    assert visit_since(store, later) == later - FIRST_VISIT_LOOKBACK


def test_a_platform_admin_sees_associations_waiting_for_approval(client, session):
    make_user(session, email="root@example.org", platform_admin=True)
    make_association(session, name="Neuer Verein", slug="neu", status=AssociationStatus.PENDING)
    sign_in(client, "root@example.org")
    waiting = _section(_home(client), "Waiting for you")
    assert "1 new association waits for approval" in waiting and "/admin/associations" in waiting


def test_a_moderator_of_a_suspended_space_is_not_sent_to_its_queue(client, session):
    closed = make_association(
        session, name="Ruhender Verein", slug="ruhend", status=AssociationStatus.SUSPENDED
    )
    make_member(session, closed, role=Role.MODERATOR, email="mod@example.org")
    make_proposal(session, closed, make_member(session, closed), moderation_state=ModerationState.PENDING)
    sign_in(client, "mod@example.org")
    waiting = _section(_home(client), "Waiting for you")
    assert "Nothing waits for you." in waiting and "Ruhender Verein" not in waiting
