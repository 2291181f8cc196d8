"""The recent posts of people you know: kept so Meet-ups can say who posted about a conference or a city, and
conversation starters what they talk about; bounded so a busy timeline never fills the disk. Each post is
read once, when it is kept, for where its author is and what belongs in your notes.

Only people you know (stage 1 and up, or with notes, tags or a cadence) have posts kept; everyone else's
are never stored. A setting turns the keeping off, and that deletes what was kept.
"""

from __future__ import annotations

import logging
from typing import Any

from companion.store.database import Store

from . import clock, mentions, whereabouts
from .derive import status_url

log = logging.getLogger("rapport")
PER_PERSON = 200
TOTAL = 50_000
# The total is brought back to TOTAL once it passes it by this much (pruning is a pass over every post).
TOTAL_SLACK = 1_000
SHOWN = 20  # on the person page, the newest posts


def keeping(store: Store) -> bool:
    return bool(store.settings().get("keep_posts", True))


def known(doc: dict[str, Any]) -> bool:
    """Someone you know: talked with, or noted, tagged or given a cadence by you."""
    return (doc["stage"] >= 1 or bool(doc["tags"]) or any(v for v in doc["notes"].values())
            or bool(doc.get("cadence_days")))


def links_in(text: str | None) -> list[str]:
    return list(dict.fromkeys(m.rstrip(".,;:!?") for m in mentions.links(text or "")))


def post_of(person_id: int, tweet: dict[str, Any], text: str, observed_at: str) -> dict[str, Any]:
    """A kept post, unread ("mentions": None), from a tweet the page showed (`text`: its text, stripped)."""
    at = clock.normalize(tweet["created_at"], "/tweets/created_at") if tweet.get("created_at") else observed_at
    return {"person": person_id, "status_id": tweet["status_id"], "at": at, "text": text,
            "url": status_url(tweet["author"], tweet["status_id"]), "links": links_in(text),
            "mentions": None, "observed_at": observed_at}


def keep(store: Store, tweets: list[dict[str, Any]], observed_at: str) -> int:
    """Keep the posts in `tweets` whose authors you know (inside the ingest's transaction); returns how many
    were new. They are kept unread ("mentions": None): reading them is the PostReader's work, off the ingest."""
    if not tweets or not keeping(store):
        return 0
    by_person: dict[int, list[dict[str, Any]]] = {}
    for tweet in tweets:
        text = (tweet.get("text") or "").strip()
        person_id = store.find_handle(tweet["author"]) if text else None
        if person_id is None:
            continue
        doc = store.person(person_id)
        if doc is None or not known(doc) or tweet["status_id"] in store.post_ids(person_id):
            continue
        by_person.setdefault(person_id, []).append(post_of(person_id, tweet, text, observed_at))
    unique = [post for fresh in by_person.values() for post in {p["status_id"]: p for p in fresh}.values()]
    if unique:  # one insert for the page: each insert costs its own bookkeeping
        store.insert_posts(unique)
    for person_id in by_person:
        _bound_person(store, person_id)
    added = len(unique)
    if added and len(store.all_posts()) > TOTAL + TOTAL_SLACK:
        _bound_total(store)
    return added


def _bound_person(store: Store, person_id: int) -> None:
    if len(store.post_ids(person_id)) <= PER_PERSON:  # counted, not read: most writes are within the bound
        return
    kept = store.posts_of(person_id)
    if len(kept) > PER_PERSON:
        ids = store.post_ids(person_id)
        oldest = sorted(kept, key=lambda p: (p["at"], p["status_id"]))[:len(kept) - PER_PERSON]
        store.remove_posts([ids[p["status_id"]] for p in oldest])


def bound_all(store: Store) -> None:
    """Bring every person, and the total, back within the bounds (after an import)."""
    for person_id in store.person_ids():
        _bound_person(store, person_id)
    if len(store.all_posts()) > TOTAL:
        _bound_total(store)


def _bound_total(store: Store) -> None:
    everything = sorted(store.all_posts().items(), key=lambda kv: (kv[1]["at"], kv[1]["status_id"]))
    store.remove_posts([int(post_id) for post_id, _ in everything[:len(everything) - TOTAL]])


def unread(store: Store) -> list[int]:
    """The kept posts not read yet (oldest first): kept by an ingest a moment ago, or imported."""
    return sorted(int(i) for i, p in store.all_posts().items() if p.get("mentions") is None)


Reading = tuple[str, list[dict[str, str]], list[dict[str, Any]]]  # status id, mentions, whereabouts


def read(post: dict[str, Any]) -> Reading:
    """What a kept post says that belongs in the notes, and where its author says they are (pure: it needs no
    store, nor its lock)."""
    try:
        hits = whereabouts.places_in(post["text"])
    except Exception:  # a bug in a rule, on a text nobody foresaw: it says nothing (mentions.read logs the like)
        log.exception("could not read where a kept post says its author is")
        hits = []
    return post["status_id"], mentions.read(post["text"], present=hits), whereabouts.entries(post, hits)


def apply(store: Store, found: dict[int, Reading], now: str) -> int:
    """Store what `read` found in kept posts (by post id), inside the caller's transaction. A post deleted, read
    or replaced meanwhile (a replacing import reuses ids) is left alone. Returns how many were stored."""
    table = store.all_posts()
    by_person: dict[int, list[dict[str, Any]]] = {}
    done = 0
    for post_id, (status_id, post_mentions, post_whereabouts) in found.items():
        post = table.get(str(post_id))
        if post is None or post.get("mentions") is not None or post["status_id"] != status_id:
            continue
        store.update_post(post_id, {"mentions": post_mentions})
        by_person.setdefault(post["person"], []).extend(post_whereabouts)
        done += 1
    for person_id, fresh in by_person.items():
        whereabouts.note(store, person_id, fresh, now)
    return done


def newest(store: Store, person_id: int, limit: int = SHOWN) -> list[dict[str, Any]]:
    found = sorted(store.posts_of(person_id), key=lambda p: (p["at"], p["status_id"]), reverse=True)
    return [view(p) for p in found[:limit]]


def view(post: dict[str, Any]) -> dict[str, Any]:
    return {"status_id": post["status_id"], "at": post["at"], "text": post["text"], "url": post["url"],
            "links": post.get("links", [])}


def set_keeping(store: Store, keep_posts: bool) -> dict[str, Any]:
    """Turn the keeping of posts on or off; off deletes every kept post, and what was read from them."""
    removed = 0
    if not keep_posts:
        removed = len(store.all_posts())
        store.remove_posts([int(i) for i in store.all_posts()])
        whereabouts.forget_all(store)
    store.update_settings({"keep_posts": keep_posts})
    return {"keep_posts": keep_posts, "posts_kept": len(store.all_posts()), "posts_removed": removed}
