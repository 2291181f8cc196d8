"""The people every dashboard test starts with, put in through the API the way the extension and the overlay do."""

from __future__ import annotations

from tests.conftest import Companion, batch, tweet

HOSTILE_NAME = '<img src=x onerror="window.pwned=1">Mallory'
HOSTILE_BIO = '<script>window.pwned=2</script> & "quotes" <b>bold</b>'


def profile(handle: str, user_id: str, name: str, location: str | None, bio: str, followers: int) -> dict:
    return {"handle": handle, "user_id": user_id, "display_name": name, "bio": bio, "location": location,
            "followers": followers, "following": 100, "follows_me": True, "i_follow": True}


PEOPLE = [
    profile("ada", "1001", "Ada Lovelace", "London", "Analytical engines and poetry", 1200),
    profile("grace", "1002", "Grace Hopper", "New York", "Compilers, nanoseconds", 5400),
    profile("linus", "1003", "Linus Torvalds", "Portland", "Just a kernel hacker", 90000),
    profile("mallory", "1004", HOSTILE_NAME, "Berlin", HOSTILE_BIO, 3),
    profile("margaret", "1005", "Margaret Hamilton", "Boston", "Apollo guidance software", 7000),
    profile("ken", "1006", "Ken Thompson", "Berkeley", "Unix, Go, chess endgames", 800),
    profile("barbara", "1007", "Barbara Liskov", "Cambridge", "Abstraction and substitution", 2100),
]


def seed(companion: Companion) -> None:
    def ok(answer: object) -> None:
        assert answer.status_code in (200, 201), answer.text  # type: ignore[attr-defined]

    ok(companion.post("/ingest", batch(
        observed_at="2026-10-01T10:00:00Z", people=PEOPLE,
        tweets=[tweet("101", "ada", reply_to=["me"], text="Loved your post on engines"),
                tweet("102", "me", reply_to=["linus"], text="Patches welcome?"),
                tweet("103", "margaret", reply_to=["me"], text="Rope memory forever"),
                tweet("104", "mallory", reply_to=["me"], text="<script>window.pwned=3</script>"),
                tweet("105", "barbara", mentions=["me"], text="cc @me on substitution")],
        dm_conversations=[{"with": ["grace"], "last_message_at": "2026-09-30T08:00:00Z"}])))
    # A later visit to Ada's profile: her follower count moved (profile history).
    ok(companion.post("/ingest", batch(observed_at="2026-11-01T10:00:00Z", page_type="profile",
                                       url="https://x.com/ada", people=[{**PEOPLE[0], "followers": 1500}])))
    ok(companion.patch("/people/grace", {"notes": {"books": "Dune", "wine": "Barolo"}, "tags": ["customer"]}))
    ok(companion.patch("/people/margaret", {"tags": ["friend", "advocate"], "notes": {"music": "Bach"}}))
    ok(companion.post("/people/linus/events", {"kind": "call", "at": "2026-10-05", "note": "talked about git"}))
    ok(companion.post("/people/margaret/events", {"kind": "meeting", "at": "2026-10-10", "place": "Boston"}))
    # Added by hand, before any conversation: stage 0, with a note to find them by.
    ok(companion.post("/people", {"handle": "ken", "notes": {"sports": "chess endgames"}}))
