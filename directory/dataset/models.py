"""The curated dataset's schema: providers and jurisdictions as typed, validated models.

These models are the single definition of the data format. The JSON Schemas published in
``data/schema/`` are generated from them (``flask --app directory schema``), and a test
checks that the published files match.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from directory.dataset.codes import is_country_code, is_currency_code, is_jurisdiction_code
from directory.dataset.contact import check_phone, check_postal_code

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=2, max_length=120)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
NoteText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=2000)]
#: A key into the record's own ``sources`` (``pricing``, ``contact``): the source of one fact.
SourceKey = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=40)]


class TreatmentCode(StrEnum):
    """The kinds of ketamine treatment the directory distinguishes."""

    IV_INFUSION = "iv_infusion"
    IM_INJECTION = "im_injection"
    ESKETAMINE_NASAL = "esketamine_nasal"
    ORAL_SUBLINGUAL = "oral_sublingual"
    KETAMINE_ASSISTED_PSYCHOTHERAPY = "ketamine_assisted_psychotherapy"
    AT_HOME_TELEHEALTH = "at_home_telehealth"


class PaymentOption(StrEnum):
    """How a patient can pay."""

    CASH = "cash"
    PRIVATE_INSURANCE = "private_insurance"
    PUBLIC_INSURANCE = "public_insurance"
    FINANCING = "financing"
    SLIDING_SCALE = "sliding_scale"


class QualitySignal(StrEnum):
    """Signals of care quality a provider states about itself."""

    SPRAVATO_REMS_CERTIFIED = "spravato_rems_certified"
    PHYSICIAN_OVERSIGHT = "physician_oversight"
    ANAESTHESIA_STAFF = "anaesthesia_staff"
    PSYCHIATRIST_LED = "psychiatrist_led"
    INTEGRATED_THERAPY = "integrated_therapy"
    PROFESSIONAL_BODY_MEMBER = "professional_body_member"
    ACCREDITED_FACILITY = "accredited_facility"
    OTHER = "other"


class NoteTopic(StrEnum):
    """What a jurisdiction's regulatory note is about."""

    LEGAL_STATUS = "legal_status"
    ESKETAMINE_APPROVAL = "esketamine_approval"
    PUBLIC_FUNDING = "public_funding"
    TELEHEALTH_PRESCRIBING = "telehealth_prescribing"
    OTHER = "other"


#: The topics every country's rules should cover (a topic without a note is unresearched).
CORE_TOPICS = (
    NoteTopic.LEGAL_STATUS.value,
    NoteTopic.ESKETAMINE_APPROVAL.value,
    NoteTopic.PUBLIC_FUNDING.value,
    NoteTopic.TELEHEALTH_PRESCRIBING.value,
)


class SourceKind(StrEnum):
    """What kind of publisher a source is: the provider itself, a register, or a third party."""

    PROVIDER = "provider"
    REGISTER = "register"
    LOCATOR = "locator"
    DIRECTORY = "directory"
    NEWS = "news"
    OTHER = "other"


#: Kinds of source that are the provider itself or an official body, not a third party.
FIRST_HAND_KINDS = frozenset({SourceKind.PROVIDER, SourceKind.REGISTER, SourceKind.LOCATOR})

Status = Literal["active", "temporarily_closed", "closed"]
YesNoUnknown = Literal["yes", "no", "unknown"]
Precision = Literal["address", "postal_code", "city"]
PriceUnit = Literal["per_session", "per_initial_series", "per_month"]
JurisdictionKind = Literal["country", "state", "province", "territory", "nation", "union"]


class Strict(BaseModel):
    """Base model: unknown keys are errors, so a typo never silently drops a fact."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _not_in_future(value: dt.date | None, info: ValidationInfo) -> dt.date | None:
    today = (info.context or {}).get("today") or dt.date.today()
    if value is not None and value > today:
        raise ValueError(f"date {value.isoformat()} is in the future")
    return value


def _check_url(value: str) -> str:
    AnyHttpUrl(value)  # raises on anything that is not an http(s) URL
    return value


class Source(Strict):
    """Where a fact comes from."""

    url: Url
    kind: SourceKind | None = None
    title: ShortText | None = None
    published: dt.date | None = Field(None, description="The date the source itself shows.")
    retrieved: dt.date = Field(description="The date the source was read.")
    note: NoteText | None = None

    _dates = field_validator("published", "retrieved")(_not_in_future)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        return _check_url(value)


class RecordSource(Source):
    """A source of a provider record, with the key its facts cite it by.

    ``confirmed_on`` and ``confirmed_by`` record that a maintainer confirmed the facts citing
    this source with the provider or an official register (never set by reading a page).
    """

    key: SourceKey
    kind: SourceKind = SourceKind.OTHER
    confirmed_on: dt.date | None = None
    confirmed_by: ShortText | None = None

    _confirmed = field_validator("confirmed_on")(_not_in_future)

    @model_validator(mode="after")
    def _confirmed_both(self) -> RecordSource:
        if (self.confirmed_on is None) != (self.confirmed_by is None):
            raise ValueError("a confirmation needs both confirmed_on and confirmed_by")
        return self


class Location(Strict):
    """A physical site of a provider."""

    label: ShortText | None = None
    street: ShortText | None = None
    city: ShortText
    # The country comes before the postal code, whose format depends on it.
    country: Annotated[str, StringConstraints(min_length=2, max_length=2)]
    postal_code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=16)] | None = (
        None
    )
    region: Annotated[str, StringConstraints(max_length=10)] | None = None
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    precision: Precision | None = None
    source: SourceKey | None = Field(None, description="Key of the source stating this site.")

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        if not is_country_code(value):
            raise ValueError(f"unknown ISO 3166-1 country code {value!r}")
        return value

    @field_validator("postal_code")
    @classmethod
    def _postal_code_format(cls, value: str | None, info: ValidationInfo) -> str | None:
        country = info.data.get("country")
        if value is not None and country:
            check_postal_code(value, country)
        return value

    @field_validator("region")
    @classmethod
    def _region_shape(cls, value: str | None) -> str | None:
        if value is not None and not is_jurisdiction_code(value):
            raise ValueError(f"{value!r} is not an ISO 3166-2 code such as US-TX")
        return value

    @model_validator(mode="after")
    def _coordinates_complete(self) -> Location:
        has_lat, has_lon = self.latitude is not None, self.longitude is not None
        if has_lat != has_lon:
            raise ValueError("latitude and longitude must be given together")
        if has_lat and self.precision is None:
            raise ValueError("precision is required when coordinates are given")
        if self.region is not None and not self.region.startswith(self.country + "-"):
            raise ValueError(f"region {self.region} is not in country {self.country}")
        return self


class Price(Strict):
    """A published price range for one treatment."""

    min: float = Field(ge=0)
    max: float = Field(ge=0)
    currency: Annotated[str, StringConstraints(min_length=3, max_length=3)]
    unit: PriceUnit
    includes: ShortText | None = None
    source: SourceKey = Field(description="Key of the source stating the price.")

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        if not is_currency_code(value):
            raise ValueError(f"unknown ISO 4217 currency code {value!r}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Price:
        if self.min > self.max:
            raise ValueError(f"minimum {self.min:g} is above maximum {self.max:g}")
        return self


class Treatment(Strict):
    """One treatment a provider offers, with its price when published."""

    code: TreatmentCode
    source: SourceKey | None = Field(None, description="Key of the source naming the treatment.")
    notes: LongText | None = None
    price: Price | None = None


class QualityClaim(Strict):
    """A quality signal and the provider's own words for it."""

    code: QualitySignal
    detail: ShortText | None = None
    source: SourceKey | None = None


class Screening(Strict):
    """What a provider requires before treatment."""

    referral_required: YesNoUnknown = "unknown"
    requirements: list[ShortText] = []
    notes: LongText | None = None
    source: SourceKey | None = None

    def states_anything(self) -> bool:
        """Whether the block holds any fact (and so needs a source)."""
        return bool(self.requirements or self.notes or self.referral_required != "unknown")


class ProviderNote(Strict):
    """A regulatory note specific to one provider; its sources are keys of the record's."""

    text: LongText
    sources: list[SourceKey] = Field(min_length=1)


class Verification(Strict):
    """Who confirmed the record's facts, and when; empty until someone has."""

    date: dt.date | None = None
    by: ShortText | None = None

    _date = field_validator("date")(_not_in_future)

    @model_validator(mode="after")
    def _both_or_neither(self) -> Verification:
        if (self.date is None) != (self.by is None):
            raise ValueError("last_verified needs both a date and who verified")
        return self


class Provider(Strict):
    """A ketamine-therapy provider as curated in ``data/providers/<id>.yaml``."""

    id: Slug
    name: ShortText
    organisation: ShortText | None = None
    status: Status = "active"
    status_source: SourceKey | None = None
    illustrative: bool = False
    website: Url | None = None
    website_source: SourceKey | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = Field(
        None, description="E.164, such as +15125550100."
    )
    phone_source: SourceKey | None = None
    locations: list[Location] = Field(default=[], max_length=1000)
    telehealth_areas: list[str] = []
    telehealth_areas_source: SourceKey | None = None
    treatments: list[Treatment] = Field(min_length=1)
    payment_options: list[PaymentOption] = []
    payment_options_source: SourceKey | None = None
    accepting_new_patients: YesNoUnknown = "unknown"
    accepting_new_patients_source: SourceKey | None = None
    quality_signals: list[QualityClaim] = []
    screening: Screening = Field(default_factory=Screening)
    regulatory_notes: list[ProviderNote] = []
    sources: list[RecordSource] = Field(min_length=1)
    last_verified: Verification = Field(default_factory=Verification)
    do_not_list: bool = False

    @field_validator("website")
    @classmethod
    def _http_website(cls, value: str | None) -> str | None:
        return None if value is None else _check_url(value)

    @field_validator("phone")
    @classmethod
    def _e164_phone(cls, value: str | None) -> str | None:
        return None if value is None else check_phone(value)

    @field_validator("telehealth_areas")
    @classmethod
    def _areas_are_codes(cls, values: list[str]) -> list[str]:
        for value in values:
            if not is_jurisdiction_code(value):
                raise ValueError(f"{value!r} is not a jurisdiction code such as US or US-TX")
        return values

    @model_validator(mode="after")
    def _consistent(self) -> Provider:
        if not self.locations and not self.telehealth_areas:
            raise ValueError("a provider needs at least one location or telehealth area")
        codes = [t.code for t in self.treatments]
        if len(codes) != len(set(codes)):
            raise ValueError("a treatment code is listed twice")
        keys = [source.key for source in self.sources]
        if len(keys) != len(set(keys)):
            raise ValueError("two sources share a key")
        # Which fact cites which source is checked per field by dataset.provenance.
        return self

    def source(self, key: str | None) -> RecordSource | None:
        """The record's source with ``key``, if any."""
        return next((source for source in self.sources if source.key == key), None)


class CrisisLine(Strict):
    """A crisis service people can reach at any time."""

    name: ShortText
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None
    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None
    url: Url | None = None
    hours: ShortText | None = None
    sources: list[Source] = Field(min_length=1)


class JurisdictionNote(Strict):
    """A plain-language regulatory note with its sources and as-of date."""

    topic: NoteTopic
    text: LongText
    as_of: dt.date | None = Field(
        None,
        description="The date the rule took effect or its source states; empty when the "
        "source shows no date (the day it was read is never put here).",
    )
    valid_until: dt.date | None = Field(
        None, description="The date a rule with an end date lapses (from its source)."
    )
    sources: list[Source] = Field(min_length=1)

    _as_of = field_validator("as_of")(_not_in_future)


class Jurisdiction(Strict):
    """A country, subdivision or union, as curated in ``data/jurisdictions/<code>.yaml``."""

    code: str
    name: ShortText
    parent: str | None = None
    kind: JurisdictionKind
    currency: Annotated[str, StringConstraints(min_length=3, max_length=3)] | None = None
    notes: list[JurisdictionNote] = []
    crisis_lines: list[CrisisLine] = []

    @field_validator("code", "parent")
    @classmethod
    def _is_code(cls, value: str | None) -> str | None:
        if value is not None and not is_jurisdiction_code(value):
            raise ValueError(f"{value!r} is not a jurisdiction code such as US, US-TX or EU")
        return value

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, value: str | None) -> str | None:
        if value is not None and not is_currency_code(value):
            raise ValueError(f"unknown ISO 4217 currency code {value!r}")
        return value


def slug_is_valid(value: str) -> bool:
    """Whether ``value`` is a valid provider id."""
    return re.fullmatch(SLUG_PATTERN, value) is not None
