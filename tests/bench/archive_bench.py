#!/usr/bin/env python
"""Archive import benchmark: a heavy user's X archive, imported as a user does, measured side by side.

Generates synthetic archives in X's real format (tests/archive_factory.py's shapes: wrapped posts in
`data/tweets.js` split into parts, DMs with headers, follows, a manifest; zipped, deflated), then:
- hands each to a real `rapport serve` with `rapport import-archive` (the command sends the data files,
  the companion imports them), while a client asks for badges (50 handles) the whole time;
- samples the companion's RSS (idle before, peak during), at two archive sizes (does it grow with them?);
- imports the big one again with no companion running (the command does the work itself);
- runs the naive baseline in the same run: `json.loads` of each whole file, then one store write per
  item, through the same Store (timed over its first --naive-items items, then extrapolated).
Prints a table, then one JSON object as the last line of stdout. Progress goes to stderr.

    .venv/bin/python tests/bench/archive_bench.py                                   # full (a few minutes)
    .venv/bin/python tests/bench/archive_bench.py --posts 3000 --messages 1000 --small-posts 1000  # smoke
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import orjson  # noqa: E402
import requests  # noqa: E402

from companion.access.tokens import TokenStore  # noqa: E402
from tests.archive_factory import post_time, snowflake  # noqa: E402

SEED = 20260301
ME_ID, ME_HANDLE = "1500000001", "bench_me"
START = datetime(2016, 1, 1, tzinfo=UTC)
SPAN_DAYS = 10 * 365


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- a heavy user's archive ---------------------------------------------------------------------------
def _people(n: int) -> list[tuple[str, str]]:
    return [(f"friend_{i}", str(100_000 + i)) for i in range(n)]


def _pick(rng: random.Random, people: list[tuple[str, str]]) -> tuple[str, str]:
    # A few relationships get most of the talk (top ones reach thousands of replies), as in real exports.
    return people[min(len(people) - 1, int(rng.paretovariate(1.1)) - 1)]


def _post(rng: random.Random, n: int, people: list[tuple[str, str]]) -> dict[str, Any]:
    at = START + timedelta(seconds=n * SPAN_DAYS * 86400 // 400_000 + rng.randrange(60))
    sid = snowflake(at, n % 4096)
    roll = rng.random()
    mentions: list[tuple[str, str]] = []
    reply = None
    urls: list[str] = []
    if roll < 0.55:
        reply = _pick(rng, people)
        mentions = [reply] + ([_pick(rng, people)] if rng.random() < 0.2 else [])
        text = " ".join(f"@{h}" for h, _ in mentions) + " that is a fair point, and here is what I think about it"
    elif roll < 0.70:
        mentions = [_pick(rng, people)]
        text = f"RT @{mentions[0][0]}: something worth sharing with everyone who follows me, really"
    elif roll < 0.80:
        mentions = [_pick(rng, people)]
        text = f"great conversation with @{mentions[0][0]} today about local-first software"
    elif roll < 0.85:
        quoted = _pick(rng, people)
        urls = [f"https://twitter.com/{quoted[0]}/status/{snowflake(at, 1)}"]
        text = "this, exactly https://t.co/abcdefghij"
    else:
        text = "a thought of my own about the weather, the news and the state of things in general"
    entities = [{"name": h.title(), "screen_name": h, "indices": [str(text.find(h) - 1), str(text.find(h) + len(h))],
                 "id_str": uid, "id": uid} for h, uid in mentions]
    tweet: dict[str, Any] = {
        "retweeted": False, "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
        "entities": {"hashtags": [], "symbols": [], "user_mentions": entities,
                     "urls": [{"url": "https://t.co/abcdefghij", "expanded_url": u, "display_url": u[8:34],
                               "indices": ["16", "39"]} for u in urls]},
        "display_text_range": ["0", str(len(text))], "favorite_count": str(rng.randrange(50)), "id_str": sid,
        "truncated": False, "retweet_count": str(rng.randrange(9)), "id": sid, "created_at": post_time(at),
        "favorited": False, "full_text": text, "lang": "en",
    }
    if reply:
        parent = snowflake(at - timedelta(minutes=5), 7)
        tweet.update({"in_reply_to_status_id_str": parent, "in_reply_to_status_id": parent,
                      "in_reply_to_user_id": reply[1], "in_reply_to_user_id_str": reply[1],
                      "in_reply_to_screen_name": reply[0]})
    return {"tweet": tweet}


def _write_list(z: zipfile.ZipFile, name: str, global_name: str, items: Any) -> int:
    """One data file as X writes it, streamed into the zip item by item; returns its size."""
    with z.open(name, "w", force_zip64=True) as out:
        size = out.write(f"window.YTD.{global_name} = [ ".encode())
        first = True
        for item in items:
            size += out.write((b"" if first else b", ") + orjson.dumps(item, option=orjson.OPT_INDENT_2))
            first = False
        size += out.write(b" ]")
    return size


def make_archive(path: Path, posts: int, messages: int, parts: int) -> dict[str, Any]:
    rng = random.Random(SEED)
    people = _people(20_000)
    sizes: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("data/account.js", "window.YTD.account.part0 = " + orjson.dumps([{"account": {
            "username": ME_HANDLE, "accountId": ME_ID, "accountDisplayName": "Bench Me",
            "createdAt": "2012-01-01T00:00:00.000Z"}}]).decode())
        per_part = -(-posts // parts)
        for part in range(parts):  # X splits near 100 MB, not in date order
            first = (parts - 1 - part) * per_part
            count = max(0, min(per_part, posts - first))
            name = "data/tweets.js" if part == 0 else f"data/tweets-part{part}.js"
            sizes[name] = _write_list(z, name, f"tweets.part{part}",
                                      (_post(rng, n, people) for n in range(first, first + count)))
        conversations: dict[str, list[dict[str, Any]]] = {}
        for n in range(messages):
            _handle, partner = _pick(rng, people[:3000])
            mine = rng.random() < 0.5 or int(partner) % 5 == 0
            at = START + timedelta(seconds=rng.randrange(SPAN_DAYS * 86400))
            conversations.setdefault(partner, []).append({"messageCreate": {
                "recipientId": partner if mine else ME_ID, "senderId": ME_ID if mine else partner,
                "id": snowflake(at, n % 4096),
                "createdAt": at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "text": "see you at the conference next week, let us grab a coffee", "urls": [], "mediaUrls": [],
                "reactions": []}})
        dms = [{"dmConversation": {"conversationId": f"{partner}-{ME_ID}", "messages": msgs}}
               for partner, msgs in conversations.items()]
        sizes["data/direct-messages.js"] = _write_list(z, "data/direct-messages.js", "direct_messages.part0", dms)
        followers = [{"follower": {"accountId": uid}} for _h, uid in people[::3]]
        sizes["data/follower.js"] = _write_list(z, "data/follower.js", "follower.part0", followers)
        following = [{"following": {"accountId": uid}} for _h, uid in people[:4000]]
        sizes["data/following.js"] = _write_list(z, "data/following.js", "following.part0", following)
        # Media, stored as X ships it: never to be read.
        with z.open(zipfile.ZipInfo("data/tweets_media/video.mp4"), "w", force_zip64=True) as media:
            for _ in range(64):
                media.write(b"\x00" * (1 << 20))
    posts_mb = sum(v for k, v in sizes.items() if "tweets" in k) / 1e6
    return {"path": path, "posts": posts, "messages": messages, "posts_mb": posts_mb,
            "data_mb": sum(sizes.values()) / 1e6, "zip_mb": path.stat().st_size / 1e6}


# -- a real companion ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


class Server:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/api/v1"
        self.token = TokenStore(data_dir).create(f"bench-{self.port}")[1]
        self.log = open(data_dir / f"serve-{self.port}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen([sys.executable, "-m", "companion", "serve", "--port", str(self.port),
                                      "--live-port", "0", "--data-dir", str(data_dir)],
                                     stdout=self.log, stderr=subprocess.STDOUT, cwd=REPO)
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {self.token}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/health", timeout=0.5).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("rapport serve did not start")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)
        self.log.close()


def import_through_companion(archive: dict[str, Any], workdir: Path) -> dict[str, Any]:
    data_dir = workdir / f"data-{archive['posts']}"
    data_dir.mkdir()
    server = Server(data_dir)
    handles = [f"friend_{i}" for i in range(0, 500, 10)]
    try:
        server.http.post(server.base + "/badges", json={"handles": handles}, timeout=10)
        time.sleep(0.5)
        idle = rss_mb(server.proc.pid)
        peak = idle
        badge_ms: list[float] = []
        done = threading.Event()

        def ask_badges() -> None:
            while not done.is_set():
                t = time.perf_counter()
                answer = server.http.post(server.base + "/badges", json={"handles": handles}, timeout=30)
                badge_ms.append((time.perf_counter() - t) * 1000)
                assert answer.ok
                time.sleep(0.01)

        asker = threading.Thread(target=ask_badges, daemon=True)
        asker.start()
        started = time.perf_counter()
        cli = subprocess.Popen([sys.executable, "-m", "companion", "import-archive", str(archive["path"]),
                                "--data-dir", str(data_dir), "--port", str(server.port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
        while cli.poll() is None:
            peak = max(peak, rss_mb(server.proc.pid))
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        done.set()
        asker.join()
        out, err = cli.communicate()
        if cli.returncode != 0:
            raise RuntimeError(f"import-archive failed: {err[-2000:]}")
        peak = max(peak, rss_mb(server.proc.pid, "VmHWM"))
        people = server.http.get(server.base + "/people", params={"limit": 1}, timeout=30).json()["total"]
        line = next(line for line in out.splitlines() if "interactions added" in line)
        added = int(line.split()[-1].replace(",", ""))
        badge_ms.sort()
    finally:
        server.stop()
    # The same data, loaded by a fresh companion: what the data itself costs in memory. The rest of the
    # peak is what the import needed on top, which must not grow with the archive.
    server = Server(data_dir)
    try:
        server.http.post(server.base + "/badges", json={"handles": handles}, timeout=10)
        loaded = rss_mb(server.proc.pid)
    finally:
        server.stop()
    return {"seconds": seconds, "idle_mb": idle, "peak_mb": peak, "growth_mb": peak - idle, "people": people,
            "interactions": added, "badge_p50_ms": statistics.median(badge_ms), "loaded_mb": loaded,
            "overhead_mb": peak - loaded,
            "badge_p99_ms": badge_ms[min(len(badge_ms) - 1, int(len(badge_ms) * 0.99))], "badges": len(badge_ms)}


def import_alone(archive: dict[str, Any], workdir: Path) -> dict[str, Any]:
    data_dir = workdir / "data-alone"
    started = time.perf_counter()
    cli = subprocess.Popen([sys.executable, "-m", "companion", "import-archive", str(archive["path"]),
                            "--data-dir", str(data_dir)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    peak = 0.0
    while cli.poll() is None:
        try:
            peak = max(peak, rss_mb(cli.pid, "VmHWM"))
        except FileNotFoundError:
            break
        time.sleep(0.02)
    _out, err = cli.communicate()
    if cli.returncode != 0:
        raise RuntimeError(f"import-archive failed: {err.decode()[-2000:]}")
    return {"seconds": time.perf_counter() - started, "peak_mb": peak}


NAIVE = r"""
import json, sys, time, zipfile
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from companion.domain import people
from companion.domain.derive import PersonRef
from companion.store.database import Store
limit = int(sys.argv[2])
store = Store(Path(sys.argv[4]))
t = time.perf_counter()
items = []
with zipfile.ZipFile(sys.argv[1]) as z:
    for name in z.namelist():
        if name.startswith("data/tweets") and name.endswith(".js"):
            text = z.read(name).decode()
            items += json.loads(text[text.index("=") + 1:])
load_s = time.perf_counter() - t
t = time.perf_counter()
written = 0
for item in items[:limit]:
    tweet = item["tweet"]
    for m in tweet["entities"]["user_mentions"]:
        with store.transaction():  # one store write per item
            pid, _ = people.resolve(store, PersonRef(m["screen_name"], m["id_str"]), "2026-01-01T00:00:00Z", True)
            item = {"key": "tweet:" + tweet["id_str"] + ":x", "kind": "i_mentioned", "at": "2026-01-01T00:00:00Z",
                    "source": "archive"}
            people.add_interactions(store, {pid: [item]}, "2026-01-01T00:00:00Z")
        written += 1
per_item = (time.perf_counter() - t) / max(1, written)
hwm = [l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM")][0].split()[1]
print(json.dumps({"load_s": load_s, "items": len(items), "per_item_ms": per_item * 1000,
                  "mentions_per_post": written / max(1, min(limit, len(items))), "peak_mb": int(hwm) / 1024}))
"""


def naive(archive: dict[str, Any], workdir: Path, limit: int) -> dict[str, Any]:
    data_dir = workdir / "data-naive"
    run = subprocess.run([sys.executable, "-c", NAIVE, str(archive["path"]), str(limit), str(REPO), str(data_dir)],
                         capture_output=True, text=True, cwd=REPO, timeout=3600)
    if run.returncode != 0:
        raise RuntimeError(f"the naive baseline failed: {run.stderr[-2000:]}")
    result = orjson.loads(run.stdout.strip().splitlines()[-1])
    # All of it, extrapolated: every post's people, one durable write each.
    result["seconds"] = result["load_s"] + result["items"] * result["mentions_per_post"] * result["per_item_ms"] / 1000
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=300_000)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--parts", type=int, default=3)
    parser.add_argument("--small-posts", type=int, default=75_000, help="the smaller archive, for RSS vs size")
    parser.add_argument("--naive-items", type=int, default=2_000, help="posts the naive baseline writes, timed")
    parser.add_argument("--tmp-dir", type=Path, default=None)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="rapport-archive-bench-", dir=args.tmp_dir))
    try:
        log(f"generating archives in {workdir}")
        big = make_archive(workdir / "twitter-big.zip", args.posts, args.messages, args.parts)
        small = make_archive(workdir / "twitter-small.zip", args.small_posts, args.messages * args.small_posts
                             // max(1, args.posts), 1)
        runs = {}
        for name, archive in (("small", small), ("big", big)):
            log(f"importing the {name} archive ({archive['posts_mb']:.0f} MB of posts) through a companion")
            runs[name] = import_through_companion(archive, workdir)
        log("importing the big archive with no companion running")
        alone = import_alone(big, workdir)
        log(f"the naive baseline on the big archive ({args.naive_items} posts timed)")
        base = naive(big, workdir, args.naive_items)
    except Exception as exc:  # a broken bench says so and exits 1
        log(f"archive bench failed: {exc}")
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    b, s = runs["big"], runs["small"]
    rows = [
        (f"big archive: {big['posts']:,} posts ({big['posts_mb']:.0f} MB in {args.parts} parts), "
         f"{big['messages']:,} DMs, zip {big['zip_mb']:.0f} MB", ""),
        ("  import through the companion (send + import)", f"{b['seconds']:.1f} s  (target <= 30 s)"),
        ("  people / interactions", f"{b['people']:,} / {b['interactions']:,}"),
        ("  companion RSS idle -> peak", f"{b['idle_mb']:.0f} -> {b['peak_mb']:.0f} MB (+{b['growth_mb']:.0f} MB)"),
        ("  badge lookups during the import p50 / p99",
         f"{b['badge_p50_ms']:.1f} / {b['badge_p99_ms']:.1f} ms over {b['badges']} (target p99 < 20 ms)"),
        ("  import with no companion running", f"{alone['seconds']:.1f} s, peak RSS {alone['peak_mb']:.0f} MB"),
        (f"small archive: {small['posts']:,} posts ({small['posts_mb']:.0f} MB)", ""),
        ("  import through the companion", f"{s['seconds']:.1f} s"),
        ("  companion RSS growth small -> big", f"+{s['growth_mb']:.0f} MB -> +{b['growth_mb']:.0f} MB "
                                               f"(target <= 150 MB, flat with size)"),
        ("  of which the imported data (a fresh start on it)",
         f"{s['loaded_mb'] - s['idle_mb']:.0f} MB -> {b['loaded_mb'] - b['idle_mb']:.0f} MB"),
        ("  and the import itself on top (peak - fresh start)",
         f"{s['overhead_mb']:.0f} MB -> {b['overhead_mb']:.0f} MB"),
        ("naive: json.loads of whole files, one store write per item", ""),
        ("  load", f"{base['load_s']:.1f} s, peak RSS {base['peak_mb']:.0f} MB"),
        ("  per write", f"{base['per_item_ms']:.2f} ms (timed over {args.naive_items} posts)"),
        ("  whole archive (extrapolated)", f"{base['seconds']:.0f} s = {base['seconds'] / b['seconds']:.1f}x ours"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print(orjson.dumps({
        "archive_import_s": round(b["seconds"], 2), "archive_alone_s": round(alone["seconds"], 2),
        "archive_posts_mb": round(big["posts_mb"], 1), "archive_rss_growth_mb": round(b["growth_mb"], 1),
        "archive_small_rss_growth_mb": round(s["growth_mb"], 1),
        "archive_overhead_mb": round(b["overhead_mb"], 1), "archive_small_overhead_mb": round(s["overhead_mb"], 1),
        "archive_data_mb": round(b["loaded_mb"] - b["idle_mb"], 1),
        "archive_small_posts_mb": round(small["posts_mb"], 1),
        "archive_badge_p50_ms": round(b["badge_p50_ms"], 2), "archive_badge_p99_ms": round(b["badge_p99_ms"], 2),
        "archive_naive_s": round(base["seconds"], 1), "archive_naive_peak_mb": round(base["peak_mb"], 1),
        "archive_naive_ratio": round(base["seconds"] / b["seconds"], 1),
    }).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
