"""Synthetic X archives in the real formats of each era, for the eras and cases no real sample covers.

The shapes follow ../shared/x-archive/FORMAT.md: the 2019+ `data/` layout with wrapped items, a manifest
and split parts; the 2018 layout (files at the zip root, bare items, epoch-ms times, group DMs inside
direct-message-headers.js with recipientId "0"); and Grailbird (data/js/tweets/YYYY_MM.js).
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

EPOCH_MS = 1288834974657


def snowflake(at: datetime, sequence: int = 0) -> str:
    """An id made at `at`, as Twitter makes them (what the importer reads a mention's age from)."""
    return str(((int(at.timestamp() * 1000) - EPOCH_MS) << 22) + sequence)


def post_time(at: datetime) -> str:
    return at.strftime("%a %b %d %H:%M:%S +0000 %Y")


def iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Person:
    handle: str
    user_id: str


@dataclass
class ArchiveBuilder:
    me: Person
    era: str = "2026"  # "2026", "2019" (bare tweets), "2018" (root layout), "grailbird"
    old_handles: list[str] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    conversations: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    followers: list[str] | None = None
    following: list[str] | None = None
    likes: int = 0
    account_file: bool = True
    _next: int = 0

    # -- my posts ------------------------------------------------------------------------------------
    def _status_id(self, at: datetime) -> str:
        self._next += 1
        return snowflake(at, self._next)

    def post(self, text: str, at: datetime, mentions: list[Person] = (), reply_to: tuple[str, Person] | None = None,
             urls: list[str] = (), status_id: str | None = None) -> str:
        """A post of mine. Mentions get entities at the place their @name appears in the text."""
        sid = status_id or self._status_id(at)
        entities = []
        for person in mentions:
            start = text.lower().find("@" + person.handle.lower())
            entities.append({"name": person.handle.title(), "screen_name": person.handle,
                             "indices": [str(start), str(start + len(person.handle) + 1)],
                             "id_str": person.user_id, "id": person.user_id})
        tweet: dict[str, Any] = {
            "id_str": sid, "id": sid, "created_at": post_time(at), "full_text": text,
            "entities": {"hashtags": [], "symbols": [], "user_mentions": entities,
                         "urls": [{"url": "https://t.co/x", "expanded_url": u, "display_url": u[8:30],
                                   "indices": ["0", "1"]} for u in urls]},
            "display_text_range": ["0", str(len(text))], "favorite_count": "0", "retweet_count": "0", "lang": "en",
        }
        if reply_to is not None:
            parent, author = reply_to
            tweet.update({"in_reply_to_status_id_str": parent, "in_reply_to_status_id": parent,
                          "in_reply_to_user_id_str": author.user_id, "in_reply_to_user_id": author.user_id,
                          "in_reply_to_screen_name": author.handle})
        self.posts.append(tweet)
        return sid

    # -- direct messages -----------------------------------------------------------------------------
    def dm(self, partner: Person, messages: list[tuple[bool, datetime]], conversation_id: str | None = None) -> None:
        """A 1:1 conversation: (I wrote it, when) per message, in any order."""
        items = []
        for n, (mine, at) in enumerate(messages):
            sender, recipient = (self.me.user_id, partner.user_id) if mine else (partner.user_id, self.me.user_id)
            items.append({"messageCreate": {"recipientId": recipient, "reactions": [], "urls": [], "text": f"m{n}",
                                            "mediaUrls": [], "senderId": sender, "id": snowflake(at, n + 7),
                                            "createdAt": at}})
        items.sort(key=lambda m: m["messageCreate"]["createdAt"], reverse=True)  # X lists the newest first
        self.conversations.append({"conversationId": conversation_id or f"{partner.user_id}-{self.me.user_id}",
                                   "messages": items})

    def group(self, conversation_id: str, members: list[Person], messages: list[tuple[Person, datetime]]) -> None:
        items: list[dict[str, Any]] = [{"messageCreate": {"senderId": who.user_id, "text": "hi", "id": snowflake(at, n),
                                                          "createdAt": at, "urls": [], "mediaUrls": [],
                                                          "reactions": []}}
                                       for n, (who, at) in enumerate(messages)]
        joined = messages[0][1] if messages else datetime(2020, 1, 1, tzinfo=UTC)
        items.append({"joinConversation": {"initiatingUserId": members[0].user_id,
                                           "participantsSnapshot": [m.user_id for m in members], "createdAt": joined}})
        self.groups.append({"conversationId": conversation_id, "messages": items})

    # -- writing -------------------------------------------------------------------------------------
    def _time(self, at: datetime) -> str:
        return str(int(at.timestamp() * 1000)) if self.era == "2018" else iso(at)

    def _dm_file(self, conversations: list[dict[str, Any]], headers: bool = False) -> list[Any]:
        out = []
        for conversation in conversations:
            messages = []
            for entry in conversation["messages"]:
                entry = json.loads(json.dumps(entry, default=self._time))
                if headers and "messageCreate" in entry:
                    entry["messageCreate"].pop("text", None)
                messages.append(entry)
            out.append({"dmConversation": {**conversation, "messages": messages}})
        return out

    def files(self, parts: int = 1) -> dict[str, str]:
        """Path inside the archive -> content."""
        root = "" if self.era == "2018" else "data/"
        out: dict[str, str] = {}
        manifest_types: dict[str, Any] = {}

        def ytd(name: str, file: str, items: list[Any], part: int = 0) -> None:
            body = json.dumps(items, indent=2)
            out[root + file] = f"window.YTD.{name}.part{part} = {body}"
            manifest_types.setdefault(name, {"files": []})["files"].append(
                {"fileName": root + file, "globalName": f"YTD.{name}.part{part}", "count": str(len(items))})

        if self.era == "grailbird":
            by_month: dict[str, list[Any]] = {}
            for tweet in self.posts:
                at = datetime.strptime(tweet["created_at"], "%a %b %d %H:%M:%S %z %Y")
                grail = {**tweet, "created_at": at.strftime("%Y-%m-%d %H:%M:%S +0000"), "text": tweet["full_text"]}
                grail.pop("full_text")
                if grail["text"].startswith("RT @"):
                    author = grail["text"][4:grail["text"].index(":")]
                    mention = next(m for m in grail["entities"]["user_mentions"] if m["screen_name"] == author)
                    grail["retweeted_status"] = {"id_str": "1", "text": "x",
                                                 "user": {"screen_name": author, "id_str": mention["id_str"]}}
                by_month.setdefault(at.strftime("%Y_%m"), []).append(grail)
            for month, tweets in by_month.items():
                out[f"data/js/tweets/{month}.js"] = f"Grailbird.data.tweets_{month} = \n{json.dumps(tweets, indent=1)}"
            out["data/js/user_details.js"] = "var user_details =  " + json.dumps(
                {"screen_name": self.me.handle, "full_name": "Me", "id": self.me.user_id})
            out["data/js/tweet_index.js"] = "var tweet_index =  " + json.dumps(
                [{"file_name": f"data/js/tweets/{m}.js", "var_name": f"tweets_{m}"} for m in by_month])
            return out

        if self.account_file:
            account = {"email": "me@example.com", "createdVia": "web", "username": self.me.handle,
                       "accountId": self.me.user_id, "accountDisplayName": "Me",
                       "createdAt": "1262304000000" if self.era == "2018" else "2010-01-01T00:00:00.000Z"}
            ytd("account", "account.js", [{"account": account}])
        if self.old_handles:
            ytd("screen_name_change", "screen-name-change.js", [
                {"screenNameChange": {"accountId": self.me.user_id, "screenNameChange": {
                    "changedAt": "2015-01-01T00:00:00.000Z", "changedFrom": old, "changedTo": self.me.handle}}}
                for old in self.old_handles])
        wrapped = self.era == "2026"
        tweets = [{"tweet": t} if wrapped else t for t in self.posts]
        name = "tweets" if self.era == "2026" else "tweet"
        size = -(-len(tweets) // parts) if tweets else 0
        for part in range(parts):
            chunk = tweets[part * size:(part + 1) * size]
            # X splits near 100 MB and not in date order: the parts go in reverse here.
            ytd(name, f"{name}.js" if part == 0 else f"{name}-part{part}.js", chunk[::-1], part)
        if self.era == "2018":
            one_to_one = self._dm_file(self.conversations)
            in_headers = [{**g, "messages": [{"messageCreate": {**m["messageCreate"], "recipientId": "0"}}
                                             for m in g["messages"] if "messageCreate" in m]} for g in self.groups]
            group_headers = self._dm_file(in_headers, headers=True)
            ytd("direct_message", "direct-message.js", one_to_one)
            ytd("direct_message_headers", "direct-message-headers.js",
                self._dm_file(self.conversations, headers=True) + group_headers
                + [{"dmConversation": {"conversationId": f"999-{self.me.user_id}", "messages": []}}])
        else:
            ytd("direct_messages", "direct-messages.js", self._dm_file(self.conversations))
            ytd("direct_message_headers", "direct-message-headers.js", self._dm_file(self.conversations, headers=True))
            ytd("direct_messages_group", "direct-messages-group.js", self._dm_file(self.groups))
        if self.followers is not None:
            ytd("follower", "follower.js", [{"follower": {"accountId": i, "userLink": f"https://twitter.com/intent/user?user_id={i}"}}
                                            for i in self.followers])
        if self.following is not None:
            ytd("following", "following.js", [{"following": {"accountId": i}} for i in self.following])
        ytd("like", "like.js", [{"like": {"tweetId": str(n), "fullText": "liked"}} for n in range(self.likes)])
        if self.era != "2018":
            out[root + "manifest.js"] = "window.__THAR_CONFIG = " + json.dumps({
                "userInfo": {"accountId": self.me.user_id, "userName": self.me.handle, "displayName": "Me"},
                "archiveInfo": {"generationDate": "2026-03-01T00:00:00.000Z", "isPartialArchive": False},
                "dataTypes": manifest_types}, indent=2)
        return out

    def write_folder(self, folder: Path, parts: int = 1) -> Path:
        for path, content in self.files(parts).items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(content, encoding="utf-8")
        return folder

    def write_zip(self, path: Path, parts: int = 1, media_bytes: int = 0) -> Path:
        """As X ships it: deflated data files, and (when asked) a media folder the importer must never read."""
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in self.files(parts).items():
                archive.writestr(name, content)
            if media_bytes:
                # Stored, not deflated, like X's media; its bytes are not JSON, so reading them would fail loudly.
                info = zipfile.ZipInfo("data/tweets_media/1234-video.mp4")
                with archive.open(info, "w", force_zip64=True) as media:
                    block = b"\x00\x00\x00\x18ftypmp42" + b"\xff" * (1 << 20)
                    for _ in range(max(1, media_bytes >> 20)):
                        media.write(block)
        return path


def days(start: datetime, n: int) -> datetime:
    return start + timedelta(days=n)
