"""The request caches of the rules (memberships, group roles): one home, forgotten with a rollback."""

from __future__ import annotations

from flask import g

from tests.factories import make_association, make_group, make_membership, make_user
from twinning.core.errors import InvalidState
from twinning.core.transactions import commit
from twinning.groups import services as groups
from twinning.permissions import cached, can, forget, forget_memberships


def test_a_rolled_back_membership_grants_nothing(session, ctx):
    """The check in the same request after a rollback (e.g. the page that says why) sees no member."""
    association = make_association(session)
    user = make_user(session)
    session.commit()
    assert not can(user, "proposal.create", association)
    make_membership(session, user, association)
    forget_memberships()  # as the services do after a change
    assert can(user, "proposal.create", association)
    session.rollback()
    assert not can(user, "proposal.create", association)


def test_a_group_joined_in_a_refused_transaction_gives_no_voice(session, ctx):
    association = make_association(session)
    group = make_group(session, association)
    user = make_user(session)
    session.commit()

    def join_then_fail():
        groups.join_group(session, user, group)
        assert can(user, "group.post", group)  # the cache now holds the new role
        raise InvalidState("something else went wrong")

    done = commit(join_then_fail)
    assert not done and done.status == 400
    assert not can(user, "group.post", group)
    assert not can(user, "group.leave", group)


def test_every_cache_lives_in_one_place(session, ctx):
    loads = []
    assert cached("example", 1, lambda: loads.append(1) or "one") == "one"
    assert cached("example", 1, lambda: loads.append(2) or "two") == "one"
    assert loads == [1]
    assert set(g._twinning_cache) == {"example"}
    forget()
    assert cached("example", 1, lambda: "again") == "again"


def test_outside_a_request_nothing_is_kept(app):
    with app.app_context():
        assert cached("example", 1, lambda: "one") == "one"
        assert cached("example", 1, lambda: "two") == "two"
