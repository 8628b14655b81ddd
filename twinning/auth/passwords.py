"""What a new password must be: long enough, not a common one, not the person's own address or name.

"Common" is zxcvbn's estimate: its frequency lists (the 30,000 most used passwords, names,
words) and its patterns (keyboard rows, dates, repeats, l33t) turn a password into a number
of guesses. Below ``MIN_SCORE`` it would fall quickly to an offline attack on the hashes.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

from twinning.core.errors import ValidationError

MIN_LENGTH = 10
# zxcvbn's 3: "safely unguessable, moderate protection from offline slow-hash attacks"
# (under 10^10 guesses is 2 or less). Sign-in throttling covers online guessing.
MIN_SCORE = 3
# zxcvbn refuses longer input (its matching is quadratic); the first 72 characters decide.
_ESTIMATE_LENGTH = 72
# Shorter pieces of a name or address ("Li", "jo") would refuse too many good passwords.
_MIN_PERSONAL_LENGTH = 4
_SEPARATORS = re.compile(r"[\W_]+")


def _personal_words(email: str, display_name: str) -> list[str]:
    """The address's local part and the name, whole and in pieces, casefolded."""
    local = email.strip().casefold().partition("@")[0]
    name = display_name.strip().casefold()
    words = [local, *_SEPARATORS.split(local), _SEPARATORS.sub("", name), *_SEPARATORS.split(name)]
    return [word for word in dict.fromkeys(words) if len(word) >= _MIN_PERSONAL_LENGTH]


def check_new_password(password: str, *, email: str = "", display_name: str = "") -> None:
    """Raise ``ValidationError`` on the ``password`` field unless the password is good enough."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(_l("The password must have at least 10 characters."), "password")
    personal = _personal_words(email, display_name)
    folded = password.casefold()
    squeezed = _SEPARATORS.sub("", folded)
    if any(word in folded or word in squeezed for word in personal):
        raise ValidationError(
            _l("The password must not contain your e-mail address or your name."), "password"
        )
    estimate = zxcvbn(password[:_ESTIMATE_LENGTH], user_inputs=[*personal, "twinning"])
    if estimate["score"] < MIN_SCORE:
        raise ValidationError(
            _l(
                "This password is too easy to guess: it is one of the most common passwords or close to one. A few unrelated words make a good password."
            ),
            "password",
        )
