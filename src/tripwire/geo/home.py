"""An outlet's home, as evidence for resolving its article's place names.

A local paper's bare "Athens", "Dublin" or "Paris" is the town near it, not the capital: knowing
the outlet's home decides most of the homonyms of local news. The home comes from the caller (a
`home` code such as "US-GA", "GB" or "39.96,-83.0") or from the article's web address: a known
outlet (`data/geo/outlet_homes.tsv`, written by us) or its country-code domain (".co.uk", ".ca").
A plain ".com" says nothing, so the article's own evidence then decides alone.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

from tripwire.geo.mention import GeoContext

NO_HOME = "-"


@lru_cache(maxsize=1)
def outlet_homes() -> dict[str, str]:
    """Domain or ".suffix" -> home code ("-" for none), from the curated data file."""
    table: dict[str, str] = {}
    text = resources.files("tripwire.data").joinpath("geo/outlet_homes.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        domain, _, home = line.partition("\t")
        table[domain.strip().lower()] = home.strip() or NO_HOME
    return table


def domain_of(url_or_domain: str) -> str:
    """The host of a URL ("https://www.ajc.com/news/..." -> "ajc.com"), or the domain as given."""
    text = url_or_domain.strip().lower()
    host = urlsplit(text).hostname if "://" in text else text.split("/", 1)[0]
    return (host or "").removeprefix("www.")


def home_of_domain(url_or_domain: str) -> str | None:
    """The home code an outlet's address gives: a listed outlet (or a listed parent domain), else
    a listed suffix, else the country of a two-letter country-code domain; None when unknown."""
    host = domain_of(url_or_domain)
    if not host:
        return None
    table = outlet_homes()
    parts = host.split(".")
    for k in range(len(parts) - 1):  # "edition.nytimes.com", then "nytimes.com"
        found = table.get(".".join(parts[k:]))
        if found is not None:
            return None if found == NO_HOME else found
    for k in range(1, len(parts)):  # ".com.au", then ".au"
        found = table.get("." + ".".join(parts[k:]))
        if found is not None:
            return None if found == NO_HOME else found
    last = parts[-1]
    if len(last) == 2 and last.isalpha():
        return last.upper()
    return None


def _country_codes(code: str) -> tuple[str, str] | None:
    """(alpha-2, alpha-3) of an ISO 3166-1 code of either length, or None when there is no such country."""
    import pycountry

    field = {2: "alpha_2", 3: "alpha_3"}.get(len(code))
    if field is None or not code.isalpha():
        return None
    try:
        record = pycountry.countries.get(**{field: code.upper()})
    except (KeyError, LookupError):
        record = None
    return (record.alpha_2, record.alpha_3) if record is not None else None


def read_home(code: str) -> GeoContext | None:
    """The `GeoContext` of a home code, or None when it is not one: an ISO 3166-1 alpha-2 or
    alpha-3 country ("US", "USA"), an ISO 3166-2 division ("US-GA", "GB-ENG"; "USA-GA" is read as
    "US-GA"), or a point "lat,lon". Callers tell the user about None; a wrong home is worse than none."""
    code = code.strip()
    if "," in code:
        try:
            lat, lon = (float(x) for x in code.split(",", 1))
        except ValueError:
            return None
        return GeoContext(home=(lat, lon)) if -90 <= lat <= 90 and -180 <= lon <= 180 else None
    country, _, division = code.partition("-")
    codes = _country_codes(country)
    if codes is None:
        return None
    alpha2, alpha3 = codes
    if not division:
        return GeoContext(countries=(alpha3,))
    admin1 = f"{alpha2}-{division.upper()}"
    return GeoContext(countries=(alpha3,), admin1=(admin1,)) if _is_division(admin1) else None


def context_from_home(home: str | None = None, url: str | None = None) -> GeoContext:
    """The `GeoContext` for an article: from an explicit `home` code when given, else from its URL
    (a known outlet or a country-code domain); empty when neither says anything readable."""
    code = (home or "").strip() or (home_of_domain(url) if url else None) or ""
    return (read_home(code) if code else None) or GeoContext()


def _is_division(code: str) -> bool:
    import pycountry

    try:
        return pycountry.subdivisions.get(code=code) is not None
    except (KeyError, LookupError):
        return False
