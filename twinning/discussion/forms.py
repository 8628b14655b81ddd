"""The form that edits a post of any discussion: one ``body``, labelled and limited by the discussion."""

from __future__ import annotations

from functools import cache

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from twinning.core.forms import Form
from twinning.discussion.services import Discussion


@cache
def edit_form_class(discussion: Discussion) -> type[Form]:
    """The edit form of a discussion's posts (built once per discussion)."""
    body = TextAreaField(
        discussion.label,
        [
            InputRequired(discussion.empty),
            Length(max=discussion.max_length, message=_l("At most %(max)d characters, please.")),
        ],
    )
    return type(f"{discussion.name.title()}EditForm", (Form,), {"body": body})
