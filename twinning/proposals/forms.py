"""Forms of the proposals feature: proposal, comment, answer, co-sponsor invitation."""

from __future__ import annotations

import re

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.validators import ValidationError as FieldError
from wtforms.widgets import CheckboxInput, ListWidget

from twinning.core.forms import Form, OnceField
from twinning.proposals.models import Lifecycle
from twinning.topics.queries import sdg_choices, theme_choices

BODY_MAX = 20_000
COMMENT_MAX = 5_000
ANSWER_MAX = 5_000
BUDGET_MAX = 100_000_000
# Thousands separators and a currency sign are what people type; the value is whole euros.
_BUDGET_NOISE = re.compile(r"[\s.,'’€]|EUR", re.IGNORECASE)


class CheckboxesField(SelectMultipleField):
    """A multi-select shown as a list of checkboxes (easier on phones than <select multiple>)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def parse_budget(raw: str | None) -> int | None:
    """'12.500 €' → 12500; empty → None; raises ValueError for anything else."""
    text = _BUDGET_NOISE.sub("", (raw or "").strip())
    if text.endswith("-"):  # "12.500,-"
        text = text[:-1]
    if not text:
        return None
    if not text.isdecimal() or not text.isascii():
        raise ValueError(text)
    return int(text)


class ProposalForm(Form):
    once = OnceField()  # the same form sent twice creates one record
    title = StringField(
        _l("Title"),
        [
            InputRequired(_l("Please give your proposal a title.")),
            Length(max=200, message=_l("At most %(max)d characters, please.")),
        ],
    )
    summary = TextAreaField(
        _l("Summary"),
        [
            InputRequired(_l("Please sum up your proposal in a few sentences.")),
            Length(max=500, message=_l("At most %(max)d characters, please.")),
        ],
        description=_l("Two or three sentences; shown in lists."),
    )
    body = TextAreaField(
        _l("Description"),
        [Length(max=BODY_MAX, message=_l("At most %(max)d characters, please."))],
        description=_l(
            "What, why, who takes part, what it costs. You can use Markdown: "
            "**bold**, *italic*, lists with -, links [text](https://…)."
        ),
    )
    themes = CheckboxesField(_l("Themes"), [Optional()], choices=[], validate_choice=True)
    sdgs = CheckboxesField(
        _l("Sustainable Development Goals"), [Optional()], choices=[], validate_choice=True
    )
    budget = StringField(
        _l("Budget estimate in euros (optional)"),
        [Length(max=30, message=_l("At most %(max)d characters, please."))],
        description=_l("Whole euros, for example 2500."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        locale = str(get_locale())
        self.themes.choices = theme_choices(locale)
        self.sdgs.choices = sdg_choices(locale)
        self.themes.pre_validate = self._pre_validate_choices(
            self.themes, _l("Please choose themes from the list.")
        )
        self.sdgs.pre_validate = self._pre_validate_choices(
            self.sdgs, _l("Please choose goals from 1 to 17.")
        )

    @staticmethod
    def _pre_validate_choices(field, message):
        # WTForms' own message is English only; ours says what to do.
        def check(_form) -> None:
            allowed = {value for value, _label in field.choices}
            if any(value not in allowed for value in field.data or []):
                raise FieldError(message)

        return check

    def validate_budget(self, field) -> None:
        try:
            value = parse_budget(field.data)
        except ValueError:
            raise FieldError(
                _l("Please enter the budget as a whole number of euros, for example 2500.")
            ) from None
        if value is not None and value > BUDGET_MAX:
            raise FieldError(_l("That budget is larger than we can record."))

    @property
    def budget_value(self) -> int | None:
        return parse_budget(self.budget.data)

    @property
    def sdg_numbers(self) -> list[int]:
        return sorted({int(value) for value in self.sdgs.data or []})


class CommentForm(Form):
    once = OnceField()  # the same form sent twice creates one record
    body = TextAreaField(
        _l("Your comment"),
        [
            InputRequired(_l("Please write a comment.")),
            Length(max=COMMENT_MAX, message=_l("At most %(max)d characters, please.")),
        ],
    )
    parent_id = HiddenField()

    @property
    def parent_value(self) -> int | None:
        raw = (self.parent_id.data or "").strip()
        if not raw:
            return None
        if not raw.isdecimal() or not raw.isascii() or len(raw) > 18:
            return -1  # no such comment: the service answers with a clear message
        return int(raw)


LIFECYCLE_LABELS = {
    Lifecycle.OPEN: _l("Open for support"),
    Lifecycle.UNDER_REVIEW: _l("Under review"),
    Lifecycle.ACCEPTED: _l("Accepted"),
    Lifecycle.REJECTED: _l("Rejected"),
    Lifecycle.IMPLEMENTED: _l("Implemented"),
    Lifecycle.WITHDRAWN: _l("Withdrawn"),
}


class AnswerForm(Form):
    lifecycle = SelectField(
        _l("New status"), [InputRequired(_l("Please choose the new status."))], choices=[]
    )
    answer = TextAreaField(
        _l("Official answer"),
        [
            InputRequired(_l("Please write the association's answer.")),
            Length(max=ANSWER_MAX, message=_l("At most %(max)d characters, please.")),
        ],
        description=_l("Published on the proposal; the author and the supporters are notified."),
    )

    def set_targets(self, targets) -> None:
        # An empty first choice: nothing is preselected by accident (and the HTML stays valid).
        self.lifecycle.choices = [("", _l("Please choose"))] + [
            (state.value, LIFECYCLE_LABELS[state]) for state in targets
        ]


class CosponsorInviteForm(Form):
    association = SelectField(
        _l("Partner association"), [InputRequired(_l("Please choose a partner association."))], choices=[]
    )
