"""A follower of a proposal learns of its answer by mail, and unsubscribes from the mail's link."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from tests.browser.helpers import axe_violations
from twinning.associations.models import Association, Membership, Role
from twinning.auth.models import User
from twinning.core.content import ModerationState
from twinning.proposals.models import Lifecycle, Proposal, Support

pytestmark = pytest.mark.browser

FOLLOWER = "thandi@example.org"
BOARD = "marie@example.org"


def _proposal_to_follow(server) -> tuple[str, int, str]:
    """An open, published proposal of an association Marie administers, Thandi neither wrote nor supports."""
    engine = create_engine(f"sqlite:///{server.folder / 'browser.sqlite'}")
    try:
        with Session(engine) as session:
            thandi = session.scalar(select(User.id).where(User.email == FOLLOWER))
            marie = session.scalar(select(User.id).where(User.email == BOARD))
            supported = select(Support.proposal_id).where(Support.user_id == thandi)
            row = session.execute(
                select(Association.slug, Proposal.id, Proposal.title)
                .join(Proposal, Proposal.association_id == Association.id)
                .join(Membership, Membership.association_id == Association.id)
                .where(
                    Membership.user_id == marie,
                    Membership.role == Role.ADMIN,
                    Proposal.moderation_state == ModerationState.APPROVED,
                    Proposal.lifecycle == Lifecycle.OPEN,
                    Proposal.author_id != thandi,
                    Proposal.id.not_in(supported),
                )
                .order_by(Proposal.id)
            ).first()
            assert row, "no proposal to follow in the demo data"
            return row.slug, row.id, row.title
    finally:
        engine.dispose()


def _newest_mail(server, address: str):
    for path in sorted(server.outbox.glob("*.eml"), reverse=True):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"] == address:
            return message
    raise AssertionError(f"no mail to {address}")


def test_follow_a_proposal_get_its_answer_by_mail_and_unsubscribe(new_context, server):
    slug, proposal_id, title = _proposal_to_follow(server)
    url = f"/a/{slug}/proposals/{proposal_id}"

    follower = new_context(FOLLOWER, width=390, axe=True).new_page()
    follower.goto("/profile/notifications")
    follower.locator("input[name=proposal][value=immediately]").check()
    with follower.expect_navigation():
        follower.locator("main form button[type=submit]").click()
    assert axe_violations(follower, "settings") == []
    follower.goto(url)
    button = follower.locator(f"form[action='/follow/proposal/{proposal_id}'] button")
    assert button.get_attribute("aria-pressed") == "false"
    with follower.expect_navigation():
        button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert axe_violations(follower, "proposal followed") == []
    follower.goto("/profile/following")
    assert follower.locator(f"main a[href='{url}']").count() == 1

    board = new_context(BOARD).new_page()
    board.goto(url)
    board.locator("select[name=lifecycle]").select_option(index=1)
    board.locator("textarea[name=answer]").fill("Der Vorstand nimmt den Vorschlag auf.")
    with board.expect_navigation():
        board.locator("form[action$='/answer'] button[type=submit]").click()

    mail = _newest_mail(server, FOLLOWER)
    assert title in mail.get_body(("plain",)).get_content()
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"<(https?://[^>]+)>", mail["List-Unsubscribe"]).group(1)

    reader = new_context(None, width=390, axe=True).new_page()  # no sign-in needed
    reader.goto(link)
    with reader.expect_navigation():
        reader.locator("main form button[type=submit]").click()
    assert reader.locator("main [role=status]").count() == 1
    assert axe_violations(reader, "unsubscribed") == []
