"""What a user would pick instead of Rapport's store: SQLite (WAL, indexed, durable commits), doing the
same badge and ingest work on the same data, in process. The bench adds the HTTP floor to its times,
so both sides are compared as a companion behind the same HTTP server would answer.

It is built from the same snapshot the bench builds for Rapport, and reuses the domain's own pure
parts (the schema check, derive, the per-person totals and the stage rule, the badge view, which posts are
kept and how). Its ingest does the work Rapport's does: the batch checked against its schema, interactions
stored once by key, each person's totals, stage (with its history) and last interaction brought up to date,
a profile snapshot when a profile changed, and the posts of people you know kept. It does less in one
respect: a person is found by handle or user id, without Rapport's merging and renaming of records that turn
out to be one account.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import orjson

from companion.domain import aggregates, posts, views
from companion.domain.derive import derive
from companion.domain.people import new_person
from companion.schema import validate

SCHEMA = """
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;  -- durable: every commit is fsynced, as Rapport's journal is
CREATE TABLE people (id INTEGER PRIMARY KEY, handle_lc TEXT, user_id TEXT, stage INTEGER NOT NULL,
                     last_interaction_at TEXT, doc BLOB NOT NULL);
CREATE UNIQUE INDEX people_handle ON people(handle_lc);
CREATE INDEX people_user ON people(user_id);
CREATE TABLE interactions (id INTEGER PRIMARY KEY, person INTEGER NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL,
                           at TEXT NOT NULL, doc BLOB NOT NULL);
CREATE UNIQUE INDEX interactions_key ON interactions(person, key);
CREATE TABLE snapshots (id INTEGER PRIMARY KEY, person INTEGER NOT NULL, at TEXT NOT NULL, doc BLOB NOT NULL);
CREATE INDEX snapshots_person ON snapshots(person);
CREATE TABLE posts (id INTEGER PRIMARY KEY, person INTEGER NOT NULL, status_id TEXT NOT NULL, doc BLOB NOT NULL);
CREATE UNIQUE INDEX posts_status ON posts(person, status_id);
"""


class SqliteCompanion:
    def __init__(self, path: Path, snapshot: dict[str, dict[str, Any]]) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.executescript(SCHEMA)
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT INTO people (id, handle_lc, user_id, stage, last_interaction_at, doc) VALUES (?, ?, ?, ?, ?, ?)",
            ((int(i), d.get("handle_lc"), d.get("user_id"), d["stage"], d.get("last_interaction_at"), orjson.dumps(d))
             for i, d in snapshot.get("people", {}).items()))
        self.db.executemany(
            "INSERT OR IGNORE INTO interactions (person, key, kind, at, doc) VALUES (?, ?, ?, ?, ?)",
            ((d["person"], d["key"], d["kind"], d["at"], orjson.dumps(d))
             for d in snapshot.get("interactions", {}).values()))
        self.db.execute("COMMIT")

    def badges(self, handles: list[str]) -> dict[str, Any]:
        wanted = {h.lower(): h for h in handles}
        marks = ",".join("?" * len(wanted))
        found = {row[0]: {**orjson.loads(row[1]), "stage": row[2], "last_interaction_at": row[3]} for row in
                 self.db.execute(f"SELECT handle_lc, doc, stage, last_interaction_at FROM people "
                                 f"WHERE handle_lc IN ({marks})", list(wanted))}
        return {"badges": {h: views.badge(found.get(h.lower()), h) for h in handles}}

    def ingest(self, batch: dict[str, Any]) -> int:
        """The same work as Rapport's ingest (see the module's docstring), in one durable commit."""
        validate("scrape-batch", batch)
        seen = derive(batch)
        at = seen.observed_at
        added = 0
        db = self.db
        docs: dict[int, dict[str, Any]] = {}  # the people this batch touched, as they are now

        def person_of(handle: str | None, user_id: str | None, create: bool) -> int | None:
            handle_lc = (handle or "").lower() or None
            row = db.execute("SELECT id, doc FROM people WHERE handle_lc = ?", (handle_lc,)).fetchone()
            if row is None and user_id:
                row = db.execute("SELECT id, doc FROM people WHERE user_id = ?", (user_id,)).fetchone()
            if row is None:
                if not create:
                    return None
                doc = new_person(handle, user_id, at)
                cursor = db.execute("INSERT INTO people (handle_lc, user_id, stage, last_interaction_at, doc) "
                                    "VALUES (?, ?, 0, NULL, ?)", (handle_lc, user_id, orjson.dumps(doc)))
                row = (cursor.lastrowid, None)
                docs[cursor.lastrowid] = doc  # type: ignore[index]
            elif row[0] not in docs:
                docs[row[0]] = orjson.loads(row[1])
            return row[0]  # type: ignore[no-any-return]

        db.execute("BEGIN IMMEDIATE")
        try:
            fresh: dict[int, list[dict[str, Any]]] = {}
            for item in seen.interactions:
                person = person_of(item.who.handle, item.who.user_id, create=True)
                assert person is not None
                doc = {"person": person, "key": item.key, "kind": item.kind, "at": item.at, "source": "scrape",
                       "status_id": item.status_id, "url": item.url, "text": item.text, "observed_at": at}
                if db.execute("INSERT OR IGNORE INTO interactions (person, key, kind, at, doc) VALUES (?, ?, ?, ?, ?)",
                              (person, item.key, item.kind, item.at, orjson.dumps(doc))).rowcount:
                    fresh.setdefault(person, []).append(doc)
                    added += 1
            changed: set[int] = set()
            for person, items in fresh.items():
                doc = docs[person]
                summed = aggregates.add(doc.get("aggregates") or aggregates.empty(), items)
                stage = aggregates.current_stage(summed, doc.get("stage_manual"))
                history = doc.get("stage_history") or []
                if stage != doc["stage"]:
                    history = [*history, {"stage": stage, "at": at, "source": "evidence", "reason": None}]
                last = max([doc.get("last_interaction_at") or "", *(i["at"] for i in items)])
                docs[person] = {**doc, "aggregates": summed, "stage": stage, "stage_history": history,
                                "last_interaction_at": last, "updated_at": at}
                changed.add(person)
            for seen_person in seen.observations.values():
                if not seen_person.profile:
                    continue
                person = person_of(seen_person.handle, seen_person.user_id, create=False)
                if person is None:
                    continue
                doc = docs[person]
                profile = {**doc.get("profile", {}), **seen_person.profile}
                if profile != doc.get("profile"):
                    docs[person] = {**doc, "profile": profile, "updated_at": at}
                    changed.add(person)
                    db.execute("INSERT INTO snapshots (person, at, doc) VALUES (?, ?, ?)",
                               (person, at, orjson.dumps({"person": person, "at": at, "profile": profile})))
            for tweet in batch.get("tweets") or []:
                text = (tweet.get("text") or "").strip()
                person = person_of(tweet["author"], None, create=False) if text else None
                if person is None or not posts.known(docs[person]):
                    continue
                db.execute("INSERT OR IGNORE INTO posts (person, status_id, doc) VALUES (?, ?, ?)",
                           (person, tweet["status_id"], orjson.dumps(posts.post_of(person, tweet, text, at))))
            db.executemany("UPDATE people SET stage = ?, last_interaction_at = ?, doc = ? WHERE id = ?",
                           ((docs[p]["stage"], docs[p]["last_interaction_at"], orjson.dumps(docs[p]), p)
                            for p in changed))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return added

    def close(self) -> None:
        self.db.close()
