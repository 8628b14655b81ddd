"""Forms of the groups feature: a group, a thread, a reply, member roles."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import (
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import InputRequired, Length

from twinning.core.forms import Form, OnceField
from twinning.groups.models import GroupRole, OpenTo
from twinning.topics.queries import sdg_choices, theme_choices


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes; values the form does not offer are refused."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class GroupForm(Form):
    once = OnceField()  # the same form sent twice creates one record
    name = StringField(
        _l("Name of the group"),
        [
            InputRequired(_l("Please give the group a name.")),
            Length(max=120, message=_l("At most %(max)d characters, please.")),
        ],
        filters=[_strip],
    )
    description = TextAreaField(
        _l("What the group is about"),
        [Length(max=5000, message=_l("At most %(max)d characters, please."))],
        description=_l("Who should join, what you want to do together. Markdown is possible."),
    )
    themes = CheckboxesField(_l("Themes"))
    sdgs = CheckboxesField(_l("Sustainable Development Goals"))
    open_to = RadioField(
        _l("Who may join"),
        choices=[
            SelectChoice(OpenTo.MEMBERS.value, _l("Members of the association (a working group)")),
            SelectChoice(
                OpenTo.EVERYONE.value, _l("Everyone with an account (a topic group of the network)")
            ),
        ],
        default=OpenTo.MEMBERS.value,
        validators=[InputRequired(_l("Please choose who may join."))],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        locale = str(get_locale())
        self.themes.choices = [SelectChoice(value, label) for value, label in theme_choices(locale)]
        self.sdgs.choices = [SelectChoice(value, label) for value, label in sdg_choices(locale)]


class ThreadForm(Form):
    once = OnceField()  # the same form sent twice creates one record
    title = StringField(
        _l("Title"),
        [
            InputRequired(_l("Please give the thread a title.")),
            Length(max=200, message=_l("At most %(max)d characters, please.")),
        ],
        filters=[_strip],
    )
    body = TextAreaField(
        _l("Your message"),
        [
            InputRequired(_l("Please write something.")),
            Length(max=20000, message=_l("At most %(max)d characters, please.")),
        ],
        description=_l("Markdown is possible: **bold**, *italic*, lists and links."),
    )


class ReplyForm(Form):
    once = OnceField()  # the same form sent twice creates one record
    body = TextAreaField(
        _l("Your reply"),
        [
            InputRequired(_l("Please write something.")),
            Length(max=10000, message=_l("At most %(max)d characters, please.")),
        ],
    )


class GroupRoleForm(Form):
    role = SelectField(
        _l("Role in the group"),
        choices=[
            SelectChoice(GroupRole.MEMBER.value, _l("Member")),
            SelectChoice(GroupRole.COORDINATOR.value, _l("Coordinator")),
        ],
        validators=[InputRequired()],
    )
