"""Fifty people joining one group at the same moment give exactly fifty members."""

from __future__ import annotations

import threading

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from twinning.associations.models import Association, AssociationStatus
from twinning.auth.models import User
from twinning.db import make_engine, utcnow
from twinning.extensions import db
from twinning.groups.models import Group, GroupMembership, OpenTo

PEOPLE = 50


def _commit_setup(engine) -> tuple[int, list[tuple[int, int]]]:
    """Data committed outside the test's transaction, so that other connections see it."""
    with Session(engine) as setup:
        association = Association(name="Concurrency e.V.", slug="concurrency-ev", city="Aachen", country="DE",
                                  status=AssociationStatus.ACTIVE, approved_at=utcnow())
        setup.add(association)
        setup.flush()
        group = Group(association_id=association.id, name="Rush", open_to=OpenTo.EVERYONE)
        users = [User(email=f"rush{n}@example.org", display_name=f"Rush {n}", password_hash="x",
                      email_confirmed_at=utcnow()) for n in range(PEOPLE)]
        setup.add_all([group, *users])
        setup.commit()
        return group.id, [(user.id, user.session_version) for user in users]


def _clean_up(engine) -> None:
    with Session(engine) as cleanup:
        cleanup.execute(delete(Association).where(Association.slug == "concurrency-ev"))
        cleanup.execute(delete(User).where(User.email.like("rush%@example.org")))
        cleanup.commit()


def test_fifty_simultaneous_joins_count_exactly_fifty(app, session):
    engine = make_engine(app.config["DATABASE_URL"])
    # The test's outer transaction holds SQLite's write lock (BEGIN IMMEDIATE): end it in SQLite
    # itself (the fixture's later rollback is then a no-op), since this test writes only through
    # its own connections and cleans up after itself.
    test_connection = db.session().bind
    if test_connection.dialect.name == "sqlite":
        test_connection.exec_driver_sql("ROLLBACK")
    # Requests in other threads must use their own connections, not the test's connection.
    db.session.remove()
    db.session.configure(bind=db.engine)
    _clean_up(engine)
    group_id, accounts = _commit_setup(engine)
    try:
        clients = []
        for user_id, version in accounts:
            client = app.test_client()
            with client.session_transaction() as cookie:
                cookie["_user_id"] = f"{user_id}:{version}"
                cookie["_fresh"] = True
            clients.append(client)
        barrier = threading.Barrier(PEOPLE)
        statuses: list[int] = []

        def join(client) -> None:
            barrier.wait()
            statuses.append(client.post(f"/groups/{group_id}/join").status_code)
            db.session.remove()

        threads = [threading.Thread(target=join, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # And a second click from one of them changes nothing.
        statuses.append(clients[0].post(f"/groups/{group_id}/join").status_code)

        with Session(engine) as check:
            rows = check.scalar(select(func.count()).select_from(GroupMembership)
                                .where(GroupMembership.group_id == group_id))
            count = check.get(Group, group_id).member_count
        assert statuses == [302] * (PEOPLE + 1)
        assert rows == PEOPLE
        assert count == PEOPLE
    finally:
        db.session.remove()
        _clean_up(engine)
        engine.dispose()
