#!/usr/bin/env python
"""Rapport benchmark: a five-year heavy user, measured against the real companion over loopback.

Builds a synthetic database (10,000 people, 100,000 interactions, 20,000 profile snapshots by
default) in a temporary folder through the real store code, starts `rapport serve` on it, and
measures badge lookups, durable ingests, cold start, peak RSS and database size. In the same run it
measures the floors they stand on and a real alternative:
- the HTTP floor: GET /api/v1/health on the same server, same connection reuse; and the same route sent the
  very bodies of the badge calls and the ingests (POST, which it answers 405 unread), for a request carries
  its body whatever answers it (badges and ingest print their time as a multiple of their own body's floor,
  and of GET's);
- the fsync floor: one write of a journal-sized record plus fsync, on the same disk (ingest prints its
  time as a multiple of HTTP floor + fsync);
- SQLite (WAL, indexed, synchronous=FULL) doing the same badge and ingest work on the same data, in
  process; its times are shown with the same HTTP floor added, as a companion built on it would answer.
Each badge or ingest round measures the call, its floors and SQLite's turn one after another, so that they
share the machine's moments (see `interleaved`).
Prints a table, then one JSON object as the last line of stdout.

    .venv/bin/python tests/bench/run_bench.py                      # the full run (a few minutes)
    .venv/bin/python tests/bench/run_bench.py --people 500 --interactions 5000 \
        --snapshots 1000 --iterations 30                            # a quick smoke run

Exit status: 0 when the bench ran (even if a target is missed: this is a measurement, not a
test), 1 when something broke. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import calendar
import math
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import orjson  # noqa: E402
import requests  # noqa: E402

from companion.access.logins import DashboardLogins  # noqa: E402
from companion.access.tokens import TokenStore  # noqa: E402
from companion.domain import aggregates, stage  # noqa: E402
from companion.domain.derive import status_url  # noqa: E402
from companion.domain.people import new_person  # noqa: E402
from companion.domain.vocabulary import KIND_STAGE, NOTE_FIELDS, OUTCOME_TAGS, sort_tags  # noqa: E402
from companion.store.database import DB_FILE, Store  # noqa: E402

SEED = 20240501
ME = "Bench_Me"
BADGE_HANDLES, BADGE_KNOWN = 50, 40
TWEETS_PER_BATCH = 50
# Five years of history up to two days ago (bench ingests come after it), so that the windows that count
# from today (the core circle's 90 days, keep-in-touch reminders) see a history as a user's would.
END_S = calendar.timegm((datetime.now(UTC).date() - timedelta(days=2)).timetuple())
START_S = END_S - 5 * 365 * 86400
TWITTER_EPOCH_MS = 1288834974657

TARGETS = {"badge_p50_ms": 5.0, "badge_p99_ms": 20.0, "ingest_p50_ms": 15.0, "cold_start_s": 2.0,
           "rss_mb": 400.0, "badge_floor_x": 2.0, "ingest_floor_x": 2.0, "vs_sqlite_x": 1.0, "heavy_x": 1.3,
           "card_p50_ms": 20.0, "people_p50_ms": 150.0,
           "board_p50_ms": 300.0, "near_p50_ms": 50.0, "resolve_ms": 1.0}

# Interaction kinds and how often a heavy user sees each (stage from shared_schema/stages.json).
KIND_WEIGHTS = {
    "they_liked": 24, "they_replied": 20, "i_replied": 20, "they_mentioned": 7, "i_mentioned": 7,
    "they_reposted": 4, "i_reposted": 4, "i_quoted": 2, "they_quoted": 2, "dm": 5, "group_dm": 1.5,
    "i_messaged": 0.5, "they_messaged": 0.5, "dm_logged": 0.5, "call": 0.4, "meeting": 0.3, "reached_out": 0.2,
}
assert set(KIND_WEIGHTS) == set(KIND_STAGE), "KIND_WEIGHTS must list every kind in stages.json"
MANUAL_KINDS = {"dm_logged", "call", "meeting", "reached_out"}
DM_KINDS = {"dm", "group_dm", "i_messaged", "they_messaged"}
MY_KINDS = {"i_replied", "i_mentioned", "i_quoted"}  # tweets I wrote (url under my handle)

FIRST = [
    "alex", "sam", "jordan", "taylor", "casey", "riley", "morgan", "jamie", "avery", "quinn", "maria", "sofia",
    "lucas", "mateo", "emma", "olivia", "noah", "liam", "ava", "mia", "ethan", "leo", "nina", "omar", "yuki",
    "hana", "ravi", "priya", "chen", "wei", "fatima", "amir", "lena", "jonas", "ingrid", "pablo", "lucia",
    "marco", "giulia"
]
LAST = [
    "smith", "jones", "garcia", "muller", "rossi", "dubois", "kim", "tanaka", "silva", "costa", "novak", "berg",
    "larsen", "patel", "khan", "nguyen", "lopez", "martin", "bernard", "weber", "meyer", "fischer", "nowak",
    "horvat", "santos", "ferreira", "oliveira", "moreau", "lambert", "okafor", "mensah", "haddad", "cohen",
    "ivanova"
]
WORDS = [
    "shipping", "building", "startup", "founder", "launch", "product", "users", "growth", "design", "code",
    "rust", "python", "open", "source", "community", "podcast", "thread", "today", "finally", "great", "idea",
    "thanks", "agree", "wild", "take", "hiring", "remote", "team", "data", "model", "latency", "deploy",
    "coffee", "weekend", "book", "wine", "music", "film", "running", "climbing", "travel", "conference", "talk",
    "slides", "demo", "feedback", "pricing", "customers", "revenue", "churn", "onboarding", "docs", "api",
    "bug", "fix", "release"
]
# Profile locations as people really write them (the labelled set of the place-resolution test): cities
# with and without states and flags, nicknames, other scripts, jokes and "the internet".
LOCATIONS = [case["text"] for case in orjson.loads(
    (Path(__file__).resolve().parents[1] / "companion" / "data" / "locations_labelled.json").read_bytes())]
CITIES = tuple(LOCATIONS)
# Posts as people write them (the conversation starters' labelled set), for the brief's person.
STARTER_POSTS = orjson.loads((Path(__file__).resolve().parents[1] / "companion" / "data" /
                              "starters_labelled.json").read_bytes())
NOTE_TEXT = {"books": "Dune, The Mythical Man-Month", "wine": "Barolo, natural wines",
             "music": "Jazz, Radiohead", "movies": "Kurosawa, Wes Anderson", "sports": "Trail running",
             "other": "Met at a conference; has two kids; building a dev-tools company"}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ts(seconds: float) -> str:
    """UTC, millisecond precision, ending in Z: string order is time order."""
    whole = int(seconds)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{int((seconds - whole) * 1000):03d}Z"


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


# -- the synthetic user ------------------------------------------------------------------------------
@dataclass
class Known:
    pid: int
    handle: str
    user_id: str | None
    profile: dict[str, Any]


@dataclass
class World:
    """What the bench knows about the database it built: who exists, and fresh-id generators."""

    rng: random.Random
    known: list[Known] = field(default_factory=list)
    cum_weights: list[float] = field(default_factory=list)
    handles_lc: set[str] = field(default_factory=set)
    counter: int = 0
    # The heavy relationships (issue: a write must not cost more on a long history): who has 5,000
    # interactions, and who has about 20, for the same measurement on both.
    heavy: list[str] = field(default_factory=list)
    light: list[str] = field(default_factory=list)
    interactions: int = 0  # as built, the heavy relationships included

    def status_id(self, at_s: float) -> str:
        self.counter += 1
        ms = int(at_s * 1000) - TWITTER_EPOCH_MS
        return str((ms << 22) | (self.counter & 0x3FFFFF))

    def pick_known(self, k: int) -> list[Known]:
        """k distinct known people, the ones I talk to most being the likeliest."""
        chosen: dict[int, Known] = {}
        while len(chosen) < min(k, len(self.known)):
            for person in self.rng.choices(self.known, cum_weights=self.cum_weights, k=k * 2):
                chosen.setdefault(person.pid, person)
                if len(chosen) == k:
                    break
        return list(chosen.values())

    def unknown_handle(self, prefix: str) -> str:
        while True:
            handle = f"{prefix}{self.rng.randrange(10**9)}"[:20]
            if handle.lower() not in self.handles_lc:
                return handle


def make_handle(rng: random.Random) -> str:
    first, last, n = rng.choice(FIRST), rng.choice(LAST), rng.randint(1, 9999)
    pattern = rng.randrange(6)
    if pattern == 0:
        handle = first.capitalize() + last.capitalize()
    elif pattern == 1:
        handle = f"{first}_{last}"
    elif pattern == 2:
        handle = f"{first}{n}"
    elif pattern == 3:
        handle = f"{first.capitalize()}_{last.capitalize()}{n % 100}"
    elif pattern == 4:
        handle = f"{first}{last[:3]}{n}".upper() if rng.random() < 0.2 else f"{first}{last[:3]}{n}"
    else:
        handle = f"the_{first}_{last}"
    return handle[:20]


def sentence(rng: random.Random, low: int = 5, high: int = 25) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def make_profile(rng: random.Random, handle: str) -> dict[str, Any]:
    first, last = rng.choice(FIRST).capitalize(), rng.choice(LAST).capitalize()
    name = f"{first} {last}" if rng.random() < 0.8 else f"{handle} {rng.choice(['🚀', '✨', '🌱', ''])}".strip()
    return {
        "display_name": name,
        "bio": sentence(rng, 4, 20) if rng.random() < 0.9 else None,
        "location": rng.choice(CITIES) if rng.random() < 0.7 else None,
        "website": f"https://{handle.lower()}.example.com" if rng.random() < 0.3 else None,
        "joined": f"Joined {rng.choice(['March', 'June', 'October', 'January'])} {rng.randint(2008, 2023)}",
        "followers": int(rng.lognormvariate(6, 1.8)),
        "following": int(rng.lognormvariate(5.5, 1.2)),
        "follows_me": rng.random() < 0.5,
        "i_follow": rng.random() < 0.6,
    }


def evolve(rng: random.Random, profile: dict[str, Any]) -> dict[str, Any]:
    """The next snapshot: what a later visit shows (follower counts move; now and then a new bio)."""
    nxt = dict(profile)
    nxt["followers"] = max(0, (nxt["followers"] or 0) + rng.randint(-20, 400))
    nxt["following"] = max(0, (nxt["following"] or 0) + rng.randint(-5, 30))
    roll = rng.random()
    if roll < 0.25:
        nxt["bio"] = sentence(rng, 4, 20)
    elif roll < 0.35:
        nxt["location"] = rng.choice(CITIES)
    elif roll < 0.40:
        nxt["follows_me"] = True
    return nxt


def make_interaction(world: World, rng: random.Random, handle: str, at_s: float) -> dict[str, Any]:
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    at = ts(at_s)
    observed_at = ts(min(END_S, at_s + rng.uniform(30, 3 * 86400)))
    item: dict[str, Any] = {"key": "", "kind": kind, "at": at, "source": "scrape", "status_id": None, "url": None,
                            "text": None, "place": None, "note": None, "observed_at": observed_at}
    if kind in MANUAL_KINDS:
        item.update(key=f"manual:{rng.getrandbits(128):032x}", source="manual", observed_at=at,
                    place=rng.choice(CITIES) if kind == "meeting" else None,
                    note=sentence(rng, 3, 12) if rng.random() < 0.6 else None)
    elif kind in DM_KINDS:
        item["key"] = f"dm:{at}"
    else:
        sid = world.status_id(at_s)
        item.update(key=f"tweet:{sid}:{kind}", status_id=sid)
        if kind == "they_liked":  # seen in notifications: no text, an /i/status link
            item["url"] = f"https://x.com/i/status/{sid}"
        else:
            item["url"] = status_url(ME if kind in MY_KINDS else handle, sid)
            item["text"] = sentence(rng)
    return item


def spread(rng: random.Random, total: int, first: int, n_people: int, weights: list[float]) -> list[int]:
    """How many of `total` items each person gets: one each for the first `first`, the rest by weight."""
    counts = [1 if i < first else 0 for i in range(n_people)]
    extra = total - first
    if extra > 0 and first:
        for i in rng.choices(range(first), weights=weights[:first], k=extra):
            counts[i] += 1
    return counts


HEAVY = ((20, 5000), (1000, 200))  # 20 people with 5,000 interactions each, 1,000 with 200


def build(data_dir: Path, n_people: int, n_interactions: int, n_snapshots: int, heavy: bool = True) -> World:
    rng = random.Random(SEED)
    world = World(rng=random.Random(SEED + 1))
    world.handles_lc.add(ME.lower())

    handles: list[str] = []
    while len(handles) < n_people:
        handle = make_handle(rng)
        if handle.lower() not in world.handles_lc:
            world.handles_lc.add(handle.lower())
            handles.append(handle)
    user_ids: list[str | None] = []
    seen_ids: set[str] = set()
    for _ in range(n_people):
        uid = None
        if rng.random() < 0.9:
            while uid is None or uid in seen_ids:
                uid = str(rng.randrange(10**7, 10**19))
            seen_ids.add(uid)
        user_ids.append(uid)
    weights = [rng.lognormvariate(0, 1.3) for _ in range(n_people)]

    # Interactions: most people have a few, a small circle has hundreds (lognormal weights).
    counts = spread(rng, n_interactions, min(n_people, int(n_people * 0.85), n_interactions), n_people, weights)
    if heavy:  # on top of the usual long tail (a small run keeps a tail too: at most a tenth and a half)
        at = 0
        for (how_many, each), share in zip(HEAVY, (10, 2), strict=True):
            tier = min(how_many, n_people // share)
            for i in range(at, min(n_people, at + tier)):
                counts[i] = each
            at += tier
        world.heavy = handles[:min(HEAVY[0][0], n_people // 10)]
    # People with about 20 interactions, nearest first: the same writes, on a short history.
    world.light = [handles[i] for i in sorted(range(n_people), key=lambda i: abs(counts[i] - 20))[:20]
                   if handles[i] not in world.heavy]
    # Snapshots: a first one for ~90% of people (their first profile seen), the rest as updates.
    snap_counts = spread(rng, n_snapshots, min(n_snapshots, int(n_people * 0.9)), n_people, weights)

    people_docs: list[dict[str, Any]] = []
    person_items: list[list[dict[str, Any]]] = []
    person_snaps: list[list[dict[str, Any]]] = []
    for i in range(n_people):
        handle = handles[i]
        first_s = rng.uniform(START_S, END_S - 86400)
        times = sorted(rng.uniform(first_s, END_S) for _ in range(counts[i]))
        items = [make_interaction(world, rng, handle, t) for t in times]
        seen_at = min([first_s] + [t for t in times])
        created_at = ts(seen_at)
        snaps: list[dict[str, Any]] = []
        profile = make_profile(rng, handle)
        if snap_counts[i]:
            snap_times = [seen_at, *sorted(rng.uniform(seen_at, END_S) for _ in range(snap_counts[i] - 1))]
            for n, t in enumerate(snap_times):
                if n:
                    profile = evolve(rng, profile)
                snaps.append({"at": ts(t), "profile": profile})
        doc = new_person(handle, user_ids[i], created_at)
        if snaps:
            doc["profile"] = dict(profile)
        if rng.random() < 0.03:  # renamed once
            old = f"old_{handle}"[:20]
            doc["handle_history"] = [{"handle": old, "first_seen_at": created_at, "last_seen_at": created_at},
                                     {"handle": handle, "first_seen_at": ts(rng.uniform(seen_at, END_S)),
                                      "last_seen_at": ts(END_S)}]
        if rng.random() < 0.3:
            for name in rng.sample(NOTE_FIELDS, rng.randint(1, 3)):
                doc["notes"][name] = NOTE_TEXT.get(name, sentence(rng, 2, 6))
        if rng.random() < 0.2:
            doc["tags"] = sort_tags(rng.sample(OUTCOME_TAGS, rng.randint(1, 2)))
        if rng.random() < 0.05:
            doc["next_step"] = sentence(rng, 3, 10)
        # Stage history as ingest would have written it, then the current stage from the rules.
        best = 0
        for item in sorted(items, key=lambda x: x["observed_at"]):
            if KIND_STAGE[item["kind"]] > best:
                best = KIND_STAGE[item["kind"]]
                doc["stage_history"].append({"stage": best, "at": item["observed_at"], "source": "evidence",
                                             "reason": None})
        if items and rng.random() < 0.01:
            manual_at = ts(rng.uniform(seen_at, END_S))
            doc["stage_manual"] = {"stage": rng.randint(1, 4), "reason": "we talked at an event", "at": manual_at}
            doc["stage_history"].append({"stage": doc["stage_manual"]["stage"], "at": manual_at,
                                         "source": "manual", "reason": "we talked at an event"})
            doc["stage_history"].sort(key=lambda h: h["at"])
        doc["stage"] = stage.current(doc["stage_manual"], items)
        doc["aggregates"] = aggregates.of(items)
        doc["last_interaction_at"] = max((x["at"] for x in items), default=None)
        doc["updated_at"] = max([created_at] + [x["observed_at"] for x in items] + [s["at"] for s in snaps])
        people_docs.append(doc)
        person_items.append(items)
        person_snaps.append(snaps)

    store = Store(data_dir)
    try:
        with store.transaction():
            ids = store.people.insert_multiple(people_docs)
        chunk: list[dict[str, Any]] = []

        def flush(insert: Any) -> None:
            if chunk:
                with store.transaction():
                    insert(chunk)
                chunk.clear()

        for pid, items in zip(ids, person_items, strict=True):
            for item in items:
                item["person"] = pid
                chunk.append(item)
                if len(chunk) >= 25_000:
                    flush(store.insert_interactions)
        flush(store.insert_interactions)
        for pid, snaps in zip(ids, person_snaps, strict=True):
            for snap in snaps:
                chunk.append({"person": pid, "at": snap["at"], "profile": snap["profile"]})
                if len(chunk) >= 25_000:
                    flush(store.snapshots.insert_multiple)
        flush(store.snapshots.insert_multiple)
        counts_stored = (len(store.people), len(store.interactions), len(store.snapshots))
    finally:
        store.close()  # compacts everything into rapport.json
    if counts_stored != (n_people, sum(counts), n_snapshots):
        raise RuntimeError(f"built {counts_stored}, wanted {(n_people, sum(counts), n_snapshots)}")
    world.interactions = sum(counts)

    for pid, doc in zip(ids, people_docs, strict=True):
        world.known.append(Known(pid, doc["handle"], doc["user_id"], dict(doc["profile"])))
    total = 0.0
    for weight, n in zip(weights, counts, strict=True):
        total += weight if n else weight * 0.05
        world.cum_weights.append(total)
    return world


# -- requests ----------------------------------------------------------------------------------------
def mixed_case(rng: random.Random, handle: str) -> str:
    return "".join(c.swapcase() if rng.random() < 0.3 else c for c in handle)


def badge_request(world: World) -> tuple[list[str], set[str]]:
    """50 handles: 40 known (case scrambled, as pages show them) and 10 unknown."""
    rng = world.rng
    known = [mixed_case(rng, k.handle) for k in rng.sample(world.known, min(BADGE_KNOWN, len(world.known)))]
    unknown = [world.unknown_handle("nobody") for _ in range(BADGE_HANDLES - len(known))]
    handles = known + unknown
    rng.shuffle(handles)
    return handles, set(known)


def ingest_batch(world: World, call: int, observed_s: float, prefix: str) -> dict[str, Any]:
    """A home-timeline page of 50 tweets, with fresh status ids (so every batch is new work).

    ~10 known people reply to / mention me, I reply to 5 known people (quoting one), 5 new accounts
    reply to me, 30 tweets scroll past (10 by known people, 20 by strangers); hovercard info for 10.
    """
    rng = world.rng
    tweets: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    picked = world.pick_known(25)
    repliers, my_targets, scrolled = picked[:10], picked[10:15], picked[15:]

    def tweet(author: str, display: str | None, **extra: Any) -> dict[str, Any]:
        at_s = observed_s - rng.uniform(60, 6 * 3600)
        t = {"status_id": world.status_id(at_s), "author": author, "author_display_name": display,
             "text": sentence(rng), "created_at": ts(at_s), "reply_to": [], "mentions": [],
             "social_context": None, "quoted_status_id": None, "in_reply_to_status_id": None, **extra}
        tweets.append(t)
        return t

    for k in scrolled:
        tweet(k.handle, k.profile.get("display_name"))
    for _ in range(20):
        tweet(f"stranger{rng.randrange(500)}", f"Stranger {rng.randrange(500)}")
    for n, k in enumerate(repliers):
        if n < 7:
            tweet(k.handle, k.profile.get("display_name"), reply_to=[mixed_case(rng, ME)])
        else:
            tweet(k.handle, k.profile.get("display_name"), mentions=[ME.lower()])
    quoted = tweets[0]["status_id"] if scrolled else None
    for n, k in enumerate(my_targets):
        tweet(ME, "Bench Me", reply_to=[k.handle], quoted_status_id=quoted if n == 0 else None)
    new_handles = [f"{prefix}{call}n{j}"[:20] for j in range(5)]
    for handle in new_handles:
        tweet(handle, f"New {handle}", reply_to=[ME])
    rng.shuffle(tweets)

    for k in repliers[:4] + scrolled[:4]:
        profile = k.profile
        if rng.random() < 0.5:  # the hovercard shows a new follower count: one snapshot
            profile["followers"] = (profile.get("followers") or 0) + rng.randint(1, 50)
        entry = {"handle": k.handle, **{f: profile.get(f) for f in ("display_name", "bio", "location",
                                                                      "followers", "following")}}
        if k.user_id:
            entry["user_id"] = k.user_id
        people.append(entry)
    for handle in new_handles[:2]:
        people.append({"handle": handle, "user_id": str(world.rng.randrange(10**19, 10**20)),
                       "display_name": f"New {handle}", "followers": rng.randint(0, 5000)})
    assert len(tweets) == TWEETS_PER_BATCH
    return {"batch_id": f"{prefix}-{call}",
            "page": {"url": "https://x.com/home", "type": "home", "observed_at": ts(observed_s), "me": ME},
            "people": people, "tweets": tweets}


# -- the server --------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import psutil  # not Linux: current RSS is the best we have

    return psutil.Process(pid).memory_info().rss / 2**20


def tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class ServerFailed(RuntimeError):
    pass


def start_server(data_dir: Path, port: int, log_path: Path) -> tuple[subprocess.Popen[bytes], float]:
    url = f"http://127.0.0.1:{port}/api/v1/health"
    with open(log_path, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "companion", "serve", "--port", str(port),
                                 "--data-dir", str(data_dir)], stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
    while True:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return proc, time.perf_counter() - t0
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            raise ServerFailed(f"the server exited with {proc.returncode} before answering:\n{tail(log_path)}")
        if time.perf_counter() - t0 > 30:
            raise ServerFailed(f"no 200 from {url} within 30 s:\n{tail(log_path)}")
        time.sleep(0.01)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def badge_call(session: requests.Session, base: str, handles: list[str], known: set[str]) -> float:
    """One POST /badges, checked: milliseconds."""
    body = orjson.dumps({"handles": handles})
    t0 = time.perf_counter()
    response = session.post(f"{base}/badges", data=body)
    elapsed = time.perf_counter() - t0
    if response.status_code != 200:
        raise RuntimeError(f"badges answered {response.status_code}: {response.text[:500]}")
    badges = response.json()["badges"]
    wrong = [h for h in handles if badges.get(h, {}).get("known") != (h in known)]
    if wrong:
        raise RuntimeError(f"badges wrong for {wrong[:5]}: {[badges.get(h) for h in wrong[:2]]}")
    return elapsed * 1000


def ingest_call(session: requests.Session, base: str, body: bytes) -> float:
    """One POST /ingest, which must add interactions: milliseconds."""
    t0 = time.perf_counter()
    response = session.post(f"{base}/ingest", data=body)
    elapsed = time.perf_counter() - t0
    if response.status_code != 200:
        raise RuntimeError(f"ingest answered {response.status_code}: {response.text[:500]}")
    result = response.json()
    if result.get("ok") is not True or not result.get("interactions_added", 0) > 0:
        raise RuntimeError(f"ingest did no work: {result}")
    return elapsed * 1000


def bench_ingest(session: requests.Session, base: str, bodies: list[bytes], warmup: int,
                 pause_s: float = 0.0) -> list[float]:
    """POST each body to /ingest, timed; `pause_s`: untimed time between calls (as pages arrive while scrolling)."""
    times: list[float] = []
    for n, body in enumerate(bodies):
        if pause_s:
            time.sleep(pause_s)
        elapsed = ingest_call(session, base, body)
        if n >= warmup:
            times.append(elapsed)
        if n and n % 50 == 0:
            log(f"  ingest {n}/{len(bodies)}")
    return times


def interleaved(steps: dict[str, Any], warmup: int, rounds: int, settle: Any) -> dict[str, list[float]]:
    """Milliseconds of each step, run in turn in every round (`steps[name](n)` times itself): a call, the floors
    under it and the alternative are measured at the same moments. This machine's speed drifts by tens of percent
    from one minute to the next, so series run one after another would compare different machines. `settle()`,
    untimed, starts each round: the floor that comes first is not measured cold, after the alternative's work."""
    times: dict[str, list[float]] = {name: [] for name in steps}
    for n in range(warmup + rounds):
        settle()
        for name, step in steps.items():
            elapsed = step(n)
            if n >= warmup:
                times[name].append(elapsed)
        if n and n % 50 == 0:
            log(f"  round {n}/{warmup + rounds}")
    return times


# Pages arrive while scrolling at about one a second (the content bench: 0.7 a second); these series send one
# every 100 ms, seven times as often, and read what the background does between them.
PAGE_GAP_S = 0.1
POSTS_SERIES = 100

# Keep-in-touch defaults for the second ingest series and the list: everyone from a DM conversation up.
REMINDERS = {"by_stage": {"2": 30, "3": 30, "4": 91}, "by_tag": {"friend": 30, "customer": 30}}


def bench_reads(session: requests.Session, base: str, path: str, warmup: int, iterations: int,
                write: Any = None) -> list[float]:
    """GET `path` (the HTTP floor, the keep-in-touch list, the core circle) over HTTP, timed. `write`: an untimed change
    before each read, so that every read works its answer out afresh (answers are kept until a write)."""
    return timed(lambda n: session.get(f"{base}{path}"), 200, f"GET {path}", warmup, iterations, write)


def timed(send: Any, status: int, what: str, warmup: int, iterations: int, before: Any = None) -> list[float]:
    """Milliseconds of each of `iterations` calls `send(n)` after `warmup` untimed ones, each answered `status`.
    `before(n)`: untimed work before each call."""
    times = []
    for n in range(warmup + iterations):
        if before is not None:
            before(n)
        elapsed = answered(lambda: send(n), status, what)  # noqa: B023 (called at once)
        if n >= warmup:
            times.append(elapsed)
    return times


def answered(send: Any, status: int, what: str) -> float:
    """Milliseconds of one request `send()`, which must be answered `status`."""
    t0 = time.perf_counter()
    response = send()
    elapsed = time.perf_counter() - t0
    if response.status_code != status:
        raise RuntimeError(f"{what} answered {response.status_code}: {response.text[:300]}")
    return elapsed * 1000


def bench_heavy(session: requests.Session, base: str, dashboard: str, login_link: str, world: World,
                per_batch: int = 50, batches: int = 40, reads: int = 30) -> dict[str, float]:
    """Ingest replies from a person with 5,000 interactions and from one with about 20, alternately; then the
    heavy person's card (API) and page (dashboard)."""
    if not world.heavy or not world.light:
        raise RuntimeError("the heavy relationships were not built (--no-heavy)")
    times: dict[str, list[float]] = {"heavy": [], "light": []}
    for n in range(2 * batches):
        which = "heavy" if n % 2 == 0 else "light"
        who = (world.heavy if which == "heavy" else world.light)[(n // 2) % 5]
        at = ts(END_S + 86400 + n)
        body = orjson.dumps({"page": {"url": "https://x.com/home", "type": "home", "observed_at": at, "me": ME},
                             "tweets": [{"status_id": str(3 * 10**18 + n * per_batch + i), "author": who,
                                         "text": "a reply", "created_at": at, "reply_to": [ME], "mentions": [],
                                         "social_context": None, "quoted_status_id": None}
                                        for i in range(per_batch)]})
        t0 = time.perf_counter()
        response = session.post(f"{base}/ingest", data=body)
        times[which].append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200 or response.json()["interactions_added"] != per_batch:
            raise RuntimeError(f"heavy ingest answered {response.status_code}: {response.text[:300]}")
    card_ms, page_ms, size, page_size = [], [], 0, 0
    heavy = world.heavy[0]
    with requests.Session() as browser:
        if browser.get(login_link).status_code != 200:
            raise RuntimeError("the dashboard login link did not sign in")
        for _ in range(reads):
            t0 = time.perf_counter()
            response = session.get(f"{base}/people/{heavy}")
            card_ms.append((time.perf_counter() - t0) * 1000)
            size = len(response.content)
            if response.status_code != 200 or response.json()["interactions_total"] < 5000:
                raise RuntimeError(f"the heavy person's card answered {response.status_code}")
            t0 = time.perf_counter()
            page = browser.get(f"{dashboard}/people/{heavy}")
            page_ms.append((time.perf_counter() - t0) * 1000)
            page_size = len(page.content)
            if page.status_code != 200:
                raise RuntimeError(f"the heavy person's page answered {page.status_code}")
    return {"heavy_ingest_p50_ms": round(percentile(times["heavy"], 50), 3),
            "light_ingest_p50_ms": round(percentile(times["light"], 50), 3),
            "heavy_card_p50_ms": round(percentile(card_ms, 50), 3), "heavy_card_kb": round(size / 1024, 1),
            "heavy_page_p50_ms": round(percentile(page_ms, 50), 3), "heavy_page_kb": round(page_size / 1024, 1)}


# The dashboard's pages: People as a plain list, searching everything (name, handle, bio, notes), with
# filters and a sort other than the default; then the Pipeline board and Insights, which read everyone.
DASHBOARD_PAGES = {
    "people_list": ("/", {}),
    "people_search": ("/", {"q": "barolo"}),
    "people_filter": ("/", {"stage": "3", "notes": "yes", "location": "lis", "sort": "name"}),
    "pipeline": ("/pipeline", {}),
    "insights": ("/insights", {}),
}


def bench_dashboard(base: str, login_link: str, iterations: int) -> dict[str, list[float]]:
    """GET each page of the signed-in dashboard (server-rendered, as the browser and its live refresh do)."""
    times: dict[str, list[float]] = {name: [] for name in DASHBOARD_PAGES}
    with requests.Session() as browser:
        if browser.get(login_link).status_code != 200:
            raise RuntimeError("the dashboard login link did not sign in")
        for name, (path, query) in DASHBOARD_PAGES.items():
            for n in range(iterations + 3):
                t0 = time.perf_counter()
                response = browser.get(f"{base}{path}", params=query)
                elapsed = time.perf_counter() - t0
                if response.status_code != 200 or 'data-region="' not in response.text:
                    raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:300]}")
                if n >= 3:
                    times[name].append(elapsed * 1000)
    return times


# -- floors and SQLite ------------------------------------------------------------------------------
def resolve_times() -> list[float]:
    """Each location of the labelled set resolved once, in this process, with nothing cached: the cost of a
    new profile location (the gazetteer itself loads once, off the request path, when the companion starts)."""
    from companion.domain import places

    places.gazetteer()
    places.forget_resolved()  # the resolver keeps what it read: start with nothing
    times = []
    for text in LOCATIONS:
        t0 = time.perf_counter()
        places.resolve(text)
        times.append((time.perf_counter() - t0) * 1000)
    return times


class FsyncFloor:
    """An append of as many bytes as the ingest before it added to the journal, and its fsync, to a file beside it
    on the same disk."""

    def __init__(self, folder: Path, most: int) -> None:
        self.path = folder / "fsync-floor.bin"
        self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.record = os.urandom(most)
        self.sizes: list[int] = []

    def append(self, size: int) -> float:
        self.sizes.append(size)
        t0 = time.perf_counter()
        os.write(self.fd, self.record[:size])
        os.fsync(self.fd)
        return (time.perf_counter() - t0) * 1000

    def close(self) -> None:
        os.close(self.fd)
        self.path.unlink()


def floors_and_alternative(session: requests.Session, base: str, badge_sets: list[tuple[list[str], set[str]]],
                           bodies: list[bytes], journal: Path, fsync: FsyncFloor, alt: Any, warmup: int,
                           iterations: int, ingest_n: int, settle: Any) -> tuple[dict[str, list[float]], ...]:
    """The badge rounds (GET /health, POST /health with the call's body, the call, SQLite's) and the ingest rounds
    (POST /health with the page, the ingest, an append + fsync of what it added to the journal, SQLite's ingest).
    `settle()` starts each round: it reads what the kept posts of the last ingest say, so that the companion's
    background reading never overlaps a timed step."""
    badge_bodies = [orjson.dumps({"handles": h}) for h, _ in badge_sets]
    log(f"badges: {warmup} warm-up + {iterations} timed rounds, each of GET /health, POST /health with the call's "
        "body, the call, and SQLite's")
    badge_rounds = interleaved({
        "floor": lambda n: answered(lambda: session.get(f"{base}/health"), 200, "GET /health"),
        "body floor": lambda n: answered(lambda: session.post(f"{base}/health", data=badge_bodies[n % len(badge_sets)]),
                                         405, "POST /health"),
        "badges": lambda n: badge_call(session, base, *badge_sets[n % len(badge_sets)]),
        "sqlite": lambda n: sqlite_badges(alt, *badge_sets[n % len(badge_sets)]),
    }, warmup, iterations, settle)
    log(f"ingest: {warmup} warm-up + {ingest_n} timed rounds, each of POST /health with the page, the ingest, an "
        "append + fsync of what it added to the journal, and SQLite's ingest")
    appended = [0]

    def ingest_step(n: int) -> float:
        before = journal.stat().st_size if journal.exists() else 0
        elapsed = ingest_call(session, base, bodies[n])
        grew = (journal.stat().st_size if journal.exists() else 0) - before
        appended[0] = grew if grew > 0 else appended[0] or len(bodies[n])  # a fold empties the journal
        return elapsed

    ingest_rounds = interleaved({
        "body floor": lambda n: answered(lambda: session.post(f"{base}/health", data=bodies[n]), 405, "POST /health"),
        "ingest": ingest_step,
        "fsync": lambda n: fsync.append(min(appended[0], len(fsync.record))),
        "sqlite": lambda n: sqlite_ingest(alt, bodies[n]),
    }, warmup, ingest_n, settle)
    return badge_rounds, ingest_rounds


def sqlite_alternative(folder: Path, snapshot_path: Path) -> Any:
    """The same data in SQLite (sqlite_alt.py), for the same badge and ingest work in this process."""
    from tests.bench.sqlite_alt import SqliteCompanion

    return SqliteCompanion(folder / "sqlite.db", orjson.loads(snapshot_path.read_bytes()))


def sqlite_badges(alt: Any, handles: list[str], known: set[str]) -> float:
    t0 = time.perf_counter()
    # Encoded as the HTTP answer is: the same work, minus the HTTP floor added later.
    badges = orjson.loads(orjson.dumps(alt.badges(handles)))["badges"]
    elapsed = time.perf_counter() - t0
    if {h for h in handles if badges[h]["known"]} != known:
        raise RuntimeError("SQLite badges found the wrong people")
    return elapsed * 1000


def sqlite_ingest(alt: Any, body: bytes) -> float:
    t0 = time.perf_counter()
    added = alt.ingest(orjson.loads(body))
    elapsed = time.perf_counter() - t0
    if not added:
        raise RuntimeError("SQLite ingest did no work")
    return elapsed * 1000


# -- report ------------------------------------------------------------------------------------------
def report(r: dict[str, float], info: dict[str, Any]) -> None:
    def status(value: float, target: float) -> str:
        return "ok" if value <= target else "MISS"

    # Each call against the floor of a request like it (the same body, to a route that does nothing with it);
    # GET /health's ratio is shown beside it.
    floor, fsync = r["http_floor_p50_ms"], r["fsync_floor_p50_ms"]
    badge_floor, ingest_floor = r["badge_floor_p50_ms"], r["ingest_floor_p50_ms"]
    badge_x, ingest_x = r["badge_p50_ms"] / badge_floor, r["ingest_p50_ms"] / (ingest_floor + fsync)
    sqlite_badge, sqlite_ingest = r["sqlite_badge_p50_ms"] + badge_floor, r["sqlite_ingest_p50_ms"] + ingest_floor
    rows = [
        ("HTTP floor: GET /health, p50", f"{floor:.2f} ms", "-", "", ""),
        ("  … POST /health with a badge call's body (405), p50", f"{badge_floor:.2f} ms", "-", "", ""),
        ("  … POST /health with an ingest's body (405), p50", f"{ingest_floor:.2f} ms", "-", "", ""),
        ("fsync floor: append + fsync, p50", f"{fsync:.2f} ms", "-", "", ""),
        ("badge lookup, 50 handles, p50", f"{r['badge_p50_ms']:.2f} ms", "≤ 2× HTTP floor",
         status(badge_x, TARGETS["badge_floor_x"]),
         f"{badge_x:.2f}× floor ({r['badge_p50_ms'] / floor:.2f}× GET)"),
        ("badge lookup, 50 handles, p99", f"{r['badge_p99_ms']:.2f} ms", "≤ 20 ms",
         status(r["badge_p99_ms"], TARGETS["badge_p99_ms"]), ""),
        ("SQLite badges + HTTP floor, p50", f"{sqlite_badge:.2f} ms", "≥ Rapport",
         status(r["badge_p50_ms"] / sqlite_badge, TARGETS["vs_sqlite_x"]), f"{r['badge_p50_ms'] / sqlite_badge:.2f}×"),
        ("ingest 50 tweets, durable, p50", f"{r['ingest_p50_ms']:.2f} ms", "≤ 2× (HTTP + fsync)",
         status(ingest_x, TARGETS["ingest_floor_x"]),
         f"{ingest_x:.2f}× floor ({r['ingest_p50_ms'] / (floor + fsync):.2f}× GET)"),
        ("ingest 50 tweets, durable, p99", f"{r['ingest_p99_ms']:.2f} ms", "-", "", ""),
        ("SQLite ingest + HTTP floor, p50", f"{sqlite_ingest:.2f} ms", "≥ Rapport",
         status(r["ingest_p50_ms"] / sqlite_ingest, TARGETS["vs_sqlite_x"]),
         f"{r['ingest_p50_ms'] / sqlite_ingest:.2f}×"),
        ("ingest p50: 5,000-interaction person vs 20", f"{r['heavy_ingest_p50_ms']:.2f} vs "
         f"{r['light_ingest_p50_ms']:.2f} ms", "≤ 1.3×",
         status(r["heavy_ingest_p50_ms"] / r["light_ingest_p50_ms"], TARGETS["heavy_x"]),
         f"{r['heavy_ingest_p50_ms'] / r['light_ingest_p50_ms']:.2f}×"),
        ("their card (GET /people/<key>), p50", f"{r['heavy_card_p50_ms']:.2f} ms",
         f"≤ {TARGETS['card_p50_ms']:.0f} ms, ≤ 200 KB",
         status(max(r["heavy_card_p50_ms"] / TARGETS["card_p50_ms"], r["heavy_card_kb"] / 200), 1.0),
         f"{r['heavy_card_kb']:.0f} KB"),
        ("their person page, p50", f"{r['heavy_page_p50_ms']:.2f} ms",
         f"≤ {TARGETS['card_p50_ms']:.0f} ms", status(r["heavy_page_p50_ms"], TARGETS["card_p50_ms"]),
         f"{r['heavy_page_kb']:.0f} KB"),
        ("cold start (spawn to first 200)", f"{r['cold_start_s']:.3f} s", "≤ 2 s",
         status(r["cold_start_s"], TARGETS["cold_start_s"]), ""),
        ("server peak RSS (VmHWM)", f"{r['rss_mb']:.1f} MB", "≤ 400 MB", status(r["rss_mb"], TARGETS["rss_mb"]), ""),
        ("database size (json + journal)", f"{r['db_mb']:.1f} MB", "-", "", ""),
        ("ingest p50 with reminders for everyone from stage 2", f"{r['reminded_ingest_p50_ms']:.2f} ms",
         "≤ without + 1 ms", status(r["reminded_ingest_p50_ms"] - r["ingest_p50_ms"], 1.0),
         f"{r['reminded_ingest_p50_ms'] - r['ingest_p50_ms']:+.2f} ms"),
        (f"keep-in-touch page's lists after a write ({info['with_reminder']:,} with a reminder, "
         f"{info['overdue']:,} overdue), p50", f"{r['keep_in_touch_p50_ms']:.2f} ms", "≤ 30 ms",
         status(r["keep_in_touch_p50_ms"], 30.0), ""),
        ("  … p99", f"{r['keep_in_touch_p99_ms']:.2f} ms", "≤ 100 ms", status(r["keep_in_touch_p99_ms"], 100.0), ""),
        ("  … with nothing written since the last read, p50", f"{r['keep_in_touch_unchanged_p50_ms']:.2f} ms", "-",
         "", ""),
        ("  … everyone worked out again (once a day, new defaults), p50",
         f"{r['keep_in_touch_everyone_p50_ms']:.2f} ms", "-", "", ""),
        (f"core circle and who engages after a write ({info['core']} listed), p50", f"{r['circles_p50_ms']:.2f} ms",
         "≤ 30 ms", status(r["circles_p50_ms"], 30.0), ""),
        ("  … p99", f"{r['circles_p99_ms']:.2f} ms", "≤ 100 ms", status(r["circles_p99_ms"], 100.0), ""),
        (f"who is near Boston, 50 km, after a write that moved someone ({info['near_boston']} listed), p50",
         f"{r['near_p50_ms']:.2f} ms", "≤ 50 ms", status(r["near_p50_ms"], TARGETS["near_p50_ms"]), ""),
        ("  … p99", f"{r['near_p99_ms']:.2f} ms", "-", "", ""),
        (f"  … London, nothing written since ({info['near_london']} listed), p50", f"{r['near_london_p50_ms']:.2f} ms",
         "≤ 50 ms", status(r["near_london_p50_ms"], TARGETS["near_p50_ms"]), ""),
        ("resolving a location never seen before (what a profile in an ingest costs), p50",
         f"{r['resolve_p50_ms']:.3f} ms", "≤ 1 ms", status(r["resolve_p50_ms"], TARGETS["resolve_ms"]),
         f"p99 {r['resolve_p99_ms']:.3f} ms"),
        (f"ingest p50, a page every 100 ms, posts kept and read ({info['posts_kept']:,} kept) vs keeping off",
         f"{r['posts_on_ingest_p50_ms']:.2f} vs {r['posts_off_ingest_p50_ms']:.2f} ms", "≤ off + 1 ms",
         status(r["posts_on_ingest_p50_ms"] - r["posts_off_ingest_p50_ms"], 1.0),
         f"{r['posts_on_ingest_p50_ms'] - r['posts_off_ingest_p50_ms']:+.2f} ms"),
        (f"the brief of someone with 150 posts kept ({info['suggestions']} starters), p50",
         f"{r['brief_p50_ms']:.2f} ms", "≤ 100 ms", status(r["brief_p50_ms"], 100.0), ""),
        ("  … their card, p50", f"{r['brief_card_p50_ms']:.2f} ms", "≤ 20 ms",
         status(r["brief_card_p50_ms"], TARGETS["card_p50_ms"]), ""),
        ("dashboard People page, p50", f"{r['people_list_p50_ms']:.1f} ms", "≤ 150 ms",
         status(r["people_list_p50_ms"], TARGETS["people_p50_ms"]), ""),
        ("  … searching name/bio/notes, p50", f"{r['people_search_p50_ms']:.1f} ms", "≤ 150 ms",
         status(r["people_search_p50_ms"], TARGETS["people_p50_ms"]), ""),
        ("  … with filters and sort, p50", f"{r['people_filter_p50_ms']:.1f} ms", "≤ 150 ms",
         status(r["people_filter_p50_ms"], TARGETS["people_p50_ms"]), ""),
        ("dashboard Pipeline page, p50", f"{r['pipeline_p50_ms']:.1f} ms", "≤ 300 ms",
         status(r["pipeline_p50_ms"], TARGETS["board_p50_ms"]), ""),
        ("dashboard Insights page, p50", f"{r['insights_p50_ms']:.1f} ms", "≤ 300 ms",
         status(r["insights_p50_ms"], TARGETS["board_p50_ms"]), ""),
    ]
    head = ("metric", "value", "target", "ok?", "ratio")
    widths = [max(len(str(row[i])) for row in [head, *rows]) for i in range(5)]
    print()
    print(f"Rapport bench: {info['people']:,} people, {info['interactions']:,} interactions, "
          f"{info['snapshots']:,} snapshots (built in {info['build_s']:.1f} s); "
          f"{info['badge_n']} badge and {info['ingest_n']} ingest calls timed, the same on SQLite")
    for row in [head, tuple("-" * w for w in widths), *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    missed = [row[0] for row in rows if row[3] == "MISS"]
    print(f"targets missed: {', '.join(missed)}" if missed else "all targets met")
    print(f"total bench time {info['total_s']:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--interactions", type=int, default=100_000)
    parser.add_argument("--snapshots", type=int, default=20_000)
    parser.add_argument("--iterations", type=int, default=300, help="timed badge calls (default 300)")
    parser.add_argument("--no-heavy", action="store_true",
                        help="leave out the heavy relationships (20 people with 5,000 interactions, 1,000 with 200)")
    parser.add_argument("--ingest-iterations", type=int, default=None,
                        help="timed ingest calls (default: 2/3 of --iterations, i.e. 200)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed calls before each timed series")
    parser.add_argument("--tmp-dir", type=Path, default=None, help="where to make the temporary folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = parser.parse_args()
    ingest_n = args.ingest_iterations if args.ingest_iterations is not None else max(1, round(args.iterations * 2 / 3))
    if args.people < BADGE_KNOWN or args.iterations < 1:
        parser.error(f"need at least {BADGE_KNOWN} people and 1 iteration")

    t_start = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="rapport-bench-", dir=args.tmp_dir))
    data_dir, snapshot_copy, log_path = root / "data", root / "snapshot.json", root / "server.log"
    proc: subprocess.Popen[bytes] | None = None
    try:
        log(f"building {args.people:,} people, {args.interactions:,} interactions, {args.snapshots:,} snapshots "
            f"in {root}")
        t0 = time.perf_counter()
        world = build(data_dir, args.people, args.interactions, args.snapshots, heavy=not args.no_heavy)
        build_s = time.perf_counter() - t0
        log(f"built in {build_s:.1f} s: {DB_FILE} is {(data_dir / DB_FILE).stat().st_size / 2**20:.1f} MB")
        shutil.copyfile(data_dir / DB_FILE, snapshot_copy)
        _, token = TokenStore(data_dir).create("bench")

        badge_sets = [badge_request(world) for _ in range(20)]
        observed = float(END_S)
        batches = []
        for n in range(args.warmup + ingest_n):
            observed += world.rng.uniform(20, 120)
            batches.append(ingest_batch(world, n, observed, "nb"))
        bodies = [orjson.dumps(b) for b in batches]
        # The same work with the keeping of posts off, then on again (fresh status ids): what keeping costs.
        posts_off, posts_on = [], []
        for series in (posts_off, posts_on):
            for n in range(args.warmup + ingest_n):
                observed += world.rng.uniform(20, 120)
                series.append(orjson.dumps(ingest_batch(world, n, observed, "pb" if series is posts_off else "pa")))
        # The same work again once reminders apply to thousands of people (fresh status ids).
        reminded = []
        for n in range(args.warmup + ingest_n):
            observed += world.rng.uniform(20, 120)
            reminded.append(orjson.dumps(ingest_batch(world, n, observed, "rb")))

        port = free_port()
        log(f"starting the companion on port {port}")
        login_link = f"http://127.0.0.1:{port}/login?token={DashboardLogins(data_dir).new_link_token()}"
        proc, cold_start_s = start_server(data_dir, port, log_path)
        log(f"answering after {cold_start_s:.3f} s")
        base = f"http://127.0.0.1:{port}/api/v1"
        with requests.Session() as session:
            session.headers.update({"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            # Steady state: the gazetteer loads a moment after the start (off the request path); let it.
            assert session.get(f"{base}/near?place=London").ok
            time.sleep(3)
            someone_card = f"{base}/people/{world.known[0].handle}"

            def settle() -> None:  # a card reads every kept post still waiting: the next series starts level
                assert session.get(someone_card).ok

            log("SQLite: the same data, for the same work in this process")
            alt = sqlite_alternative(root, snapshot_copy)
            journal = (data_dir / DB_FILE).with_suffix(".journal")
            fsync = FsyncFloor(root, 4 * max(len(b) for b in bodies) + 2**20)
            try:
                badge_rounds, ingest_rounds = floors_and_alternative(session, base, badge_sets, bodies, journal, fsync,
                                                                     alt, args.warmup, args.iterations, ingest_n,
                                                                     settle)
            finally:
                fsync.close()
                alt.close()
            log(f"  an ingest added {sum(fsync.sizes) // len(fsync.sizes):,} bytes to the journal on average")
            floor_ms, badge_floor_ms = badge_rounds["floor"], badge_rounds["body floor"]
            badge_ms, sqlite_badge_ms = badge_rounds["badges"], badge_rounds["sqlite"]
            ingest_floor_ms, ingest_ms = ingest_rounds["body floor"], ingest_rounds["ingest"]
            fsync_ms, sqlite_ingest_ms = ingest_rounds["fsync"], ingest_rounds["sqlite"]
            settle()
            log(f"keep in touch: defaults for everyone from stage 2, {ingest_n} more ingests, the list and the circle")
            assert session.put(f"{base}/settings/keep-in-touch", data=orjson.dumps(REMINDERS)).status_code == 200
            reminded_ms = bench_ingest(session, base, reminded, args.warmup)
            settle()
            reads_n = max(5, args.iterations // 3)
            someone = world.known[0].handle

            def write(n: int) -> None:
                assert session.patch(f"{base}/people/{someone}", data=orjson.dumps({"next_step": f"step {n}"})).ok

            # What the Keep in touch page asks for (100 per list, and how many in all).
            keep_ms = bench_reads(session, base, "/keep-in-touch?limit=100", args.warmup, reads_n, write)
            keep_warm_ms = bench_reads(session, base, "/keep-in-touch?limit=100", args.warmup, reads_n)

            def new_defaults(n: int) -> None:  # everyone's status is worked out again (as once a day)
                changed = {**REMINDERS, "by_stage": {**REMINDERS["by_stage"], "3": 30 + n % 2}}
                assert session.put(f"{base}/settings/keep-in-touch", data=orjson.dumps(changed)).ok

            keep_all_ms = bench_reads(session, base, "/keep-in-touch?limit=100", args.warmup, reads_n, new_defaults)
            due = session.get(f"{base}/keep-in-touch").json()
            circles_ms = bench_reads(session, base, "/circles", args.warmup, reads_n, write)
            circle = session.get(f"{base}/circles").json()
            log("meet-ups: who is near Boston and London, after a write that moved someone")
            moved = [k.handle for k in world.known[1:40]]

            def move(n: int) -> None:  # a new location, never seen before: resolved on the next read
                who = moved[n % len(moved)]
                seen = {"page": {"url": f"https://x.com/{who}", "type": "profile", "observed_at": ts(END_S + 7200 + n),
                                 "me": ME, "profile_handle": who},
                        "people": [{"handle": who, "location": f"{LOCATIONS[n % len(LOCATIONS)]} ({n})"}]}
                assert session.post(f"{base}/ingest", data=orjson.dumps(seen)).ok

            near_ms = bench_reads(session, base, "/near?place=Boston&km=50", args.warmup, reads_n, move)
            near_london_ms = bench_reads(session, base, "/near?place=London&km=50", args.warmup, reads_n)
            near_info = {"near_boston": len(session.get(f"{base}/near?place=Boston").json()["people"]),
                         "near_london": len(session.get(f"{base}/near?place=London").json()["people"])}
            log(f"posts: {POSTS_SERIES} ingests {PAGE_GAP_S * 1000:.0f} ms apart with the keeping of posts off, "
                "then on (kept, and read in the background for starters and Meet-ups)")
            assert session.put(f"{base}/settings/posts", data=orjson.dumps({"keep_posts": False})).ok
            posts_off_ms = bench_ingest(session, base, posts_off[:args.warmup + POSTS_SERIES], args.warmup, PAGE_GAP_S)
            assert session.put(f"{base}/settings/posts", data=orjson.dumps({"keep_posts": True})).ok
            posts_on_ms = bench_ingest(session, base, posts_on[:args.warmup + POSTS_SERIES], args.warmup, PAGE_GAP_S)
            settle()
            kept = session.get(f"{base}/settings/posts").json()["posts_kept"]
            log("the brief of someone with 150 posts kept, and their card")
            talker = world.known[0].handle
            stories = [case["text"] for case in STARTER_POSTS][:150]
            page = {"page": {"url": "https://x.com/home", "type": "home", "observed_at": ts(END_S + 9000), "me": ME},
                    "tweets": [{"status_id": str(4 * 10**18 + n), "author": talker, "text": text,
                                "created_at": ts(END_S + 8000 + n)} for n, text in enumerate(stories)]}
            assert session.post(f"{base}/ingest", data=orjson.dumps(page)).ok
            brief_ms = bench_reads(session, base, f"/people/{talker}/brief", args.warmup, reads_n)
            brief_card_ms = bench_reads(session, base, f"/people/{talker}", args.warmup, reads_n)
            near_info["suggestions"] = len(session.get(f"{base}/people/{talker}/suggestions").json())
            near_info["posts_kept"] = kept
            log("heavy relationships: ingest from people with 5,000 and with 20 interactions, then a card and a page")
            # A sign-in link works once: the dashboard timings below get the other one.
            heavy_link = f"http://127.0.0.1:{port}/login?token={DashboardLogins(data_dir).new_link_token()}"
            heavy = bench_heavy(session, base, f"http://127.0.0.1:{port}", heavy_link, world)
        pages_n = max(5, args.iterations // 10)
        log(f"dashboard: {pages_n} timed loads of each of {', '.join(DASHBOARD_PAGES)}")
        pages_ms = bench_dashboard(f"http://127.0.0.1:{port}", login_link, pages_n)
        rss_mb = peak_rss_mb(proc.pid)
        db_bytes = sum(p.stat().st_size for p in (data_dir / DB_FILE, (data_dir / DB_FILE).with_suffix(".journal"))
                       if p.exists())
        stop_server(proc)
        if proc.returncode != 0:
            raise ServerFailed(f"the server exited with {proc.returncode} on SIGTERM:\n{tail(log_path)}")

        resolve_ms = resolve_times()

        results = {
            "badge_p50_ms": round(percentile(badge_ms, 50), 3),
            "badge_p99_ms": round(percentile(badge_ms, 99), 3),
            "ingest_p50_ms": round(percentile(ingest_ms, 50), 3),
            "ingest_p99_ms": round(percentile(ingest_ms, 99), 3),
            "cold_start_s": round(cold_start_s, 3),
            "rss_mb": round(rss_mb, 1),
            "db_mb": round(db_bytes / 2**20, 1),
            "http_floor_p50_ms": round(percentile(floor_ms, 50), 3),
            "badge_floor_p50_ms": round(percentile(badge_floor_ms, 50), 3),
            "ingest_floor_p50_ms": round(percentile(ingest_floor_ms, 50), 3),
            "fsync_floor_p50_ms": round(percentile(fsync_ms, 50), 3),
            "sqlite_badge_p50_ms": round(percentile(sqlite_badge_ms, 50), 3),
            "sqlite_ingest_p50_ms": round(percentile(sqlite_ingest_ms, 50), 3),
            **heavy,
            **{f"{name}_p50_ms": round(percentile(ms, 50), 1) for name, ms in pages_ms.items()},
            "reminded_ingest_p50_ms": round(percentile(reminded_ms, 50), 3),
            "keep_in_touch_p50_ms": round(percentile(keep_ms, 50), 3),
            "keep_in_touch_p99_ms": round(percentile(keep_ms, 99), 3),
            "keep_in_touch_unchanged_p50_ms": round(percentile(keep_warm_ms, 50), 3),
            "keep_in_touch_everyone_p50_ms": round(percentile(keep_all_ms, 50), 3),
            "circles_p50_ms": round(percentile(circles_ms, 50), 3),
            "circles_p99_ms": round(percentile(circles_ms, 99), 3),
            "near_p50_ms": round(percentile(near_ms, 50), 3),
            "near_p99_ms": round(percentile(near_ms, 99), 3),
            "near_london_p50_ms": round(percentile(near_london_ms, 50), 3),
            "resolve_p50_ms": round(percentile(resolve_ms, 50), 4),
            "resolve_p99_ms": round(percentile(resolve_ms, 99), 4),
            "posts_off_ingest_p50_ms": round(percentile(posts_off_ms, 50), 3),
            "posts_on_ingest_p50_ms": round(percentile(posts_on_ms, 50), 3),
            "brief_p50_ms": round(percentile(brief_ms, 50), 3),
            "brief_card_p50_ms": round(percentile(brief_card_ms, 50), 3),
        }
        info_reminders = {"with_reminder": sum(len(due[k]) for k in ("overdue", "due_soon", "upcoming", "snoozed")),
                          "overdue": len(due["overdue"]), "core": len(circle["core"]), **near_info}
        report(results, {"people": args.people, "interactions": world.interactions, "snapshots": args.snapshots,
                         "build_s": build_s, "badge_n": args.iterations, "ingest_n": ingest_n,
                         "total_s": time.perf_counter() - t_start, **info_reminders})
        print(orjson.dumps(results).decode(), flush=True)
        return 0
    except (Exception, KeyboardInterrupt) as exc:
        if not isinstance(exc, ServerFailed):
            traceback.print_exc()
        else:
            print(f"bench failed: {exc}", file=sys.stderr)
        if proc is not None and log_path.exists() and not isinstance(exc, ServerFailed):
            print(f"--- server log (last lines) ---\n{tail(log_path)}", file=sys.stderr)
        return 1
    finally:
        if proc is not None:
            stop_server(proc)
        if args.keep:
            log(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
