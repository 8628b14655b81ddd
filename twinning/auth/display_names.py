"""What a display name must be: visible, and not posing as the platform or one of its roles.

People see a name beside every post and comment; "Admin", "Plattform-Moderatorin" or a
name made of zero-width spaces would let anyone speak as the platform or as nobody. The
check normalises the way look-alikes are typed (NFKC folds full-width and mathematical
letters, casefold folds case, a short table folds Cyrillic and Greek look-alikes and digits
used as letters) and then looks for the reserved words, also glued together ("SysAdmin",
"TwinningSupport") or spelled out with gaps ("A d m i n").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from flask_babel import lazy_gettext as _l

from twinning.core.errors import ValidationError

# Names a person may not take: the platform's own and its roles, in English and German.
RESERVED_WORDS = frozenset(
    {
        "admin",
        "admins",
        "administrator",
        "administratorin",
        "administratoren",
        "administration",
        "sysadmin",
        "webmaster",
        "moderator",
        "moderatorin",
        "moderatoren",
        "moderation",
        "twinning",
        "plattform",
        "platform",
        "support",
        "system",
    }
)
# Words that only make a reserved word look more official ("Plattform-Team", "Chef-Admin").
_QUALIFIERS = frozenset(
    {
        "team",
        "the",
        "der",
        "die",
        "das",
        "des",
        "official",
        "offiziell",
        "offizielle",
        "offizieller",
        "haupt",
        "chef",
        "head",
        "super",
        "sys",
        "web",
        "site",
        "seite",
    }
)
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
# Letters from other scripts that look like Latin ones, and digits typed for letters.
_LOOKALIKES = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "у": "y",
        "х": "x",
        "і": "i",
        "ѕ": "s",
        "ј": "j",
        "ԁ": "d",
        "м": "m",
        "т": "t",
        "н": "h",
        "ո": "n",
        "α": "a",
        "ε": "e",
        "ο": "o",
        "ρ": "p",
        "ι": "i",
        "ν": "v",
        "τ": "t",
        "μ": "m",
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "@": "a",
        "$": "s",
        "!": "i",
        "|": "i",
    }
)
_NOT_LETTER = re.compile(r"[^a-z]+")


def is_invisible(name: str) -> bool:
    """True when nothing of ``name`` would show: only spaces, controls and format characters."""
    return all(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in name)


def _visible(name: str) -> str:
    return "".join(char for char in name if unicodedata.category(char) not in _INVISIBLE_CATEGORIES)


@cache
def _made_of_reserved(word: str) -> bool:
    """``word`` splits into reserved words and qualifiers, at least one of them reserved."""
    if word in RESERVED_WORDS:
        return True
    for end in range(1, len(word)):
        head, rest = word[:end], word[end:]
        if head in RESERVED_WORDS and (rest in _QUALIFIERS or _made_of_reserved(rest)):
            return True
        if head in _QUALIFIERS and _made_of_reserved(rest):
            return True
    return False


def _folded_words(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", name).casefold()
    # Accents dropped, so "Ádmin" is "admin"; then the look-alike letters.
    stripped = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return [word for word in _NOT_LETTER.split(stripped.translate(_LOOKALIKES)) if word]


def imitates_a_role(name: str) -> bool:
    """True when ``name`` reads as the platform or one of its roles."""
    words = _folded_words(_visible(name))
    if not words:
        return False
    return any(_made_of_reserved(word) for word in words) or _made_of_reserved("".join(words))


def check_display_name(name: str) -> None:
    """Raise ``ValidationError`` on the ``display_name`` field for an invisible or role-like name."""
    if is_invisible(name):
        raise ValidationError(_l("Please enter the name others will see."), "display_name")
    if imitates_a_role(name):
        raise ValidationError(
            _l(
                "This name could be mistaken for the platform or one of its roles. Please choose your own name."
            ),
            "display_name",
        )
