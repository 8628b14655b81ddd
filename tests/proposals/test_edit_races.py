"""A support and an edit at the same moment, on PostgreSQL where it happens: no change slips past a support.

Each side works on its own connection with real commits, so this module replaces the
rolled-back test transaction and deletes what it created afterwards.
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tests.factories import make_association, make_member, make_proposal, make_user
from twinning.associations.models import Association, ModerationPolicy
from twinning.auth.models import User
from twinning.core.extensions import db
from twinning.proposals import services
from twinning.proposals.models import Proposal, ProposalEdit


@pytest.fixture
def committed(app):
    """Overrides the shared fixture's transaction: committed data, cleaned up afterwards."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks and concurrent transactions are tested on PostgreSQL")
    db.session.remove()
    db.session.configure(bind=db.engine)
    created: dict[str, list[int]] = {"users": [], "associations": []}
    yield created
    db.session.remove()
    with db.engine.begin() as connection:
        connection.execute(delete(Association).where(Association.id.in_(created["associations"])))
        connection.execute(delete(User).where(User.id.in_(created["users"])))


def test_an_edit_racing_a_support_waits_for_moderation(app, committed):
    session = db.session
    tag = uuid.uuid4().hex[:8]
    admin = make_user(session, email=f"admin-{tag}@example.org")
    association = make_association(
        session, admin=admin, slug=f"race-{tag}", moderation_policy=ModerationPolicy.NONE
    )
    author = make_member(session, association, email=f"author-{tag}@example.org")
    supporter = make_member(session, association, email=f"supporter-{tag}@example.org")
    proposal = make_proposal(session, association, author, title="Vorher")
    committed["users"] += [admin.id, author.id, supporter.id]
    committed["associations"].append(association.id)
    ids = (proposal.id, author.id, supporter.id)
    session.commit()
    db.session.remove()

    # The supporter's transaction has counted its support but not committed yet.
    supporting = Session(db.engine)
    services.toggle_support(supporting, supporting.get(User, ids[2]), supporting.get(Proposal, ids[0]))

    outcome: dict[str, object] = {}

    def edit() -> None:
        with app.app_context():
            editing = Session(db.engine)
            try:
                waiting = services.edit_proposal(
                    editing,
                    editing.get(User, ids[1]),
                    editing.get(Proposal, ids[0]),
                    title="Nachher",
                    summary="A short summary",
                    body="Some **Markdown** text.",
                    theme_slugs=[],
                    sdgs=[],
                    budget=None,
                )
                outcome["waiting"] = waiting is not None
                editing.commit()
            except Exception as error:
                outcome["error"] = error
                editing.rollback()
            finally:
                editing.close()

    editor = threading.Thread(target=edit)
    editor.start()
    time.sleep(0.5)
    assert editor.is_alive()  # held at the proposal's row until the support is decided
    supporting.commit()
    supporting.close()
    editor.join(timeout=30)

    assert outcome == {"waiting": True}
    with Session(db.engine) as check:
        assert check.get(Proposal, ids[0]).title == "Vorher"
        assert check.get(Proposal, ids[0]).support_count == 1
        assert (
            check.scalars(select(ProposalEdit).where(ProposalEdit.proposal_id == ids[0])).one().title
            == "Nachher"
        )
