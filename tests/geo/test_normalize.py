"""Normalisation keys and query cleaning."""

from __future__ import annotations

import pytest

from directory.geo.normalize import MAX_QUERY_LENGTH, clean_query, normalize


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("München", "munchen"),
        ("MUNCHEN", "munchen"),
        ("  São-Paulo, BR ", "sao paulo br"),
        ("Łódź", "lodz"),
        ("Straße", "strasse"),
        ("St. John's", "st john s"),
        ("Winston\u2013Salem", "winston salem"),  # en dash
        ("<b>Austin</b>", "b austin b"),
        ("!!!", ""),
    ],
)
def test_normalize(text: str, key: str) -> None:
    assert normalize(text) == key


@pytest.mark.parametrize(
    ("query", "cleaned"),
    [
        ("  Austin,   TX ", "Austin, TX"),
        ("Austin\tTX\n", "Austin TX"),
        ("", None),
        ("   ", None),
        ("Austin\x00", None),
        ("\x1b[31mAustin", None),
        ("x" * (MAX_QUERY_LENGTH + 1), None),
        (None, None),
        (b"Austin", None),
    ],
)
def test_clean_query(query: object, cleaned: str | None) -> None:
    assert clean_query(query) == cleaned
