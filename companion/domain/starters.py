"""Conversation starters: what people you know say in their posts and bio that belongs in your notes, the
book they are reading, the wine they opened, the team they cheer for, found here on your machine.

A wrong suggestion costs the user's trust, so each one needs two things: a cue that it is theirs ("just
finished reading", "uncorked", "at the … game", a link to Goodreads or Letterboxd) and a value written as a
name (quoted or capitalised, or read from the link). When unsure, nothing is suggested. Wishes, questions,
negations and sarcasm suggest nothing ("I could never read that", "should I watch The Bear?").
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from . import places, whereabouts

# The suggestion fields, and the note field each one fills when the user accepts it.
NOTE_FOR = {"books": "books", "wine": "wine", "music": "music", "movies": "movies", "sports": "sports",
            "places": "other", "life": "other"}
FIELD_TOPIC = {"books": "Books", "wine": "Wine", "music": "Music", "movies": "Films and series", "sports": "Sports",
               "places": "Travel", "life": "Life news"}
FIELD_LABEL = {"books": "reading", "wine": "drinking", "music": "listening to", "movies": "watching",
               "sports": "following", "places": "being in", "life": ""}


@dataclass(frozen=True)
class Mention:
    field: str
    value: str
    words: str  # the words of the post that say so

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "value": self.value, "words": self.words}


def suggestion_id(field: str, value: str) -> str:
    """The same id for the same thing, whichever post says it: dismissing it once hides it for good."""
    return hashlib.sha1(f"{field}\x00{places.fold(value)}".encode()).hexdigest()[:12]


# -- names as people write them ------------------------------------------------------------------------
_SMALL = "of|the|a|an|and|in|on|at|to|for|with|from|de|la|le|du|von|van|del|da|di|y|&|vs|is"
_CAP = r"(?:[A-Z0-9][\w'’.!?&-]*)"
# A title: quoted, or capitalised words (small words between them), up to eight.
_TITLE = (r"(?:[\"“‘*_](?P<quoted>[^\"”’*_\n]{2,80})[\"”’*_]"
          rf"|(?P<caps>{_CAP}(?:(?:[ ]+(?:{_SMALL}))*[ :]+{_CAP})" r"{0,7}))")
# Words that start a sentence in capitals but name nothing.
_NOT_NAMES = {"i", "i'm", "im", "it", "its", "it's", "this", "that", "the", "a", "an", "my", "our", "we", "you",
              "he", "she", "they", "them", "his", "her", "their", "some", "more", "all", "one", "two", "so", "just",
              "today", "tonight", "yesterday", "again", "now", "still", "finally", "lol", "omg", "ok", "yes", "no",
              "what", "why", "how", "when", "where", "who", "which", "there", "here", "everything", "nothing",
              "something", "anything", "everyone", "friday", "saturday", "sunday", "monday", "tuesday",
              "wednesday", "thursday", "chapter", "book", "books", "album", "song", "film", "movie", "episode",
              "season", "wine", "bottle", "glass", "game", "match", "new", "old", "great", "good", "best"}


def _name(match: re.Match[str]) -> str | None:
    """The title or name a match captured, cleaned; None when it names nothing."""
    raw = match.group("quoted") or match.group("caps") or ""
    value = raw.strip(" .,!?:;-–—'’\"")
    value = re.sub(r"\s+(?:by|with|from|at|on|in|for|and)$", "", value)
    # "Dune in IMAX", "Hamlet at the Globe in London": where they saw it is not part of its name.
    tail = re.search(r"\s+(?:in|at|on)\s+(?:the\s+)?(?P<where>[\w' ]+)$", value)
    if tail and (tail.group("where").isupper() or places.resolve(tail.group("where")) is not None):
        value = value[:tail.start()]
    if len(value) < 2 or value.lower() in _NOT_NAMES or value.split()[0].lower() in {"i", "i'm", "my", "it", "this"}:
        return None
    if match.group("caps") and value.isupper() and len(value) <= 3:  # "OK", "LOL", "AI"
        return None
    return value


# -- what says a mention is theirs ---------------------------------------------------------------------
def _cue(pattern: str) -> re.Pattern[str]:
    # Cue words in any case; the name after them as written (case-sensitive).
    return re.compile(pattern.replace("{T}", f"(?-i:{_TITLE})"), re.IGNORECASE)


_CUES: list[tuple[str, re.Pattern[str], str | None]] = [
    # (field, pattern, words that must also be in the sentence, or None)
    ("books", _cue(r"\b(?:just\s+|finally\s+)?(?:finished\s+reading|started\s+reading|currently\s+reading|"
                   r"now\s+reading|re-?reading|been\s+reading|am\s+reading|i'?m\s+reading|reading|devoured|"
                   r"halfway\s+through|(?:just\s+)?finished|started|loved|can'?t\s+put\s+down)\s+{T}"),
     r"\bread(?:ing)?\b|\bbook\b|\bnovel\b|\baudiobook\b|\bpages?\b|\bchapters?\b|\bby\s+[A-Z]|📚|📖|#amreading"),
    ("movies", _cue(r"\b(?:just\s+|finally\s+)?(?:watched|re-?watched|rewatching|binged|binge-?watching|"
                    r"finished\s+watching|saw|watching)\s+{T}"),
     r"\bwatch|\bbinge|\bfilm\b|\bmovie\b|\bcinema\b|\bimax\b|\btheat(?:er|re)\b|\bepisode\b|\bseason\b|"
     r"\bseries\b|\bshow\b|🎬|🍿"),
    ("music", _cue(r"\b(?:listening\s+to|been\s+listening\s+to|can'?t\s+stop\s+listening\s+to|"
                   r"(?:the\s+)?new\s+(?:album|record|single)\s+(?:from|by)|saw|seeing)\s+{T}"),
     r"\blisten|\balbum\b|\brecord\b|\bsingle\b|\blive\b|\bconcert\b|\bgig\b|\btour\b|\bon repeat\b|🎧|🎶|🎵"),
    ("music", _cue(r"{T}\s+(?:is|has been)\s+on\s+repeat"), None),
    ("wine", _cue(r"\b(?:uncorked|opened|popped(?:\s+open)?|cracked\s+open|drinking|sipping|tasting|enjoying|"
                  r"pouring|decanted)\s+(?:a|an|the|some|this|my|our|tonight'?s)?\s*(?:bottle\s+of\s+|glass\s+of\s+)?"
                  r"(?:\d{4}\s+)?{T}"),
     r"\bwine\b|\bbottle\b|\bglass\b|\bvintage\b|\buncorked\b|\bdecant|🍷|🍾"),
    ("wine", _cue(r"\b(?:a|another)\s+(?:bottle|glass)\s+of\s+(?:\d{4}\s+)?{T}"), None),
    ("sports", _cue(r"\bat\s+the\s+{T}\s+(?:game|match)\b"), None),
    ("sports", _cue(r"\b(?:come\s+on\s+you|let'?s\s+go|go|come\s+on)\s+{T}\s*(?:!|$|💚|❤️|💙|💛|🏀|⚽|🏈|⚾|🏒)"), None),
    ("sports", _cue(r"\b(?:lifelong|die-?hard|proud|huge|season\s+ticket\s+holder,?)\s+{T}\s+fan\b"), None),
]
# Sports one plays ("ran my first marathon", "went bouldering") name the sport itself.
_PLAYS = re.compile(r"\b(?:(?:ran|finished|completed)\s+(?:my\s+(?:first\s+)?|a\s+|the\s+)?(?P<run>half[\s-]marathon|"
                    r"marathon|ultra(?:marathon)?)|(?:went|go|going|been)\s+(?P<sport>climbing|bouldering|surfing|"
                    r"skiing|snowboarding|cycling|sailing|kayaking|skating|diving)|(?P<trail>trail\s+run(?:ning)?))\b",
                    re.IGNORECASE)
_LIFE: list[tuple[str, re.Pattern[str]]] = [
    ("new job", re.compile(r"\b(?:(?:excited|thrilled|happy|proud|delighted)\s+to\s+(?:announce|share)\s+(?:that\s+)?"
                           r"(?:i'?(?:ve|m)?\s+|i\s+(?:have|am)\s+)?(?:joined|joining|started|starting|accepted)|"
                           r"(?:first|1st)\s+day\s+(?:at|of)\s+(?:my\s+)?(?:the\s+)?new\s+job|started\s+(?:a\s+|my\s+)?"
                           r"new\s+(?:job|role|position)|i'?(?:ve|m)?\s+(?:just\s+)?(?:joined|joining)\s+@\w+|"
                           r"\bmy\s+new\s+(?:job|role)\b|starting\s+(?:a\s+)?new\s+job)", re.IGNORECASE)),
    ("moved", re.compile(r"\b(?:we|i)(?:'ve|\s+have|\s+just|\s+finally)?\s+(?:just\s+)?(?:moved|relocated)\s+to\b|"
                         r"\bmoving\s+day\b|\bnew\s+apartment\b|\bjust\s+moved\b", re.IGNORECASE)),
    ("new baby", re.compile(r"\b(?:welcomed|welcome)\s+(?:our|a|baby)\s+(?:\w+\s+)?(?:baby|son|daughter|girl|boy|"
                            r"little)|\b(?:our|my)\s+(?:baby|son|daughter)\s+(?:was\s+)?born\b|\bbecame\s+a\s+"
                            r"(?:dad|mom|mum|father|mother|parent)\b|\bI'?m\s+a\s+(?:dad|mom|mum)\b", re.IGNORECASE)),
    ("launch", re.compile(r"\b(?:we(?:'re|\s+are)|i'?m|i\s+am)\s+(?:live|launching)\s+on\s+product\s*hunt\b|"
                          r"\b(?:we|i)\s+(?:just\s+)?(?:launched|shipped)\b|\b(?:our|my)\s+launch\s+day\b|"
                          r"\blaunch\s+day\b.*\b(?:we|our|my)\b|\b(?:today|finally)\s+we\s+launch", re.IGNORECASE)),
    ("birthday", re.compile(r"\bhappy\s+birthday\s+to\s+me\b|\b(?:it'?s|today\s+is)\s+my\s+birthday\b|"
                            r"\banother\s+trip\s+around\s+the\s+sun\b|\bturned\s+\d{2}\s+today\b|"
                            r"\bmy\s+\d{2}(?:st|nd|rd|th)\s+birthday\b", re.IGNORECASE)),
    ("wedding", re.compile(r"\b(?:we|i)\s+(?:just\s+)?got\s+married\b|\bour\s+wedding\b|\bmarried\s+my\s+best\b",
                           re.IGNORECASE)),
    ("engagement", re.compile(r"\b(?:we(?:'re|\s+are)|i'?m|i\s+am|just\s+got)\s+engaged\b|\bshe\s+said\s+yes\b|"
                              r"\bhe\s+said\s+yes\b", re.IGNORECASE)),
    ("graduation", re.compile(r"\bi\s+(?:just\s+|officially\s+|finally\s+)?graduated\b|\bdefended\s+my\s+"
                              r"(?:phd|thesis|dissertation)\b|\bofficially\s+(?:a\s+)?dr\.?\b", re.IGNORECASE)),
    ("retirement", re.compile(r"\b(?:i'?m|i\s+am|i\s+have|i'?ve|i)\s+(?:officially\s+|finally\s+)?retir(?:ed|ing)\b|"
                              r"\bmy\s+retirement\b", re.IGNORECASE)),
]
# Not theirs, not now, not meant: wishes, negations, questions, sarcasm, other people's news.
_NOT_THEIRS = re.compile(r"\b(?:never|not|n't|no\s+longer|wish|someday|one\s+day|should\s+i|should\s+we|want\s+to|"
                         r"wanna|might|maybe|thinking\s+of|anyone|has\s+anyone|have\s+you|did\s+you|recommend\s+me|"
                         r"congrat\w*|happy\s+birthday\s+(?!to\s+me)|oh\s+great|just\s+what\s+i\s+needed|"
                         r"love\s+(?:waiting|being|having)|nothing\s+like)\b|🙃|/s\b|🙄", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")


# -- links to the well-known sites -----------------------------------------------------------------------
def _slug_title(slug: str) -> str | None:
    words = [w for w in re.split(r"[-_+]+", unquote(slug)) if w and not w.isdigit()]
    if not words:
        return None
    small = set(_SMALL.split("|"))
    return " ".join(w if w.isupper() else (w.lower() if n and w.lower() in small else w.capitalize())
                    for n, w in enumerate(words))


def _from_link(url: str) -> Mention | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = [p for p in parts.path.split("/") if p]
    found: tuple[str, str | None] | None = None
    if host == "goodreads.com" and len(path) >= 3 and path[:2] == ["book", "show"]:
        found = ("books", _slug_title(re.sub(r"^\d+[-.]?", "", path[2])))
    elif host == "letterboxd.com" and len(path) >= 2 and path[-2] == "film":
        found = ("movies", _slug_title(path[-1]))
    elif host == "letterboxd.com" and "film" in path:
        found = ("movies", _slug_title(path[path.index("film") + 1]) if path.index("film") + 1 < len(path) else None)
    elif host == "music.apple.com" and "album" in path and path.index("album") + 1 < len(path) - 1:
        found = ("music", _slug_title(path[path.index("album") + 1]))
    elif host.endswith(".bandcamp.com") and len(path) >= 2 and path[0] in ("album", "track"):
        found = ("music", _slug_title(path[1]))
    elif host == "vivino.com" and "w" in path and path.index("w") >= 1:
        found = ("wine", _slug_title(path[path.index("w") - 1]))
    elif host in ("nba.com", "nfl.com", "mlb.com", "nhl.com", "wnba.com", "mlssoccer.com") and path:
        team = path[-1] if path[0] in ("teams", "clubs", "club") else path[0]
        found = ("sports", _slug_title(team)) if team.isalpha() and len(team) > 2 else None
    if found is None or not found[1]:
        return None
    return Mention(found[0], found[1], url)  # type: ignore[arg-type]


_LINK_FIELD = {"goodreads.com": "books", "app.thestorygraph.com": "books", "thestorygraph.com": "books",
               "bookshop.org": "books", "letterboxd.com": "movies", "imdb.com": "movies", "open.spotify.com": "music",
               "music.apple.com": "music", "vivino.com": "wine", "cellartracker.com": "wine"}


def _link_field(url: str) -> str | None:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return "music" if host.endswith(".bandcamp.com") else _LINK_FIELD.get(host)


# -- finding them ------------------------------------------------------------------------------------------
def find(text: str | None) -> list[Mention]:
    """Everything a post (or a bio) says that belongs in the notes, surest first; nothing when unsure."""
    if not text or not text.strip():
        return []
    found: dict[tuple[str, str], Mention] = {}

    def add(mention: Mention) -> None:
        found.setdefault((mention.field, places.fold(mention.value)), mention)

    links = re.findall(r"https?://[^\s<>\"')\]]+", text)
    linked_fields = set()
    for url in links:
        mention = _from_link(url.rstrip(".,;:!?"))
        if mention is not None:
            add(mention)
        field = _link_field(url)
        if field:
            linked_fields.add(field)
    prose = re.sub(r"https?://\S+", " ", text)
    for sentence in _SENTENCE.findall(prose):
        if _NOT_THEIRS.search(sentence) or sentence.rstrip().endswith("?"):
            continue
        for field, pattern, context in _CUES:
            for match in pattern.finditer(sentence):
                value = _name(match)
                if value is None:
                    continue
                if context is not None and field not in linked_fields and not re.search(context, sentence,
                                                                                          re.IGNORECASE):
                    continue
                add(Mention(field, value, match.group(0).strip()))
        for match in _PLAYS.finditer(sentence):
            sport = match.group("run") or match.group("sport") or match.group("trail")
            value = "running" if match.group("run") else "trail running" if match.group("trail") else sport
            add(Mention("sports", value.lower(), match.group(0).strip()))
        for label, pattern in _LIFE:
            match = pattern.search(sentence)
            if match:
                add(Mention("life", label, match.group(0).strip()))
    for resolved, words in whereabouts.places_in(prose):
        add(Mention("places", resolved.place.name, words))
    return _without_doubles(list(found.values()))


def _without_doubles(mentions: list[Mention]) -> list[Mention]:
    """A title found as a book and as a film from the same words ("finished Dune"): say nothing of it."""
    by_value: dict[str, set[str]] = {}
    for m in mentions:
        if m.field in ("books", "movies"):
            by_value.setdefault(places.fold(m.value), set()).add(m.field)
    return [m for m in mentions if not (m.field in ("books", "movies") and len(by_value[places.fold(m.value)]) > 1)]


# -- what a person's card offers -----------------------------------------------------------------------------
def suggestions(doc: dict[str, Any], kept: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The person's suggestions, newest first: from their kept posts (each read once, when kept) and their
    bio; never one dismissed or accepted, nor one the notes already hold."""
    state = doc.get("starters") or {}
    hidden = set(state.get("dismissed", [])) | set(state.get("accepted", []))
    notes = doc["notes"]
    out: dict[str, dict[str, Any]] = {}
    sources = [(p, p.get("mentions")) for p in sorted(kept, key=lambda p: p["at"], reverse=True)]
    for post, mentions in sources:
        for m in (mentions if mentions is not None else [x.to_json() for x in find(post["text"])]):
            _offer(out, hidden, notes, m, post["url"], post["at"], post["text"], "post")
    bio = doc["profile"].get("bio")
    if bio:
        handle = doc.get("handle")
        for m in find(bio):
            _offer(out, hidden, notes, m.to_json(), f"https://x.com/{handle}" if handle else None, doc["updated_at"],
                   bio, "bio")
    return list(out.values())


def _offer(out: dict[str, dict[str, Any]], hidden: set[str], notes: dict[str, Any], m: dict[str, str],
           url: str | None, at: str, text: str, source: str) -> None:
    sid = suggestion_id(m["field"], m["value"])
    note = notes.get(NOTE_FOR[m["field"]]) or ""
    if sid in hidden or sid in out or places.fold(m["value"]) in places.fold(note):
        return
    out[sid] = {"id": sid, "field": m["field"], "note_field": NOTE_FOR[m["field"]], "value": m["value"],
                "words": m["words"], "source": source, "source_url": url, "at": at, "text": text[:280],
                "label": describe(m["field"], m["value"])}


def describe(field: str, value: str) -> str:
    """How the card says it: "Mentioned reading Project Hail Mary", "Mentioned a new job"."""
    if field == "life":
        return f"Mentioned {'a ' if value.startswith('new') else ''}{value}"
    return f"Mentioned {FIELD_LABEL[field]} {value}"


def note_line(suggestion: dict[str, Any]) -> str:
    """What accepting adds to the note: the value, with where it came from."""
    day = suggestion["at"][:10]
    source = f"from a post, {day}: {suggestion['source_url']}" if suggestion["source"] == "post" else "from their bio"
    value = suggestion["value"] if suggestion["field"] != "life" else suggestion["value"].capitalize()
    return f"{value} ({source})"
