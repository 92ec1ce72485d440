"""First-level regions we can name: ISO 3166-2 codes, GeoNames admin1 codes, aliases.

GeoNames files cities by an ``admin1code`` that is not ISO 3166-2 outside the
US and GB. This table maps it for the countries the directory covers (US, CA,
GB, AU, DE, NZ, IE); cities elsewhere keep a country but no region.

>>> iso_region("CA", "08"), region_name("CA-ON")
('CA-ON', 'Ontario')
"""

from __future__ import annotations

from typing import NamedTuple


class Region(NamedTuple):
    """A first-level subdivision and the names people use for it."""

    iso: str
    admin1: str
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def country(self) -> str:
        """The ISO 3166-1 alpha-2 country code, e.g. ``"US"``."""
        return self.iso[:2]

    @property
    def code(self) -> str:
        """The part after the dash, e.g. ``"TX"`` for ``US-TX``."""
        return self.iso[3:]


def _us(code: str, name: str, *aliases: str) -> Region:
    return Region(f"US-{code}", code, name, (code, *aliases))


# Aliases are names people type on their own ("TX", "Calif", "NSW", "Bayern").
# The bare ISO suffix of other countries ("BY", "ENG") is only used after a
# comma, where it cannot be mistaken for a word.
REGIONS: tuple[Region, ...] = (
    _us("AL", "Alabama", "Ala"),
    _us("AK", "Alaska"),
    _us("AZ", "Arizona", "Ariz"),
    _us("AR", "Arkansas", "Ark"),
    _us("CA", "California", "Calif", "Cal"),
    _us("CO", "Colorado", "Colo"),
    _us("CT", "Connecticut", "Conn"),
    _us("DE", "Delaware", "Del"),
    _us("DC", "District of Columbia", "D.C."),
    _us("FL", "Florida", "Fla"),
    _us("GA", "Georgia"),
    _us("HI", "Hawaii"),
    _us("ID", "Idaho"),
    _us("IL", "Illinois", "Ill"),
    _us("IN", "Indiana", "Ind"),
    _us("IA", "Iowa"),
    _us("KS", "Kansas", "Kan", "Kans"),
    _us("KY", "Kentucky"),
    _us("LA", "Louisiana"),
    _us("ME", "Maine"),
    _us("MD", "Maryland"),
    _us("MA", "Massachusetts", "Mass"),
    _us("MI", "Michigan", "Mich"),
    _us("MN", "Minnesota", "Minn"),
    _us("MS", "Mississippi", "Miss"),
    _us("MO", "Missouri"),
    _us("MT", "Montana", "Mont"),
    _us("NE", "Nebraska", "Neb", "Nebr"),
    _us("NV", "Nevada", "Nev"),
    _us("NH", "New Hampshire", "N.H."),
    _us("NJ", "New Jersey", "N.J."),
    _us("NM", "New Mexico", "N.M."),
    _us("NY", "New York", "N.Y."),
    _us("NC", "North Carolina", "N.C."),
    _us("ND", "North Dakota", "N.D."),
    _us("OH", "Ohio"),
    _us("OK", "Oklahoma", "Okla"),
    _us("OR", "Oregon", "Ore", "Oreg"),
    _us("PA", "Pennsylvania", "Penn", "Penna"),
    _us("RI", "Rhode Island", "R.I."),
    _us("SC", "South Carolina", "S.C."),
    _us("SD", "South Dakota", "S.D."),
    _us("TN", "Tennessee", "Tenn"),
    _us("TX", "Texas", "Tex"),
    _us("UT", "Utah"),
    _us("VT", "Vermont"),
    _us("VA", "Virginia"),
    _us("WA", "Washington", "Wash"),
    _us("WV", "West Virginia", "W.Va."),
    _us("WI", "Wisconsin", "Wis", "Wisc"),
    _us("WY", "Wyoming", "Wyo"),
    Region("CA-AB", "01", "Alberta", ("AB", "Alta")),
    Region("CA-BC", "02", "British Columbia", ("BC", "B.C.")),
    Region("CA-MB", "03", "Manitoba", ("MB", "Man")),
    Region("CA-NB", "04", "New Brunswick", ("NB", "N.B.")),
    Region("CA-NL", "05", "Newfoundland and Labrador", ("NL", "Newfoundland")),
    Region("CA-NS", "07", "Nova Scotia", ("NS", "N.S.")),
    Region("CA-ON", "08", "Ontario", ("ON", "Ont")),
    Region("CA-PE", "09", "Prince Edward Island", ("PE", "PEI", "P.E.I.")),
    Region("CA-QC", "10", "Quebec", ("QC", "Que", "Québec")),
    Region("CA-SK", "11", "Saskatchewan", ("SK", "Sask")),
    Region("CA-YT", "12", "Yukon", ("YT",)),
    Region("CA-NT", "13", "Northwest Territories", ("NT", "NWT")),
    Region("CA-NU", "14", "Nunavut", ("NU",)),
    Region("GB-ENG", "ENG", "England"),
    Region("GB-SCT", "SCT", "Scotland"),
    Region("GB-WLS", "WLS", "Wales", ("Cymru",)),
    Region("GB-NIR", "NIR", "Northern Ireland"),
    Region("AU-ACT", "01", "Australian Capital Territory", ("ACT",)),
    Region("AU-NSW", "02", "New South Wales", ("NSW",)),
    Region("AU-NT", "03", "Northern Territory", ("NT",)),
    Region("AU-QLD", "04", "Queensland", ("QLD",)),
    Region("AU-SA", "05", "South Australia", ("SA",)),
    Region("AU-TAS", "06", "Tasmania", ("TAS",)),
    Region("AU-VIC", "07", "Victoria", ("VIC",)),
    Region("AU-WA", "08", "Western Australia", ("WA",)),
    Region("DE-BW", "01", "Baden-Württemberg"),
    Region("DE-BY", "02", "Bavaria", ("Bayern",)),
    Region("DE-HB", "03", "Bremen"),
    Region("DE-HH", "04", "Hamburg"),
    Region("DE-HE", "05", "Hesse", ("Hessen",)),
    Region("DE-NI", "06", "Lower Saxony", ("Niedersachsen",)),
    Region("DE-NW", "07", "North Rhine-Westphalia", ("Nordrhein-Westfalen", "NRW")),
    Region("DE-RP", "08", "Rhineland-Palatinate", ("Rheinland-Pfalz",)),
    Region("DE-SL", "09", "Saarland"),
    Region("DE-SH", "10", "Schleswig-Holstein"),
    Region("DE-BB", "11", "Brandenburg"),
    Region("DE-MV", "12", "Mecklenburg-Vorpommern", ("Mecklenburg-Western Pomerania",)),
    Region("DE-SN", "13", "Saxony", ("Sachsen",)),
    Region("DE-ST", "14", "Saxony-Anhalt", ("Sachsen-Anhalt",)),
    Region("DE-TH", "15", "Thuringia", ("Thüringen",)),
    Region("DE-BE", "16", "Berlin"),
    Region("NZ-AUK", "E7", "Auckland"),
    Region("NZ-BOP", "E8", "Bay of Plenty"),
    Region("NZ-CAN", "E9", "Canterbury"),
    Region("NZ-GIS", "F1", "Gisborne"),
    Region("NZ-HKB", "F2", "Hawke's Bay"),
    Region("NZ-MWT", "F3", "Manawatū-Whanganui", ("Manawatu-Wanganui",)),
    Region("NZ-MBH", "F4", "Marlborough"),
    Region("NZ-NSN", "F5", "Nelson"),
    Region("NZ-NTL", "F6", "Northland"),
    Region("NZ-OTA", "F7", "Otago"),
    Region("NZ-STL", "F8", "Southland"),
    Region("NZ-TKI", "F9", "Taranaki"),
    Region("NZ-WKO", "G1", "Waikato"),
    Region("NZ-WGN", "G2", "Wellington"),
    Region("NZ-WTC", "G3", "West Coast"),
    Region("NZ-TAS", "TAS", "Tasman"),
    Region("NZ-CIT", "10", "Chatham Islands"),
    Region("IE-C", "C", "Connacht", ("Connaught",)),
    Region("IE-L", "L", "Leinster"),
    Region("IE-M", "M", "Munster"),
    Region("IE-U", "U", "Ulster"),
)

_BY_ADMIN1 = {(r.country, r.admin1): r.iso for r in REGIONS}
_BY_ISO = {r.iso: r for r in REGIONS}

#: ZIP "states" that ISO 3166-1 treats as countries of their own.
US_TERRITORIES = frozenset({"AS", "FM", "GU", "MH", "MP", "PR", "PW", "VI"})

# UK postcode areas outside England, by nation. Areas that straddle a border
# (TD, SY, CH, LL, NP) go with the nation holding most of their addresses.
_GB_AREA_NATIONS = {
    **dict.fromkeys(("AB", "DD", "DG", "EH", "FK", "G", "HS", "IV"), "GB-SCT"),
    **dict.fromkeys(("KA", "KW", "KY", "ML", "PA", "PH", "TD", "ZE"), "GB-SCT"),
    **dict.fromkeys(("CF", "LD", "LL", "NP", "SA"), "GB-WLS"),
    "BT": "GB-NIR",
}
#: Postcode areas that belong to the Crown Dependencies, not to GB.
GB_CROWN_DEPENDENCY_AREAS = frozenset({"GY", "JE", "IM"})


def iso_region(country: str, admin1: str) -> str | None:
    """Return the ISO 3166-2 code for a GeoNames admin1 code, if we map it."""
    return _BY_ADMIN1.get((country, admin1))


def region_name(iso: str | None) -> str | None:
    """Return the display name for an ISO 3166-2 code, e.g. ``"Texas"``."""
    region = _BY_ISO.get(iso) if iso else None
    return region.name if region else None


def gb_postcode_region(area: str) -> str:
    """Return the UK nation (``GB-SCT`` ...) of a postcode area such as ``"EH"``."""
    return _GB_AREA_NATIONS.get(area, "GB-ENG")
