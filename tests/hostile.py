"""The one corpus of hostile values and the one list of search parameters the tests send.

Every search parameter comes from :data:`directory.search.params.PARAMETERS`, so a new
parameter is attacked by every hostile-input test without a line here.
"""

from __future__ import annotations

from directory.search.params import PARAMETERS

#: Every search parameter, by name.
SEARCH_PARAMETERS = tuple(parameter.name for parameter in PARAMETERS)

MARKUP = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')

CORPUS = (
    *MARKUP,
    "' OR 1=1 --",
    "'; DROP TABLE providers; --",
    'NEAR(a b) OR "',
    "*",
    "-",
    '"',
    "x" * 10_000,
    "<" * 10_000,
    "a\x00b",
    "\x00",
    "nan",
    "inf",
    "-inf",
    "-1",
    "0",
    "1e309",
    "99999999999999999999",
    "1,2,3,4,5",
    "181,91,-181,-91",
    "Zürich",
    "東京",
    "🙂🙂",
    "مرحبا",
    "\u202egnp.exe",
    "e\u0301\u0301\u0301",
    " ",
    "%00",
    "../../etc/passwd",
    "a AND",
    "München",
    "🦄",
    "1,2,3",
    "-180,-90,180,90",
    "181,0,182,1",
    "0,10,1,5",
    "91,0",
    "lat,lon",
)


def assert_safe(body: str, value: str) -> None:
    """No markup from ``value`` reaches the page unescaped, and no NUL character at all."""
    assert "\x00" not in body
    if "<" in value:
        assert value not in body
    assert "<script>alert(1)" not in body
    assert "<img src=x" not in body
