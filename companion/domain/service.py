"""The Rapport service: every use case of the companion, with no web framework in sight.

Inputs are already schema-valid (the HTTP boundary checks them); this layer enforces the rules
that schemas cannot express and raises RapportError subclasses.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import Any

from companion.schema import load_schema
from companion.store.database import Store

from . import (
    archive,
    brief,
    bulk,
    calendar,
    clock,
    contacts,
    csv_import,
    duplicates,
    give_and_take,
    insights,
    keep_in_touch,
    labels,
    meetups,
    people,
    places,
    plans,
    posts,
    starters,
    transfer,
    views,
    whereabouts,
)
from .derive import Observation, PersonRef, derive
from .errors import Invalid, NotFound
from .per_person import PerPerson
from .post_reader import PostReader
from .query import PeopleQuery
from .vocabulary import LOGGED_EVENT_KIND

log = logging.getLogger("rapport")
CONTACT_FORMATS = {"csv": contacts.to_csv, "vcard": contacts.to_vcards}
NOTE_MAX: int = load_schema("notes")["$defs"]["field"]["maxLength"]
SUGGESTIONS_SHOWN = 10  # on the card and the person page (GET .../suggestions has them all)


class Rapport:
    def __init__(self, store: Store) -> None:
        self.store = store
        # What the keep-in-touch lists and the core circle are made of, kept current by commits.
        self._due = PerPerson(store)
        self._circle = PerPerson(store)
        # Where each person you know might be (profile place, recent posts): what Meet-ups reads.
        self._spots = PerPerson(store)
        self._nearby: tuple[int, dict[int, set[int]]] = (-1, {})
        # Kept posts are read after the ingest that kept them; every answer made of them reads what waits first.
        self.reader = PostReader(store)
        upgraded, backup = people.upgrade_aggregates(store)
        if upgraded:
            log.info("kept each person's totals from now on: computed them once for %d people (backup first: %s)",
                     upgraded, backup)

    # -- the extension's hot paths -----------------------------------------------------------------
    def ingest(self, batch: dict[str, Any]) -> dict[str, Any]:
        seen = derive(batch)
        at = seen.observed_at
        created: set[int] = set()
        updated: set[int] = set()
        added = 0

        found: dict[PersonRef, int] = {}
        removed = self.store.people_removed

        def resolve(ref: PersonRef, create: bool) -> int | None:
            # A page names most people several times (author, profile, reply): each is resolved once, and again
            # only if a merge took their record away since.
            person_id = found.get(ref)
            if person_id is not None and (self.store.people_removed == removed
                                          or self.store.person(person_id) is not None):
                return person_id
            person_id, is_new = people.resolve(self.store, ref, at, create)
            if is_new:
                created.add(person_id)  # type: ignore[arg-type]
            if person_id is not None:
                found[ref] = person_id
            return person_id

        def resolve_all(refs: list[PersonRef], create: bool) -> dict[PersonRef, int | None]:
            removed_before = self.store.people_removed
            ids = {ref: resolve(ref, create) for ref in refs}
            if self.store.people_removed == removed_before:
                return ids
            # A resolve further on merged someone found before it into another record: found again.
            return {ref: resolve(ref, create) for ref in refs}

        with self.store.transaction():
            if seen.profile_owner:
                owner = seen.observations.get(seen.profile_owner.lower())
                resolve(PersonRef(seen.profile_owner, owner.user_id if owner else None), create=True)
            # Identity first: what the page shows may merge or rename people the interactions refer to.
            refs = [PersonRef(o.handle, o.user_id) for o in seen.observations.values()]
            for ref in refs:
                resolve(ref, create=False)
            by_ref: dict[PersonRef, list[dict[str, Any]]] = {}
            for item in seen.interactions:
                by_ref.setdefault(item.who, []).append({
                    "key": item.key, "kind": item.kind, "at": item.at, "source": "scrape",
                    "status_id": item.status_id, "url": item.url, "text": item.text, "observed_at": at,
                })
            whose = resolve_all(list(by_ref), create=True)
            items_of: dict[int, list[dict[str, Any]]] = {}
            for ref, items in by_ref.items():
                person_id = whose[ref]
                items_of.setdefault(person_id, []).extend(  # type: ignore[arg-type]
                    i for i in items if not archive.archived_day(self.store, person_id, i))  # type: ignore[arg-type]
            for person_id, new in people.add_interactions(self.store, items_of, at).items():
                added += new
                if new:
                    updated.add(person_id)
            # Then profiles, for everyone stored, including those just created.
            ids = resolve_all(refs, create=False)
            shown = [(ids[ref], observation) for ref, observation in zip(refs, seen.observations.values(), strict=True)
                     if ids[ref] is not None]
            changed = people.observe_all(self.store, shown, at)  # type: ignore[arg-type]
            # Then the posts of people you know (who may have become known just now).
            posts.keep(self.store, batch.get("tweets") or [], at)
            follows = [(person_id, Observation(handle, profile={"follows_me": True})) for handle in seen.followers_seen
                       if (person_id := self.store.find_handle(handle)) is not None]  # "followed you", if kept
            changed += people.observe_all(self.store, follows, at)
            snapshots = len(changed)
            updated.update(changed)
        return {"ok": True, "batch_id": batch.get("batch_id"), "people_created": len(created),
                "people_updated": len(updated - created), "interactions_added": added,
                "snapshots_added": snapshots}

    def badges(self, handles: list[str]) -> dict[str, Any]:
        with self.store.lock:
            out = {}
            due = keep_in_touch.due_now(self.store)
            store_labels = self.store.labels()
            for handle in handles:
                person_id = self.store.find_handle(handle)
                if person_id is None:
                    person_id = self.store.find_other_account(handle)
                doc = self.store.person(person_id) if person_id is not None else None
                out[handle] = views.badge(doc, handle, due(doc) if doc is not None else None, store_labels)
            return {"badges": out}

    # -- people --------------------------------------------------------------------------------------
    def list_people(self, query: PeopleQuery | None = None, **fields: Any) -> dict[str, Any]:
        """One page of the people `query` matches (or a query made of `fields`, see PeopleQuery.parse)."""
        query = query if query is not None else PeopleQuery.parse(**fields)
        with self.store.lock:
            matches = self._matching(query)
            page = matches[query.offset:query.offset + query.limit]
            return {"total": len(matches), "offset": query.offset, "limit": query.limit,
                    "people": [views.summary(self.store, pid, doc) for pid, doc in page]}

    def _matching(self, query: PeopleQuery) -> list[tuple[int, dict[str, Any]]]:
        """Everyone `query` matches, in its order (under the store lock)."""
        matches = []
        core = {p["key"] for p in self.circles()["core"]} if query.core else None
        label_names = {i: doc["name"] for i, doc in self.store.labels().items()}
        for person_id in self.store.person_ids():
            doc = self.store.person(person_id)
            assert doc is not None
            if core is not None and views.person_key(doc) not in core:
                continue
            if query.matches(doc, label_names):
                matches.append((person_id, doc))
        matches.sort(key=lambda m: query.sort_key(m[1]), reverse=query.order == "desc")
        return matches

    def export_people(self, fmt: str, keys: list[str] | None = None, **fields: Any) -> bytes:
        """The people `keys` name (a selection), or everyone a People filter matches (`fields`, as for
        list_people; everyone without any), as CSV or vCard."""
        if fmt not in CONTACT_FORMATS:
            raise Invalid(f"the format is one of {', '.join(CONTACT_FORMATS)}", "/query/format")
        query = PeopleQuery.parse(**fields)
        with self.store.lock:
            if keys:
                docs = [self.store.person(pid) for pid in self._named(keys)]
            else:
                docs = [doc for _, doc in self._matching(query)]
            return CONTACT_FORMATS[fmt](docs, self.store.labels())  # type: ignore[arg-type]

    def bulk_people(self, body: dict[str, Any]) -> dict[str, Any]:
        """One action on the people `body` selects (its keys, or everyone its filter matches), all or nothing:
        an unknown key, a bad filter or a delete whose count is not the one confirmed changes nobody."""
        at = clock.now()
        with self.store.lock:
            person_ids = (self._named(body["keys"]) if "keys" in body
                          else [pid for pid, _ in self._matching(PeopleQuery.parse(**body["filter"]))])
            return bulk.apply(self.store, person_ids, body["action"], body.get("value"),  # type: ignore[arg-type]
                              body.get("confirm_count"), at)

    def _named(self, keys: list[str]) -> list[int]:
        """The people `keys` name, in their order, each once (a handle and a user id may name one person);
        NotFound when any is unknown (under the store lock)."""
        found = {key: people.find(self.store, key) for key in keys}
        missing = [key for key, person_id in found.items() if person_id is None]
        if missing:
            more = f" (and {len(missing) - 1:,} more)" if len(missing) > 1 else ""
            raise NotFound(f"no person {missing[0]!r}{more}: Rapport knows people by handle or numeric user id",
                           "/keys")
        return list(dict.fromkeys(found.values()))  # type: ignore[arg-type]

    def _find(self, key: str) -> tuple[int, dict[str, Any]]:
        person_id = people.find(self.store, key)
        doc = self.store.person(person_id) if person_id is not None else None
        if doc is None:
            raise NotFound(f"no person {key!r}: Rapport knows people by handle or numeric user id")
        return person_id, doc  # type: ignore[return-value]

    def person(self, key: str, interactions_limit: int = views.DEFAULT_INTERACTIONS,
               before: str | None = None) -> dict[str, Any]:
        self.reader.catch_up()  # (first, and without the lock: reading many posts must not hold up ingests)
        with self.store.lock:
            person_id, _ = self._find(key)
            return self._detail(person_id, interactions_limit, before)

    def _detail(self, person_id: int, interactions_limit: int = views.DEFAULT_INTERACTIONS,
                before: str | None = None) -> dict[str, Any]:
        """The person as the card and the person page show them (under the store lock; posts not read yet are
        read for the suggestions on the spot, and their whereabouts come with the next answer)."""
        doc = self.store.person(person_id)
        assert doc is not None
        return {**views.detail(self.store, person_id, doc, interactions_limit, before),
                **self._whereabouts(person_id, doc)}

    def _whereabouts(self, person_id: int, doc: dict[str, Any]) -> dict[str, Any]:
        """The card's and the person page's place: where they live, where posts say they are, who else is there."""
        now = clock.now()
        place, _ = meetups.home_place(doc)
        also = None
        if place is not None and place.kind == places.KIND_CITY:
            there = self._also_here(place, now)
            also = {"geonameid": place.geonameid, "label": place.label, "name": place.name,
                    "people": len(there - {person_id})}
        return {"place": {**meetups.home(doc), "also_here": also},
                "whereabouts": [{k: w[k] for k in ("label", "geonameid", "words", "url", "at", "text")}
                                for w in whereabouts.current(doc, now)],
                "posts": posts.newest(self.store, person_id),
                "suggestions": starters.suggestions(doc, self.store.posts_of(person_id))[:SUGGESTIONS_SHOWN]}

    def _spot_index(self) -> dict[int, tuple[meetups.Spot, ...]]:
        return self._spots.current("spots", meetups.spots)

    def _also_here(self, place: places.Place, now: str) -> set[int]:
        """Who you know within the default radius of `place` (cached per city until someone's place changes)."""
        index = self._spot_index()
        version, cached = self._nearby
        if version != self._spots.version:
            cached = {}
            self._nearby = (self._spots.version, cached)
        if place.geonameid not in cached:
            cached[place.geonameid] = set(meetups.near(index, place, meetups.DEFAULT_KM, now))  # type: ignore[index]
        return cached[place.geonameid]  # type: ignore[index]

    def create_person(self, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        at = clock.now()
        # The answer is read after the commit, under the same lock: the write itself never reads a history.
        with self.store.lock:
            with self.store.transaction():
                person_id, created = people.add_by_hand(
                    self.store, PersonRef(body.get("handle"), body.get("user_id")), body.get("display_name"),
                    {k: body[k] for k in ("notes", "tags", "labels", "next_step") if k in body}, at)
            return self._detail(person_id), created

    def import_people_csv(self, data: bytes, mapping: dict[str, str] | None = None,
                          dry_run: bool = False) -> dict[str, Any]:
        """People from a spreadsheet (csv_import.py): every row checked first; a dry run answers the preview, an
        import applies every row in one transaction, or refuses them all, naming each bad row."""
        sheet = csv_import.read(data, mapping)  # (outside the lock: reading a big file holds up no one)
        with self.store.lock:
            planned, errors = csv_import.plan(self.store, sheet)
            result = csv_import.answer(sheet, planned, errors, dry_run)
            if dry_run:
                return result
            if not result["ok"]:
                raise csv_import.refusal(result)
            with self.store.transaction():
                csv_import.apply(self.store, planned, clock.now())
        return result

    def edit_person(self, key: str, change: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            with self.store.transaction():
                person_id, _ = self._find(key)
                people.edit(self.store, person_id, change)
            return self._detail(person_id)

    def delete_person(self, key: str) -> None:
        with self.store.transaction():
            person_id, _ = self._find(key)
            people.delete(self.store, person_id)

    def log_event(self, key: str, event: dict[str, Any]) -> dict[str, Any]:
        now = clock.now()
        item = {"key": f"manual:{uuid.uuid4().hex}", "kind": LOGGED_EVENT_KIND[event["kind"]],
                "at": clock.normalize(event["at"], "/at"), "source": "manual", "status_id": None, "url": None,
                "text": None, "place": (event.get("place") or "").strip() or None,
                "note": (event.get("note") or "").strip() or None, "observed_at": now}
        with self.store.transaction():
            person_id, _ = self._find(key)
            people.add_interactions(self.store, {person_id: [item]}, now)
            return views.interaction({**item, "person": person_id})

    def delete_event(self, key: str, event_id: str) -> None:
        with self.store.transaction():
            person_id, _ = self._find(key)
            interaction_id = self.store.interaction_id(person_id, event_id)
            if interaction_id is None:
                raise NotFound(f"{key!r} has no event {event_id!r}")
            if not event_id.startswith("manual:"):
                raise Invalid("only events logged by hand can be deleted; what was seen on x.com stays",
                              "/event_id")
            self.store.remove_interactions([interaction_id])
            people.refresh_stage(self.store, person_id, clock.now(), reason="logged event deleted")

    # -- conversation starters ----------------------------------------------------------------------
    def suggestions(self, key: str) -> list[dict[str, Any]]:
        """What their posts and bio say that belongs in your notes, newest first, with where it came from."""
        self.reader.catch_up()
        with self.store.lock:
            person_id, doc = self._find(key)
            return starters.suggestions(doc, self.store.posts_of(person_id))

    def act_on_suggestion(self, key: str, suggestion: str, accept: bool) -> dict[str, Any]:
        """Accept (the value goes into its note field, with its source) or dismiss (hidden for good) one
        suggestion; answers the person's card. Nothing reaches the notes but by this call."""
        now = clock.now()
        self.reader.catch_up()
        with self.store.lock:
            person_id, doc = self._find(key)
            offered = {s["id"]: s for s in starters.suggestions(doc, self.store.posts_of(person_id))}
            chosen = offered.get(suggestion)
            if chosen is None:
                raise NotFound(f"{key!r} has no suggestion {suggestion!r} (accepted or dismissed already?)")
            state = {k: list((doc.get("starters") or {}).get(k, [])) for k in ("dismissed", "accepted")}
            state["accepted" if accept else "dismissed"].append(suggestion)
            change: dict[str, Any] = {"starters": state, "updated_at": now}
            if accept:
                field = chosen["note_field"]
                note = (doc["notes"].get(field) or "").rstrip()
                line = starters.note_line(chosen)
                text = f"{note}\n{line}" if note else line
                if len(text) > NOTE_MAX:
                    raise Invalid(f"the {field} note would pass {NOTE_MAX} characters: shorten it first",
                                  f"/notes/{field}")
                change["notes"] = {**doc["notes"], field: text}
            with self.store.transaction():
                self.store.update_person(person_id, change)
            return self._detail(person_id)

    def brief(self, key: str) -> dict[str, Any]:
        """"Before you meet": the person on one page (with the same as Markdown)."""
        now = clock.now()
        self.reader.catch_up()
        with self.store.lock:
            person_id, doc = self._find(key)
            card = self._detail(person_id, interactions_limit=1)
            oldest = [self.store.interaction(i) for i in self.store.interaction_ids_in_order(person_id)]
            kept = self.store.posts_of(person_id)

            def known_handle(handle: str) -> dict[str, Any] | None:
                other = self.store.find_handle(handle)
                found = self.store.person(other) if other is not None and other != person_id else None
                return views.summary(self.store, other, found) if found and posts.known(found) else None  # type: ignore[arg-type]

            made = brief.brief(card, oldest, kept, starters.suggestions(doc, kept), known_handle, now)
        return {**made, "markdown": brief.markdown(made)}

    # -- keep in touch -------------------------------------------------------------------------------
    def keep_in_touch(self, now: datetime | None = None, limit: int | None = None) -> dict[str, Any]:
        """Whom to get back to: overdue (most overdue first), due this week, upcoming, and snoozed, with how
        many are in each; `limit`: at most that many of each list."""
        now = now or keep_in_touch.user_now()
        if limit is not None and not 0 <= limit <= 10_000:
            raise Invalid("limit must be between 0 and 10000", "/query/limit")
        with self.store.lock:
            lists = self._keep_in_touch(now)
            # Only the people shown are described (a list can hold thousands).
            shown = {name: [{**views.reminder(self.store.person(pid)), **due}  # type: ignore[arg-type]
                            for pid, due in (lists[name] if limit is None else lists[name][:limit])]
                     for name in keep_in_touch.LISTS}
        return {"today": now.date().isoformat(), "counts": {name: len(lists[name]) for name in lists}, **shown}

    def _keep_in_touch(self, now: datetime) -> dict[str, list[tuple[int, dict[str, Any]]]]:
        defaults = keep_in_touch.defaults_of(self.store.settings())

        def due(doc: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
            status = keep_in_touch.status(doc, defaults, now)
            return (views.person_key(doc), status) if status is not None else None

        # A status depends on the person, the defaults (a change of settings works everyone out again)
        # and the day in the user's time zone.
        values = self._due.current((now.date(), now.utcoffset()), due)
        return keep_in_touch.overview([(pid, key, status) for pid, (key, status) in values.items()])

    def keep_in_touch_calendar(self) -> bytes:
        """The due and upcoming reminders as an .ics file."""
        now = keep_in_touch.user_now()
        return calendar.reminders(self.keep_in_touch(now), now)

    def keep_in_touch_defaults(self) -> dict[str, Any]:
        with self.store.lock:
            return keep_in_touch.defaults_of(self.store.settings())

    def set_keep_in_touch_defaults(self, defaults: dict[str, Any]) -> dict[str, Any]:
        checked = keep_in_touch.check_defaults(defaults)
        with self.store.lock, self.store.transaction():
            self.store.update_settings({"keep_in_touch": checked})
        return checked

    def circles(self) -> dict[str, Any]:
        """The core circle (whom you talk with most over 90 days, weighted by stage) and who engages with you most."""
        with self.store.lock:
            store = self.store
            start = give_and_take.window_start()
            sums = self._circle.current(start, lambda doc: give_and_take.sums(doc.get("aggregates") or {}, start))
            return give_and_take.circles(sums, lambda pid: store.person(pid)["aggregates"],  # type: ignore[index]
                                         lambda pid: views.summary(store, pid, store.person(pid)), start)

    def insights(self, now: str | None = None) -> dict[str, Any]:
        with self.store.lock:
            return {**insights.summarize(self.store, now or clock.now()), "circles": self.circles()}

    # -- meet-ups ------------------------------------------------------------------------------------
    def near(self, place: str | None = None, geonameid: int | None = None, km: float = meetups.DEFAULT_KM,
             now: str | None = None) -> dict[str, Any]:
        """Whom you know at a place: by stage, then by recency, each with why they are listed."""
        now = now or clock.now()
        found = meetups.find_place(place, geonameid)
        km = meetups.check_km(km)
        self.reader.catch_up()
        with self.store.lock:
            there = meetups.near(self._spot_index(), found, km, now)
            rows = [{**views.summary(self.store, pid, self.store.person(pid)), **reason}  # type: ignore[arg-type]
                    for pid, reason in there.items()]
        return {"place": {**found.to_json(), "label": found.label, "population": found.population}, "km": km,
                "people": meetups.rank(rows)}

    def place_suggestions(self, prefix: str, limit: int = 8) -> list[dict[str, Any]]:
        return [{**p.to_json(), "label": p.label, "population": p.population}
                for p in places.gazetteer().suggest(prefix, limit)]

    def people_map(self) -> dict[str, Any]:
        self.reader.catch_up()
        with self.store.lock:
            index = self._spot_index()
            stage_of = {pid: self.store.person(pid)["stage"] for pid in index}  # type: ignore[index]
            return {"bubbles": meetups.bubbles(index, stage_of)}

    def warm_places(self) -> None:
        """Load the gazetteer and read everyone's location once, off the request path (at start-up)."""
        places.gazetteer()
        with self.store.lock:
            locations = {self.store.person(pid)["profile"].get("location")  # type: ignore[index]
                         for pid in self.store.person_ids()}
        for location in locations:
            places.resolve(location)

    # -- two records of one person ------------------------------------------------------------------------
    def duplicates(self) -> dict[str, Any]:
        """Likely duplicates to review, and the merges by hand that can still be undone."""
        with self.store.lock:
            def shown(pid: int) -> dict[str, Any]:
                return views.summary(self.store, pid, self.store.person(pid))  # type: ignore[arg-type]

            def who(doc: dict[str, Any]) -> dict[str, Any]:
                return {"key": views.person_key(doc), "handle": doc["handle"], "user_id": doc["user_id"],
                        "display_name": doc["profile"].get("display_name")}

            pairs = [{"people": [shown(a), shown(b)], "why": why} for a, b, why in duplicates.candidates(self.store)]
            merges = []
            for merge_id, record in duplicates.recent(self.store):
                gone = record["gone_before"]
                kept = self.store.person(record["keep"])
                merges.append({"id": merge_id, "at": record["at"],
                               "kept": shown(record["keep"]) if kept is not None else None,
                               "gone": who(gone)})
            return {"pairs": pairs, "merges": merges}

    def duplicate_count(self) -> int:
        """How many likely duplicates there are (what the People page says), without showing them."""
        with self.store.lock:
            return len(duplicates.candidates(self.store))

    def merge_people(self, keep: str, gone: str) -> dict[str, Any]:
        with self.store.lock:
            with self.store.transaction():
                keep_id, _ = self._find(keep)
                gone_id, _ = self._find(gone)
                merge_id = duplicates.merge(self.store, keep_id, gone_id, clock.now())
            return {"merge_id": merge_id, "person": self._detail(keep_id)}

    def undo_merge(self, merge_id: int) -> dict[str, Any]:
        with self.store.lock:
            with self.store.transaction():
                restored = duplicates.undo(self.store, merge_id, clock.now())
            return {"ok": True, "restored": self._detail(restored)}

    def not_duplicates(self, a: str, b: str) -> dict[str, Any]:
        with self.store.lock:
            with self.store.transaction():
                duplicates.dismiss(self.store, self._find(a)[0], self._find(b)[0])
            return {"ok": True}

    # -- your own labels ------------------------------------------------------------------------------
    def labels(self, counts: bool = True) -> dict[str, Any]:
        """Every label by name; `counts`: with how many people have each (which reads everyone)."""
        with self.store.lock:
            if counts:
                return {"labels": labels.listing(self.store)}
            return {"labels": labels.shown(self.store.labels(), self.store.labels())}

    def create_label(self, body: dict[str, Any]) -> dict[str, Any]:
        if "name" not in body:
            raise Invalid("a new label needs a name", "/name")
        with self.store.lock:
            with self.store.transaction():
                label_id = labels.create(self.store, body["name"], body.get("colour"))
            return labels.get(self.store, label_id)

    def change_label(self, label_id: int, body: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            with self.store.transaction():
                labels.change(self.store, label_id, body)
            return labels.get(self.store, label_id)

    def delete_label(self, label_id: int) -> dict[str, Any]:
        with self.store.transaction():
            return {"ok": True, "people": labels.delete(self.store, label_id)}

    def plans(self, kind: str) -> list[dict[str, Any]]:
        with self.store.lock:
            return plans.listing(self.store, kind, keep_in_touch.user_now().date())

    def plan(self, kind: str, plan_id: int) -> dict[str, Any]:
        now = clock.now()
        today = keep_in_touch.user_now().date()
        self.reader.catch_up()
        with self.store.lock:
            index = self._spot_index()

            def row(pid: int) -> dict[str, Any]:
                return views.summary(self.store, pid, self.store.person(pid))  # type: ignore[arg-type]

            view = plans.trip_view if kind == "trip" else plans.conference_view
            return view(self.store, index, plan_id, now, today, row)

    def create_plan(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            with self.store.transaction():
                plan_id = plans.create(self.store, kind, body, clock.now())
            return self.plan(kind, plan_id)

    def update_plan(self, kind: str, plan_id: int, body: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            with self.store.transaction():
                plans.update(self.store, kind, plan_id, body, clock.now())
            return self.plan(kind, plan_id)

    def delete_plan(self, kind: str, plan_id: int) -> None:
        with self.store.transaction():
            plans.remove(self.store, kind, plan_id)

    def mark_for_trip(self, trip_id: int, key: str, meet: bool, note: str | None) -> dict[str, Any]:
        with self.store.lock:
            _, doc = self._find(key)
            with self.store.transaction():
                plans.mark(self.store, trip_id, views.person_key(doc), meet, note, clock.now())
            return self.plan("trip", trip_id)

    def met_on_trip(self, trip_id: int, key: str, at: str | None = None) -> dict[str, Any]:
        """Log the meeting that happened on the trip (at its last day unless `at` says when)."""
        with self.store.lock:
            trip = plans.get(self.store, "trip", trip_id)
            person_id, doc = self._find(key)
            if plans.mark_of(self.store, trip, person_id).get("met_at"):
                return self.plan("trip", trip_id)  # logged already (a second click, a retry): once is enough
            when = at or trip["end"]
            with self.store.transaction():
                self.log_event(key, {"kind": "meeting", "at": when, "place": trip["label"],
                                     "note": f"On the trip to {trip['label']}"})
                plans.met(self.store, trip_id, views.person_key(doc), clock.normalize(when, "/at"))
            return self.plan("trip", trip_id)

    def trip_reviewed(self, trip_id: int) -> dict[str, Any]:
        with self.store.lock:
            with self.store.transaction():
                plans.reviewed(self.store, trip_id, clock.now())
            return self.plan("trip", trip_id)

    def posts_setting(self) -> dict[str, Any]:
        with self.store.lock:
            return {"keep_posts": posts.keeping(self.store), "posts_kept": len(self.store.all_posts())}

    def set_posts_setting(self, keep_posts: bool) -> dict[str, Any]:
        with self.store.lock, self.store.transaction():
            return posts.set_keeping(self.store, keep_posts)

    # -- the X archive -------------------------------------------------------------------------------
    def import_archive(self, path: Any, me: str | None = None, dry_run: bool = False, include_deleted: bool = False,
                       progress: archive.ImportProgress | None = None, label: str | None = None) -> dict[str, Any]:
        """Read the archive at `path` (zip or folder) to its end, then apply it in small transactions."""
        return archive.import_archive(self.store, path, me=me, dry_run=dry_run, include_deleted=include_deleted,
                                      progress=progress, label=label)

    def archive_imports(self) -> list[dict[str, Any]]:
        """Every archive import, newest first; one still "applying" was cut short (import it again)."""
        with self.store.lock:
            return [dict(doc) for doc in self.store.archive_imports()]

    # -- whole database ------------------------------------------------------------------------------
    def backups(self) -> list[dict[str, Any]]:
        """The backup files, newest first."""
        return self.store.list_backups()

    def backup_now(self) -> dict[str, Any]:
        made = self.store.backup()
        return next(b for b in self.store.list_backups() if b["name"] == made.name)

    def export(self) -> dict[str, Any]:
        with self.store.lock:
            return transfer.export(self.store)

    def import_(self, document: dict[str, Any], mode: str = "merge") -> dict[str, Any]:
        if mode not in ("merge", "replace"):
            raise Invalid("mode must be merge or replace", "/query/mode")
        with self.store.lock:
            if mode == "replace":
                self.store.backup()
            with self.store.transaction():
                result = transfer.import_(self.store, document, replace=mode == "replace")
            if mode == "replace":
                self.store.compact()
        return result
