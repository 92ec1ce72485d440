"""Which providers a search may count: the R*Trees to read and SQL conditions on providers.

Every filter of :class:`~directory.search.params.SearchParams` becomes one condition on
``p`` (the providers table) here, and nowhere else; the circle, the map area, the list and
the telehealth section all read them from :func:`candidates_for`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from directory.dataset.layout import CLOSED_TREE, OPEN_TREE, PROVIDER_SHIFT
from directory.search.geometry import BBox, split_bbox
from directory.search.params import SearchParams


@dataclass(frozen=True)
class Candidates:
    """Which providers may count: closed ones too or not, and SQL conditions on ``p``."""

    include_closed: bool = False
    conditions: tuple[str, ...] = ()
    args: Mapping[str, Any] = field(default_factory=dict)

    def single_trees(self) -> tuple[str, ...]:
        """The R*Trees whose locations without the shared flag are searched."""
        return (OPEN_TREE, CLOSED_TREE) if self.include_closed else (OPEN_TREE,)

    def shared_condition(self) -> str:
        """Which rows of the shared R*Tree are searched."""
        return "" if self.include_closed else " AND r.closed = 0"

    def join(self) -> str:
        """The join to providers, when a condition needs them."""
        return f"JOIN providers p ON p.key = r.id >> {PROVIDER_SHIFT}" if self.conditions else ""

    def where(self) -> str:
        """The conditions, each prefixed with AND."""
        return "".join(f" AND {condition}" for condition in self.conditions)

    def listed(self) -> tuple[list[str], dict[str, Any]]:
        """The conditions for a query over ``providers p``: listed, open unless asked, and
        the filters; with their arguments (a fresh copy, for the caller to add to)."""
        where = ["p.do_not_list = 0"]
        if not self.include_closed:
            where.append("p.status != 'closed'")
        return [*where, *self.conditions], dict(self.args)


def fts_query(text: str) -> str:
    """User text as a safe FTS5 query: every word quoted, prefix-matched, all required.

    >>> fts_query('clinic "austin')
    '"clinic"* "austin"*'
    """
    words = [word.replace('"', "") for word in text.split()]
    return " ".join(f'"{word}"*' for word in words if word)


def candidates_for(params: SearchParams) -> Candidates:
    """The R*Trees to search and the provider conditions that ``params`` ask for."""
    where: list[str] = []
    args: dict[str, Any] = {}
    if params.treatment is not None:
        args["treatment"] = params.treatment.value
        where.append(
            "EXISTS (SELECT 1 FROM treatments t WHERE t.provider_id = p.id AND t.code = :treatment)"
        )
    if params.max_price is not None:
        args["max_price"] = params.max_price
        same_treatment = " AND t.code = :treatment" if params.treatment is not None else ""
        # Amounts in different currencies are never compared (the service sets a currency).
        args["currency"] = params.compare_currency
        where.append(
            "EXISTS (SELECT 1 FROM treatments t WHERE t.provider_id = p.id "
            "AND t.unit = 'per_session' AND t.currency = :currency "
            f"AND t.price_min <= :max_price{same_treatment})"
        )
    if params.payment:
        names = [f"payment{index}" for index in range(len(params.payment))]
        args.update(zip(names, (option.value for option in params.payment), strict=True))
        listed = ", ".join(f":{name}" for name in names)
        where.append(
            "EXISTS (SELECT 1 FROM payment_options o "
            f"WHERE o.provider_id = p.id AND o.option IN ({listed}))"
        )
    if params.accepting is not None:
        args["accepting"] = params.accepting
        where.append("p.accepting_new_patients = :accepting")
    if params.region is not None:
        args["region"] = params.region
        where.append(
            "EXISTS (SELECT 1 FROM locations lr WHERE lr.provider_id = p.id "
            "AND (lr.region = :region OR lr.country = :region))"
        )
    if params.q:
        query = fts_query(params.q)
        if query:
            args["fts"] = query
            where.append(
                "p.rowid IN (SELECT rowid FROM providers_fts WHERE providers_fts MATCH :fts)"
            )
    return Candidates(params.include_closed, tuple(where), args)


def box_clause(boxes: Sequence[BBox], args: dict[str, Any], prefix: str = "") -> str:
    """SQL true for R*Tree nodes inside any of ``boxes``; their corners go into ``args``."""
    clauses = []
    for index, box in enumerate(boxes):
        name = f"{prefix}{index}"
        args.update(
            {
                f"w{name}": box.west,
                f"s{name}": box.south,
                f"e{name}": box.east,
                f"n{name}": box.north,
            }
        )
        clauses.append(
            f"(r.min_lon >= :w{name} AND r.max_lon <= :e{name} "
            f"AND r.min_lat >= :s{name} AND r.max_lat <= :n{name})"
        )
    return " OR ".join(clauses) or "0"


def box_join(
    box: BBox | None, candidates: Candidates, args: dict[str, Any], every_site: bool = False
) -> str | None:
    """A join restricting providers to those with a location in the bbox, as ``l``: their
    first there, or with ``every_site`` each of their locations there (a row per site)."""
    if box is None:
        return None
    boxes = box_clause(split_bbox(box), args)
    located = " UNION ALL ".join(
        f"SELECT r.id FROM {tree} r WHERE {boxes}" for tree in candidates.single_trees()
    )
    if every_site:
        return f"JOIN locations l ON l.provider_id = p.id AND l.id IN ({located})"
    return (
        f"JOIN (SELECT l.provider_id, min(l.id) AS location_id FROM ({located}) b "
        "JOIN locations l ON l.id = b.id GROUP BY l.provider_id) m ON m.provider_id = p.id "
        "JOIN locations l ON l.id = m.location_id"
    )
