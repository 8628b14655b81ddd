"""Forms of the moderation feature: a decision, bulk approval, a report."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from twinning.core.forms import Form, OnceField
from twinning.moderation.models import ReportReason
from twinning.moderation.services import REASON_MAX

DECISION_CHOICES = [
    SelectChoice("approve", _l("Approve")),
    SelectChoice("decline", _l("Decline")),
    SelectChoice("hide", _l("Hide")),
    SelectChoice("restore", _l("Restore")),
    SelectChoice("forward", _l("Forward to the platform admins")),
]

# The one list of report reasons: every report form (proposals, comments, threads, replies)
# offers these, and the moderation queue shows them.
REASON_LABELS = {
    ReportReason.SPAM: _l("Spam or advertising"),
    ReportReason.OFFENSIVE: _l("Offensive or hateful"),
    ReportReason.OFF_TOPIC: _l("Off-topic"),
    ReportReason.PERSONAL_DATA: _l("Personal data of others"),
    ReportReason.OTHER: _l("Something else"),
}
REPORT_REASONS = [SelectChoice(reason.value, label) for reason, label in REASON_LABELS.items()]


class DecisionForm(Form):
    decision = RadioField(
        _l("Decision"),
        choices=DECISION_CHOICES,
        validate_choice=False,
        validators=[InputRequired(_l("Please choose a decision."))],
    )
    reason = TextAreaField(
        _l("Reason"),
        validators=[Optional(), Length(max=REASON_MAX)],
        description=_l("Required to decline or hide. The author reads it."),
    )

    def offer(self, decisions: list[str], published: bool) -> None:
        """Only the decisions possible for the item now; nothing is chosen in advance."""
        labels = {choice.value: choice.label for choice in DECISION_CHOICES}
        if published:  # approving a reported, published item keeps it and dismisses the reports
            labels["approve"] = _l("Keep it published and dismiss the reports")
        self.decision.choices = [SelectChoice(value, labels[value]) for value in decisions]


class BulkApproveForm(Form):
    # Values are "kind:id"; the view checks each against the registry and the association.
    items = SelectMultipleField(
        _l("Items"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Please select at least one item."))],
    )


class ReportForm(Form):
    once = OnceField()  # the same form sent twice creates one record
    reason = RadioField(
        _l("What is wrong?"),
        choices=REPORT_REASONS,
        validators=[InputRequired(_l("Please choose a reason."))],
    )
    text = TextAreaField(
        _l("Details"),
        validators=[Optional(), Length(max=REASON_MAX)],
        description=_l("Required for “Something else”. Moderators read it; the author does not."),
    )
