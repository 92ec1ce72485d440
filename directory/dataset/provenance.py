"""Which source states each fact of a provider record: one table, read by the validator, the
build, the coverage figures and the approvals.

Every fact a record holds (its phone, website, each site, each treatment and price, payment
options, whether it accepts new patients, screening, each quality signal, a status other than
active, telehealth areas, notes) names one of the record's ``sources`` by its key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from directory.dataset.models import Provider

#: A record whose newest dated source is older than this says so, on its page and to maintainers.
OLD_EVIDENCE_DAYS = 2 * 365


@dataclass(frozen=True)
class Fact:
    """One fact of a record and the key of the source it cites."""

    #: Which fact it is: ``phone``, ``locations[0]``, ``treatments.iv_infusion.price``
    #: (a treatment by its code, which stays the same however the list is ordered).
    path: str
    #: What kind of fact it is: ``phone``, ``location``, ``price`` ... (see :data:`TOPICS`).
    topic: str
    #: The field that names its source: ``phone_source``, ``locations[0].source``.
    key_field: str
    source_key: str | None


#: Fact topics, in the order a provider page shows them.
TOPICS = (
    "status",
    "website",
    "phone",
    "location",
    "telehealth_areas",
    "treatment",
    "price",
    "payment_options",
    "accepting_new_patients",
    "screening",
    "quality_signal",
    "regulatory_note",
)

#: Record fields that cite their source through ``<field>_source`` (a fact, and so cited,
#: when its value is known); ``status`` is one only when it is not "active" or is sourced.
SOURCED_FIELDS = (
    "website",
    "phone",
    "telehealth_areas",
    "payment_options",
    "accepting_new_patients",
)


def facts(provider: Provider) -> Iterator[Fact]:
    """Every fact ``provider`` states, with the key of the source it cites."""
    if provider.status != "active" or provider.status_source:
        yield Fact("status", "status", "status_source", provider.status_source)
    for field in SOURCED_FIELDS:
        value = getattr(provider, field)
        if value and value != "unknown":
            yield Fact(field, field, f"{field}_source", getattr(provider, f"{field}_source"))
    for index, location in enumerate(provider.locations):
        path = f"locations[{index}]"
        yield Fact(path, "location", f"{path}.source", location.source)
    for index, treatment in enumerate(provider.treatments):
        path, field = f"treatments.{treatment.code.value}", f"treatments[{index}]"
        yield Fact(path, "treatment", f"{field}.source", treatment.source)
        if treatment.price is not None:
            yield Fact(f"{path}.price", "price", f"{field}.price.source", treatment.price.source)
    if provider.screening.states_anything():
        yield Fact("screening", "screening", "screening.source", provider.screening.source)
    for index, claim in enumerate(provider.quality_signals):
        path = f"quality_signals[{index}]"
        yield Fact(path, "quality_signal", f"{path}.source", claim.source)
    for index, note in enumerate(provider.regulatory_notes):
        for position, key in enumerate(note.sources):
            path = f"regulatory_notes[{index}]"
            yield Fact(path, "regulatory_note", f"{path}.sources[{position}]", key)


def problems(provider: Provider) -> Iterator[tuple[str, str]]:
    """``(field, message)`` for each fact that cites no source, or a key naming none."""
    keys = {source.key for source in provider.sources}
    for fact in facts(provider):
        if fact.source_key is None:
            where = fact.key_field.removesuffix("_source").removesuffix(".source")
            yield fact.key_field, f"name the source of {where} (a key of the record's sources)"
        elif fact.source_key not in keys:
            yield fact.key_field, f"source key {fact.source_key!r} names no source of this record"


def key_field_for(path: str) -> str | None:
    """The field naming the source of the fact that a change to ``path`` touches.

    >>> key_field_for("treatments[0].price.min"), key_field_for("locations[1].street")
    ('treatments[0].price.source', 'locations[1].source')
    >>> key_field_for("phone"), key_field_for("screening.referral_required")
    ('phone_source', 'screening.source')
    """
    head, _, rest = path.partition(".")
    if head.startswith(("locations[", "quality_signals[")):
        return f"{head}.source"
    if head.startswith("treatments["):
        return f"{head}.price.source" if rest.startswith("price") else f"{head}.source"
    if head == "screening":
        return "screening.source"
    if head in {"status", *SOURCED_FIELDS}:
        return f"{head}_source"
    return None
