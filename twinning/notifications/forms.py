"""Forms of the notifications feature."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from twinning.core.forms import Form

EMAIL_CHOICES = [
    SelectChoice("immediately", _l("Immediately, one mail per notification")),
    SelectChoice("digest", _l("Once a day, one mail with everything new")),
    SelectChoice("never", _l("Never; I look on the website")),
]


class EmailPreferenceForm(Form):
    email_notifications = RadioField(
        _l("E-mails about notifications"),
        choices=EMAIL_CHOICES,
        validators=[InputRequired(_l("Please choose how we should write to you."))],
    )
