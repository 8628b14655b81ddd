"""Forms of association spaces: founding, settings, members, invitations, partner cities."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from twinning.associations.countries import country_choices, is_country
from twinning.associations.models import JoinPolicy, ModerationPolicy, PartnershipKind, Role
from twinning.core.forms import Form, OnceField

JOIN_POLICY_LABELS = {
    JoinPolicy.OPEN: _l("Open: anyone signed in can join at once"),
    JoinPolicy.APPROVAL: _l("Approval: people ask to join, admins accept or reject"),
    JoinPolicy.INVITE: _l("Invitation: only with an invitation link from an admin"),
}
MODERATION_POLICY_LABELS = {
    ModerationPolicy.ALL: _l("Proposals and threads of members wait for a moderator"),
    ModerationPolicy.STRICT: _l("Proposals, threads and comments wait for a moderator"),
    ModerationPolicy.NONE: _l("Everything is published at once"),
}
ROLE_LABELS = {
    Role.MEMBER: _l("Member"),
    Role.MODERATOR: _l("Moderator"),
    Role.ADMIN: _l("Admin"),
}
KIND_LABELS = {
    PartnershipKind.TWINNING: _l("Town twinning (Städtepartnerschaft)"),
    PartnershipKind.FRIENDSHIP: _l("Town friendship (Städtefreundschaft)"),
    PartnershipKind.PROJECT: _l("Project partnership"),
    PartnershipKind.SOLIDARITY: _l("Solidarity partnership"),
    PartnershipKind.CLIMATE: _l("Climate partnership"),
    PartnershipKind.CONTACT: _l("Contact"),
}

_name = [
    InputRequired(_l("Please enter the association's name.")),
    Length(min=2, max=120, message=_l("The name must have between %(min)d and %(max)d characters.")),
]
_city = [
    InputRequired(_l("Please enter the city.")),
    Length(max=80, message=_l("At most %(max)d characters, please.")),
]
_description = [Length(max=20_000, message=_l("At most %(max)d characters, please."))]
_website = [
    Optional(),
    Length(max=300, message=_l("At most %(max)d characters, please.")),
    URL(require_tld=True, message=_l("Please enter a full web address, like https://example.org.")),
]


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(str(value), label) for value, label in pairs]


def _known(field) -> set[str]:
    return {choice.value for choice in field.choices}


def _check_country(_form, field) -> None:
    if not is_country(field.data):
        raise ValidationError(_l("Please choose a country from the list."))


class _CountryField(SelectField):
    """A country select; the choices are set per request in the reader's language."""

    def pre_validate(self, form) -> None:  # the check is _check_country, with a clear message
        pass


class ChoiceField(SelectField):
    """A select whose refusal of an unknown value is worded in our catalogue."""

    def pre_validate(self, form) -> None:
        if (self.data or "") not in _known(self):
            raise ValidationError(_l("Please choose one of the offered values."))


class ChoiceRadioField(RadioField):
    def pre_validate(self, form) -> None:
        if (self.data or "") not in _known(self):
            raise ValidationError(_l("Please choose one of the offered values."))


class NumberField(IntegerField):
    """A whole number; text that is none is refused in our own words."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(_l("Please enter a whole number.")) from error


class MultiCheckboxField(SelectMultipleField):
    """Several values under one name (``themes``, ``sdgs``); unknown values are refused."""

    def pre_validate(self, form) -> None:
        known = _known(self)
        if any(value not in known for value in self.data or []):
            raise ValidationError(_l("Please choose only from the offered values."))


class AssociationForm(Form):
    once = OnceField()  # the same form sent twice creates one record
    name = StringField(_l("Name of the association"), _name)
    city = StringField(_l("City"), _city)
    country = _CountryField(_l("Country"), [InputRequired(_l("Please choose a country.")), _check_country])
    description = TextAreaField(
        _l("Description"),
        _description,
        description=_l("What the association does and who it is for. You can use Markdown."),
    )
    website = URLField(_l("Website (optional)"), _website)
    logo = FileField(_l("Logo (optional)"), description=_l("PNG, JPEG or WebP, at most 2 MB."))
    join_policy = ChoiceRadioField(
        _l("Who can join?"),
        choices=options(JOIN_POLICY_LABELS.items()),
        default=JoinPolicy.OPEN.value,
        validators=[InputRequired(_l("Please choose who can join."))],
    )
    themes = MultiCheckboxField(_l("Themes"), choices=[])
    sdgs = MultiCheckboxField(_l("Sustainable Development Goals"), choices=[])

    def set_choices(self, locale: str, themes: list[tuple[str, str]], sdgs: list[tuple[str, str]]) -> None:
        self.country.choices = options([("", _l("Please choose")), *country_choices(locale)])
        self.themes.choices = options(themes)
        self.sdgs.choices = options(sdgs)


class SettingsForm(AssociationForm):
    remove_logo = BooleanField(_l("Remove the current logo"))
    moderation_policy = ChoiceRadioField(
        _l("Moderation"),
        choices=options(MODERATION_POLICY_LABELS.items()),
        default=ModerationPolicy.ALL.value,
        validators=[InputRequired(_l("Please choose a moderation policy."))],
    )
    support_threshold = NumberField(
        _l("Support threshold (optional)"),
        [Optional(), NumberRange(min=1, max=100_000, message=_l("Please enter a number from 1 to 100,000."))],
        description=_l("When a proposal has this many supporters, it goes to the board."),
    )
    change_address = BooleanField(
        _l("With a new name, change the address to match it"),
        description=_l("Old links and bookmarks keep working: they lead to the new address."),
    )
    support_after_threshold = BooleanField(
        _l("Keep collecting supports while the board reviews a proposal"),
        description=_l("Otherwise supporting ends when a proposal goes to the board."),
    )


class RoleForm(Form):
    role = ChoiceField(
        _l("Role"),
        choices=options(ROLE_LABELS.items()),
        validators=[InputRequired(_l("Please choose a role."))],
    )


class InvitationForm(Form):
    email = EmailField(
        _l("Send the link to this e-mail address (optional)"),
        [
            Optional(),
            Length(max=254, message=_l("At most %(max)d characters, please.")),
            Email(
                _l("Please enter a valid e-mail address, like name@example.org."), check_deliverability=False
            ),
        ],
    )


class PartnershipForm(Form):
    city = StringField(_l("Partner city"), _city)
    country = _CountryField(_l("Country"), [InputRequired(_l("Please choose a country.")), _check_country])
    since_year = NumberField(
        _l("Partners since (year, optional)"),
        [Optional(), NumberRange(min=800, max=2200, message=_l("Please enter a year between 800 and 2200."))],
    )
    # No "required" flag: a select that always has a value needs none (and the HTML checker
    # refuses a required select without an empty first option); unknown values are refused.
    kind = ChoiceField(
        _l("Kind of partnership"),
        choices=options(KIND_LABELS.items()),
        default=PartnershipKind.TWINNING.value,
    )
    partner = ChoiceField(
        _l("The partner's association on Twinning (optional)"),
        choices=[],
        description=_l("Its admins are asked to confirm the link; then both spaces show each other."),
    )

    def set_choices(self, locale: str, partners: list[tuple[str, str]]) -> None:
        self.country.choices = options([("", _l("Please choose")), *country_choices(locale)])
        self.partner.choices = options([("", _l("None")), *partners])


class LinkForm(Form):
    partner = ChoiceField(
        _l("The partner's association on Twinning"),
        choices=[],
        validators=[InputRequired(_l("Please choose an association."))],
    )
