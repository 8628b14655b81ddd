"""One list of report reasons: every report form offers the reasons moderation knows, in one wording."""

from __future__ import annotations

import re

from flask_babel import force_locale

from tests.conftest import sign_in
from tests.factories import make_association, make_group, make_member, make_proposal
from twinning.core.content import ModerationState
from twinning.groups.models import OpenTo, Thread, ThreadReply
from twinning.moderation.forms import REASON_LABELS, REPORT_REASONS
from twinning.moderation.models import ReportReason


def _expected(locale: str) -> list[tuple[str, str]]:
    with force_locale(locale):
        return [(reason.value, str(label)) for reason, label in REASON_LABELS.items()]


def _offered(html: str, select_id: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    assert select, select_id
    return re.findall(r'<option value="([^"]+)">([^<]+)</option>', select.group(1))


def test_the_list_covers_every_reason_a_report_can_have():
    assert [reason for reason in REASON_LABELS] == list(ReportReason)
    assert [(choice.value, choice.label) for choice in REPORT_REASONS] == list(
        (reason.value, label) for reason, label in REASON_LABELS.items()
    )


def test_no_feature_keeps_its_own_copy_of_the_reasons():
    import twinning.proposals.forms as proposal_forms

    assert not hasattr(proposal_forms, "REPORT_REASONS")


def test_proposal_and_thread_report_forms_offer_the_same_reasons(client, session, app):
    association = make_association(session, slug="gruende")
    author = make_member(session, association, email="author@example.org")
    make_member(session, association, email="reader@example.org")
    proposal = make_proposal(session, association, author)
    group = make_group(session, association, open_to=OpenTo.EVERYONE, coordinator=author)
    thread = Thread(
        group_id=group.id,
        author_id=author.id,
        title="Ein Thread",
        body="Text",
        moderation_state=ModerationState.APPROVED,
    )
    session.add(thread)
    session.flush()
    reply = ThreadReply(
        thread_id=thread.id,
        author_id=author.id,
        body="Eine Antwort",
        moderation_state=ModerationState.APPROVED,
    )
    session.add(reply)
    session.flush()
    sign_in(client, "reader@example.org")
    with app.test_request_context("/"):
        expected = _expected("de")  # the reader's language
        assert expected != _expected("en")

    proposal_page = client.get(f"/a/gruende/proposals/{proposal.id}").get_data(as_text=True)
    assert _offered(proposal_page, f"report-proposal-{proposal.id}-reason") == expected
    thread_page = client.get(f"/groups/{group.id}/threads/{thread.id}").get_data(as_text=True)
    assert _offered(thread_page, f"report-thread-{thread.id}-reason") == expected
    assert _offered(thread_page, f"report-reply-{reply.id}-reason") == expected
    assert f'action="/report/reply/{reply.id}"' in thread_page
    assert f'action="/report/proposal/{proposal.id}"' in proposal_page
