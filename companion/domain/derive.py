"""What a scrape batch means for my relationships: a pure function, batch → interactions + observations.

Only interactions that involve me (the page's `me`) count. Each interaction gets a key that is the
same however often, and on whichever page, the same tweet or conversation is seen: that key is
what makes ingest idempotent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from companion.schema import x_facts

from . import clock
from .vocabulary import PROFILE_FIELDS

# First path segments of x.com that are not profiles (shared_schema/x.json, as the extension reads them).
RESERVED_PATHS = frozenset(x_facts()["reserved_paths"])
# A handle's characters (ASCII only, whatever the language around it), as a pattern: "[A-Za-z0-9_]{1,20}".
HANDLE_CHARS: str = x_facts()["handle_chars"]
_HANDLE_CHAR = HANDLE_CHARS[1:HANDLE_CHARS.index("]")]  # what is inside its brackets
# A mention as X links one (twitter-text's rule): "@", or the full-width "＠" Japanese keyboards type, then a
# handle; not after a handle character, an at sign or one of !#$%&*, and not followed by a handle character,
# an at sign or an accented Latin letter ("@suzuki_ichiroさん" names suzuki_ichiro; "me@example" and "@josé"
# name nobody).
MENTION = re.compile(rf"(?<![{_HANDLE_CHAR}!#$%&*@＠])[@＠]({HANDLE_CHARS})"
                     rf"(?![{_HANDLE_CHAR}@＠À-ÖØ-öø-ɏ\u0300-\u036f])")


@dataclass(frozen=True)
class PersonRef:
    handle: str | None
    user_id: str | None = None


@dataclass
class Observation:
    """What the page showed about one person (only the fields it showed)."""

    handle: str
    user_id: str | None = None
    profile: dict[str, Any] = field(default_factory=dict)


@dataclass
class Interaction:
    who: PersonRef
    kind: str
    key: str
    at: str
    status_id: str | None = None
    url: str | None = None
    text: str | None = None


@dataclass
class Derived:
    observed_at: str
    observations: dict[str, Observation] = field(default_factory=dict)  # by lower-case handle
    interactions: list[Interaction] = field(default_factory=list)
    profile_owner: str | None = None  # handle whose profile page this was: store them
    followers_seen: set[str] = field(default_factory=set)  # lower-case handles that follow me


def profile_owner(page: dict[str, Any]) -> str | None:
    if page["type"] != "profile":
        return None
    if page.get("profile_handle"):
        return page["profile_handle"]
    try:
        first = urlsplit(page["url"]).path.strip("/").split("/")[0]
    except ValueError:  # "https://[x/": not a URL at all, so not a profile
        return None
    if first and first.lower() not in RESERVED_PATHS and first.replace("_", "").isalnum() and len(first) <= 20:
        return first
    return None


def status_url(author: str, status_id: str) -> str:
    return f"https://x.com/{author}/status/{status_id}"


def derive(batch: dict[str, Any]) -> Derived:
    page = batch["page"]
    out = Derived(observed_at=clock.normalize(page["observed_at"], "/page/observed_at"),
                  profile_owner=profile_owner(page))
    _observe_people(batch, out)
    me = (page.get("me") or "").lower() or None
    if me is None:
        return out  # without knowing who I am, nothing on the page is "between me and them"
    _tweets(batch.get("tweets", []), me, out)
    _dms(batch.get("dm_conversations", []), me, out)
    _notifications(batch.get("notifications", []), me, out)
    # Every reference to a handle carries the user id the page showed for it, wherever it was shown.
    for item in out.interactions:
        seen = out.observations.get((item.who.handle or "").lower())
        if seen and seen.user_id and not item.who.user_id:
            item.who = PersonRef(item.who.handle, seen.user_id)
    return out


def _observe_people(batch: dict[str, Any], out: Derived) -> None:
    for tweet in batch.get("tweets", []):
        if tweet.get("author_display_name"):
            _observation(out, tweet["author"]).profile.setdefault("display_name", tweet["author_display_name"])
    for person in batch.get("people", []):
        seen = _observation(out, person["handle"])
        if person.get("user_id"):
            seen.user_id = person["user_id"]
        seen.profile.update({f: person[f] for f in PROFILE_FIELDS if person.get(f) is not None})


def _observation(out: Derived, handle: str) -> Observation:
    key = handle.lower()
    found = out.observations.get(key)
    if found is None:
        found = out.observations[key] = Observation(handle=handle)
    return found


def _add(out: Derived, handle: str, kind: str, key: str, at: str, tweet: dict[str, Any] | None = None) -> None:
    status_id = tweet["status_id"] if tweet else None
    out.interactions.append(Interaction(
        who=PersonRef(handle), kind=kind, key=key, at=at, status_id=status_id,
        url=status_url(tweet["author"], status_id) if tweet else None,
        text=tweet.get("text") if tweet else None,
    ))


def _parent_author(tweet: dict[str, Any], by_id: dict[str, dict[str, Any]], at_of: dict[str, str]) -> str | None:
    """The author of the post this one replies to, when it is in the batch and not newer than the reply
    (a parent is never newer than its reply: such an edge is a misreading of the page)."""
    parent = by_id.get(tweet.get("in_reply_to_status_id") or "")
    if parent is None:
        return None
    mine, theirs = at_of.get(tweet["status_id"]), at_of.get(parent["status_id"])
    if mine and theirs and theirs > mine:
        return None
    return parent["author"]


def _tweets(tweets: list[dict[str, Any]], me: str, out: Derived) -> None:
    by_id = {t["status_id"]: t for t in tweets}
    author_of = {sid: t["author"] for sid, t in by_id.items()}
    at_of = {t["status_id"]: clock.normalize(t["created_at"], f"/tweets/{n}/created_at")
             for n, t in enumerate(tweets) if t.get("created_at")}
    for tweet in tweets:
        author = tweet["author"]
        if author.lower() != me and not (tweet.get("reply_to") or tweet.get("mentions") or tweet.get("social_context")
                                         or tweet.get("quoted_status_id") or tweet.get("quoted_author")
                                         or tweet.get("in_reply_to_status_id")):
            continue  # someone else's post that answers, names, quotes and reposts nobody: nothing between us
        at = at_of.get(tweet["status_id"], out.observed_at)
        sid = tweet["status_id"]
        reply_to = [h for h in tweet.get("reply_to", []) if h.lower() != author.lower()]
        parent_author = _parent_author(tweet, by_id, at_of)
        if parent_author and parent_author.lower() not in {h.lower() for h in reply_to}:
            reply_to.append(parent_author)
        replied = {h.lower() for h in reply_to}
        mentions = [h for h in tweet.get("mentions", []) if h.lower() not in replied and h.lower() != author.lower()]
        # Who wrote the quoted post: its record, else what the quote card named (a card without a status link).
        quoted_author = author_of.get(tweet.get("quoted_status_id") or "") or tweet.get("quoted_author")
        context = tweet.get("social_context") or {}
        reposter = context.get("handle") if context.get("type") == "repost" else None

        def add(handle: str, kind: str, tweet: dict[str, Any] = tweet, at: str = at, sid: str = sid) -> None:
            _add(out, handle, kind, f"tweet:{sid}:{kind}", at, tweet)

        if author.lower() == me:
            for handle in _unique(h for h in reply_to if h.lower() != me):
                add(handle, "i_replied")
            for handle in _unique(h for h in mentions if h.lower() != me):
                add(handle, "i_mentioned")
            if quoted_author and quoted_author.lower() != me:
                add(quoted_author, "i_quoted")
            if reposter and reposter.lower() != me:
                add(reposter, "they_reposted")
        else:
            if me in replied:
                add(author, "they_replied")
            elif any(h.lower() == me for h in mentions):
                add(author, "they_mentioned")
            if quoted_author and quoted_author.lower() == me:
                add(author, "they_quoted")
            if reposter and reposter.lower() == me:
                add(author, "i_reposted")


def _unique(handles: Any) -> list[str]:
    seen: dict[str, str] = {}
    for handle in handles:
        seen.setdefault(handle.lower(), handle)
    return list(seen.values())


def _dm_kind(conversation: dict[str, Any], parties: int) -> str | None:
    """Both sides wrote: a DM conversation (stage 2). One side only counts like a mention (stage 1),
    as in the archive import. A page that does not show who wrote keeps the old rule."""
    if parties > 1:
        return "group_dm"
    writers = conversation.get("writers")
    if writers is None or set(writers) == {"me", "them"}:
        return "dm"
    if writers == ["me"]:
        return "i_messaged"
    if writers == ["them"]:
        return "they_messaged"
    return None  # the page showed nobody's message: nothing to count


def _dms(conversations: list[dict[str, Any]], me: str, out: Derived) -> None:
    for n, conversation in enumerate(conversations):
        parties = [PersonRef(p, None) if isinstance(p, str) else PersonRef(p.get("handle"), p.get("user_id"))
                   for p in conversation["with"]]
        parties = [p for p in parties if (p.handle or "").lower() != me]
        if not parties:
            continue
        kind = _dm_kind(conversation, len(parties))
        if kind is None:
            continue
        last = conversation.get("last_message_at")
        at = clock.normalize(last, f"/dm_conversations/{n}/last_message_at") if last else out.observed_at
        # The same conversation seen again with the same last message is the same interaction; one
        # side's message and the whole conversation are told apart by their kind.
        key = f"dm:{at}" if last else f"dm:seen:{clock.day(out.observed_at)}"
        if kind in ("i_messaged", "they_messaged"):
            key = f"{key}:{kind}"
        for party in parties:
            if party.handle and party.user_id:
                _observation(out, party.handle).user_id = party.user_id
            out.interactions.append(Interaction(who=party, kind=kind, key=key, at=at))


_NOTIFICATION_KIND = {"like": "they_liked", "repost": "they_reposted", "mention": "they_mentioned",
                      "reply": "they_replied", "quote": "they_quoted"}


def _notifications(notifications: list[dict[str, Any]], me: str, out: Derived) -> None:
    for n, note in enumerate(notifications):
        actors = [a for a in note["actors"] if a.lower() != me]
        if note["type"] == "follow":
            out.followers_seen.update(a.lower() for a in actors)
            continue
        kind = _NOTIFICATION_KIND[note["type"]]
        at = clock.normalize(note["at"], f"/notifications/{n}/at") if note.get("at") else out.observed_at
        sid = note.get("status_id")
        # Same key as the tweet-derived interaction, so a reply seen in both places counts once.
        key = f"tweet:{sid}:{kind}" if sid else f"{kind}:day:{clock.day(at)}"
        for actor in actors:
            out.interactions.append(Interaction(
                who=PersonRef(actor), kind=kind, key=key, at=at, status_id=sid,
                url=f"https://x.com/i/status/{sid}" if sid else None,
            ))
