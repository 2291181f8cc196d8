"""What one item of an archive means for my relationships: pure functions, item -> touches.

The same meaning as the live rules (companion/domain/derive.py), applied to what an archive holds:
only my own posts, my DMs both ways, and who follows whom. Every credited person carries a numeric
user id, except the author of a quoted post (a quote URL names only a handle).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from companion.domain.derive import HANDLE_CHARS, MENTION, PersonRef, status_url

from .items import epoch_ms, parse_time, snowflake_ms

# The run of @names a reply starts with: X's "Replying to" list.
LEADING_NAMES = re.compile(rf"^(?:\s*{MENTION.pattern})+")
NAME = MENTION
RETWEET = re.compile(rf"^RT [@＠]({HANDLE_CHARS}):")
STATUS_URL = re.compile(rf"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/({HANDLE_CHARS})/status(?:es)?/(\d+)",
                        re.IGNORECASE)
# The first path segments of status URLs that name no author (x.com/i/status/1, x.com/i/web/status/1).
NO_AUTHOR = frozenset({"i", "web", "intent"})


@dataclass(frozen=True)
class Touch:
    """One interaction with one person, as the archive shows it."""

    who: PersonRef
    kind: str
    key: str
    at: str
    url: str | None = None
    text: str | None = None
    status_id: str | None = None


@dataclass
class Owner:
    """Whose archive it is: the id, and every handle the account had (all of them are me)."""

    user_id: str
    handle: str | None = None
    display_name: str | None = None
    handles: set[str] = field(default_factory=set)  # lower case

    def is_me(self, handle: str | None = None, user_id: str | None = None) -> bool:
        return (user_id is not None and user_id == self.user_id) or (
            handle is not None and handle.lower() in self.handles)


@dataclass
class Skipped:
    """What the archive holds that credits nobody, counted for the summary."""

    handle_changed_hands: int = 0  # a mention naming an account younger than the post
    no_account: int = 0  # a name in a reply with no account behind it (deleted since)
    self_conversations: int = 0
    silent_groups: int = 0  # group DMs I never wrote in (often spam): recorded, no stage
    silent_group_members: int = 0
    empty_conversations: int = 0
    deleted_posts: int = 0
    likes: int = 0


def tweet_of(item: Any) -> dict[str, Any] | None:
    """The tweet in an item: wrapped as {"tweet": {...}} since 2020, bare in 2019 and Grailbird."""
    if not isinstance(item, dict):
        return None
    inner = item.get("tweet", item)
    return inner if isinstance(inner, dict) and inner.get("id_str") else None


def _entities(tweet: dict[str, Any]) -> dict[str, Any]:
    entities = tweet.get("entities")
    return entities if isinstance(entities, dict) else {}


def tweet_touches(tweet: dict[str, Any], owner: Owner, skipped: Skipped, where: str) -> list[Touch]:
    """The people one of my posts involves, and how: replies, mentions, reposts and quotes."""
    sid = str(tweet["id_str"])
    at = parse_time(tweet.get("created_at"), f"{where}: post {sid}")
    posted_ms = epoch_ms(at)
    text = html.unescape(str(tweet.get("full_text") or tweet.get("text") or ""))
    url = status_url(owner.handle or "i", sid) if owner.handle else f"https://x.com/i/status/{sid}"
    by_name: dict[str, dict[str, Any]] = {}
    for mention in _entities(tweet).get("user_mentions") or []:
        if isinstance(mention, dict) and mention.get("screen_name"):
            by_name.setdefault(str(mention["screen_name"]).lower(), mention)

    def person(handle: str | None, user_id: str | None) -> PersonRef | None:
        """Who a name or id in this post is, or None for me and for names that credit nobody."""
        mention = by_name.get(handle.lower()) if handle else None
        if user_id is None and mention is not None:
            user_id = str(mention.get("id_str") or "") or None
        if user_id is not None and not user_id.isdigit():
            user_id = None  # "-1": X could not resolve the name when it made the archive
        # The id says who it is: a handle I had once may be someone else's since.
        if owner.is_me(None, user_id) if user_id else owner.is_me(handle):
            return None
        if mention is not None and user_id and str(mention.get("id_str") or "") == user_id:
            handle = str(mention["screen_name"])  # the handle as X resolved it, with its capitals
        elif user_id is not None and handle is not None:
            handle = None  # no entity ties this handle to this id (it may have changed hands): the id alone
        if user_id is None:
            skipped.no_account += 1  # its account is gone (or never was): crediting the name credits strangers
            return None
        made = snowflake_ms(user_id)
        if made is not None and made > posted_ms:
            # Mentions are resolved when the archive is made: this account took the handle after the post.
            skipped.handle_changed_hands += 1
            return None
        return PersonRef(handle, user_id)

    touches: dict[tuple[str, str], Touch] = {}

    def add(ref: PersonRef | None, kind: str) -> None:
        if ref is not None:
            touches.setdefault((ref.user_id or ref.handle or "", kind), Touch(
                ref, kind, f"tweet:{sid}:{kind}", at, url, text[:500] or None, sid))

    retweet = RETWEET.match(text)
    original = tweet.get("retweeted_status")
    if isinstance(original, dict) and isinstance(original.get("user"), dict):  # Grailbird
        user = original["user"]
        by_name.setdefault(str(user.get("screen_name", "")).lower(), {**user, "id_str": user.get("id_str")})
        add(person(user.get("screen_name"), str(user.get("id_str") or "") or None), "i_reposted")
        return list(touches.values())
    if retweet:
        # The other names in a repost are the original author's words, not mine.
        add(person(retweet[1], None), "i_reposted")
        return list(touches.values())

    leading = [m[1] for m in NAME.finditer(LEADING_NAMES.match(text)[0])] if LEADING_NAMES.match(text) else []
    replied_to = str(tweet.get("in_reply_to_user_id_str") or "") or None
    if tweet.get("in_reply_to_status_id_str"):
        addressed = {h.lower() for h in leading}
        for handle in leading:
            add(person(handle, None), "i_replied")
        if replied_to and not owner.is_me(None, replied_to):
            reply_name = tweet.get("in_reply_to_screen_name")
            add(person(str(reply_name) if reply_name else None, replied_to), "i_replied")
            if reply_name:
                addressed.add(str(reply_name).lower())
        others = [m for m in NAME.findall(text) if m.lower() not in addressed]
    else:  # "@x hi" without a status id is a mention, like every other name in a post
        others = NAME.findall(text)
    for handle in dict.fromkeys(h.lower() for h in others):
        if handle in by_name:  # a name in the text that X did not resolve is not an account
            add(person(handle, None), "i_mentioned")
    for link in _entities(tweet).get("urls") or []:
        expanded = str(link.get("expanded_url") or "") if isinstance(link, dict) else ""
        quoted = STATUS_URL.match(expanded)
        if quoted and quoted[1].lower() not in NO_AUTHOR and not owner.is_me(quoted[1]):
            # A quote URL gives the author's handle at that time and no id: a handle-only person.
            ref = PersonRef(quoted[1], None)
            touches.setdefault((ref.handle.lower(), "i_quoted"), Touch(  # type: ignore[union-attr]
                ref, "i_quoted", f"tweet:{sid}:i_quoted", at, url, text[:500] or None, sid))
    return list(touches.values())


# The key of a one-to-one conversation's day: this, the day, its kind.
DM_KEY = "archive:dm:"


def day_of(at: str) -> str:
    return at[:10]


def conversation_url(a: str, b: str) -> str:
    first, second = sorted((a, b), key=lambda x: (len(x), x))
    return f"https://x.com/messages/{first}-{second}"


@dataclass
class Conversation:
    """A 1:1 DM conversation, from every file that holds it (legacy `A-B` and its XChat twin `A:B`)."""

    messages: dict[str, tuple[str, str]] = field(default_factory=dict)  # message id -> (at, sender id)


def dm_touches(partner: str, owner: Owner, conversation: Conversation) -> list[Touch]:
    """One touch per day with messages. Both sides wrote (anywhere in it): a DM conversation, stage 2;
    one side only counts like a mention: stage 1, "no answer"."""
    writers = {sender == owner.user_id for _at, sender in conversation.messages.values()}
    kind = "dm" if writers == {True, False} else "i_messaged" if writers == {True} else "they_messaged"
    last: dict[str, str] = {}
    for at, _sender in conversation.messages.values():
        day = day_of(at)
        last[day] = max(last.get(day, ""), at)
    url = conversation_url(owner.user_id, partner)
    return [Touch(PersonRef(None, partner), kind, f"{DM_KEY}{day}:{kind}", at, url)
            for day, at in sorted(last.items())]


@dataclass
class Group:
    members: set[str] = field(default_factory=set)
    my_days: dict[str, str] = field(default_factory=dict)  # day -> my last message that day
    last_at: str | None = None
    # member -> (when, "here" | "join" | "leave"): what the group's events say of them (a message, being in the
    # group when I joined, being added, leaving)
    presence: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    unsorted: set[str] = field(default_factory=set)  # members whose events came since they were last sorted

    def seen(self, member: str, at: str, how: str) -> None:
        self.presence.setdefault(member, []).append((at, how))
        self.unsorted.add(member)

    def had(self, member: str, at: str) -> bool:
        """Whether `member` was in the group at `at`: by the last thing known of them before it, else by the
        first after it (added later: not yet). Without any, yes: the archive lists them as a member."""
        events = self.presence.get(member)
        if not events:
            return True
        if member in self.unsorted:
            events.sort()
            self.unsorted.discard(member)
        n = bisect_right(events, (at, "~"))  # "~" sorts after every kind: events at `at` count as before it
        return events[n - 1][1] != "leave" if n else events[0][1] != "join"


def group_touches(conversation_id: str, owner: Owner, group: Group) -> list[Touch]:
    """Stage 1 for the members of a group, on each day I wrote in it, who were in it then."""
    members = sorted(group.members - {owner.user_id})
    return [Touch(PersonRef(None, member), "group_dm", f"archive:group:{conversation_id}:{day}", at,
                  f"https://x.com/messages/{conversation_id}")
            for day, at in sorted(group.my_days.items()) for member in members if group.had(member, at)]


def ids(values: Iterable[Any]) -> list[str]:
    return [str(v) for v in values if v is not None and str(v).isdigit()]
