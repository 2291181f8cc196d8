"""What counts as an interaction between me and someone, read from one scrape batch."""

from __future__ import annotations

import pytest

from companion.domain.derive import MENTION, derive, profile_owner
from companion.domain.vocabulary import KIND_STAGE
from tests.conftest import batch, tweet


def kinds(b: dict) -> set[tuple[str, str]]:
    return {(i.who.handle.lower(), i.kind) for i in derive(b).interactions}


def test_their_reply_or_mention_of_me_is_an_interaction_with_them() -> None:
    b = batch(tweets=[tweet("1", "alice", reply_to=["me", "zed"]), tweet("2", "bob", mentions=["ME"])])
    assert kinds(b) == {("alice", "they_replied"), ("bob", "they_mentioned")}


def test_my_replies_mentions_and_quotes_are_interactions_with_them() -> None:
    b = batch(tweets=[
        tweet("1", "me", reply_to=["alice"], mentions=["alice", "bob"], quoted_status_id="2"),
        tweet("2", "carol"),
    ])
    assert kinds(b) == {("alice", "i_replied"), ("bob", "i_mentioned"), ("carol", "i_quoted")}


def test_reposts_count_both_ways() -> None:
    b = batch(tweets=[
        tweet("1", "alice", social_context={"type": "repost", "text": "You reposted", "handle": "me"}),
        tweet("2", "me", social_context={"type": "repost", "text": "Bob reposted", "handle": "bob"}),
    ])
    assert kinds(b) == {("alice", "i_reposted"), ("bob", "they_reposted")}


def test_quoting_my_post_and_replying_under_my_focused_post() -> None:
    b = batch(page_type="status", url="https://x.com/me/status/1", tweets=[
        tweet("1", "me", focused=True),
        tweet("2", "alice", in_reply_to_status_id="1"),
        tweet("3", "bob", quoted_status_id="1"),
    ])
    assert kinds(b) == {("alice", "they_replied"), ("bob", "they_quoted")}


def test_a_quote_whose_card_links_no_status_still_names_whom_it_quotes() -> None:
    """A quoted post with no photo: the card shows its author but no link to it."""
    b = batch(tweets=[tweet("3", "bob", quoted_author="Me"), tweet("4", "me", quoted_author="carol"),
                      tweet("5", "dan", quoted_author="erin")])
    assert kinds(b) == {("bob", "they_quoted"), ("carol", "i_quoted")}


def test_strangers_scrolled_past_and_pages_without_me_yield_nothing() -> None:
    assert kinds(batch(tweets=[tweet("1", "alice", reply_to=["bob"]), tweet("2", "carol")])) == set()
    assert kinds(batch(me=None, tweets=[tweet("1", "alice", reply_to=["me"])])) == set()


def test_dm_conversations_one_to_one_and_group() -> None:
    b = batch(page_type="messages", url="https://x.com/messages", dm_conversations=[
        {"with": [{"handle": "alice", "user_id": "42"}], "last_message_at": "2026-11-02T08:00:00Z"},
        {"with": ["bob", "carol", "me"], "last_message_at": None},
    ])
    derived = derive(b)
    assert kinds(b) == {("alice", "dm"), ("bob", "group_dm"), ("carol", "group_dm")}
    alice = next(i for i in derived.interactions if i.who.handle == "alice")
    assert alice.who.user_id == "42" and alice.key == "dm:2026-11-02T08:00:00.000000Z"


def test_a_parent_newer_than_its_reply_is_a_misreading_and_gives_no_evidence() -> None:
    mine = tweet("1", "me", created_at="2026-11-20T10:00:00Z")
    b = batch(tweets=[
        tweet("2", "alice", created_at="2026-11-20T11:00:00Z", in_reply_to_status_id="1"),  # after my post: a reply
        tweet("3", "bob", created_at="2026-11-20T09:00:00Z", in_reply_to_status_id="1"),  # before it: cannot be
        mine,
    ])
    assert kinds(b) == {("alice", "they_replied")}


def test_a_dm_conversation_is_stage_2_only_when_both_sides_wrote() -> None:
    b = batch(page_type="messages", url="https://x.com/i/chat", dm_conversations=[
        {"with": ["alice"], "last_message_at": None, "writers": ["me", "them"]},
        {"with": ["bob"], "last_message_at": None, "writers": ["me"]},
        {"with": ["carol"], "last_message_at": None, "writers": ["them"]},
        {"with": ["dan"], "last_message_at": None, "writers": []},
        {"with": ["erin", "fay"], "last_message_at": None, "writers": ["them"]},
    ])
    assert kinds(b) == {("alice", "dm"), ("bob", "i_messaged"), ("carol", "they_messaged"),
                        ("erin", "group_dm"), ("fay", "group_dm")}
    assert [KIND_STAGE[k] for k in ("dm", "i_messaged", "they_messaged")] == [2, 1, 1]
    keys = {i.who.handle: i.key for i in derive(b).interactions}
    assert keys["bob"].endswith(":i_messaged") and keys["alice"] == keys["bob"].removesuffix(":i_messaged")


def test_notifications_likes_reposts_and_follows() -> None:
    b = batch(page_type="notifications", url="https://x.com/notifications", notifications=[
        {"type": "like", "actors": ["alice", "bob"], "status_id": "9", "at": None},
        {"type": "repost", "actors": ["carol"], "status_id": "9", "at": None},
        {"type": "follow", "actors": ["dan"], "status_id": None, "at": None},
    ])
    derived = derive(b)
    assert kinds(b) == {("alice", "they_liked"), ("bob", "they_liked"), ("carol", "they_reposted")}
    assert derived.followers_seen == {"dan"}


def test_the_same_tweet_gives_the_same_keys_on_any_page() -> None:
    home = derive(batch(tweets=[tweet("7", "alice", reply_to=["me"])]))
    status = derive(batch(page_type="status", url="https://x.com/alice/status/7",
                          observed_at="2026-11-21T00:00:00Z", tweets=[tweet("7", "alice", reply_to=["me"])]))
    notified = derive(batch(page_type="notifications", url="https://x.com/notifications",
                            notifications=[{"type": "reply", "actors": ["alice"], "status_id": "7", "at": None}]))
    keys = {i.key for d in (home, status, notified) for i in d.interactions}
    assert keys == {"tweet:7:they_replied"}


def test_profile_owner_comes_from_the_page_url() -> None:
    assert profile_owner({"type": "profile", "url": "https://x.com/Alice_1/with_replies"}) == "Alice_1"
    assert profile_owner({"type": "profile", "url": "https://x.com/home"}) is None
    assert profile_owner({"type": "home", "url": "https://x.com/alice"}) is None
    assert profile_owner({"type": "profile", "url": "https://x.com/x", "profile_handle": "bob"}) == "bob"


@pytest.mark.parametrize(("text", "names"), [
    ("@alice @bobさん 了解です", ["alice", "bob"]), ("おはよう ＠suzuki さん", ["suzuki"]), ("@bobشكرا", ["bob"]),
    ("(@jack) and @jill!", ["jack", "jill"]), ("write me@example.com", []), ("@josé hi", []), ("a@b@c", []),
    ("#@tag", []), ("@" + "x" * 21, []),
])
def test_a_mention_is_what_x_links_as_one(text: str, names: list[str]) -> None:
    assert MENTION.findall(text) == names
