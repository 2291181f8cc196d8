"""Reading a whole archive in two passes, one item at a time.

The first pass (read()) checks every data file to its end, learns whose archive it is, and gathers what
is small: DMs, groups and follows. Nothing is written before it has finished, so a damaged archive
changes nothing. The second pass (Reading.post_touches()) streams my posts again, one at a time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from .container import Archive, ArchiveError, DataFile
from .items import ACCOUNT_ID_LINE, items, parse_time
from .rules import Conversation, Group, Owner, Skipped, Touch, dm_touches, group_touches, ids, tweet_of, tweet_touches

# The data files that matter, by the name they declare (X renamed some of them over the years).
POSTS = ("tweets", "tweet", "community_tweet")
DELETED_POSTS = ("deleted_tweets",)
ONE_TO_ONE = ("direct_messages", "direct_message", "direct_message_headers", "direct_messages_headers")
GROUPS = ("direct_messages_group", "direct_message_group", "direct_message_group_headers",
          "direct_messages_group_headers")
XCHAT = ("message_event",)
FOLLOWERS, FOLLOWING = ("follower",), ("following",)
LIKES = ("like",)
# What a complete archive has, to say which files this one lacks.
EXPECTED = {"account": "account.js", "tweets": "tweets.js", "direct_messages": "direct-messages.js",
            "follower": "follower.js", "following": "following.js"}
SAME_AS = {"tweets": POSTS[:2], "direct_messages": ONE_TO_ONE, "account": ("account", "var:user_details")}
GRAILBIRD_POSTS = re.compile(r"^grailbird:tweets_\d{4}_\d{2}$")

# What the manifest may list that this reads: a file of these it lists but the archive lacks is named as missing.
READ = frozenset(POSTS + ONE_TO_ONE + GROUPS + XCHAT + FOLLOWERS + FOLLOWING + ("account",))
_GLOBAL_NAME = re.compile(r"^YTD\.(\w+)\.part(\d+)$")


def _listed(manifest: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(file name, declared name, part) of every file the manifest lists with items in it, of the kinds read."""
    out = []
    for kind in (manifest.get("dataTypes") or {}).values():
        for entry in (kind.get("files") or []) if isinstance(kind, dict) else []:
            found = _GLOBAL_NAME.match(str(entry.get("globalName") or "")) if isinstance(entry, dict) else None
            if found and found[1] in READ and str(entry.get("count", "1")) != "0" and entry.get("fileName"):
                out.append((str(entry["fileName"]), found[1], int(found[2])))
    return out


# progress(what, file, bytes of it read, items of it read): called as each file is read.
Progress = Callable[[str, DataFile, int, int], None]


@dataclass
class Reading:
    """What the first pass learned; post_touches() streams the posts for the second."""

    archive: Archive
    owner: Owner
    generated_at: str | None
    items_by_file: dict[str, int]
    missing: list[str]
    follows_me: set[str] | None  # None: the archive has no follower file (unknown, never "nobody")
    i_follow: set[str] | None
    dm_touches: list[Touch]
    post_files: list[DataFile]
    skipped: Skipped = field(default_factory=Skipped)
    groups_counted: int = 0

    @property
    def post_bytes(self) -> int:
        return sum(f.size for f in self.post_files)

    def post_touches(self, progress: Progress | None = None) -> Iterator[list[Touch]]:
        """The touches of each of my posts, one post at a time."""
        for file in self.post_files:
            for tweet in _posts(self.archive, file, progress, "importing"):
                yield tweet_touches(tweet, self.owner, self.skipped, file.path)


def _stream(archive: Archive, file: DataFile, progress: Progress | None, what: str) -> Iterator[Any]:
    done = count = 0

    def on_read(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(what, file, min(done, file.size), count)

    with archive.open(file.path) as raw:
        for item in items(raw, file.path, on_read):
            count += 1
            yield item
    if progress is not None:
        progress(what, file, file.size, count)


def _posts(archive: Archive, file: DataFile, progress: Progress | None, what: str) -> Iterator[dict[str, Any]]:
    for n, item in enumerate(_stream(archive, file, progress, what)):
        tweet = tweet_of(item)
        if tweet is None:
            raise ArchiveError(f"{file.path}: item {n + 1} is not a post (no id_str): the file is not in X's format")
        yield tweet


def _wrapped(item: Any, key: str, file: DataFile, n: int) -> dict[str, Any]:
    inner = item.get(key) if isinstance(item, dict) else None
    if not isinstance(inner, dict):
        raise ArchiveError(f"{file.path}: item {n + 1} has no {key!r}: the file is not in X's format")
    return inner


def read(archive: Archive, me: str | None = None, include_deleted: bool = False,
         progress: Progress | None = None) -> Reading:
    """The first pass: every data file is read to its end (a cut-off file is found before anything is written)."""
    counts: Counter[str] = Counter()
    hints = _Hints()
    skipped = Skipped()

    def each(names: tuple[str, ...]) -> Iterator[tuple[DataFile, int, Any]]:
        for file in archive.named(*names):
            for n, item in enumerate(_stream(archive, file, progress, "checking")):
                counts[file.path] += 1
                yield file, n, item
            counts.setdefault(file.path, 0)

    generated_at = None
    listed: list[tuple[str, str, int]] = []  # (file, name, part) of what the manifest says the archive holds
    for file, _n, manifest in each(("manifest",)):
        manifest = manifest if isinstance(manifest, dict) else {}
        listed = _listed(manifest)
        info = manifest.get("userInfo") or {}
        hints.owner(info.get("accountId"), info.get("userName"), info.get("displayName"), file.path)
        when = (manifest.get("archiveInfo") or {}).get("generationDate")
        generated_at = parse_time(when, file.path) if when else None
    for file, n, item in each(("account",)):
        account = _wrapped(item, "account", file, n)
        hints.owner(account.get("accountId"), account.get("username"), account.get("accountDisplayName"), file.path)
    for file, _n, details in each(("var:user_details",)):  # Grailbird
        if isinstance(details, dict):
            hints.owner(details.get("id"), details.get("screen_name"), details.get("full_name"), file.path)
    for file, n, item in each(("screen_name_change",)):
        change = _wrapped(item, "screenNameChange", file, n).get("screenNameChange") or {}
        hints.old_handles.update(str(change[k]) for k in ("changedFrom", "changedTo") if change.get(k))
    for file in archive.named("readme"):
        with archive.open(file.path) as raw:
            found = ACCOUNT_ID_LINE.search(raw.read(64 * 1024).decode("utf-8", "replace"))
        if found:
            hints.owner(found[1], None, None, file.path)
    for file, n, item in each(("tweet_headers",)):
        header = _wrapped(item, "tweet", file, n)
        if n == 0 and header.get("user_id"):
            hints.fallback.setdefault("user_id", str(header["user_id"]))

    dms = _Messages()
    for file, n, item in each(ONE_TO_ONE):
        dms.conversation(_wrapped(item, "dmConversation", file, n), file, group_file=False)
    for file, n, item in each(GROUPS):
        dms.conversation(_wrapped(item, "dmConversation", file, n), file, group_file=True)
    for file, n, item in each(XCHAT):
        dms.chat_event(_wrapped(item, "messageEvent", file, n), file)
    follows_me = {str(_wrapped(i, "follower", f, n).get("accountId")) for f, n, i in each(FOLLOWERS)}
    i_follow = {str(_wrapped(i, "following", f, n).get("accountId")) for f, n, i in each(FOLLOWING)}
    for _file, _n, _item in each(LIKES):
        skipped.likes += 1

    post_names = POSTS + (DELETED_POSTS if include_deleted else ())
    post_files = archive.named(*post_names) + [f for f in archive.files if GRAILBIRD_POSTS.match(f.name)]
    own_posts: set[str] = set()
    replies: list[tuple[str, str]] = []  # (replied-to post, its author): me, when that post is mine
    for file in post_files:
        for tweet in _posts(archive, file, progress, "checking"):
            counts[file.path] += 1
            parse_time(tweet.get("created_at"), f"{file.path}: post {tweet['id_str']}")
            hints.post(tweet, own_posts, replies)
    for file in archive.named(*DELETED_POSTS):
        if not include_deleted:
            for _item in _stream(archive, file, progress, "checking"):
                counts[file.path] += 1
                skipped.deleted_posts += 1

    owner = hints.decide(me, dms.parties(), own_posts, replies, archive)
    dm_list, groups = dms.touches(owner, skipped)
    missing = [name for kind, name in EXPECTED.items() if not archive.named(*SAME_AS.get(kind, (kind,)))]
    if any(GRAILBIRD_POSTS.match(f.name) for f in post_files) and "tweets.js" in missing:
        missing.remove("tweets.js")  # a Grailbird archive keeps them by month
    # A part the manifest lists that is not here (a file lost while unpacking or copying): said, not guessed at.
    present = {(f.name, f.part) for f in archive.files}
    missing += [leaf for path, name, part in listed
                if (name, part) not in present and (leaf := PurePosixPath(path).name) not in missing]
    return Reading(archive=archive, owner=owner, generated_at=generated_at, items_by_file=dict(counts),
                   missing=missing, groups_counted=groups,
                   follows_me=follows_me if archive.named(*FOLLOWERS) else None,
                   i_follow=i_follow if archive.named(*FOLLOWING) else None,
                   dm_touches=dm_list, post_files=post_files, skipped=skipped)


class _Hints:
    """Clues to whose archive it is, from every file that carries one."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}  # user id -> the file that says so
        self.handle: str | None = None
        self.display_name: str | None = None
        self.old_handles: set[str] = set()
        self.fallback: dict[str, str] = {}
        self.my_reply_names: Counter[str] = Counter()

    def owner(self, user_id: Any, handle: Any, name: Any, where: str) -> None:
        if user_id is not None and str(user_id).isdigit():
            self.ids.setdefault(str(user_id), where)
        if handle and not self.handle:
            self.handle = str(handle)
        if name and not self.display_name:
            self.display_name = str(name)

    def post(self, tweet: dict[str, Any], own_posts: set[str], replies: list[tuple[str, str]]) -> None:
        if self.ids:
            return  # only an archive that does not say whose it is needs these clues
        own_posts.add(str(tweet["id_str"]))
        parent, author = tweet.get("in_reply_to_status_id_str"), tweet.get("in_reply_to_user_id_str")
        if parent and author:
            replies.append((str(parent), str(author)))

    def decide(self, me: str | None, parties: list[set[str]], own_posts: set[str],
               replies: list[tuple[str, str]], archive: Archive) -> Owner:
        if len(set(self.ids)) > 1:
            said = ", ".join(f"{where} says {uid}" for uid, where in self.ids.items())
            raise ArchiveError(f"{archive.shown} mixes accounts ({said}): import one account's archive at a time")
        found, where = next(iter(self.ids.items()), (None, None))
        if found is None:
            found = self.fallback.get("user_id")
            where = "tweet-headers.js" if found else None
        stated = found is not None  # a file says so; what follows are inferences, which --me overrides
        if found is None:
            thread = [author for parent, author in replies if parent in own_posts]
            found = Counter(thread).most_common(1)[0][0] if thread else None
            where = "a reply to one of its own posts" if found else None
        pairs = [p for p in parties if len(p) == 2]
        if found is None and pairs:
            # I am in every 1:1 conversation; with a single one, the groups tell which of the two I am.
            common = set.intersection(*pairs)
            if len(common) > 1:
                in_groups = Counter(uid for party in parties if len(party) != 2 for uid in party & common)
                ranked = in_groups.most_common(2)
                common = {ranked[0][0]} if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else common
            found = next(iter(common)) if len(common) == 1 else None
        if me is not None:
            me = me.strip()
            if not me.isdigit():
                raise ArchiveError(f"--me must be your numeric user id, not {me!r} (account.js or README.txt "
                                   f"in the archive names it)")
            if stated and found != me:
                raise ArchiveError(f"--me {me} is not whose archive this is: {where} says {found}"
                                   f"{f' (@{self.handle})' if self.handle else ''}")
            if not stated and pairs and not all(me in pair for pair in pairs):
                raise ArchiveError(f"--me {me} is not whose archive this is: it is not in every DM "
                                   f"conversation of {archive.shown}")
            found = me
        if found is None:
            raise ArchiveError(f"{archive.shown} does not say whose archive it is (no account.js, manifest or "
                               f"README.txt): give your numeric user id with --me USER_ID")
        handles = {h.lower() for h in self.old_handles | ({self.handle} if self.handle else set())}
        return Owner(user_id=found, handle=self.handle, display_name=self.display_name, handles=handles)


class _Messages:
    """1:1 conversations (by the pair of ids), groups, and XChat events, deduplicated by message id."""

    def __init__(self) -> None:
        self.pair: dict[tuple[str, str], Conversation] = {}
        self.groups: dict[str, tuple[Group, set[str], list[tuple[str, str]]]] = {}
        self.empty = 0

    def parties(self) -> list[set[str]]:
        """Who is in each conversation: the two of a 1:1 conversation, the members of a group seen so far."""
        return [set(pair) for pair in self.pair] + [members for _g, members, _w in self.groups.values() if members]

    @staticmethod
    def _split(conversation_id: str) -> tuple[str, str] | None:
        parts = re.split(r"[-:]", conversation_id)
        return (parts[0], parts[1]) if len(parts) == 2 and all(p.isdigit() for p in parts) else None

    def conversation(self, conversation: dict[str, Any], file: DataFile, group_file: bool) -> None:
        conversation_id = str(conversation.get("conversationId") or "")
        messages = conversation.get("messages") or []
        pair = None if group_file else self._split(conversation_id)
        if not messages:
            self.empty += 1
            return
        for entry in messages:
            if not isinstance(entry, dict):
                continue
            created = entry.get("messageCreate")
            if pair is None or (isinstance(created, dict) and str(created.get("recipientId")) == "0"):
                self._group_entry(conversation_id, entry, file)
            elif isinstance(created, dict):
                self._message(pair, created, file)

    def _message(self, pair: tuple[str, str], created: dict[str, Any], file: DataFile) -> None:
        sender = str(created.get("senderId") or "")
        at = parse_time(created.get("createdAt"), f"{file.path}: message {created.get('id')}")
        first, second = sorted(pair)
        conversation = self.pair.setdefault((first, second), Conversation())
        conversation.messages.setdefault(str(created.get("id") or f"{at}:{sender}"), (at, sender))

    def _group_entry(self, conversation_id: str, entry: dict[str, Any], file: DataFile) -> None:
        group, members, writes = self.groups.setdefault(conversation_id, (Group(), set(), []))
        if isinstance(entry.get("messageCreate"), dict):
            created = entry["messageCreate"]
            at = parse_time(created.get("createdAt"), f"{file.path}: message {created.get('id')}")
            sender = str(created.get("senderId") or "")
            members.update(ids([sender]))
            writes.append((sender, at))
            group.last_at = max(group.last_at or "", at)
            for member in ids([sender]):
                group.seen(member, at, "here")
        # Who was in the group when: those in it when I joined, those added and those who left, at that time.
        for key, how in (("joinConversation", "here"), ("participantsJoin", "join"), ("participantsLeave", "leave"),
                         ("conversationNameUpdate", "here")):
            change = entry.get(key)
            if not isinstance(change, dict):
                continue
            named = ids([*(change.get("participantsSnapshot") or []), *(change.get("userIds") or [])])
            initiating = ids([change.get("initiatingUserId")])
            members.update(initiating + named)
            when = change.get("createdAt")
            if when:
                at = parse_time(when, f"{file.path}: {key} of {conversation_id}")
                for member in initiating:
                    group.seen(member, at, "here")
                for member in named:
                    group.seen(member, at, how)

    def chat_event(self, event: dict[str, Any], file: DataFile) -> None:
        detail = event.get("detail") or {}
        if not isinstance(detail, dict) or "messageCreateEvent" not in detail:
            return  # read receipts and key changes are not messages
        pair = self._split(str(event.get("conversationId") or ""))
        if pair is None:
            return  # an XChat group: the archive does not say who is in it
        created = {"senderId": event.get("senderId"), "createdAt": event.get("createdAtMsec"),
                   "id": event.get("messageId") or event.get("sequenceId")}
        self._message(pair, created, file)

    def touches(self, owner: Owner, skipped: Skipped) -> tuple[list[Touch], int]:
        out: list[Touch] = []
        skipped.empty_conversations = self.empty
        for (a, b), conversation in self.pair.items():
            if owner.user_id not in (a, b):
                continue
            if a == b:
                skipped.self_conversations += 1
                continue
            out.extend(dm_touches(b if a == owner.user_id else a, owner, conversation))
        groups = 0
        for conversation_id, (group, members, writes) in self.groups.items():
            group.members = members
            for sender, at in writes:
                if sender == owner.user_id:
                    day = at[:10]
                    group.my_days[day] = max(group.my_days.get(day, ""), at)
            if not group.my_days:
                skipped.silent_groups += 1
                skipped.silent_group_members += len(members - {owner.user_id})
                continue
            groups += 1
            out.extend(group_touches(conversation_id, owner, group))
        return out, groups
