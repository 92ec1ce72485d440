"""Statements in a record's notes that contradict one of its fields ("can no longer accept
new patients" beside "accepting new patients: unknown"), for the freshness report.

Each kind of statement is one row of :data:`RULES`: the field, what the note says in words,
the pattern that finds it and the field values it contradicts. A sentence that says the
negative form is never also read as the positive one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from directory.dataset.models import Provider

_SENTENCE = re.compile(r"(?<=[.!?;])\s+")
_NEW = r"new (?:patients|referrals|clients)"


@dataclass(frozen=True)
class Rule:
    """A statement a note can make about a field, and the field values it contradicts."""

    field: str
    says: str
    pattern: re.Pattern[str]
    contradicts: frozenset[str]
    #: A rule whose match in the same sentence means this one does not apply.
    unless: str | None = None


RULES: tuple[Rule, ...] = (
    Rule(
        "accepting_new_patients",
        "not accepting new patients",
        re.compile(
            rf"\b(?:no longer|not|cannot|can ?not|unable to|stopped|ceased)\b"
            rf"[^.]{{0,30}}?\b(?:accept|tak)\w*[^.]{{0,25}}?\b{_NEW}|"
            rf"\bclosed to {_NEW}|\bwait(?:ing)? ?list is (?:closed|full)",
            re.IGNORECASE,
        ),
        frozenset({"yes", "unknown"}),
    ),
    Rule(
        "accepting_new_patients",
        "accepting new patients",
        re.compile(rf"\b(?:accept|tak)(?:s|ing)\s+{_NEW}", re.IGNORECASE),
        frozenset({"no"}),
        unless="not accepting new patients",
    ),
    Rule(
        "status",
        "closed",
        re.compile(
            r"\b(?:permanently closed|has (?:now )?closed|closed (?:its|their) doors|"
            r"ceased (?:operations|trading)|no longer operat\w*)",
            re.IGNORECASE,
        ),
        frozenset({"active"}),
    ),
    Rule(
        "screening.referral_required",
        "no referral is needed",
        re.compile(
            r"\b(?:no|without an?|do(?:es)? not (?:need|require) an?)\s+"
            r"(?:[\w'\u2019]+\s+)?referral\b",
            re.IGNORECASE,
        ),
        frozenset({"yes"}),
    ),
    Rule(
        "screening.referral_required",
        "a referral is needed",
        re.compile(
            r"\breferral (?:is )?(?:required|needed|necessary)\b|"
            r"\b(?:need|require)s? an? [^.]{0,25}?referral\b",
            re.IGNORECASE,
        ),
        frozenset({"no"}),
        unless="no referral is needed",
    ),
)


@dataclass(frozen=True)
class Contradiction:
    """A note's statement and the field it contradicts."""

    where: str
    rule: Rule
    sentence: str
    value: str

    @property
    def detail(self) -> str:
        """The finding in words, quoting the sentence (cut to a readable length)."""
        quoted = self.sentence if len(self.sentence) <= 140 else self.sentence[:137] + "…"
        return f"{self.where} says “{quoted}”, but {self.rule.field} is {self.value}"


def field_value(provider: Provider, field: str) -> str:
    """The value of one of the fields :data:`RULES` names."""
    if field == "screening.referral_required":
        return provider.screening.referral_required
    return str(getattr(provider, field))


def notes_of(provider: Provider) -> Iterator[tuple[str, str]]:
    """Every free-text note of ``provider``, as (where, text)."""
    for index, treatment in enumerate(provider.treatments):
        if treatment.notes:
            yield f"treatments[{index}].notes", treatment.notes
    if provider.screening.notes:
        yield "screening.notes", provider.screening.notes
    for index, requirement in enumerate(provider.screening.requirements):
        yield f"screening.requirements[{index}]", requirement
    for index, note in enumerate(provider.regulatory_notes):
        yield f"regulatory_notes[{index}]", note.text
    for index, signal in enumerate(provider.quality_signals):
        if signal.detail:
            yield f"quality_signals[{index}].detail", signal.detail
    for index, source in enumerate(provider.sources):
        if source.note:
            yield f"sources[{index}].note", source.note


def contradictions(provider: Provider) -> list[Contradiction]:
    """The statements in ``provider``'s notes that contradict its fields, one per field and
    statement."""
    found: dict[tuple[str, str], Contradiction] = {}
    for where, text in notes_of(provider):
        for sentence in _SENTENCE.split(text):
            said = {rule.says for rule in RULES if rule.pattern.search(sentence)}
            for rule in RULES:
                if rule.says not in said or (rule.unless and rule.unless in said):
                    continue
                value = field_value(provider, rule.field)
                if value in rule.contradicts and (rule.field, rule.says) not in found:
                    found[(rule.field, rule.says)] = Contradiction(
                        where, rule, sentence.strip(), value
                    )
    return list(found.values())
