"""Text normalisation shared by the gazetteer build and every lookup.

Both sides of a lookup go through :func:`normalize`, so "München", "MUNCHEN"
and " munchen! " all become the key ``"munchen"``.
"""

from __future__ import annotations

import re
import unicodedata

#: Longest query we try to understand; anything longer is not a place name.
MAX_QUERY_LENGTH = 200

# Latin letters that NFKD does not decompose into a base letter plus a mark.
_TRANSLITERATE = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "\u0131": "i"}
)
_NOT_WORD = re.compile(r"[\W_]+")
# Tab, newline and carriage return are whitespace; other control characters
# (NUL, escape, ...) never appear in a place a person typed.
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def normalize(text: str) -> str:
    """Return the lookup key for ``text``: casefolded, unaccented, single-spaced.

    >>> normalize("  São-Paulo, BR ")
    'sao paulo br'
    """
    folded = text.casefold()
    if not folded.isascii():  # Most names are plain ASCII; skip the slow path for them.
        folded = unicodedata.normalize("NFKD", folded.translate(_TRANSLITERATE))
        folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def compact_postcode(code: str) -> str:
    """Return ``code`` uppercased without spaces: ``"m5v 2t6"`` -> ``"M5V2T6"``."""
    return "".join(code.split()).upper()


def clean_query(query: object) -> str | None:
    """Return ``query`` stripped and single-spaced, or None if it cannot be a place.

    Rejects non-strings, empty strings, strings over :data:`MAX_QUERY_LENGTH`
    and strings holding control characters such as NUL.

    >>> clean_query("  Austin,   TX ")
    'Austin, TX'
    """
    if not isinstance(query, str) or len(query) > MAX_QUERY_LENGTH:
        return None
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in query):
        return None
    text = " ".join(query.split())
    return text or None
