"""Public pages: home, provider list and detail, regions, about, sitemap and robots.txt.

Each view parses the request, calls the search service or one query function, and renders.
Bad search input re-renders the form with a 400 and the message next to its field.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from directory.content import about as about_content
from directory.dataset.codes import is_jurisdiction_code
from directory.dataset.models import slug_is_valid
from directory.db import get_db
from directory.presentation import labels, provider_page
from directory.presentation.summaries import result_summary
from directory.queries.meta import dataset_info
from directory.queries.providers import ProviderDetail, get_provider, listed_provider_ids
from directory.queries.regions import (
    get_region,
    list_regions,
    nearest_jurisdiction,
    region_names,
)
from directory.queries.site import filled_fields, listing_summary, price_currencies
from directory.search.params import (
    ACCEPTING_VALUES,
    MAX_TEXT,
    ParamError,
    SearchParams,
    names_placed,
    single_values,
)
from directory.search.service import (
    Finding,
    find_providers,
    telehealth_serving,
    wider_searches,
)
from directory.views import site_context
from directory.views.clean_urls import without_empty_parameters
from directory.web.urls import url_with

blueprint = Blueprint("public", __name__)
blueprint.app_context_processor(site_context.inject)

#: Search fields the form shows; an error on any other parameter is shown above the form.
FORM_FIELDS = names_placed("form", "filter")
#: The fields folded under "Filters" on the results page; shown open when one is in use.
FILTER_FIELDS = names_placed("filter")
#: Parameters the form carries along unseen, so editing a region's list keeps the region.
HIDDEN_FIELDS = names_placed("hidden")
# Long enough for any valid value; a 10,000-character attack is not echoed back in full.
ECHO_LIMIT = MAX_TEXT * 2


def form_values(args: Mapping[str, str]) -> dict[str, str]:
    """The submitted search fields, cleaned for echoing back into the form."""
    given = single_values(args)
    values = {}
    for name in (*FORM_FIELDS, *HIDDEN_FIELDS):
        value = given.get(name, "")
        values[name] = value.replace("\x00", "")[:ECHO_LIMIT]
    return values


def form_context(
    values: Mapping[str, str], error: ParamError | None = None, *, open_filters: bool = False
) -> dict[str, Any]:
    """What the search form template needs: values, choices and the error, if any."""
    currencies = list(price_currencies(get_db()))
    error_field = error.parameter if error is not None and error.parameter in FORM_FIELDS else None
    return {
        "values": values,
        "error": error,
        "error_field": error_field,
        "filters_open": open_filters
        or error_field in FILTER_FIELDS
        or any(values.get(name) for name in FILTER_FIELDS),
        "treatments": labels.TREATMENT_NAMES,
        "payments": labels.PAYMENT_LABELS,
        "accepting_values": ACCEPTING_VALUES,
        "currencies": currencies,
    }


def map_url(params: SearchParams) -> str:
    """The map page showing the same search."""
    return url_with("map.show", params.query_args(page=1))


def pager(finding: Finding, link: Callable[[int], str]) -> dict[str, str | None]:
    """Links to the previous and next pages of ``finding`` (None at either end)."""
    page, pages = finding.params.page, finding.result.pages
    return {
        "prev_url": link(page - 1) if page > 1 else None,
        "next_url": link(page + 1) if page < pages else None,
    }


def page_url(params: SearchParams, page: int) -> str:
    """The list page for ``page`` of the same search."""
    return url_with("public.providers", params.query_args(page=page))


@blueprint.get("/")
def home() -> str:
    """The search form and what the directory is."""
    db = get_db()
    return render_template(
        "public/home.html",
        summary=listing_summary(db),
        dataset=dataset_info(db),
        **form_context(form_values({}), open_filters=True),
    )


@blueprint.get("/providers")
def providers() -> tuple[str, int] | str | BaseResponse:
    """Search results: near a place, in a region or map area, or everyone alphabetically."""
    cleaner = without_empty_parameters()
    if cleaner is not None:
        return cleaner
    values = form_values(request.args)
    try:
        finding = find_providers(request.args, unit_from_place=True)
    except ParamError as error:
        page = render_template("public/providers.html", finding=None, **form_context(values, error))
        return page, 400
    if finding.params.unit_given:
        values["unit"] = finding.params.unit  # the unit the results are in, also when local
    db = get_db()
    names = region_names(db)
    place = finding.place
    # The searched place's region (else country) names the telehealth section and the crisis box.
    area = (place.region or place.country) if place else finding.params.region
    return render_template(
        "public/providers.html",
        finding=finding,
        summary_text=result_summary(finding, names, as_list=True),
        region_names=names,
        telehealth_area=names.get(area) if area else None,
        map_url=map_url(finding.params),
        crisis_country=area,
        origin=_origin_args(finding),
        wider=wider_searches(finding),
        filter_notes=filter_notes(finding.params, db),
        **pager(finding, lambda page: page_url(finding.params, page)),
        **form_context(values),
    )


def _origin_args(finding: Finding) -> dict[str, str]:
    """What a result's link carries so its page can say how far it is: the searched point,
    rounded to about a kilometre, and the unit."""
    place = finding.place
    if place is None:
        return {}
    point = provider_page.origin_text(place.latitude, place.longitude)
    return {"from": point, "unit": finding.params.unit}


def filter_notes(params: SearchParams, db: sqlite3.Connection) -> list[str]:
    """For each filter set on a fact few records state, how many state it at all: so an
    empty or short list is not mistaken for "nobody does"."""
    wanted = [
        (params.accepting is not None, "accepting", "whether they accept new patients"),
        (bool(params.payment), "payment", "how patients can pay"),
        (params.max_price is not None, "price", "a price"),
    ]
    if not any(on for on, _, _ in wanted):
        return []
    filled = filled_fields(db)
    notes = []
    if params.max_price is not None and params.compare_currency is not None:
        others = {c: n for c, n in price_currencies(db).items() if c != params.compare_currency}
        if others:
            listed = ", ".join(f"{labels.plural(n, 'record')} in {c}" for c, n in others.items())
            notes.append(
                f"Only prices in {params.compare_currency} are compared with your maximum; "
                f"prices in other currencies are left out ({listed})."
            )
    for on, name, what in wanted:
        if not on:
            continue
        count = getattr(filled, name)
        if count == 0:
            notes.append(f"No record states {what} yet, so this filter finds nobody.")
        elif count < filled.providers:
            notes.append(
                f"Only {count} of {filled.providers} records state {what}; "
                "the others are left out by this filter, not known not to match."
            )
    return notes


@blueprint.get("/providers/<provider_id>")
def provider(provider_id: str) -> str:
    """One provider: treatments and prices, contact, rules of its jurisdiction, sources."""
    if not slug_is_valid(provider_id):
        abort(404)
    db = get_db()
    detail = get_provider(db, provider_id)
    if detail is None:
        abort(404)
    region_code = nearest_jurisdiction(db, detail.region or detail.country)
    region = get_region(db, region_code) if region_code else None
    today = dt.date.today()
    stale_after = int(current_app.config["STALE_AFTER_DAYS"])
    canonical = url_for("public.provider", provider_id=detail.id, _external=True)
    origin = provider_page.origin_from(request.args.get("from"))
    return render_template(
        "public/provider.html",
        provider=detail,
        nearest=provider_page.nearest_site(detail.locations, origin) if origin else None,
        unit="mi" if request.args.get("unit") == "mi" else "km",
        unknown=provider_page.unknown_facts(detail),
        region=region,
        region_names=region_names(db),
        stale=labels.is_stale(detail.last_verified_date, today, stale_after),
        old_evidence=labels.old_evidence([s.published for s in detail.sources], today),
        stale_after_days=stale_after,
        canonical_url=canonical,
        json_ld=None if detail.illustrative else json_ld(detail, canonical),
        crisis_country=region_code,
    )


def json_ld(detail: ProviderDetail, url: str) -> Markup:
    """schema.org ``MedicalClinic`` data for ``detail``, safe inside a ``<script>`` element.

    Not produced for illustrative records: they must not be described as real clinics.
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalClinic",
        "@id": url,
        "name": detail.name,
        "medicalSpecialty": "Psychiatric",
    }
    if detail.website:
        data["url"] = detail.website
    if detail.phone:
        data["telephone"] = detail.phone
    if detail.locations:
        first = detail.locations[0]
        address = {
            "@type": "PostalAddress",
            "streetAddress": first.get("street"),
            "addressLocality": first.get("city"),
            "postalCode": first.get("postal_code"),
            "addressRegion": first.get("region"),
            "addressCountry": first.get("country"),
        }
        data["address"] = {key: value for key, value in address.items() if value}
        if first.get("latitude") is not None and first.get("longitude") is not None:
            data["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": first["latitude"],
                "longitude": first["longitude"],
            }
    return script_safe_json(data)


def script_safe_json(data: Any) -> Markup:
    """JSON that cannot close its ``<script>`` element: ``<``, ``>`` and ``&`` are escaped."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # Markup is right here: every character that could end the element has been escaped.
    return Markup(text)


@blueprint.get("/regions")
def regions() -> str:
    """Every jurisdiction, grouped by country, with provider counts."""
    return render_template("public/regions.html", groups=group_regions(list_regions(get_db())))


def group_regions(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Countries (and unions) by name, each with its subdivisions by name."""
    tops = {row["code"]: {**row, "children": []} for row in rows if "-" not in row["code"]}
    for row in rows:
        if "-" in row["code"]:
            country = tops.get(row["code"].split("-")[0])
            if country is not None:
                country["children"].append(row)
    for top in tops.values():
        top["children"].sort(key=lambda child: child["name"])
    return sorted(tops.values(), key=lambda top: top["name"])


@blueprint.get("/regions/<code>")
def region(code: str) -> str:
    """A jurisdiction's rules, crisis lines, subdivisions and providers."""
    if len(code) > 10 or not is_jurisdiction_code(code):
        abort(404)
    db = get_db()
    detail = get_region(db, code)
    if detail is None:
        abort(404)
    try:
        finding = find_providers({"region": code, "page": request.args.get("page", "")})
    except ParamError as error:
        abort(400, description=str(error))
    codes = [code, *(ancestor["code"] for ancestor in detail.ancestors)]
    return render_template(
        "public/region.html",
        region=detail,
        finding=finding,
        telehealth=telehealth_serving(codes),
        region_names=region_names(db),
        crisis_country=code,
        **pager(finding, lambda page: _region_page(code, page)),
    )


def _region_page(code: str, page: int) -> str:
    return url_with("public.region", {"page": page} if page > 1 else {}, code=code)


@blueprint.get("/about")
def about() -> str:
    """About ketamine therapy, every fact with its source, and about this directory."""
    db = get_db()
    return render_template(
        "public/about.html",
        sections=about_content.SECTIONS,
        summary=listing_summary(db),
        dataset=dataset_info(db),
    )


@blueprint.get("/privacy")
def privacy() -> str:
    """What the site does with searches, cookies, map tiles and suggestions."""
    config = current_app.config
    return render_template(
        "public/privacy.html",
        tile_host=urlsplit(config["TILE_URL"]).hostname or config["TILE_URL"],
        online_geocoder=config["GEOCODER"] != "offline",
        geocoder_host=urlsplit(config["NOMINATIM_URL"]).hostname,
    )


@blueprint.get("/sitemap.xml")
def sitemap() -> Response:
    """Home, about, the region pages and every listed provider, as absolute URLs."""
    db = get_db()
    urls = [
        url_for("public.home", _external=True),
        url_for("public.providers", _external=True),
        url_for("public.about", _external=True),
        url_for("public.regions", _external=True),
    ]
    urls += [
        url_for("public.region", code=code, _external=True) for code in sorted(region_names(db))
    ]
    urls += [
        url_for("public.provider", provider_id=pid, _external=True)
        for pid in listed_provider_ids(db)
    ]
    body = render_template("public/sitemap.xml", urls=urls)
    return Response(body, mimetype="application/xml")


@blueprint.get("/robots.txt")
def robots() -> Response:
    """Allow every crawler, and point to the sitemap."""
    body = f"User-agent: *\nAllow: /\n\nSitemap: {url_for('public.sitemap', _external=True)}\n"
    return Response(body, mimetype="text/plain")
