"""Every template filter, in one table: registered once on the app (see
:func:`directory.views.register_blueprints`)."""

from __future__ import annotations

from collections.abc import Callable

from directory.presentation import labels
from directory.submissions import display

FILTERS: dict[str, Callable[..., object]] = {
    "treatment_label": labels.treatment_label,
    "payment_label": labels.payment_label,
    "quality_label": labels.quality_label,
    "topic_label": labels.topic_label,
    "status_label": labels.status_label,
    "yes_no": labels.yes_no_label,
    "precision_label": labels.precision_label,
    "kind_label": labels.kind_label,
    "nice_date": labels.format_date,
    "price": labels.treatment_price,
    "distance": labels.format_distance,
    "distance_from": labels.describe_distance,
    "radius": labels.format_radius,
    "tel_href": labels.tel_href,
    "phone_links": labels.phone_links,
    "phone_display": labels.phone_display,
    "source_kind": labels.source_kind_label,
    "source_dates": labels.source_dates,
    "field_value": display.value,
    "field_label": display.field_label,
    "day": display.day,
    "age": display.age,
    "how_known": display.how_known,
}
