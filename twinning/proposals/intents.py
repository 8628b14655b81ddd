"""Supporting a proposal, started while signed out: offered right after (only members support)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from twinning.auth import intents
from twinning.core.extensions import db
from twinning.permissions import can, is_confirmed
from twinning.proposals.models import Proposal


def _detail_url(proposal: Proposal) -> str:
    return url_for("proposals.detail", slug=proposal.association.slug, proposal_id=proposal.id) + "#support"


def _resume(db_session, user, proposal_id: int):
    proposal = db_session.get(Proposal, proposal_id)
    if proposal is None or not can(user, "proposal.view", proposal):
        return None
    if can(user, "proposal.support", proposal):
        return intents.Resumed(_detail_url(proposal), _("You can support this proposal now."))
    if not is_confirmed(user):
        return intents.Resumed(
            _detail_url(proposal),
            _("Please confirm your e-mail address; the link in our mail brings you back here."),
            keep=True,
        )
    return intents.Resumed(
        url_for("associations.space", slug=proposal.association.slug),
        _("Only members support proposals: join %(name)s to support it.", name=proposal.association.name),
    )


def _offer_url(proposal_id: int) -> str | None:
    proposal = db.session.get(Proposal, proposal_id)
    return _detail_url(proposal) if proposal is not None else None


def register_intents() -> None:
    intents.register("proposal.support", _resume, _offer_url)
