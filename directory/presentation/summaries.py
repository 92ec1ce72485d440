"""The sentence that announces a search's count, the same on the list and on the map."""

from __future__ import annotations

from collections.abc import Mapping

from directory.presentation import labels
from directory.search.service import Finding


def result_summary(finding: Finding, names: Mapping[str, str], *, as_list: bool) -> str:
    """ "12 providers within 50 km of Austin, Texas, US"; ``as_list`` adds how a list without
    a centre is ordered ("listed alphabetically")."""
    params, place = finding.params, finding.place
    count = labels.plural(finding.result.total, "provider")
    alphabetically = ", listed alphabetically" if as_list else ""
    if params.bbox is not None:
        return f"{count} in the map area{alphabetically} (an area search gives no distances)"
    region = names.get(params.region, params.region) if params.region else None
    if region and place is not None and place.precision == "region":
        return f"{count} in {region}{alphabetically}"
    if place is not None:
        radius = labels.format_radius(params.radius, params.unit)
        return f"{count} within {radius} of {place.label}"
    if region:
        return f"{count} in {region}"
    return f"{count}{alphabetically}" if as_list else f"{count} in the directory"
