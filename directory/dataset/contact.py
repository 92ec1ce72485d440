"""Phone numbers and postal codes: validated when the data is read, formatted when shown.

Phone numbers are stored in E.164 and checked with ``phonenumbers`` (Google's libphonenumber
metadata); postal codes are checked against the format of their country where the dataset
has providers.

    >>> check_phone("+441865902522")
    '+441865902522'
    >>> national_format("+441865902522")
    '01865 902522'
    >>> check_postal_code("OX3 7JX", "GB")
    'OX3 7JX'
"""

from __future__ import annotations

import re

import phonenumbers

#: Postal code formats by country (full codes; Canada also takes a three-character FSA).
POSTAL_CODE_FORMATS: dict[str, tuple[str, str]] = {
    "US": (r"\d{5}(-\d{4})?", "a ZIP code such as 78701 or 78701-1234"),
    "CA": (r"[A-Z]\d[A-Z]( \d[A-Z]\d)?", "a postal code such as K1A 0B1 (or its first three)"),
    "GB": (r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}", "a full postcode with a space, such as OX3 7JX"),
    "IE": (r"[AC-FHKNPRTV-Y]\d[\dW] [AC-FHKNPRTV-Y\d]{4}", "an Eircode such as D02 X285"),
    "AU": (r"\d{4}", "four digits, such as 2000"),
    "NZ": (r"\d{4}", "four digits, such as 8011"),
    "DE": (r"\d{5}", "five digits, such as 10117"),
}


def check_phone(value: str) -> str:
    """``value`` if it is a valid phone number written in E.164; else ValueError saying why."""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        raise ValueError(
            f"{value!r} is not a phone number in E.164 form, such as +15125550100"
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"{value!r} is not a valid phone number")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if e164 != value:
        raise ValueError(f"write the phone number in E.164 form: {e164}")
    return value


def to_e164(text: str, country: str | None = None) -> str:
    """A phone number as typed (``(512) 555-0100`` in ``US``) in E.164; ValueError if invalid.

    >>> to_e164("01865 902522", "GB"), to_e164("+1 (512) 555-0100")
    ('+441865902522', '+15125550100')
    """
    try:
        number = phonenumbers.parse(text, (country or "").upper() or None)
    except phonenumbers.NumberParseException:
        raise ValueError(
            "enter the number with its country code, such as +1 512 555 0100"
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("this is not a valid phone number; check the digits")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def region_of(phone: str | None) -> str | None:
    """The country an E.164 number belongs to (``GB`` for +44 ...), if known."""
    if not phone:
        return None
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(phone, None))
    except phonenumbers.NumberParseException:
        return None


def national_format(value: str) -> str:
    """An E.164 number as people of its country write it (``(512) 555-0100``)."""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def check_postal_code(value: str, country: str) -> str:
    """``value`` if it fits ``country``'s postal code format; else ValueError naming the format."""
    known = POSTAL_CODE_FORMATS.get(country)
    if known is not None and not re.fullmatch(known[0], value):
        raise ValueError(f"{value!r} is not {known[1]}")
    return value
