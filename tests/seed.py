"""A small illustrative dataset spread over real places, for page, API and map tests.

Every record is flagged illustrative; names are invented and contain no real provider.
"""

from __future__ import annotations

from typing import Any

from tests.builders import SOURCE, make_jurisdiction, make_location, make_provider


def _price(
    low: float, high: float, currency: str = "USD", unit: str = "per_session"
) -> dict[str, Any]:
    return {
        "min": low,
        "max": high,
        "currency": currency,
        "unit": unit,
        "source": SOURCE["key"],
    }


SEED_PROVIDERS: list[dict[str, Any]] = [
    make_provider(
        id="austin-harbor-infusions",
        name="Austin Harbor Infusions",
        locations=[
            make_location(
                "Austin",
                "US-TX",
                "US",
                30.2672,
                -97.7431,
                street="1 Congress Ave",
                postal_code="78701",
            )
        ],
        treatments=[
            {"code": "iv_infusion", "price": _price(450, 550)},
            {"code": "esketamine_nasal"},
        ],
        payment_options=["cash", "financing"],
        accepting_new_patients="yes",
        quality_signals=[{"code": "physician_oversight", "detail": "Anesthesiologist on site"}],
    ),
    make_provider(
        id="round-rock-ketamine",
        name="Round Rock Ketamine",
        locations=[make_location("Round Rock", "US-TX", "US", 30.5083, -97.6789)],
        treatments=[{"code": "im_injection", "price": _price(300, 350)}],
        payment_options=["cash"],
        accepting_new_patients="no",
    ),
    make_provider(
        id="san-antonio-spravato",
        name="San Antonio Spravato Centre",
        locations=[make_location("San Antonio", "US-TX", "US", 29.4241, -98.4936)],
        treatments=[{"code": "esketamine_nasal", "price": _price(800, 1000)}],
        payment_options=["private_insurance"],
        accepting_new_patients="unknown",
    ),
    make_provider(
        id="closed-austin-clinic",
        name="Closed Austin Clinic",
        status="closed",
        locations=[make_location("Austin", "US-TX", "US", 30.30, -97.75)],
        treatments=[{"code": "iv_infusion"}],
    ),
    make_provider(
        id="lone-star-telehealth",
        name="Lone Star Telehealth",
        locations=[],
        telehealth_areas=["US-TX"],
        treatments=[{"code": "at_home_telehealth", "price": _price(129, 199, unit="per_month")}],
        payment_options=["cash"],
    ),
    make_provider(
        id="portland-mind-clinic",
        name="Portland Mind <Clinic>",
        locations=[make_location("Portland", "US-OR", "US", 45.5152, -122.6784)],
        treatments=[{"code": "ketamine_assisted_psychotherapy", "price": _price(400, 450)}],
        payment_options=["sliding_scale"],
    ),
    make_provider(
        id="toronto-lakeside",
        name="Toronto Lakeside Ketamine",
        locations=[make_location("Toronto", "CA-ON", "CA", 43.6532, -79.3832)],
        treatments=[{"code": "iv_infusion", "price": _price(500, 700, "CAD")}],
        payment_options=["cash", "private_insurance"],
    ),
    make_provider(
        id="london-esketamine",
        name="London Esketamine Service",
        locations=[make_location("London", "GB-ENG", "GB", 51.5074, -0.1278)],
        treatments=[{"code": "esketamine_nasal", "price": _price(551, 714, "GBP")}],
        payment_options=["cash"],
    ),
    make_provider(
        id="fiji-dateline-clinic",
        name="Dateline Clinic East",
        locations=[make_location("Taveuni", "FJ-N", "FJ", -16.85, 179.98)],
        treatments=[{"code": "oral_sublingual"}],
    ),
    make_provider(
        id="samoa-dateline-clinic",
        name="Dateline Clinic West",
        locations=[make_location("Apia", "WS-TU", "WS", -16.85, -179.98)],
        treatments=[{"code": "oral_sublingual"}],
    ),
    make_provider(
        id="tromso-arctic-clinic",
        name="Arctic Clinic",
        locations=[make_location("Tromsø", "NO-54", "NO", 69.6492, 18.9553)],
        treatments=[{"code": "iv_infusion"}],
        payment_options=[],  # unknown: matches no payment filter
    ),
]

SEED_JURISDICTIONS: list[dict[str, Any]] = [
    make_jurisdiction(code)
    for code in (
        "US",
        "US-TX",
        "US-OR",
        "US-CA",
        "US-NY",
        "CA",
        "CA-ON",
        "GB",
        "GB-ENG",
        "FJ",
        "WS",
        "NO",
    )
]
