"""What a user would pick instead of Rapport's store: SQLite (WAL, indexed, durable commits), doing the
same badge and ingest work on the same data, in process. The bench adds the HTTP floor to its times,
so both sides are compared as a companion behind the same HTTP server would answer.

It is built from the same snapshot the bench builds for Rapport, and reuses the domain's own pure
parts (derive, the badge view, the stage rule). Its ingest does less than Rapport's: it keeps no posts,
profile snapshots, stage history or per-person totals, and validates nothing, so its time is a lower
bound for what the same work would cost on SQLite.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import orjson

from companion.domain import views
from companion.domain.derive import derive
from companion.domain.people import new_person
from companion.domain.vocabulary import KIND_STAGE

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
        """The batch's interactions, each person's stage and last interaction kept up to date; one durable commit."""
        seen = derive(batch)
        added = 0
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            for item in seen.interactions:
                handle = (item.who.handle or "").lower() or None
                row = db.execute("SELECT id FROM people WHERE handle_lc = ?", (handle,)).fetchone()
                if row is None and item.who.user_id:
                    row = db.execute("SELECT id FROM people WHERE user_id = ?", (item.who.user_id,)).fetchone()
                if row is None:
                    doc = new_person(item.who.handle, item.who.user_id, seen.observed_at)
                    cursor = db.execute(
                        "INSERT INTO people (handle_lc, user_id, stage, last_interaction_at, doc) "
                        "VALUES (?, ?, 0, NULL, ?)",
                        (handle, item.who.user_id, orjson.dumps(doc)))
                    row = (cursor.lastrowid,)
                person = row[0]
                doc = {"person": person, "key": item.key, "kind": item.kind, "at": item.at, "source": "scrape",
                       "status_id": item.status_id, "url": item.url, "text": item.text,
                       "observed_at": seen.observed_at}
                inserted = db.execute("INSERT OR IGNORE INTO interactions (person, key, kind, at, doc) "
                                      "VALUES (?, ?, ?, ?, ?)",
                                      (person, item.key, item.kind, item.at, orjson.dumps(doc))).rowcount
                if inserted:
                    added += 1
                    db.execute("UPDATE people SET stage = MAX(stage, ?), last_interaction_at = MAX(COALESCE("
                               "last_interaction_at, ''), ?) WHERE id = ?", (KIND_STAGE[item.kind], item.at, person))
            for handle, seen_person in seen.observations.items():
                if not seen_person.profile:
                    continue
                row = db.execute("SELECT id, doc FROM people WHERE handle_lc = ?", (handle,)).fetchone()
                if row is None:
                    continue
                doc = orjson.loads(row[1])
                profile = {**doc.get("profile", {}), **seen_person.profile}
                if profile != doc.get("profile"):
                    db.execute("UPDATE people SET doc = ? WHERE id = ?", (orjson.dumps({**doc, "profile": profile}),
                                                                           row[0]))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return added

    def close(self) -> None:
        self.db.close()
