"""ISO code lists (countries, subdivisions, currencies) used to validate the dataset.

The lists come from ``pycountry`` and are loaded on first use, not at import.
"""

from __future__ import annotations

from functools import cache

import pycountry

#: Codes that are not ISO 3166 but name a jurisdiction the dataset covers.
EXTRA_JURISDICTIONS = frozenset({"EU"})


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes."""
    return frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def subdivision_codes() -> frozenset[str]:
    """ISO 3166-2 subdivision codes, e.g. ``US-TX`` or ``GB-SCT``."""
    return frozenset(sub.code for sub in pycountry.subdivisions)


@cache
def currency_codes() -> frozenset[str]:
    """ISO 4217 alphabetic currency codes."""
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def is_country_code(value: str) -> bool:
    """Whether ``value`` is an ISO 3166-1 alpha-2 code."""
    return value in country_codes()


def is_currency_code(value: str) -> bool:
    """Whether ``value`` is an ISO 4217 code."""
    return value in currency_codes()


def is_jurisdiction_code(value: str) -> bool:
    """Whether ``value`` names a country, an ISO 3166-2 subdivision, or ``EU``.

    >>> is_jurisdiction_code("US-TX"), is_jurisdiction_code("GB-SCT"), is_jurisdiction_code("XX")
    (True, True, False)
    """
    return value in EXTRA_JURISDICTIONS or value in country_codes() or value in subdivision_codes()
