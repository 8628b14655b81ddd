"""Forms of platform administration."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from twinning.associations.forms import ChoiceField, ChoiceRadioField, options
from twinning.core.forms import Form


class DecisionForm(Form):
    decision = ChoiceRadioField(
        _l("Decision"),
        choices=options([("approve", _l("Approve")), ("decline", _l("Decline"))]),
        validators=[InputRequired(_l("Please choose approve or decline."))],
    )
    reason = TextAreaField(
        _l("Reason (required when declining)"),
        [Length(max=2000, message=_l("At most %(max)d characters, please."))],
        description=_l("The founder receives it by e-mail."),
    )


_theme_name = [
    InputRequired(_l("Please enter a name.")),
    Length(max=80, message=_l("At most %(max)d characters, please.")),
]


class ThemeForm(Form):
    name_de = StringField(_l("Name in German"), _theme_name)
    name_en = StringField(_l("Name in English"), _theme_name)


class MoveForm(Form):
    direction = ChoiceField(
        _l("Direction"),
        choices=options([("up", _l("Up")), ("down", _l("Down"))]),
        validators=[InputRequired(_l("Please choose a direction."))],
    )
