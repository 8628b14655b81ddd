"""The content version is written by the outermost commit only, so it is always the last lock.

A savepoint's release fires ``before_commit`` too: bumping there locked the version row before
the rest of the transaction (a support's ``UPDATE proposals``), the opposite order of a
moderator's answer, and PostgreSQL answered the pair with a deadlock (a 500). The race itself
is tests/test_concurrency_mixed.py::test_supports_racing_a_moderators_answer_all_succeed.
"""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories import make_user
from twinning.core.pagecache import current_version


def test_releasing_a_savepoint_leaves_the_version_alone(session, ctx):
    before = current_version(session)
    with session.begin_nested():
        make_user(session, email="inside@example.org")
    assert current_version(session) == before  # not locked yet
    session.commit()
    assert current_version(session) != before


def test_a_failed_savepoint_does_not_forget_earlier_writes(session, ctx):
    make_user(session, email="first@example.org")
    before = current_version(session)
    with pytest.raises(IntegrityError), session.begin_nested():
        make_user(session, email="first@example.org")  # taken: the savepoint rolls back
    session.commit()
    assert current_version(session) != before  # the first user is new: cached pages are stale
