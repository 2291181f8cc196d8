"""What a post (or a bio) says about its author that belongs in the notes: the book they are reading, the wine
they opened, the band they saw, the film they watched, the team they cheer for, where they travel, their
news. Found on this computer with rules, no model and no network.

A wrong suggestion costs the user's trust, so a mention needs two things: a name written as a name (quoted,
capitalised, or read from a link to Goodreads, Letterboxd, Bandcamp…) and words that say what it is and that
it is theirs ("just finished reading", "on repeat", "uncorked", "at the … game", a 📚). When the words point
two ways (a book or its film?) or the sentence is a wish, a question, a negation, sarcasm or someone else's
news, nothing is found.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from . import lifenews, places, sport, whereabouts
from .lowercase import pattern as _lowercase

log = logging.getLogger("rapport")
FIELDS = ("books", "wine", "music", "movies", "sports", "places", "life")


@dataclass(frozen=True)
class Mention:
    field: str
    value: str
    words: str  # the words that say so

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "value": self.value, "words": self.words}


# -- names as people write them ----------------------------------------------------------------------------
_SMALL = {"of", "the", "a", "an", "and", "in", "on", "at", "to", "for", "with", "from", "de", "la", "le", "du",
          "von", "van", "del", "da", "di", "y", "&", "vs", "is", "des", "der", "die", "das", "el", "los", "las"}
# Capitalised words that start sentences or fill them, and name nothing.
_NOT_NAMES = {
    "i", "i'm", "im", "i've", "i'd", "i'll", "it", "its", "it's", "this", "that", "these", "those", "the", "a", "an",
    "my", "our", "we", "we're", "you", "your", "he", "she", "they", "them", "his", "her", "their", "some", "more",
    "all", "one", "two", "so", "just", "today", "tonight", "yesterday", "tomorrow", "again", "now", "still",
    "finally", "lol", "omg", "ok", "okay", "yes", "no", "what", "why", "how", "when", "where", "who", "which", "there",
    "here", "everything", "nothing", "something", "anything", "everyone", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "new", "old", "great", "good", "best", "also",
    "and", "but", "or", "if", "then", "thanks", "thank", "happy", "hey", "hi", "hello", "wow", "ugh", "dear",
    "rt", "ps", "btw", "tbh", "imo", "fyi", "amazing", "love", "loved", "finished", "reading", "watching",
    "listening", "currently", "first", "last", "next", "every", "not", "never", "very", "really", "much",
    "got", "get", "did", "done", "day", "week", "weekend", "night", "morning", "year", "month", "update", "note",
    "chapter", "part", "book", "books", "album", "song", "film", "movie", "show", "episode", "season", "wine",
    "dnf'd", "dnf", "watched", "rewatched", "rewatching", "binged", "started", "starting", "halfway", "read",
    "playing", "saw", "caught", "went", "metal", "late", "took", "learning", "latest",
    # the words of reading, watching and listening that open a sentence ("Re-reading Dune", "Audiobook of X")
    "re-reading", "rereading", "re-read", "reread", "audiobook", "audiobooks", "re-watching", "re-watched",
    "rewatch", "marathoned", "binging", "bingeing", "finishing", "devouring", "devoured", "listened", "seeing",
    "begun", "began",
    # auxiliaries that open a sentence with its subject left out ("Been on repeat since March")
    "been", "was", "is", "has", "had", "have", "am", "are", "were",
}
# Words right after a sentence's first word that say it is a name ("Succession rewatch", "Shōgun finale").
_NAMED_BY_NEXT = re.compile(r"^(?:finale|rewatch|rewatching|s\d+|season|live|concert|gig|album|record)$", re.I)
# Words after a sentence's first word that may say what it is ("Flow was the best animated film", "Oldboy on the
# big screen"): the words after them decide (_IS_A, _AFTER_CUES).
_FIRST_NAMED = re.compile(r"^(?:was|is|on|in)$", re.I)
# Small words that join a name's words: not "is" ("Amélie is on Mubi" is a sentence, "This Is Us" a title).
_JOINS = _SMALL - {"is"}
_POSSESSIVE = re.compile(r"['’]s$|(?<=s)['’]$")
# "The", "A" and "An" start a name only when a capitalised word follows ("The Hobbit").
_ARTICLES = {"the", "a", "an"}
_TOKEN = re.compile(r"[#@]?[\w][\w'’.&!-]*|[:–—-]")
_CAPITAL = re.compile(r"^[A-Z0-9ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŒŠŽА-ЯΑ-Ω]")
_QUOTED = re.compile(r"[\"“”](?P<q1>[^\"“”\n]{2,80})[\"“”]|(?<![\w])['‘](?P<q2>[^'‘’\n]{2,80})['’](?![\w])|"
                     r"\*(?P<q3>[^*\n]{2,80})\*")


def _clean(value: str) -> str:
    value = re.sub(r"\s*\(\d{4}\)?$|['’]s$", "", value.strip())  # "Aftersun (2022)", "Sakamoto's"
    return value.strip(" .,!?:;-–—'’\"“”*()[]")


_EPISODE = re.compile(r"\s+(?:S\d{1,2}\s*E\d{1,3}|S\d{1,2}|Season\s+\d+|Episode\s+\d+)\b(?=[^\w]*$)")
_TIME = re.compile(r"^\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm|h)$", re.I)


def _is_name(value: str) -> bool:
    words = value.split()
    if (not words or len(value) < 2 or not re.search(r"[^\W\d_]", words[0])  # "31/50" and "1,100" are no names
            or re.fullmatch(r"\d+(?:st|nd|rd|th)", words[0], re.I)):  # nor "4th"
        return False
    if _TIME.match(words[0]) or re.match(r"^\d+(?:[.,]\d+)?(?:[km]|mm)$", words[0], re.I):  # "9pm", "17k", "70mm"
        return False
    if len(words) == 1 and re.fullmatch(r"\d+[a-z]+", words[0]):  # "9yo", "3am", "2nd": no name in lowercase
        return False
    if all(w.lower().strip(".,!?'’") in _NOT_NAMES | _SMALL for w in words):
        return False
    return words[0].lower() not in {"i", "i'm", "my", "it", "this", "our", "we"}


_I = re.compile(r"I['’](?:m|ve|d|ll)$")  # "The Buried Giant and I'm not sure": no title goes on into "I'm"


_BRACKET = re.compile(r"[()\[\]]")


def titles(sentence: str) -> list[tuple[str, int, int]]:
    """Names in a sentence, as (name, start, end): quoted ones, and runs of capitalised words (small words and
    a colon may join them: "The Name of the Wind", "Dune: Part Two")."""
    found: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for m in _QUOTED.finditer(sentence):
        value = _clean(m.group("q1") or m.group("q2") or m.group("q3") or "")
        if _is_name(value):
            found.append((value, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    tokens = [(t.group(0), t.start(), t.end()) for t in _TOKEN.finditer(sentence)]
    n = 0
    while n < len(tokens):
        word, start, end = tokens[n]
        if any(a <= start < b for a, b in taken):
            n += 1
            continue
        if not _starts_name(word, n, tokens):
            # "Beyoncé tickets secured": a sentence's first word alone, when the words after say what it is
            if (n == 0 and _CAPITAL.match(word) and word.lower() not in _NOT_NAMES and _is_name(_clean(word))
                    and _said_what(sentence[end:])):
                found.append((_clean(word), start, end))
            n += 1
            continue
        last = n
        k = n + 1
        # "Stromae's Multitude": two names; "The Handmaid's Tale", "The Hitchhiker's Guide": one
        while k < len(tokens) and (not _POSSESSIVE.search(tokens[last][0])
                                   or (word.lower() in _ARTICLES and last == n + 1)):
            nxt = tokens[k][0]
            if _BRACKET.search(sentence, tokens[k - 1][2], tokens[k][1]):
                break  # "Conclave (the Robert Harris novel)": a name ends where a bracket opens or closes
            if _CAPITAL.match(nxt) and not nxt.startswith(("#", "@")):
                last = k
                k += 1
            elif (nxt.lower() in _JOINS or nxt == ":") and k + 1 < len(tokens) and (
                    (_CAPITAL.match(tokens[k + 1][0]) and not tokens[k + 1][0].isupper()
                     and not tokens[k + 1][0][0].isdigit() and not _I.match(tokens[k + 1][0]))
                    or tokens[k + 1][0].lower() in _JOINS) and not _ends_name(tokens, k, sentence):
                k += 1
            else:
                break
        episode = _EPISODE.search(sentence, start, tokens[last][2])  # "The Last of Us S2E3": the show, then its episode
        if episode and episode.start() > start:
            while last > n and tokens[last][1] >= episode.start():
                last -= 1
        value = _clean(sentence[start:tokens[last][2]])
        if n == 0 and last == n and len(tokens) > 1 and _FIRST_NAMED.match(tokens[1][0]) and not (
                _CAPITAL.match(tokens[n + 1][0]) or _said_what(sentence[tokens[last][2]:])):
            n += 1  # "Traffic is insane": a first word before "is" is a name only when the words say what it is
            continue
        shouted = last > n and value.isupper()  # "READ THE DOCS"
        if _is_name(value) and not shouted and not (last == n and word.isupper() and len(word) <= 4):
            found.append((value, start, tokens[last][2]))
            n = last + 1
        else:  # "page 230 of Gone Girl": no name starts at "230", one may start after it
            n += 1 if word[0].isdigit() else last + 1 - n
    return found


def _said_what(after: str) -> bool:
    """Whether the words after a name say what it is ("is the best animated film", "on the big screen")."""
    return bool(_IS_A.match(after)) or any(cue.match(after) for _, cue in _AFTER_CUES)


def _ends_name(tokens: list[tuple[str, int, int]], k: int, sentence: str) -> bool:
    """Whether the small word at k ends a name rather than joins one: a name's "at the …" or "at Red Rocks" is
    where it was ("Sigur Rós at the Royal Albert Hall"), "from the 4th row" where they stood, and "in Lisbon"
    a place; titles keep theirs ("Breakfast at Tiffany's", "Kafka on the Shore")."""
    word = tokens[k][0].lower()
    following = tokens[k + 1][0] if k + 1 < len(tokens) else ""
    if word == "at":
        return following.lower() == "the" or (k + 2 < len(tokens) and bool(_CAPITAL.match(tokens[k + 2][0])))
    if word == "from":
        return following.lower() == "the" or _is_place(following)
    if word == "on":  # "Arcane on Netflix", "Rumours on Vinyl": where it plays
        return following.lower() in _PLATFORMS
    if word in ("in", "to"):
        return _is_place(sentence[tokens[k + 1][1]:].split(",")[0].split(".")[0].strip()) or _is_place(following)
    return False


_PLATFORMS = {"netflix", "hulu", "max", "hbo", "mubi", "prime", "disney+", "disney", "apple", "criterion", "youtube",
              "spotify", "vinyl", "bandcamp", "tidal", "kindle", "audible", "libby"}
# Mid-sentence, these capitalised words start a name when another capitalised word follows ("watched
# Everything Everywhere All at Once", "the Great British Bake Off").
_OPEN_NAMES = {"everything", "nothing", "something", "all", "one", "two", "new", "old", "great", "good", "best",
               "first", "last", "next", "every", "late", "day", "night", "part", "love", "happy", "dear"}


def _starts_name(word: str, n: int, tokens: list[tuple[str, int, int]]) -> bool:
    if word.startswith(("#", "@")) or not _CAPITAL.match(word):
        return False
    following = tokens[n + 1][0] if n + 1 < len(tokens) else ""
    after = tokens[n + 2][0] if n + 2 < len(tokens) else ""
    if word.lower() in _ARTICLES:
        return bool(_CAPITAL.match(following)) and not following.isupper()
    if _POSSESSIVE.search(word) and following.lower() == "new" and after.lower() in ("album", "record", "single", "ep"):
        return True  # "Idles's new album": the artist, even first in a sentence
    # The first word of a sentence is capitalised anyway: alone, it names nothing ("Finished it"), unless the
    # words after it say what it is ("Succession rewatch", "AURORA live was", "Blonde by Frank Ocean",
    # "Gojira - From Mars to Sirius").
    first = n == 0 or tokens[n - 1][0] == ":" or (tokens[n - 1][0] in ("–", "—", "-") and not (
        n >= 2 and _CAPITAL.match(tokens[n - 2][0])))  # "Rosalía - MOTOMAMI": an artist, then their record
    if word.lower() in _NOT_NAMES:
        return (not first and word.lower() in _OPEN_NAMES and bool(_CAPITAL.match(following))
                and following.lower() not in _NOT_NAMES)
    return (not first or bool(_CAPITAL.match(following)) or following.lower() in _SMALL
            or bool(_NAMED_BY_NEXT.match(following)) or bool(_FIRST_NAMED.match(following))
            or (following.lower() in ("by", "-", "–", "—") and bool(_CAPITAL.match(after))))


# -- what the words say it is ------------------------------------------------------------------------------
def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# What a sentence is about: words and emoji of each kind of thing.
_ABOUT = {
    "books": _lowercase(r"\b(?:read|reading|reads|re-?read(?:ing)?|reread|book|books|novel|novels|novella|audiobook|"
                        r"tbr|to-be-read|reading\s+list|author|prose|"
                    r"paperback|hardcover|kindle|chapters?|pages?|author|nightstand|dnf'?d?|bookshop|bookstore|"
                    r"cover\s+to\s+cover|memoir|trilogy|page-?turner|library|book\s+club|leyendo|lendo|leggendo|"
                    r"je\s+(?:re)?lis|lese|livre|libro|livro|buch|roman|novela)\b|📚|📖|#amreading|#booktok|"
                    r"#bookstagram|#nowreading|#currentlyreading|#bookclub|#goodreads|#booktwt|#booktwitter"),
    "movies": _lowercase(r"\b(?:watch(?:ed|ing)?|re-?watch(?:ed|ing)?|binge(?:d|ing)?|binging|film|films|movie|movies|"
                     r"cinema|imax|theat(?:er|re)|episodes?|season\s+\d+|seasons?|series|miniseries|docuseries|show|"
                     r"finale|documentary|letterboxd|netflix|hbo|mubi|prime\s+video|disney\+|trailer|"
                     r"director'?s\s+cut|oscars?|filme|película|pelicula|temporada|staffel|saison)\b|🎬|🍿|📺|🎥|#nowwatching|"
                     r"#letterboxd|#filmtwitter|#movienight"),
    "music": _lowercase(r"\b(?:listen(?:ed|ing)?|album|albums|record|vinyl|ep|single|song|songs|track|tracks|playlist|"
                    r"concert|gig(?!\s+(?:alert|economy|work))|tour|live|setlist|rotation|slaps?|bangers?|"
                    r"on\s+(?:full\s+)?blast|stuck\s+in\s+my\s+head|earworm|start\s+to\s+finish|sang|singing|"
                    r"sing-?along|mv|music\s+video|merch|opera|festival|fest|on\s+repeat|on\s+loop|front\s+to\s+back|spotify|"
                    r"bandcamp|wrapped|soundtrack|turntable|dj\s+set|headlin\w+|opener|encore|lyrics|discography|"
                    r"mixtape|escuchando|ouvindo|ascoltando|écoute|höre|concierto|konzert|disco|canción)\b|"
                    r"🎧|🎶|🎵|🎸|🎹|🎤|🎷|🎺|🥁|🪩|🤘|#nowplaying|#np\b|#newmusic|#vinyl|#albumoftheday"),
    "wine": _lowercase(r"\b(?:wine|wines|bottle|bottles|glass|vintage|uncorked|decant\w*|cellar|tasting|sommelier|"
                   r"winery|vineyard|red|white|rosé|rose|sparkling|pour(?:ed|ing)|pour\s+(?:a|me|us|another|one|some|"
                   r"the|yourself)|sip(?:ping)?|drinking|cuvée|"  # not French "pour" (for)
                   r"vino|vinho|wein)\b|🍷|🍾|🥂|🍇|#wine\w*|#vino"),
}
# Verbs that say it is theirs, and of which kind ("just finished reading X", "X on repeat"): they need the
# post's other words to agree ("finished X" in a post about books). The same verb may be every kind's.
_ANY_MEDIA = (r"finished|finishing|started|starting|began|halfway\s+through|half\s+way\s+through|"
              r"midway\s+through|\d+%\s+(?:through|into)|deep\s+into|just\s+finished|finally\s+finished|"
              r"picked\s+up|\d(?:\.\d)?/\d+|\d(?:\.\d)?\s+stars?(?:\s+for)?|five\s+stars\s+for|"
              r"new\s+fav(?:ou?rite)?")
_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("books", _words(rf"\b(?:re-?reading|rereading|reading|read|reads|re-?read|"
                     r"\d+\s+pages\s+(?:in(?:to)?|of)|page\s+\d+\s+of|chapter\s+\d+\s+of|audiobook\s+of|"
                     r"highlights\s+from|recommended|right\s+about|tore\s+through|flew\s+through|devour(?:ed|ing)|"
                     r"dnf'?d|gave\s+up\s+on|on\s+my\s+nightstand|book\s+club\s+pick(?:\s+this\s+month)?\s+is|"
                     r"leyendo|lendo|leggendo|je\s+(?:re)?lis|(?:ich\s+)?lese(?:\s+gerade)?|acabo\s+de\s+leer|"
                     r"(?:copy|copies|edition|hardback|paperback|hardcover)\s+of|"
                     r"book\s+club\s+(?:pick(?:ed)?|chose|choice|is\s+reading|book|read)(?:\s+this\s+month)?(?:\s+is)?|"
                     r"bought|grabbed|borrowed|checked\s+out|ordered|pre-?ordered|got\s+around\s+to|"
                     rf"terminé|latest|{_ANY_MEDIA})\s*:?\s*$")),
    ("movies", _words(rf"\b(?:watched|re-?watched|rewatch(?:ed|ing)?|re-?watching|watching|binged|"
                      r"binge(?:ing|-?watch(?:ed|ing)?)?|binging|finished\s+watching|saw|streaming|"
                      r"letterboxd\s+diary|\d+\s+episodes?\s+into|(?:season|series|episode|ep|s)\s*\d+\s+of|"
                      r"(?:the\s+)?(?:finale|pilot|new\s+season|last\s+season|first\s+season|last\s+episode|"
                      r"final\s+episode|first\s+episode)\s+of|"
                      r"viendo|vendo|assisti(?:ndo|mos)?|vimos|vi|he\s+visto|(?:j'ai|on\s+a)\s+(?:re)?vu|je\s+regarde|"
                      rf"ho\s+visto|guardando|today|{_ANY_MEDIA})\s*:?\s*$")),
    ("music", _words(r"\b(?:listening\s+to|listened\s+to|listen\s+to|can'?t\s+stop\s+listening\s+to|playing|"
                     r"blasting|cranking|spinning|spun|the\s+new|saw|seeing|caught|went\s+to\s+see|top\s+artist(?:\s+(?:is|was))?|"
                     r"tickets?\s+to\s+(?:see\s+)?|in\s+line\s+for|"
                     r"#nowplaying|now\s+playing|song\s+of\s+the\s+\w+(?:\s+for\s+me)?\s+is|"
                     r"album\s+of\s+the\s+\w+(?:\s+for\s+me)?(?:\s+is)?|lot\s+of|learning|metal\s+monday|"
                     r"escuchando|ouvindo|ascoltando|j'écoute|(?:ich\s+)?höre|vibes|discovered)\s*:?\s*$")),
    ("wine", _words(r"\b(?:uncorked|opened|popped(?:\s+open)?|cracked\s+open|drinking|sipping|tasting|enjoying|"
                    r"pouring|poured|decanted|tried|brought|having)\s+(?:a|an|the|some|this|my|our|tonight'?s)?\s*"
                    r"(?:bottle\s+of\s+|glass\s+of\s+|magnum\s+of\s+)?(?:\d{4}\s+)?$|"
                    r"\b(?:bottle|glass|magnum|pour)\s+of\s+(?:\d{4}\s+)?$|"
                    r"\bwine\s+of\s+the\s+\w+\s*:\s*$")),
]
# Words before a name that say which kind it is by themselves ("season 2 of X", "binged X", "#nowreading X").
_SURE_BEFORE: list[tuple[str, re.Pattern[str]]] = [
    ("books", _words(r"(?:\b(?:finished|started|currently|now|been|i'?m|am)\s+reading|\baudiobook\s+of|"
                     r"\b\d+\s+pages\s+into|\bchapter\s+\d+\s+of|\b(?:can'?t|couldn'?t)\s+put\s+down)\s*:?\s*$")),
    ("books", _words(r"\bbook\s+club\s+(?:just\s+|finally\s+)?(?:wrapped|finished|did|discussed|picked|chose)\s*$")),
    ("movies", _words(r"\b(?:(?:screening|showing)\s+of|marathoned(?:\s+all\s+(?:\w+|\d+))?)\s*$")),
    # "my comfort show is X", "my favourite book of the year is X": what it is, said before it
    *((field, _words(rf"\b(?:my|our)\s+(?:comfort|fav(?:ou?rite)?|go-?to)\s+{words}"
                     r"(?:\s+of\s+(?:the\s+year|all\s+time|20\d\d))?\s+(?:is|was|remains)\s*:?\s*$"))
      for field, words in (("books", "(?:book|novel|read)"), ("movies", "(?:show|film|movie|series)"),
                           ("music", "(?:album|record|song|band|artist)"))),
    ("books", _words(r"\b(?:the\s+)?(?:last|final|first)\s+(?:page|chapter)s?\s+of\s*$")),
    ("books", _words(r"\bbook\s+(?:#?\d+\s+(?:of\s+(?:the\s+year|20\d\d)|this\s+year)|of\s+the\s+(?:year|month|week))"
                     r"\s*:\s*$")),
    ("movies", _words(r"(?:\b(?:season|series|episode|ep|s)\s*\d+\s+of|\b(?:the\s+)?(?:finale|pilot|new\s+season)\s+of|"
                      r"\bbinge(?:d|ing|-?watch(?:ed|ing)?)?|\bbinging|\bre-?watch(?:ed|ing))"
                      r"(?:\s+(?:all\s+of|the\s+whole\s+(?:of\s+)?|through|all\s+\d+\s+seasons\s+of))?\s*:?\s*$")),
    ("books", _words(r"(?:#nowreading|#currentlyreading|#amreading)\s*:?\s*$")),
    ("movies", _words(r"#nowwatching\s*:?\s*$")),
    ("music", _words(r"(?:\bnow\s+playing|#nowplaying|#np)\s*:?\s*$")),
]
_AFTER_CUES: list[tuple[str, re.Pattern[str]]] = [
    ("music", _words(r"^\s*(?:is|has\s+been)?\s*on\s+(?:repeat|loop)\b|^\s*live\s+(?:was|is|last)\b|"
                     r"^\s*(?:at|in)\s+(?:the\s+)?\w+\s+(?:arena|stadium|festival)\b|^\s+show\b|"
                     r"^\s*on\s+(?:the\s+)?(?:turntable|speaker|vinyl|headphones)\b|^\s+has\s+been\s+living\s+in\s+my\s+"
                     r"headphones|^\s*at\s+the\s+(?-i:[A-Z])\w+(?:\s+(?-i:[A-Z])\w+)*\s+(?:Hall|Bowl|Arena|Theatre|Theater)\b")),
    ("music", _words(r"^\s*(?:🎧|🎶|🎵)|^\s*(?:playing|played|play)\s+live\b|"
                     r"^\s*(?:,\s*)?front\s+to\s+back\b|^\s*live\b(?![\s-]+(?:on|stream|action|blog))|"
                     r"^\s*(?:['’]s\s+)?new\s+(?:album|record|single|ep)\b")),
    # "X has been stuck in my head", "Beyoncé tickets secured", "X en concert", "learning X on piano", "Charli XCX at
    # Madison Square Garden was the best night"
    ("music", _words(r"^\s*(?:has\s+been\s+|is\s+|was\s+)?stuck\s+in\s+my\s+head\b|^\s*(?:en\s+)?concert\b|"
                     r"^\s*tickets?\s+(?:secured|booked|bought|acquired|got|in\s+hand)\b|^\s*(?:tour|merch)\b|"
                     r"^\s*(?:on\s+)?(?:full\s+)?blast\b|^\s*(?:still\s+)?slaps?\b|^\s*(?:has\s+)?(?:not\s+)?left\s+my\s+"
                     r"(?:rotation|car|car\s+stereo|headphones|speakers?|turntable|playlist)|^\s*on\s+(?:the\s+)?(?:piano|guitar|violin|ukulele|cello|drums|bass|keys)\b|"
                     r"^\s*start\s+to\s+finish\b|^\s+at\s+(?:the\s+)?(?:(?-i:[A-Z])[\w'’.-]*\s+){0,3}(?-i:Garden|Hall|Arena|"
                     r"Bowl|Stadium|Theatre|Theater|Academy|Ballroom|Amphitheat(?:re|er)|Apollo|Forum|Dome|Fillmore|"
                     r"Roundhouse|Barbican|Park)\b(?=[^.?]*(?:!|\bwas\b|tonight|last\s+night|best|cried|sang|unreal|magic|"
                     r"incredible|amazing|perfect|still\s+sounds|🎶|🎵|🎸|🎤|\blive\b))")),
    ("movies", _words(r"^\s*\((?:the\s+)?(?:show|film|movie|series)\)|^\s*(?:season\s+\d+|s\d+(?:\s*e\d+)?)\b|"
                      r"^\s*(?:finale|rewatch)\b|^\s*is\s+on\s+(?:netflix|mubi|hbo|max|prime|disney\+?|apple\s+tv)\b|"
                      r"^\s*in\s+4k\b|^\s*(?:au\s+cin[ée]ma|im\s+kino|en\s+el\s+cine|al\s+cinema|no\s+cinema)\b|"
                      r"^\s*(?:🎬|🍿|📺)|^\s*on\s+(?:netflix|hulu|max|hbo|mubi|prime\s+video|disney\+|"
                      r"apple\s+tv\+?|criterion)\b|^\s*(?:in\s+(?:imax|theaters|theatres|cinemas)|"
                      r"at\s+the\s+(?:cinema|movies|pictures))\b|"
                      r"^\s*(?:in\s+(?:70\s*mm|35\s*mm|3d|dolby)|on\s+the\s+big\s+screen|at\s+the\s+(?:drive-?in|"
                      r"re-?release|premiere|screening|multiplex|odeon|amc))\b")),
    ("books", _words(r"^\s*\((?:the\s+)?(?:[\w'’.-]+\s+){0,3}(?:book|novel)\b|"  # "(the Robert Harris novel)"
                     r"^\s*(?:📚|📖)|^\s*on\s+(?:my\s+)?(?:kindle|audible|audiobook|"
                     r"audio|libby|kobo|e-?reader)\b|^\s*(?:audiobook|paperback|hardback|hardcover)\b|"
                     r"^\s*(?:should\s+be|is|was)\s+(?:\w+\s+)?required\s+reading\b|"
                     r"^\s+(?:is|was)\s+(?:only\s+|just\s+|over\s+)?\d{2,4}\s+pages\b|"
                     r"^\s*(?:is|was)\s+(?:such\s+)?(?:a\s+|an\s+)?(?:must-?read|page-?turner|unputdownable|"
                     r"(?:great|good|quick|easy|fun|beautiful|brilliant|hard|tough|perfect)\s+read)\b|"
                     r"^\s+in\s+one\s+sitting\b|^\s+cover\s+to\s+cover\b")),
]
# Words said of a book one read, and words before "by" that credit something else ("Photo by X").
_BOOK_TALK = _lowercase(r"\b(?:wrecked|destroyed|devastat\w*|messed\s+with\s+my\s+head|can'?t\s+put|couldn'?t\s+put|"
                        r"unputdownable|ending|chapters?|pages?|prose|characters|plot|got\s+around\s+to|hooked|"
                        r"gripping|beautifully\s+written|tbr|reread|re-read|in\s+one\s+sitting)\b|📚|📖")
_CREDITS = {"photo", "photos", "art", "artwork", "cover", "design", "illustration", "music", "lyrics", "words",
            "video", "image", "images", "drawing", "painting", "post", "thread", "talk", "keynote", "written",
            "directed", "produced", "made", "built", "powered", "sponsored", "presented", "hosted", "shot", "inspired",
            "edited", "curated", "translated", "narrated", "performed", "remix", "mix", "feat", "featuring"}
# "X is a christmas movie", "X is one of those books", "X is my deep work soundtrack": what it is, said outright.
_IS_A = _words(r"^\s*(?:is|was|remains)\s+(?:still\s+)?(?:a|an|the|my|our|her|his|their|"
               r"one\s+of\s+(?:the|my|those|our))\s+"
               r"(?:[\w'’-]+\s+){0,3}?(?:(?P<books>book|books|novel|novels|read(?!\s+of)|memoir)|(?P<movies>film|films|movie|"
               r"movies|series|show|shows|documentary)|(?P<music>album|albums|record|records|song|songs|band|bands|"
               r"soundtrack|ep))\b")
# "📚 finished: Cien años de soledad (…)", "currently reading: Tomorrow, and Tomorrow, and Tomorrow by Gabrielle
# Zevin": a title after a cue and a colon, or before "by", may be written in sentence case or hold commas.
_COLON_CUE = _words(r"(?:(?P<books>📚|📖|\b(?:currently\s+|now\s+)?reading|\b(?:book|read)\s+of\s+the\s+\w+|"
                    r"\bbook\s+#?\d+\s+(?:of\s+(?:the\s+year|20\d\d)|this\s+year)|\bbook\s+review)|"
                    r"(?P<movies>🎬|🍿|\b(?:re-?)?watched|\bwatching|\b(?:film|movie)\s+of\s+the\s+\w+|"
                    r"\b(?:movie|film)\s+night|\bletterboxd\s+(?:review|diary|log))|"
                    r"(?P<music>🎧|\blistening\s+to|\bnow\s+playing|\b(?:album|song)\s+of\s+the\s+\w+|"
                    r"\b(?:opera|concert|gig|recital|vinyl\s+haul|setlist)\s*:)|"
                    r"(?P<any>\b(?:just\s+|finally\s+)?finished))\s*:?")
_TITLE = r"\s*(?-i:(?P<title>[A-ZÀ-ÝŒŠŽ][\w'’-]*(?:{sep}\s+[\w'’-]+){{0,6}}?))"
_TITLE_BY = _words(_TITLE.format(sep=",?") + r"(?=\s+by\s+(?-i:[A-Z]))")  # commas and all, up to its author
_TITLE_COLON = _words(_TITLE.format(sep="") + r"(?=\s*[(.,;!?\n]|\s+[-–—]\s|$)")  # after "finished:"
# "saw X at Red Rocks": seen live at a venue ("saw Dave at the Tesco" is Dave).
_SAW_AT = (_words(r"\b(?:saw|seeing|caught|see)\s*$"),
           _words(r"^\s+at\s+(?:the\s+)?(?-i:[A-Z][\w'’.-]*)(?:\s+(?-i:[A-Z][\w'’.-]*)){0,3}?\s*"
                  r"(?:Hall|Bowl|Rocks|Arena|Stadium|Theatre|Theater|Academy|Ballroom|Amphitheat(?:re|er)|Garden|"
                  r"Festival|Fest|Club|Forum|Apollo|Dome|Pavilion)\b"))
# Short names in capitals ("BTS", "GNX"), named only right by their cue: most such words are not names.
_SHOUTED = re.compile(r"(?<![\w#@'’])[A-Z0-9]{3,4}(?![\w'’])")
_ACRONYMS = {"TIL", "AMA", "LOL", "OMG", "WTF", "BTW", "IMO", "FYI", "TBH", "CEO", "CTO", "CFO", "COO", "API",
             "RFC", "PDF", "AWS", "GCP", "SQL", "CSS", "HTML", "HTTP", "JSON", "YAML", "NBA", "NFL", "MLB", "NHL",
             "UFC", "WNBA", "MBA", "PHD", "LTE", "DMV", "ASAP", "IPO", "GPU", "CPU", "RAM", "USB", "DNS", "VPN",
             "UCL", "EPL", "NYC", "USA", "EOD", "WFH", "ETA", "FAQ", "IMAX", "HBO", "DVD", "MRI", "ICU", "BBC",
             "CNN", "ESPN", "NASA", "FIFA", "UEFA", "LLM", "GPT", "SDK", "CLI", "IDE", "OSS", "ETL", "KPI", "OKR",
             "ROI", "SEO", "IRL", "DIY", "TLDR", "NSFW", "ASMR", "TED", "ALL", "AND", "THE", "NOT", "YES",
             "WHY", "HOW", "NOW", "WOW", "OMFG", "LMAO", "ROFL", "SMH", "FOMO", "YOLO", "GOAT", "MVP", "POV"}
# "X by Y": a book or a record by its author (the field comes from the sentence's other words).
_BY = re.compile(r"^\s*by\s+(?P<by>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})")

# -- wine: no package holds grape varieties or appellations, so these are the common ones ----------------
_GRAPES = (
    "Cabernet Sauvignon", "Cabernet Franc", "Merlot", "Pinot Noir", "Pinot Grigio", "Pinot Gris", "Pinot Blanc",
    "Syrah", "Shiraz", "Grenache", "Garnacha", "Tempranillo", "Sangiovese", "Nebbiolo", "Barbera", "Malbec",
    "Zinfandel", "Primitivo", "Carménère", "Pinotage", "Gamay", "Mourvèdre", "Petite Sirah", "Saperavi",
    "Aglianico", "Nero d'Avola", "Montepulciano", "Chardonnay", "Sauvignon Blanc", "Riesling", "Chenin Blanc",
    "Gewürztraminer", "Viognier", "Grüner Veltliner", "Albariño", "Assyrtiko", "Vermentino", "Sémillon",
    "Torrontés", "Muscadet", "Moscato", "Furmint", "Verdejo", "Txakoli", "Lambrusco", "Trebbiano", "Rkatsiteli",
    "Mencía", "Blaufränkisch", "Zweigelt", "Cinsault", "Carignan", "Tannat", "Touriga Nacional", "Godello",
)
_STYLES = (  # appellations, regions and styles named as wines; many are also places, so they need wine words
    "Barolo", "Barbaresco", "Brunello", "Chianti Classico", "Chianti", "Amarone", "Valpolicella", "Rioja",
    "Ribera del Duero", "Priorat", "Bordeaux", "Burgundy", "Bourgogne", "Chablis", "Sancerre", "Pouilly-Fumé",
    "Beaujolais Nouveau", "Beaujolais", "Côtes du Rhône", "Châteauneuf-du-Pape", "Champagne", "Crémant", "Cava",
    "Prosecco", "Franciacorta", "Port", "Sherry", "Madeira", "Tokaji", "Vinho Verde",
    "Vouvray", "Côte-Rôtie", "Saint-Émilion", "Pomerol", "Margaux", "Pauillac", "Meursault", "Hermitage",
    "Gigondas", "Sauternes", "Vin Santo", "Marsala", "Lillet",
    "orange wine", "natural wine", "pét-nat", "rosé", "ice wine", "icewine", "mulled wine", "Glühwein",
)
_UNAMBIGUOUS_STYLES = {"Barolo", "Barbaresco", "Brunello", "Amarone", "Valpolicella", "Rioja", "Priorat",
                       "Chianti Classico", "Chianti", "Sancerre", "Pouilly-Fumé", "Beaujolais Nouveau", "Prosecco",
                       "Tokaji", "Vinho Verde", "Châteauneuf-du-Pape", "Côtes du Rhône", "Crémant", "orange wine",
                       "natural wine", "pét-nat", "Vouvray", "Côte-Rôtie", "Saint-Émilion", "Pomerol",
                       "Gigondas", "Sauternes", "Vin Santo", "ice wine", "icewine", "mulled wine", "Glühwein"}


def _vocabulary(names: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for all the names (longest first, so "Chianti Classico" before "Chianti"), over folded text,
    and the name each folded match stands for."""
    canonical = {places.fold(name): name for name in names}
    alternatives = [re.escape(key).replace(r"\ ", r"[\s-]+") for key in sorted(canonical, key=len, reverse=True)]
    return re.compile(rf"(?<![\w])(?:{'|'.join(alternatives)})(?![\w])"), canonical


_WINE_WORDS = _vocabulary(_GRAPES + _STYLES)
# "a Chablis", "this Sancerre:", "the 2015 Rioja with dinner": a wine, not its town (over folded text).
_POURED = (re.compile(r"(?<!\bat\s)(?<!\bin\s)(?<!\bto\s)(?<!\bnear\s)(?<!\bfrom\s)"
                      r"\b(?:a|an|the|this|that|some|my|our)\s+(?:\d{4}\s+)?$"),
           re.compile(r"\s*(?:[.,!;:)]|$|(?:and|with|from|tonight|last|for|at|on|is|was|in|\d{4})\b)"))
# Words just before a name that say they had none of it ("no time for port tasting", "never been skiing").
_NONE_OF = re.compile(r"\b(?:no|not|never|without|except|anything\s+but|don'?t|didn'?t|haven'?t|won'?t)\s+"
                      r"(?:\w+\s+){0,3}$", re.I)
_PRAISED = re.compile(r"\s+(?:\w+\s+)?(?:this|so|that)\s+good\b|\s+like\s+(?:this|that)\b")
# Words that say the sentence drinks, for a maker's name before a grape ("Cloudy Bay sauvignon blanc on the balcony").
_WINE_DRINKING = _words(r"\b(?:glass|bottle|drinking|sipping|opened|poured|cracked|tonight|with\s+dinner|on\s+the\s+"
                        r"(?:balcony|terrace|patio))\b|🍷|🥂")
_NOT_DRINKING = re.compile(r"\b(?:dry\s+(?:january|july|month)|sober\w*|sobriety|not\s+drinking|quit\s+drinking|"
                           r"teetotal\w*)\b", re.I)
# Words that say a post is about wine even around a name nobody knows ("Ridge Monte Bello 2012").
# A wine they dislike, or only talk about, is no taste of theirs to note.
_NOT_TO_THEIR_TASTE = _words(r"\b(?:gross|disgusting|overrated|slander|hate|can'?t\s+stand|i'?ll\s+pass|no\s+thanks|"
                             r"prices?\s+(?:are|is|of|went|going|have)|(?:cat|dog|puppy|kitten)'?s?\s+name|"
                             r"named\s+(?:my|our|her|his|their)\s+(?:cat|dog|puppy|kitten|daughter|son))\b")
_WINE_SURE = _words(r"\b(?:wine|wines|vintage|uncork\w*|decant\w*|sommelier|winery|vineyard|cuvée|bottle|magnum|"
                    r"cellar\w*|tasting\s+notes?)\b|🍷|🍾|🥂")

# -- sports -----------------------------------------------------------------------------------------------
_TEAM = r"(?-i:(?P<t>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}))"
_GAME_NEAR = r"(?=[^.!?\n]*(?:⚽|🏀|🏈|⚾|🏒|🏉|🎾|\b(?:game|match|goal|crowd|win|won|derby|vs)\b))"
# Words around a team's name that say they follow it, and whether they say so even of a city's name ("my
# Liverpool season ticket", "Hala Madrid"): a fan, a ticket, a chant, an away day name the club.
_TEAM_CUES: list[tuple[re.Pattern[str], bool]] = [
    (_words(rf"\bat\s+the\s+{_TEAM}\s+(?:game|match)\b"), True),
    (_words(rf"(?:\b(?:come\s+on\s+you|vamos|allez|forza|hala)|(?:^|[.!,:]\s*)up\s+the)\s+{_TEAM}"), True),
    (_words(rf"\b(?:let'?s\s+go|c'?mon)\s+{_TEAM}"), False),  # "let's go Lisbon!" may be a trip
    (_words(rf"(?:^|\s)go\s+{_TEAM}\s*(?:!|$|💚|❤️|💙|💛|🏀|⚽|🏈|⚾|🏒)"), False),
    (_words(rf"\b(?:lifelong|life-?long|lifetime|die-?hard|proud|huge|massive|big|loyal|devoted|long-?suffering|"
            rf"as\s+an?)\s+{_TEAM}\s+(?:fan|supporter|season\s+ticket\s+holder)s?\b"), True),
    (_words(rf"\bseason\s+tickets?\s+(?:for|at|with)\s+(?:the\s+)?{_TEAM}"), True),
    (_words(rf"\bmy\s+{_TEAM}\s+season\s+ticket"), True),
    (_words(rf"\bmy\s+(?:lucky\s+)?{_TEAM}\s+(?:jersey|scarf|kit)\b"), False),
    (_words(rf"\b(?:jersey|shirt|scarf|kit)\s+for\s+the\s+{_TEAM}"), False),
    (_words(rf"(?:^|[.!]\s+|\s)(?:the\s+)?{_TEAM}\s+(?-i:game|match|season\s+opener|away\s+day|home\s+game|derby)\b"),
     True),
    # "Arsenal away in Lisbon vs Sporting" (not "Sam away in Paris": a game must be near)
    (_words(rf"(?:^|[.!]\s+|\s){_TEAM}\s+away\s+(?:day|win|end|game|trip|fixture)\b"), True),
    (_words(rf"(?:^|[.!]\s+|\s){_TEAM}\s+away\s+(?:in|at|to)\s{_GAME_NEAR}"), True),
    (_words(rf"\bwatch(?:ed|ing)?\s+(?:the\s+)?{_TEAM}\s+(?:beat|vs\.?|v\.?|play|take\s+on|lose|win)\b"), False),
    (_words(rf"\bwatch(?:ed|ing)?\s+(?:the\s+)?{_TEAM}\s+(?:at|in)\s+(?-i:[A-Z]){_GAME_NEAR}"), False),
    (_words(rf"\b{_TEAM}\s+(?:at|in)\s+the\s+(?:stadium|arena|(?-i:[A-Z])\w+)\b"
            r"(?=[^.!?]*\b(?:game|match|first\s+game|crowd|noise|goal|win|won)\b)"), False),
]
# Words without which each of _TEAM_CUES cannot match (in the lowercased sentence): most sentences have none.
_TEAM_GATES = (("game", "match"), ("come on", "vamos", "allez", "forza", "hala", "up the"), ("go", "mon"),
               ("go",), ("fan", "supporter", "season ticket"), ("season ticket",), ("season ticket",),
               ("jersey", "scarf", "kit"),
               ("jersey", "shirt", "scarf", "kit"), ("game", "match", "season opener", "away day", "derby"),
               ("away",), ("away",), ("watch",), ("watch",), (" at the", " in the"))
_TEAM_HASHTAG = re.compile(r"#(?:Go|Vamos|Forza|Allez|Come[oO]n)(?P<t>[A-Z]\w+)")
_GAMES = (r"tennis|padel|pickleball|golf|squash|badminton|volleyball|football|soccer|basketball|cricket|rugby|"
          r"hockey|softball|baseball|netball|ultimate\s+frisbee")
_PLAYS = _words(r"\b(?:(?:ran|finished|completed|running|did)\s+(?:my\s+(?:first\s+)?|a\s+|the\s+|an\s+)?"
                r"(?:(?-i:[A-Z][\w'’-]*)\s+){0,2}(?:(?P<run>half[\s-]marathon|marathon|ultra(?:marathon)?|10k|5k)|"
                r"(?P<tri>triathlon|ironman|duathlon))(?!\s+of\b)|\bran\s+(?:a\s+|my\s+)?\d+(?:\.\d+)?\s*(?P<km>k|km|mi|miles)|"
                r"(?:went|go|going|been|love)\s+(?P<sport>climbing|bouldering|surfing|"
                r"skiing|snowboarding|cycling|sailing|kayaking|skating|diving|hiking|swimming)|(?P<trail>trail\s+run(?:ning)?)|"
                r"(?P<game>tennis|padel|pickleball|golf|squash|badminton|volleyball|bjj|jiu[\s-]?jitsu|yoga|rowing|"
                r"triathlon|ironman|swimming|bouldering|powerlifting|crossfit|football|basketball|cricket|rugby)\s+"
                r"(?:league|lesson|lessons|class|session|match|tournament|tonight|today|"
                r"at\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?|\d+x|is\s+cheaper|with\s+the\s+club|club|"
                r"this\s+morning|coach|starts)|(?P<doing>climbing|bouldering|surfing|skiing|snowboarding)\s+"
                r"(?:in|at|this|today|session|trip)|(?:my|our)\s+(?P<my>bjj|climbing|tennis|golf|padel|running|"
                r"cycling|pickleball)\s+(?:coach|club|group|partner|session)|"
                r"(?:\d+\s+holes|a\s+round|rounds?)\s+of\s+(?P<holes>golf)|"
                rf"(?:sunday|saturday|weekend|rec|pub|five-a-side|5-a-side|office|local|company)\s+league\s+"
                rf"(?P<league>{_GAMES})|(?:played|playing)\s+(?:some\s+|a\s+(?:bit\s+of\s+|game\s+of\s+|match\s+of\s+)?)?"
                rf"(?P<played>{_GAMES})|went\s+for\s+an?\s+(?:\w+\s+)?(?P<went>run|swim|bike\s+ride|surf|hike|climb))\b")
# The author did it: the verb starts the sentence or a clause, or follows "I" or "we".
_LIKENED = _words(r"\blike\s+(?:it\s+was\s+|it'?s\s+|we\s+were\s+|i\s+was\s+)?(?:a|an)\s+$")
_THEY_DID = _words(r"(?:^|[.!,:;&+]|\b(?:i|we|i've|we've|just|finally|today|and|then|also|again))\s*$")
_WENT_FOR = {"run": "running", "swim": "swimming", "bike ride": "cycling", "surf": "surfing", "hike": "hiking",
             "climb": "climbing"}

# Travel: where they are, were or are going (posts only; Meet-ups' whereabouts use the narrower present).
_TRAVEL = _lowercase(r"\b(?:(?:first|last|second|third|final|\d+(?:st|nd|rd|th)?)\s+"
                 r"(?:night|day|morning|evening|week)\s+in|"
                 r"(?:a|one|two|three|four|five|\d+)\s+(?:days?|nights?|weeks?)\s+in|packing\s+for|layover\s+in|"
                 r"stopover\s+in|day\s+\d+\s+in|\d+\s*(?:-\s*)?(?:hour|hr|h)\s+layover\s+in|boarding\s+(?:for|to)|"
                 r"working\s+(?:remotely\s+)?from|(?:greetings|hello|postcard)\s+from|(?:landed|arrived)\s+(?:in|at)|"
                 r"(?:train|flight|drive|road\s+trip|ferry|bus)\s+(?:from\s+\w+\s+)?(?:to|(?:down|up)\s+to|"
                 r"through)|trip\s+to|(?:holiday|vacation|honeymoon|getaway|weekend)\s+in|back\s+(?:home\s+)?from|"
                 r"touring|exploring|wandering\s+(?:around|through)|visiting|landing\s+in|arriving\s+in|"
                 r"(?:skiing|hiking|surfing)\s+in|sunset\s+in|on\s+a\s+terrace\s+in|on\s+the\s+beach\s+in)\s+"
                 r"(?:the\s+)?")
# Words that say the post's author is, was or will be somewhere (a named city in such a post is where).
_PRESENCE = _lowercase(r"\b(?:this\s+(?:week|month|weekend)|tonight|today|trip|travel\w*|flight|flew|fly(?:ing)?|"
                   r"layover|stopover|holiday|vacation|honeymoon|getaway|visit\w*|booked|hotel|airbnb|hostel|"
                   r"day\s+\d|night\s+\d|week\s+\d|back\s+(?:in|to|home)|arrived|landed|landing|got\s+to|in\s+town|"
                   r"for\s+work|working\s+(?:remotely\s+)?from|road\s+trip|train|ferry|cruise|resident|moving|"
                   r"moved|relocat\w*|weekend|sunset|temples?|medina|beach|museum|got\s+lost|jet\s*lag|"
                   r"for\s+the\s+(?:holidays|week|weekend|conference)|til\s+\w+|until\s+\w+|first\s+time\s+in|"
                   r"(?:days?|weeks?|months?|nights?)\s+here|(?:first|last)\s+(?:day|week|night|time)\s+here|"
                   r"sunrise|sunsets?|day\s+\d+\s+of\s+(?:our|my|the)\s+trip|rn|"
                   r"for\s+(?:a|one|two|three|four|five|\d+|the\s+next)\s+(?:days?|nights?|weeks?|months?)|"
                   r"tomorrow)\b|"
                   r"✈️|🏖️|🚆|🏔️|🗺️|🧳|🌴")
# What one does where one is, which says so of a place right after "in" or "at" only ("sitting in a café in
# Ljubljana", "surfing in ericeira all week"; not "sitting on the couch watching a show about Tokyo").
_DOING_THERE = _lowercase(r"\b(?:(?:currently\s+)?sitting|sipping|spent\s+the\s+(?:day|week|weekend|morning|afternoon|"
                          r"evening)|all\s+week|celebrating|exploring|wandering|strolling|café|cafe|trattoria|taverna|"
                          r"aperitivo|(?:jazz|date|girls'?|boys'?)\s+night\s+in|tasting\s+day|got\s+engaged|surfing|"
                          r"snowboarding|skiing|kayaking|hiking|(?:went|go)\s+climbing|the\s+slopes|retreat|"
                          r"(?:first|a)\s+\w*\s*lesson|gig\s+of\s+my\s+life|"
                          r"in\s+a\s+(?:\w+\s+)?(?:pub|bar|café|cafe|restaurant|bistro|trattoria)\s+in)\b")
_TRAVEL_SUBJECT = _words(r"^\s*(?-i:(?P<place>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}))\s+(?:stopover|layover|"
                         r"sunsets?|trip|vibes)\b")
_PLACE = r"(?:the\s+)?(?-i:(?P<place>[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|(?:de|del|da|do|la|di)(?=\s+[A-Z])))*))"
_PLACE2 = _PLACE.replace("?P<place>", "?P<place2>")
_PLACE_AT = re.compile(_PLACE)
_CAPITALISED = re.compile(r"(?<=[\s#(\"“'‘])(?!I['’](?:m|ve|ll|d)\b)[A-ZÀ-ÝŒŠŽ][\w'’.-]*[a-zà-ÿ0-9]")
# Words that say a trip so surely that the name after them is a place even when no gazetteer knows it ("honeymoon
# in Bali", "road trip through Patagonia", "camping in Yosemite", "three weeks in Sicily").
_TRIP = _lowercase(r"\b(?:(?:landed|touched\s+down|arrived|landing|arriving)\s+(?:safely\s+)?(?:in|at)|"
               r"(?:greetings|hello|hi|postcard|love)\s+from|(?:ciao|saluti)\s+da|(?:hola|saludos)\s+desde|"
               r"(?:grüße|grüsse)\s+aus|groeten\s+uit|net\s+terug\s+uit|wochenende\s+in|enfin\s+[àa]|"
               r"(?:honeymoon(?:ing)?|vacation(?:ing)?|vacay|holidays?|holidaying|getaway|trip|road\s+trip|ski\s+trip|"
               r"girls'?\s+trip|spring\s+break|long\s+weekend|weekend|christmas|new\s+year'?s?|easter)\s+"
               r"(?:in|to|on|at|through|across|around)|"
               r"road\s+trip(?:ping)?\s+(?:through|across|around|down|up)|"
               r"(?:camping|hiking|skiing|snowboarding|snorkell?ing|diving|surfing|sailing|kayaking|trekking|"
               r"backpacking|exploring|wandering|touring|cruising|island\s+hopping|sightseeing)\s+"
               r"(?:in|on|at|through|around|across|near)|made\s+it\s+to|"
               r"(?:first|last|second|third|final|\d+(?:st|nd|rd|th)?)\s+(?:day|night|week|morning|evening|time)\s+"
               r"(?:in|on|at)|(?:first|second|third)\s+(?:winter|summer)\s+in|day\s+\d+\s+(?:in|on|at)|"
               r"(?:a|one|two|three|four|five|six|seven|ten|few|couple\s+of|\d+)\s+(?:days?|nights?|weeks?|months?)\s+"
               r"(?:in|on|exploring|around)|(?:layover|stopover)\s+in|"
               r"spending\s+(?:the\s+|a\s+|our\s+|my\s+)?(?:\w+\s+){0,2}?in|"
               r"visiting\s+(?:family|friends|my\s+\w+|our\s+\w+|the\s+fam)\s+in|"
               r"(?:checked|checking)\s+in(?:to)?\s+(?:\w+\s+){0,3}?in|(?:hotel|hostel|airbnb|villa|cabin|resort)\s+in|"
               r"(?:beach|pool|ski|boat|lake|spa)\s+day\s+in|on\s+(?:a|the)\s+(?:boat|ferry|beach|terrace)\s+in|"
               r"(?:ferry|flight|train|boat)\s+to|(?:flying|flew|sailing)\s+(?:to|into)|boarding\s+(?:for|to)|"
               r"(?:eloped|got\s+married|getting\s+married|honeymoon\w*|proposed|got\s+engaged)\s+"
               r"(?:(?:next|this)\s+\w+\s+|(?:on|at|by|under)\s+(?:a|the)\s+\w+\s+)?(?:in|on|at)|"
               r"^\W*(?:a\s+)?(?:week|weekend|fortnight|month)\s+in|"
               r"(?:we|i)\s+(?:just\s+|finally\s+)?opened\s+(?:our|my)\s+(?:\w+\s+){1,2}?in|"
               r"walking\s+the|(?:hotel|hostel|airbnb|villa|cabin|resort|campsite)\s+(?:near|outside)|"
               r"vacation\s+mode\s*:|(?:urlaub|ferien)\s+in|vacaciones\s+en|vacances\s+[àa]|estamos\s+en|"
               r"estoy\s+en|de\s+viaje\s+en|férias\s+em)\s+(?:the\s+)?")
# Where they are, were or go, said so that a town the gazetteer knows is meant (and no other name).
_BEEN = _lowercase(r"\b(?:(?:i'?m|we'?re|i\s+am|we\s+are)\s+(?:finally\s+|now\s+|currently\s+|back\s+)?in|"
               r"(?:^|(?<=[.!]\s))\s*currently:?\s+in|(?:i'?m\s+|we'?re\s+|^\s*)going\s+to|"
               r"(?:me\s+voy|nos\s+vamos|vamos)\s+a|(?:je\s+suis|on\s+est|nous\s+sommes)\s+(?:enfin\s+|de\s+retour\s+)?[àa]|"
               r"(?:sono|siamo)\s+(?:appena\s+)?(?:tornat[oaie]\s+da|stat[oaie]\s+a|a|in)|verhuisd\s+naar|"
               r"spent\s+(?:the\s+|a\s+|our\s+|my\s+)?(?:\w+\s+){0,2}?in|"
               r"(?:just\s+)?got\s+back\s+from|back\s+from|heading\s+(?:to|off\s+to)|headed\s+to|"
               r"(?:drove|driving|drive)\s+(?:the\s+(?:\w+\s+){1,3}?)?(?:in|to|through|around)|"
               r"(?:me\s+mud[ée]|nos\s+mudamos|mudei(?:-me)?|mudamos)\s+(?:a|para|pra)|d[ée]m[ée]nag\w*\s+[àa]|"
               r"umgezogen\s+nach|(?:moved|moving|relocat\w+)\s+(?:back\s+)?to|"
               r"(?:concert|show|gig|game|match|race|marathon|festival|wedding|conference|tour|triathlon|"
               r"ironman(?:\s+70\.3)?|en\s+concert)\s+(?:in|at|à)|"
               r"(?:stuck|stranded)\s+(?:at|in)|walking\s+(?:the|around|through)|(?:sunrise|sunset|brunch|dinner|"
               r"lunch|coffee)\s+in|ice\s+wine\s+tasting\s+in|wine\s+tasting\s+in|tasting\s+in|"
               r"living\s+in|(?:years?|months?)\s+(?:living\s+)?in)\s+(?:the\s+)?")
_AFTER_SO_LONG = re.compile(r"\bafter\s+\w+\s+$")
# "train from Milan to Florence", "Kathmandu to Pokhara bus ride": both ends of the ride.
_RIDES = (_words(r"\b(?:train|flight|drive|ride|bus|ferry|road\s+trip)\s+from\s+" + _PLACE + r"\s+to\s+" + _PLACE2),
          _words(r"^\W*" + _PLACE + r"\s+(?:to|→|->)\s+" + _PLACE2 +
                 r"\s+(?:bus|train|ferry|flight|drive|road\s+trip|ride)"))
# "Denver here I come", "our Santorini trip", "Barcelona de mis amores"
_HERE_I_COME = (_words(_PLACE + r",?\s+here\s+(?:i|we)\s+come\b"), _words(_PLACE + r"\s+de\s+mis\s+amores\b"))
_OUR_TRIP = _words(r"\b(?:our|my)\s+" + _PLACE + r"\s+(?:trip|holiday|vacation|getaway|honeymoon|adventure)\b")
_FOR_OUR_TRIP = _words(r"^\W*" + _PLACE + r"\s+for\s+(?:our|my)\s+(?:honeymoon|holidays?|vacation|anniversary|"
                   r"birthday|babymoon|getaway)\b")  # "Costa Rica for our honeymoon was paradise"
# Words that start sentences, name times or are no place a traveller names ("made it to Friday").
_NO_PLACE = {"christmas", "xmas", "easter", "thanksgiving", "halloween", "prod", "production", "staging", "hell",
             "heaven", "jail", "quarantine", "lockdown", "costco", "target", "walmart", "ikea", "starbucks", "trader",
             "home", "office", "work", "school", "church", "gym", "bed", "level", "chapter", "page", "part", "round",
             "season", "episode", "slack", "zoom", "teams", "jira", "google", "twitter", "instagram", "tiktok",
             # what kind of trip ("Solo trip to Oslo": Solo is also a city in Java)
             "solo", "family", "business", "girls", "boys", "road", "field", "camping", "day", "spotify"}

# The people of a post who are not its author ("my ex moved to glasgow", "my mum has fed me four times").
_RELATIVES = (r"(?:wife|husband|partner|son|daughter|kids?|mom|mum|dad|brother|sister|cousin|friend|boss|boyfriend|"
              r"girlfriend|ex|ex-\w+|nephew|niece|uncle|aunt|auntie|grandma|grandpa|gran|mates?|"
              r"(?:mother|father|sister|brother|son|daughter)-in-law|in-laws|neighbou?rs?|therapist|coworkers?|"
              r"colleagues?|roommate|flatmate|parents|grandparents|family)")
# Not theirs, not now, not meant: wishes, negations, questions, sarcasm, other people's news, retweets.
# A contraction's "n't" has no word boundary before it ("haven't read"): the negations start there too.
_NOT_THEIRS = _lowercase(r"(?:\b|(?=n't))(?:never\s+(?:\w+\s+){0,2}?(?:read|reading|watch\w*|seen|see|saw|listen\w*|"
                     r"heard|hear|"
                     r"finish\w*|like|liked|love|loved|got|get|understood|understand|cared|care|visit\w*|drink\w*|"
                     r"drank|tried|try|go|going|went|wanted|want|bought|buy|opened|played|been\s+(?:to|a|an|into|"
                     r"there|here|fans?))\b|never\s+again|never\s*[.!]*$|(?:not|n't)\s+(?!stop\b|help\b)(?:\w+\s+){0,2}?(?:read|reading|watch\w*|seen|see|listen\w*|"
                     r"finish\w*|like|liked|love|loved|get\s+into|into|a\s+fan|for\s+me|my\s+thing|going|been|go|"
                     r"visit\w*|drink\w*|have|had|get|got|moving|move|moved|relocat\w*|leaving|opened|started|buy\w*|bought)|no\s+longer|wish|someday|(?<!in\s)(?<!within\s)one\s+day|should\s+i|should\s+we|want\s+to|"
                     r"wanna|might|maybe|imagine|if\s+you'?(?:re|\s+are)\s+(?:in|around|near|at|going|coming|heading)\b|(?<!keep\s)(?<!still\s)(?<!been\s)(?<!stopped\s)(?<!stop\s)thinking\s+(?:of|about)|anyone|anybody|has\s+anyone|have\s+you|did\s+you|"
                     r"recommend\s+me|any\s+recs|congrat\w*|happy\s+birthday\s+(?!to\s+me)|oh\s+great|"
                     r"just\s+what\s+i\s+needed|love\s+(?:waiting|being|having|when)|nothing\s+like|dreaming\s+of|"
                     r"if\s+i\s+had|would\s+love|hoping\s+to|can'?t\s+wait\s+to|(?:told|telling|tells|wants?|asked)\s+me\s+to|"
                     r"says\s+i\s+(?:should|need\s+to|have\s+to)|my\s+(?:"
                     + _RELATIVES + r"|sister-in-law|\d+\s*y/?o)\s+"
                     r"(?:is|was|just|has|have|had|got|finally|moved|went|flew|spent|started|loves|watched|brought|bought|drank|"
                     r"opened|made|took|ran|played|read|reads)|"
                     r"(?:wife|husband|partner|boyfriend|girlfriend|bestie|best\s+friend|"
                     r"friend|bff|coworker|colleague|roommate|flatmate|neighbou?r)\s+(?:got|is|just|finally|has|moved|"
                     r"watched|read|saw|went|flew|loves)|"
                     r"(?:wife|husband|partner|son|daughter|kid|mom|mum|dad|brother|sister|friend|boss)['’]s\s+"
                     r"(?:reading|watching|listening|obsessed|into|new|first)|yeah\s+(?:i\s+)?totally|yeah\s+right|(?:a|some|this|the)\s+(?:guy|woman|man|girl|"
                     r"person|stranger|kid|dude|lady)\s+(?:on|at|in|next|reading|watching)|(?:someone|somebody|everyone|everybody)\s+"
                     r"(?:\w+\s+){0,4}?(?:is|was|were)\s+(?:reading|watching|listening|playing)|would\s+kill\s+for|craving|"
                     r"(?:people|everyone|everybody|folks)\s+(?:are\s+)?(?:moving|flocking|relocating)|if\s+(?:i|we)\s+(?!am\b|are\b)\w+|"
                     r"missed|skipped|cancell?ed|couldn'?t\s+make|\w+\s+(?:years?|months?)\s+(?:since|ago)|throwback|"
                     r"tbt|back\s+when|fake|pretend|joking|kidding|i'?ll\s+pass)\b|^\s*rt\s+@")
# A sentence ends at ! ? or a new line, and at a full stop unless it ends an initial ("D.C.", "R.F. Kuang").
_SENTENCE = re.compile(r"(?:[^.!?\n]|(?<=\b[A-Z])\.|(?<=\bMr)\.|(?<=\bMrs)\.|(?<=\bMs)\.|(?<=\bDr)\.|(?<=\bSt)\.|"
                       r"\.(?=\S))+(?:[.!?]+|\n|$)")
# An advert or a giveaway says nothing of whoever posts it ("Sponsored: Book your Bali escape", "Giveaway time!").
_ADVERT = re.compile(r"\W*(?:(?:sponsored|promoted\s+post|ad|advert|advertisement)\s*[:|–—-]|giveaway\b|"
                     r"new\s+(?:blog\s+post|video|article|newsletter|episode|guide)\s*[:|–—-]|"
                     r"competition\s+time\b)|.*#(?:ad|sponsored|giveaway)\b|.*\b(?:buy|shop|order)\s+now\b|"
                     r".*\buse\s+(?:my\s+)?code\b|.*\b\d+%\s+off\b|"
                     # job posts and shop posts: "we're looking for a bartender… DM us", "shop link in bio"
                     r".*\b(?:we'?re|we\s+are|now)\s+(?:hiring|looking\s+for)\b|.*\bdm\s+us\b|.*\bcasting\s+call\b|"
                     r".*\b(?:extras|volunteers|applicants|models)\s+(?:needed|wanted)\b|"
                     r".*\bshop\s+link\b|.*\blink\s+below\b|.*\bon\s+sale\s+(?:now|today)\b", re.I | re.S)
# "Why is everyone suddenly obsessed with Malbec", "Is it wrong to listen to Christmas music in October": asked
_ASKS_WITHOUT_MARK = re.compile(r"\W*(?:why|is\s+it|does\s+anyone|do\s+you|anyone|has\s+anyone|should\s+i|"
                                r"can\s+someone|who\s+else)\b", re.I)
# Sarcasm anywhere in a post turns the whole post around.
_SARCASM = re.compile(r"🙃|🙄|/s\b|\boh\s+great\b|\bjust\s+what\s+i\s+needed\b|\bcan'?t\s+wait\.\s*🙄", re.I)
# News about a title, not their reading or watching of it.
_NEWS = re.compile(r"\b(?:trailer|teaser|just\s+dropped|announced|coming\s+soon|release\s+date|box\s+office|"
                   r"new\s+on\s+(?:netflix|disney\+?|hbo|max|prime(?:\s+video)?|hulu|apple\s+tv\+?|mubi)|"
                   r"announcement|announces|"
                   r"casting|adaptation\s+of|traded|signed|sacked|fired|grossed|gdp|sold\s+out|ticket\s+prices|"
                   r"record-breaking|headlines|breaking|article|prices\s+are)\b", re.I)
# A sentence about a game: "watching Arsenal beat Chelsea" is sport, not television.
_GAME = re.compile(r"\b(?:beat|beats|vs\.?|v\.?|(?-i:game|match)|goal|score|derby|stadium|kick-?off|innings|"
                   r"playoffs?|final)\b|⚽|🏀|🏈|⚾|🏒|🏉|🎾", re.I)
# A name used to describe something else ("the Rust book", "the Project Hail Mary movie trailer").
_AT_THE = re.compile(r"\bat\s+the\s*$", re.I)
_ATTRIBUTIVE = re.compile(r"^\s+(?:book|chapter|movie|film|show|series|album|song|trailer|adaptation|remake|tour|"
                          r"sequel|fandom|fans?|merch|playlist|soundtrack)\b", re.I)
# "the Mk.gee album": the artist whose record it is (not its cover, not news of its release)
_THE_RECORDS = re.compile(r"\bthe\s+(?:new\s+|latest\s+|last\s+|first\s+)?$", re.I)
_ARTISTS_RECORD = re.compile(r"\s+(?:new\s+)?(?:album|record|ep|lp|discography|setlist)\b(?!\s+(?:cover|art|of\s+the|"
                             r"drops|dropping|comes\s+out|is\s+out|is\s+coming|release|leaked|announce))", re.I)
# Their own work is news, not their reading ("my book is out today"; "my book club picked X" is their reading).
_OWN_WORK = re.compile(r"\bmy\s+(?:first\s+|new\s+|debut\s+)?(?:book(?!\s+club)|novel|album|ep|single|film|short|"
                       r"podcast)\b|\b(?:i|we)\s+(?:wrote|made|recorded)\s+(?:a|an|my|our)\s+(?:first\s+)?"
                       r"(?:book|novel|album|ep|record|film)\b", re.I)
_ANNIVERSARY = re.compile(r"\b\d+\s+(?:years?|months?)\s+(?:since|ago)\b|\banniversary\b|"
                          r"\b\d+(?:st|nd|rd|th)\s+birthday\s+of\b", re.I)
# A link as posts carry it: a full address, or one of the well-known sites written without its scheme.
LINK = re.compile(r"(?:https?://|\b(?:www\.)?(?=(?:open\.spotify|music\.apple|goodreads|letterboxd|imdb|vivino|"
                   r"bandcamp|app\.thestorygraph)\.com/)|\b[\w-]+\.bandcamp\.com/)[^\s<>\"')\]]+")


def links(text: str) -> list[str]:
    """The links in a text, as LINK finds them. Each of its forms has "://" or ".com/" in it: a text with
    neither (most posts) is not scanned, for scanning costs some microseconds a word ("[\\w-]+" before
    ".bandcamp" is tried at every word)."""
    return LINK.findall(text) if "://" in text or ".com/" in text else []


# -- links to the well-known sites -----------------------------------------------------------------------
_LINK_FIELD = {"goodreads.com": "books", "app.thestorygraph.com": "books", "thestorygraph.com": "books",
               "bookshop.org": "books", "letterboxd.com": "movies", "imdb.com": "movies", "m.imdb.com": "movies",
               "open.spotify.com": "music", "music.apple.com": "music", "vivino.com": "wine",
               "cellartracker.com": "wine", "nba.com": "sports", "nfl.com": "sports", "mlb.com": "sports",
               "nhl.com": "sports", "premierleague.com": "sports", "mlssoccer.com": "sports", "wnba.com": "sports"}


def _slug_title(slug: str) -> str | None:
    words = [w for w in re.split(r"[-_+]+", unquote(slug)) if w and not w.isdigit()]
    if not words:
        return None
    return " ".join(w if w.isupper() else (w.lower() if n and w.lower() in _SMALL else w.capitalize())
                    for n, w in enumerate(words))


def _host(url: str) -> str:
    try:
        return (urlsplit(url if "://" in url else "https://" + url).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""


def link_field(url: str) -> str | None:
    host = _host(url)
    return "music" if host.endswith(".bandcamp.com") else _LINK_FIELD.get(host)


def _from_link(url: str, names: list[str] | None = None) -> Mention | None:
    """What a link names by itself: a Goodreads book, a Letterboxd film, a Bandcamp or Apple Music album, a
    Vivino wine, a team's page. A Bandcamp album by an artist the post names (`names`) is about the artist."""
    host = _host(url)
    path = [p for p in urlsplit(url if "://" in url else "https://" + url).path.split("/") if p]
    field = value = None
    if host == "goodreads.com" and len(path) >= 3 and path[:2] == ["book", "show"]:
        field, value = "books", _slug_title(re.sub(r"^\d+[-.]?", "", path[2]))
    elif host == "letterboxd.com" and "film" in path and path.index("film") + 1 < len(path):
        field, value = "movies", _slug_title(path[path.index("film") + 1])
    elif host == "music.apple.com" and "album" in path and path.index("album") + 1 < len(path) - 1:
        field, value = "music", _slug_title(path[path.index("album") + 1])
    elif host.endswith(".bandcamp.com") and len(path) >= 2 and path[0] in ("album", "track"):
        artist = host.split(".")[0].replace("-", "")
        field, value = "music", next((n for n in names or [] if re.sub(r"\W", "", places.fold(n)) == artist),
                                     _slug_title(path[1]))
    elif host.endswith(".bandcamp.com") and "-" in host.split(".")[0]:
        field, value = "music", _slug_title(host.split(".")[0])  # the artist's own page
    elif host == "vivino.com" and "w" in path and path.index("w") >= 1:
        field, value = "wine", _slug_title(path[path.index("w") - 1])
    elif host in ("nba.com", "nfl.com", "mlb.com", "nhl.com", "wnba.com") and path and path[0].isalpha():
        team = path[1] if path[0] == "teams" and len(path) > 1 else path[0]
        field, value = "sports", _slug_title(team) if len(team) > 2 else None
    elif host == "premierleague.com" and "clubs" in path and path.index("clubs") + 2 < len(path):
        field, value = "sports", _slug_title(path[path.index("clubs") + 2])
    if field is None or not value:
        return None
    return Mention(field, value, url)


# -- finding them ---------------------------------------------------------------------------------------------
def read(text: str | None, present: list[tuple[places.Resolution, str]] | None = None) -> list[dict[str, str]]:
    """find(text) as stored: a text the rules trip on is read as saying nothing, and said so in the log. One odd
    post or bio must never hold back the others, nor a card."""
    try:
        return [m.to_json() for m in find(text, present)]
    except Exception:  # a bug in a rule, on a text nobody foresaw
        log.exception("could not read a post or a bio; it suggests nothing")
        return []


def find(text: str | None, present: list[tuple[places.Resolution, str]] | None = None) -> list[Mention]:
    """Everything a post (or a bio) says about its author that belongs in the notes; nothing when unsure.
    `present`: whereabouts.places_in(text), when the caller has it already."""
    if not text or not text.strip():
        return []
    text = text.replace("’", "'")  # phones type "haven’t": the rules read one apostrophe
    found: dict[tuple[str, str], Mention] = {}

    def add(field: str, value: str, words: str) -> None:
        value = _clean(value)
        if value and (field, places.fold(value)) not in found:
            found[(field, places.fold(value))] = Mention(field, value, words.strip())

    if _SARCASM.search(text) or _ADVERT.match(text):
        return []
    found_links = links(text)
    linked = {f for f in (link_field(u) for u in found_links) if f}
    own_work = bool(_OWN_WORK.search(text))  # "my book is out today!! 'Small Systems'": news, not reading
    prose = LINK.sub(" ", text) if found_links else text
    # Each sentence's names once; what the post is about, from the words outside them ("Vin & Vinyl" is a bar).
    named = [(s, titles(s)) for s in _SENTENCE.findall(prose)]
    from_links: set[str] = set()  # names the links say already: the sentence's other name is no guess then
    for url in found_links:
        mention = _from_link(url.rstrip(".,;:!?"), [name for _, names in named for name, _, _ in names])
        if mention is not None:
            add(mention.field, mention.value, mention.words)
            from_links.add(places.fold(mention.value))
    rests = {s: _outside(s, names) for s, names in named}
    rest = " ".join(rests.values()).lower()
    post_about = {f for f, words in _ABOUT.items() if words.search(rest)}
    for sentence, names in named:
        if sentence.rstrip().endswith("?") or _ASKS_WITHOUT_MARK.match(sentence):
            continue
        theirs = _theirs(sentence)
        if theirs is None:
            continue
        rest_of = rests[sentence]
        if theirs != sentence:
            names = [name for name in names if name[2] <= len(theirs)]
            rest_of = _outside(theirs, names)
        _in_sentence(theirs, names, rest_of, linked, post_about, add, own_work, from_links)
    # Life news has guards of its own, clause by clause ("turning 40 today and honestly never felt better").
    lifenews.events([s for s, _ in named], prose, lambda label, words: add("life", label, words))
    if not re.match(r"\s*RT\b", prose):  # sport has guards of its own too ("who's watching with me?" watches)
        sport.find([s for s, _ in named], prose, {v for f, v in found if f == "sports"}, add)
    if not _NOT_THEIRS.search(prose.lower()):
        for resolved, words in (present if present is not None else whereabouts.places_in(prose)):
            add("places", resolved.place.name, words)
    return _without_doubles(list(found.values()))


# A wish looks ahead: in a later clause it leaves what came before it theirs ("watched X on the plane and now I want
# to be a lobby boy"), where a negation or a joke anywhere turns the whole sentence around.
_WISH = _words(r"(?:want\s+to|wanna|wish|hoping\s+to|would\s+love|can'?t\s+wait\s+to|dreaming\s+of|someday|"
               r"one\s+day|might|maybe|imagine)\b")
# So does someone else's doing in a later clause ("back in lagos for the holidays and my mum has fed me four times").
_SOMEONE_ELSE = _words(rf"my\s+{_RELATIVES}\b")
_CLAUSE = re.compile(r"\s*(?:[,;]|\s[-–—])\s*|\s+(?:and|but|so)\s+(?:now\s+|then\s+)?", re.I)
_BACK = re.compile(r"\b(?:it|them|this|that|these|those|one|too|either|again|there|more|go|see|start|attend|catch|"
                   r"tickets?)\b")


def _theirs(sentence: str) -> str | None:
    """The sentence, or its clauses before a later one's wish or someone else's doing; None when nothing in it is
    theirs."""
    low = sentence.lower()
    guard = _NOT_THEIRS.search(low)
    if guard is None:
        return sentence
    wish, others = _WISH.match(low, guard.start()), _SOMEONE_ELSE.match(low, guard.start())
    if not (wish or others):
        return None
    cut = None
    for clause in _CLAUSE.finditer(low, 0, guard.start()):
        cut = clause  # the last clause break before the wish
    # "Dune is on Netflix, maybe I'll finally watch it", "Kendrick live at the O2 tonight, would love to go": a wish
    # that points back wants what came before.
    if cut is None or not low[:cut.start()].strip() or (wish and _BACK.search(low, wish.end())):
        return None
    # Any other guard after it still turns the sentence around ("Just finished Pachinko, maybe kidding lol").
    for later in _NOT_THEIRS.finditer(low, guard.end()):
        if not (_WISH.match(low, later.start()) or _SOMEONE_ELSE.match(low, later.start())):
            return None
    return sentence[:cut.start()]


def _outside(sentence: str, names: list[tuple[str, int, int]]) -> str:
    """The sentence without its names."""
    rest = sentence
    for _, start, end in sorted(names, key=lambda n: -n[1]):
        rest = rest[:start] + " " + rest[end:]
    return rest


# A sentence written all in lowercase has no capital to say where a title starts and ends: only words that say
# by themselves what it is and that it is theirs ("currently reading", "binged all of", "on repeat:") start one,
# or words of reading or watching in a post whose other words say which ("finished", "halfway through"), and it
# runs a few words, to the first that ends a clause ("and", "on", "last night", a comma).
_LOWER_TITLE_CUE = re.compile(  # over lowercased text
    r"(?:^|(?<=[\s:]))(?:(?P<books>(?:(?:just|finally)\s+)?(?:finished|finishing|started|starting|currently|now|been|"
    r"just|still|i'?m|am)\s+"
    r"reading|re-?read(?:ing)?|rereading|audiobook\s+of|\d+\s+pages\s+into|dnf'?d|book\s+club\s+(?:picked|pick\s+is|"
    r"is\s+reading)|#nowreading|#currentlyreading|currently\s+reading:|(?:chapter|page)\s+\d+\s+of|"
    r"(?:my|our)\s+(?:comfort|fav(?:ou?rite)?|go-?to)\s+(?:book|novel|read)\s+(?:is|was):?|"
    r"libro\s+del\s+mes:)|"
    r"(?P<movies>binged(?:\s+all\s+of)?|binge-?watch(?:ed|ing)|binging|re-?watch(?:ed|ing)|rewatching|"
    r"movie\s+night:|#nowwatching|(?:season|series|s)\s*\d+\s+of|(?:the\s+)?finale\s+of|marathoned|bingeing|"
    r"(?:my\s+)?rewatch\s+of|(?:the\s+)?(?:last|final|first)\s+episode\s+of|"
    r"(?:my|our)\s+(?:comfort|fav(?:ou?rite)?|go-?to)\s+(?:show|film|movie|series)\s+(?:is|was):?)|"
    r"(?P<music>now\s+playing:?|#nowplaying|#np|(?:been\s+)?listening\s+to|can'?t\s+stop\s+listening\s+to|"
    r"on\s+repeat:|album\s+of\s+the\s+(?:year|week|month):?|"
    r"(?:my|our)\s+(?:comfort|fav(?:ou?rite)?|go-?to)\s+(?:album|record|song|band|artist)\s+(?:is|was):?|"
    r"top\s+artist\s+(?:is|was):?|(?:the\s+)?new\s+(?:album|record)\s+(?:from|by)|(?:been\s+)?looping)|"
    r"(?P<any>(?:just\s+|finally\s+)?(?:finished|started|watched|saw)|half\s*way\s+thr(?:ough|u)|"
    r"\d+%\s+(?:thr(?:ough|u)|into)|picked\s+up|tore\s+through|flew\s+through|finally\s+got\s+around\s+to|"
    r"went\s+to\s+see|seeing)|"
    # words of reading or watching that need the sentence's other words to say so ("devoured the cheesecake",
    # "caught up on paperwork"): a sentence that opens with "read" or "reading" among them
    r"(?P<read>^(?:re-?)?read(?:ing)?|(?:the\s+)?(?:last|final)\s+page\s+of|devour(?:ed|ing)|"
    r"(?:(?:i|we)\s+(?:are|were)|we'?re)\s+reading)|(?P<watch>caught\s+up\s+on))\s+")
# The words of a sentence about books besides its cue ("reading the power broker 10 pages at a time").
_BOOKISH = _lowercase(r"\b(?:books?|novels?|pages?|chapters?|author|kindle|audiobook|book\s+club|paperback|hardcover|"
                      r"library|prose|memoir|trilogy|tbr|bedtime\s+story)\b|📚|📖")
_LOWER_TITLE_END = (r"(?:and|but|or|on|at|for|with|while|because|after|before|last|this|today|tonight|yesterday|"
                    r"again|so|lol|omg|tbh|rn|is|was|are|were|by|till|until|from|in|to|it|has|have|had|just|"
                    r"finally|already|now|then|which|who|that|cause|like|all)\b")
# A count ends a title too: "reading the power broker 10 pages at a time".
_LOWER_COUNT = r"\d+\s*(?:pages?|chapters?|mins?|minutes|hours?|hrs|times|episodes?|days?|weeks?|%)"
_LOWER_TITLE = re.compile(rf"(?:the\s+|a\s+|an\s+)?(?!{_LOWER_TITLE_END})[a-z0-9ß-ÿ][\w'’&-]*"
                          rf"(?:\s+(?!{_LOWER_TITLE_END}|{_LOWER_COUNT})[a-z0-9ß-ÿ][\w'’&-]*){{0,4}}")
# Words that start no title after those cues ("finished my thesis", "started a new job", "watched it").
_NOT_A_LOWER_TITLE_START = {
    "my", "your", "his", "her", "their", "our", "its", "this", "that", "these", "those", "some", "any", "another",
    "every", "more", "most", "much", "many", "me", "him", "them", "us", "you", "about", "up", "off", "out",
    "through", "into", "reading", "watching", "listening", "both", "each", "no", "not", "one", "two", "three",
    "new", "old", "first", "second", "third", "last", "next", "whole", "entire", "same", "other", "few", "lots",
    "lot", "couple", "bunch", "little", "bit", "half", "part", "rest", "way", "back", "over", "work", "school",
    "college", "uni", "home", "here", "there", "everything", "something", "nothing", "anything", "what", "how",
    "whichever", "whatever", "whoever", "zero", "none", "all", "several"}
_OPENS_LONGER_TITLES = {"last", "first", "little", "new", "old", "other", "one", "lot"}
# Words no title after those cues holds: what the cue was about in general ("watched the game", "cat videos").
_GENERIC = {
    "game", "games", "match", "news", "week", "weekend", "day", "days", "month", "year", "book", "books", "novel",
    "novels", "series", "show", "shows", "season", "episode", "episodes", "movie", "movies", "film", "films",
    "album", "albums", "song", "songs", "playlist", "podcast", "podcasts", "music", "tv", "video", "videos",
    "documentary", "trailer", "chapter", "chapters", "page", "pages", "thread", "article", "paper", "report",
    "email", "emails", "list", "job", "class", "course", "lecture", "draft", "manuscript", "taxes", "laundry",
    "run", "workout", "kids", "kid", "baby", "dog", "cat", "stuff", "things", "thing", "trilogy", "sequel",
    "remake", "audiobook", "ebook", "kindle", "radio", "vinyl", "record", "records", "ep", "track", "tracks",
    "set", "concert", "gig", "sunset", "sunrise", "fireworks", "parade", "race", "marathon", "rain", "snow",
    "sky", "stars", "moon", "eclipse", "people", "everyone", "guy", "guys", "friend", "friends", "family",
    "reviews", "review", "comments", "replies", "docs", "code", "bug", "pr", "tickets", "ticket", "exam",
    "exams", "homework", "shift", "degree", "phd", "thesis", "renovation", "project", "projects", "launch",
    "feedback", "logs", "log", "metrics", "data", "numbers", "dashboard", "dashboards", "slides", "deck", "terms",
    "conditions", "instructions", "manual", "notes", "minutes", "transcript", "contract", "spec", "specs",
    "requirements", "results", "reports", "messages", "texts", "voicemail", "speech", "talk", "keynote", "webinar",
    "room", "vibe", "vibes", "situation", "signs", "minds", "fine print", "neighbours", "neighbors",
    "dogs", "cats", "birds", "squirrels", "waves", "service", "policy", "privacy", "pipeline", "deploy", "build",
    "tests", "recordings", "recording", "call", "calls", "interviews", "meeting", "meetings", "standup", "demo",
    "glasses", "receipts", "leaves", "lips", "palms", "riot", "form", "forms", "application", "document", "doc",
    "paperwork", "post", "blog", "essay", "newsletter", "menu", "label", "labels"}


def _lowercase_titles(sentence: str, about: set[str]) -> list[tuple[str, str]]:
    """(field, title) of each title a sentence in lowercase names after words that say what it is, or before them
    when it opens the sentence ("hacks s4 is so good", "brat by charli xcx on repeat", "sza sos is still the album
    of the decade")."""
    found = []
    for cue in _LOWER_TITLE_CUE.finditer(sentence):
        kinds = ({k for k in ("books", "movies", "music") if cue.group(k)}
                 or (about & {"books", "movies", "music"} if cue.group("any") else set()))
        others = sentence[:cue.start()] + " " + sentence[cue.end():]  # the sentence's other words
        if cue.group("read") and _BOOKISH.search(others):
            kinds = {"books"}
        elif cue.group("watch") and _ABOUT["movies"].search(others):
            kinds = {"movies"}
        title = _LOWER_TITLE.match(sentence, cue.end())
        if title is None:
            continue
        words, sure = _lower_title_words(title.group(0), sentence[title.end():])
        if sure:
            kinds = {sure}
        if len(kinds) != 1 or not _lower_title_ok(words, loose=not (cue.group("any") or cue.group("music"))):
            continue
        if kinds == {"music"} and (split := _artist_and_record(words)):
            found += [("music", _title_case(part)) for part in split]
            continue
        found.append((next(iter(kinds)), _title_case(words)))
        by = _LOWER_BY.match(sentence, title.end())  # "listening to short n' sweet by sabrina carpenter"
        if by and kinds == {"music"} and _lower_title_ok(by.group("by").split(), loose=False):
            found.append(("music", _title_case(by.group("by").split())))
    filler = _FILLER.match(sentence)  # "ngl birds of a feather by billie eilish has been on repeat"
    opening = _LOWER_TITLE.match(sentence, filler.end())
    if opening and not any(cue.start() == opening.start() for cue in _LOWER_TITLE_CUE.finditer(sentence)):
        after = sentence[opening.end():]
        by = _LOWER_BY.match(after)
        words, sure = _lower_title_words(opening.group(0), after[by.end():] if by else after)
        marked = _episode_mark(_clean(opening.group(0)))
        split = _artist_and_record(words) if sure == "music" else None  # "lorde's virgin on repeat"
        if sure and not by and not (marked or split or _LOWER_OPENING_AFTER.match(after)):
            sure = None  # "date night at the cinema", "meetings on repeat": no title
        if split:
            if all(_lower_title_ok(part, loose=False) for part in split) and not any(
                    w in _NOT_NAMES for part in split for w in part):
                return found + [("music", _title_case(part)) for part in split]
            return found  # "the dog's toy on repeat"
        is_a = _IS_A.match(after) if not (sure or by) else None  # "sza sos is still the album of the decade"
        if is_a and len(kinds := [field for field, value in is_a.groupdict().items() if value]) == 1 and not (
                _IDIOM_MOVIE.match(after)):  # "brunch was a movie", "airport security was a whole movie": an idiom
            sure = kinds[0]
        if sure and _lower_title_ok(words, loose=False) and not any(
                w in _NOT_NAMES and w not in _IN_OPENING_TITLES for w in words):
            found.append((sure, _title_case(words)))
            if by and sure == "music" and _lower_title_ok(by.group("by").split(), loose=False):
                found.append(("music", _title_case(by.group("by").split())))
    return found


_FILLER = re.compile(r"\s*(?:(?:ngl|tbh|honestly|ok|okay|omg|lol|lowkey|highkey|not\s+gonna\s+lie|fr|rn)\b[,!.:]*\s*)*")
# " by charli xcx" after a title in lowercase: its author or artist ("by the fire" is where).
_LOWER_BY = re.compile(rf"\s+by\s+(?!(?:my|your|him|her|our|them)sel(?:f|ves)\b|me\b|us\b|them\b)"
                       rf"(?!the\s+(?:fire|fireplace|pool|window|sea|beach|lake|river|ocean|campfire|bed|canal|sofa|"
                       rf"couch|bay|harbou?r|dock|water|seaside|park|garden|door|hour|way)\b)"
                       rf"(?P<by>(?!{_LOWER_TITLE_END})[a-zß-ÿ][\w'’&.-]*"
                       rf"(?:\s+(?!{_LOWER_TITLE_END})[a-zß-ÿ][\w'’&.-]*){{0,2}})(?=\s+{_LOWER_TITLE_END}|[\s,.!]*$)")
# Words after a title in lowercase that say what it is by themselves: fewer than after a capitalised one, for here
# they alone say where a title is ("the house tour", "flight tickets booked" are none).
_LOWER_AFTER: list[tuple[str, re.Pattern[str]]] = [
    ("music", re.compile(r"\s*(?:(?:is|has\s+been)\s+)?on\s+(?:repeat|loop|vinyl|shuffle)\b|\s*(?:🎧|🎶|🎵)")),
    ("movies", re.compile(r"\s*(?:\((?:the\s+)?(?:show|film|movie|series)\)|(?:in|at)\s+(?:the\s+)?(?:imax|cinema|"
                          r"theaters|theatres|cinemas|movies)\b|on\s+(?:netflix|hulu|hbo|mubi|prime\s+video|disney\+|"
                          r"apple\s+tv\+?|criterion)\b|(?:🎬|🍿|📺))")),
    ("books", re.compile(r"\s*(?:\((?:the\s+)?(?:book|novel)[!.]*(?:\)|$)|"
                         r"on\s+(?:my\s+)?(?:kindle|audible|libby|kobo)\b|(?:📚|📖))")),
]
# Of those, the ones that say it of the very words that open a sentence ("normal people (the show)"); the others
# need its author or artist too ("brat by charli xcx on repeat"): "in imax" at an opening also follows words that
# are no title, and a wrong suggestion costs more than a missed one.
_LOWER_OPENING_AFTER = re.compile(r"\s*\((?:the\s+)?(?:show|film|movie|series|book|novel)[!.]*(?:\)|$)")
# Season and episode marks or a rewatch after a title, one or a few ("hacks s4", "the boys s4 ep3", "adolescence
# episode 3", "interstellar rewatch"); not "season" alone: "wedding season" is no series.
_IDIOM_MOVIE = re.compile(r"\s*(?:is|was)\s+(?:a|an)\s+(?:whole\s+|absolute\s+|total\s+|full\s+)?movie\b")
# "my whole 2025 was a Wes Anderson movie", "Every LinkedIn post is a Pixar movie now": a likeness to a maker's work
_LIKE_A = re.compile(r"\b(?:is|was|felt\s+like)\s+(?:a|an)\s+(?-i:[A-Z])[\w'’-]*(?:\s+(?-i:[A-Z])[\w'’-]*)?\s+"
                     r"(?:movie|film|novel|song|episode)\b|"
                     # "You've Got Mail is a documentary about my inbox": a joke about the author, not the film
                     r"\b(?:is|was)\s+(?:basically\s+|literally\s+)?(?:a|an)\s+(?:documentary|movie|film|biopic|"
                     r"sitcom|show)\s+about\s+(?:my|me|our|us)\b", re.I)
# A mark of a season or an episode inside the words ("shogun ep 9 absolutely wrecked me"): the title ends there.
_LOWER_EPISODE_MARK = re.compile(r"\s(?:s\d{1,2}(?:e\d{1,3})?|ep\s*\d{1,3}|s\d{1,2}\s+ep\s*\d{1,3})(?=\s|$)")
_LOWER_EPISODE_MARKS = re.compile(r"(?:\s+(?:s\d{1,2}(?:e\d{1,3})?|ep\s*\d{1,3}|e\d{1,3}|(?:episode|season)\s+\d{1,3}|"
                                  r"rewatch(?:ing)?))+$")
# Words that are no part of a title that opens a sentence ("we binged...", "absolutely not 📚"), though a title
# may hold these.
_IN_OPENING_TITLES = {"part", "one", "two", "new", "old", "good", "great", "best", "first", "last", "love", "happy",
                      "day", "night", "year", "month", "week", "morning", "late", "all", "more", "some", "nothing",
                      "everything", "something", "amazing", "dear", "still", "no", "what", "when", "where", "who",
                      "why", "how", "the", "a", "an", "and", "or", "if", "then", "so"}


def _episode_mark(title: str) -> re.Match[str] | None:
    """Where the season or episode marks in a lowercase title start: at its end, or inside it."""
    return _LOWER_EPISODE_MARKS.search(title) or _LOWER_EPISODE_MARK.search(title)


def _artist_and_record(words: list[str]) -> tuple[list[str], list[str]] | None:
    """An artist's record in lowercase, "fleetwood mac's rumours": (artist's words, record's words), or None."""
    for n, word in enumerate(words[:-1]):
        if word.endswith(("'s", "’s")) and n < 3:
            return [*words[:n], word[:-2]], words[n + 1:]
    return None


def _lower_title_words(title: str, after: str) -> tuple[list[str], str | None]:
    """A lowercase title's words, a season mark taken off ("white lotus s3"), and the one kind the words right
    after it (or that mark) say it is, if they do."""
    words = _clean(title).split()
    marked = _episode_mark(" ".join(words))
    if marked and marked.start() > 0:
        return " ".join(words)[:marked.start()].split(), "movies"
    sure = {field for field, cue in _LOWER_AFTER if cue.match(after)}
    return words, next(iter(sure)) if len(sure) == 1 else None


def _lower_title_ok(words: list[str], loose: bool) -> bool:
    """Words that can be a title: not "my thesis", "cat videos" or "people complain about work". `loose`: after a
    cue that says what it is by itself, a title may run longer."""
    content = [w for w in words if w not in _ARTICLES]
    # "the last of us", "the first wives club": three words and more may start with "last" or "first"
    starts = content[:1] if len(content) >= 3 and content[0] in _OPENS_LONGER_TITLES else []
    return not (not content or (content[0] in _NOT_A_LOWER_TITLE_START and not starts)
                or words[0] in _NOT_A_LOWER_TITLE_START
                or any(w.strip(".!'’") in _GENERIC for w in content)  # "cat videos instead of working"
                or " ".join(content[-2:]) in _GENERIC
                or (len(content) > 3 and not loose)  # "people complain about work"
                or all(w in _NOT_NAMES or w in _SMALL for w in content))


def _title_case(words: list[str]) -> str:
    return " ".join(w if n and w in _SMALL else w[:1].upper() + w[1:] for n, w in enumerate(words))


def _in_sentence(sentence: str, all_names: list[tuple[str, int, int]], rest: str, linked: set[str],
                 post_about: set[str], add: object, own_work: bool = False,
                 from_links: frozenset[str] | set[str] = frozenset()) -> None:
    # "the Rust book" describes a book; "at the Burna Boy show" is the show itself.
    names = [n for n in all_names if not _ATTRIBUTIVE.match(sentence[n[2]:])
             or (_AT_THE.search(sentence[:n[1]]) and re.match(r"\s+show\b", sentence[n[2]:]))]
    about = post_about | linked
    media_news = own_work or bool(_NEWS.search(sentence))
    used: set[int] = set()
    if _GAME.search(sentence):
        about = about - {"movies"}
    if not media_news:
        for name, start, end in all_names:  # "obsessed with the Mk.gee album": the artist whose album it is
            if (_ARTISTS_RECORD.match(sentence, end) and _THE_RECORDS.search(sentence, max(0, start - 12), start)
                    and not _is_place(name) and not _not_a_title(name, sentence[:start])
                    and not _HOLIDAY.fullmatch(name)):
                add("music", name, _excerpt(sentence))  # type: ignore[operator]
        for field, value, words in _named(sentence, names, about, used):
            add(field, value, words)  # type: ignore[operator]
        for cue in _COLON_CUE.finditer(sentence):
            match = _TITLE_BY.match(sentence, cue.end()) or (
                _TITLE_COLON.match(sentence, cue.end()) if cue.group(0).endswith(":") else None)
            if match is None:
                continue
            kinds = {k for k in ("books", "movies", "music") if cue.group(k)} or about & {"books", "movies", "music"}
            title = match.group("title")
            if any(start == match.start("title") for _, start, _ in names):
                continue  # a name in title case: the words around it say what it is
            # Before its author, a title may be all small words ("Tomorrow, and Tomorrow, and Tomorrow").
            named = _is_name(title) or (match.re is _TITLE_BY and " " in title)
            if len(kinds) == 1 and named and not _is_place(title):
                used.add(-1)  # the sentence's title is found: its other names are likely its author or a place
                add(next(iter(kinds)), title, _excerpt(sentence))  # type: ignore[operator]
        # A link or strong words say what the sentence is about: its one other name is it ("5 stars. Aftersun").
        media = about & {"books", "movies", "music"}
        left = [(n, name) for n, name in enumerate(names) if n not in used and not _is_place(name[0])
                and not re.search(r"\bby\s+$", sentence[:name[1]])  # "Devoured Funny Story by Emily Henry"
                and not _not_a_title(name[0], sentence[:name[1]]) and not _MAKER.match(sentence[name[2]:])
                and not _HOLIDAY.fullmatch(name[0])]  # guessed from the sentence's words alone
        strong = len(media) == 1 and (media & linked or _strong(rest, next(iter(media)))) and not (
            _LIKE_A.search(sentence))  # "Every LinkedIn post is a Pixar movie now"
        if used or any(places.fold(name[0]) in from_links for _, name in left):
            strong = False  # the sentence's name is named already; another one is likely its author or a place
        if strong and len(left) == 1 and _CAPITAL.match(left[0][1][0]):  # not "explained a 'movie' as 'a long youtube'"
            add(next(iter(media)), left[0][1][0], sentence)  # type: ignore[operator]
        elif strong and media == {"music"} and len(left) == 2:  # "Fleetwood Mac - Rumours", "Stromae's Multitude"
            for _, (name, _, _) in left:
                add("music", name, sentence)  # type: ignore[operator]
        if not names and not _CAPITALISED.search(sentence):
            for field, title in _lowercase_titles(sentence.lower(), about):
                add(field, title, _excerpt(sentence))  # type: ignore[operator]
    drinking = _wine(sentence, all_names, about, linked, add)
    _sports(sentence, add)
    low = sentence.lower()
    capitalised = _CAPITALISED.search(sentence)  # a place's name, after the first word; "I" is none
    if len(low) == len(sentence):  # lowercase cues over the lowercased sentence: 3 times faster
        # A name after them: capitalised, or in a sentence written all in lowercase, a place big enough to be sure.
        for cue, sure in ((_TRIP, True), (_TRAVEL, False), (_BEEN, False)):
            for match in cue.finditer(low):
                if _AFTER_SO_LONG.search(low, 0, match.start()):
                    continue  # "moved back home to cork after 6 years in london": where they were
                place = _PLACE_AT.match(sentence, match.end()) if capitalised else None
                if place and _travelled_to(_clean(place.group("place")), sure):
                    add("places", _clean(place.group("place")), sentence[match.start():place.end()])  # type: ignore[operator]
                elif not capitalised and (written := _lowercase_place(sentence, match.end(), sure, LOWERCASE_CITY_MIN,
                                                                       LOWERCASE_SHARED_MIN)):
                    add("places", written[0], sentence[match.start():written[1]])  # type: ignore[operator]
    coming = "here i come" in low or "here we come" in low or "de mis amores" in low
    for pattern, sure in ((_OUR_TRIP, True), (_FOR_OUR_TRIP, True), (_TRAVEL_SUBJECT, False),
                          *((r, False) for r in _RIDES),
                          *((r, False) for r in _HERE_I_COME if coming)):  # unanchored: run only when it can match
        if pattern is not _TRAVEL_SUBJECT and not capitalised and not _CAPITAL.match(sentence.lstrip("#")):
            continue
        for match in pattern.finditer(sentence):
            for group in ("place", "place2"):
                place = match.groupdict().get(group)
                if place and _travelled_to(_clean(place), sure):
                    add("places", _clean(place), match.group(0))  # type: ignore[operator]
    present = bool(_PRESENCE.search(low))
    # A wine drunk somewhere says they were there too ("grüner veltliner and schnitzel in vienna").
    if present or drinking or _DOING_THERE.search(low):
        if not capitalised and len(low) == len(sentence) and not about & {"music", "movies", "books"}:
            # A sentence in lowercase: "back in lagos for the holidays", "istanbul stopover turned into 3 days" (in,
            # to, or first); not in a post about music, films or books ("florence + the machine tonight").
            starts = [m.end() for m in _TO_OR_IN.finditer(low) if (present or m.group(0).startswith("in"))
                      and not re.search(r"\b(?:leave|leaving|left|ex)\s+$|\b(?!i\b|we\b)[a-z]+\s+(?:is|are|was|were)\s+"
                                       r"(?:\w+\s+)?$|\blistening\s+$|\bafter\s+\w+\s+(?:years?|months?|decades?)\s+$",
                                       low[max(0, m.start() - 60):m.start()])]  # "boss is in london": theirs
            first = len(sentence) - len(sentence.lstrip())  # first, only a big city: "nice weather today"
            openers = [(first, places.BIG_CITY)] if present else []  # the weaker words: a place after "in" only
            for at, least in [*openers, *((start, LOWERCASE_SHARED_MIN) for start in starts)]:
                written = _lowercase_place(sentence, at, False, least, places.BIG_CITY, own=True)
                if written:
                    add("places", written[0], _excerpt(sentence))  # type: ignore[operator]
        opener = _OPENING_WORD.match(sentence)  # "Kraków in the snow 🥶", "Edinburgh fringe day 3": a big city first
        if (present and opener and opener.group(1).lower() not in _NOT_OPENING_PLACES
                and not any(start <= opener.start(1) < end for _, start, end in names)
                and _is_city(opener.group(1))
                and places.resolve(opener.group(1)).place.population >= places.NAMESAKE_MIN):  # type: ignore[union-attr]
            add("places", opener.group(1), _excerpt(sentence))  # type: ignore[operator]
        for name, start, _ in names:
            name = re.split(r"\s+(?:in|at|on)\s+(?-i:[A-Z])", name)[0]  # "Copenhagen in June"
            if re.match(r"(?:In|At)\s", name):  # "In Lisbon for work": a sentence's first word is capitalised
                name, start = name[3:], start + 3
            # "sad to leave Leeds", "mum flew in from Chennai": where they leave, or others come from.
            came_from = re.search(r"\b(?:leave|leaving|left|from|ex)\s+$|"
                                  r"\bafter\s+\w+\s+(?:years?|months?|decades?)\s+in\s+$", sentence[:start], re.I)
            if ((not present and not re.search(r"\b(?:in|at)\s+(?:the\s+)?$", sentence[:start], re.I))
                    or re.search(r"\babout\s+(?:the\s+)?$", sentence[:start], re.I) or _VENUE.search(name)):
                continue  # "sitting on the couch watching a show about Tokyo", "a documentary about Tokyo's trains"
            if _is_city(name) and not (came_from and not re.search(r"working\s+(?:remotely\s+)?from\s+$",
                                                                      sentence[:start], re.I)):
                add("places", name, _excerpt(sentence))  # type: ignore[operator]


def _named(sentence: str, names: list[tuple[str, int, int]], about: set[str],
           used: set[int]) -> list[tuple[str, str, str]]:
    """Names the words right before or after say are a book, a film or music ("currently reading X", "X on
    repeat", "X by Y" in a sentence about books). Words after a name that say what it is ("X season 2", "X on
    repeat", "X is a christmas movie") are sure by themselves; a verb before it ("finished X") needs the post's
    other words to say which kind."""
    out = []
    covered = bytearray(len(sentence))
    for _, start, end in names:
        covered[start:end] = b"\x01" * (end - start)
    shouted = [(m.group(0), m.start(), m.end()) for m in _SHOUTED.finditer(sentence)
               if m.group(0) not in _ACRONYMS and not covered[m.start()]]
    for n, (name, start, end) in enumerate(names + shouted):
        # Cues are short: the words next to the name, never the whole sentence (a long post stays linear).
        before, after = sentence[max(0, start - 80):start], sentence[end:end + 120]
        fields = {field for field, cue in _CUES if cue.search(before)} - {"wine"}  # wine names: the wine words
        sure = {field for field, cue in _AFTER_CUES if cue.search(after)}
        sure |= {field for field, cue in _SURE_BEFORE if cue.search(before)}
        is_a = _IS_A.match(after) if not _LIKE_A.match(after.lstrip()) else None
        if is_a:
            sure |= {field for field, value in is_a.groupdict().items() if value}
        if n >= len(names) and not (fields | sure):
            continue
        by = _BY.match(after)
        if len(sure) == 1:
            fields = sure
        elif sure:
            continue
        elif by and fields == {"books", "movies"} and not about & {"music", "movies"}:
            fields = {"books"}  # "Finished Butter by Asako Yuzuki": a film is seldom said to be by someone
        elif by and not fields:
            fields = about & {"books", "music", "movies"}
            # "The Road by Cormac McCarthy wrecked me": a title by a person, in words said of a book
            if (not fields and not about & {"music", "movies", "wine"} and name.split()[0].lower() not in _CREDITS
                    and _BOOK_TALK.search(sentence.lower())):
                fields = {"books"}
        else:
            fields &= about
            if not fields and "movies" not in about and _SAW_AT[0].search(before) and _SAW_AT[1].match(after):
                fields = {"music"}
        if len(fields) != 1 or _is_place(name) or _not_a_title(name, sentence[:start], next(iter(fields))):
            continue
        field = next(iter(fields))
        if field != "music" and re.search(r"\bby\s+$", before):
            continue  # "Devoured Funny Story by Emily Henry in one sitting": its author
        if field != "music" and (k := next(iter(_paired(sentence, names, n, possessive_only=True)), None)) is not None:
            used.add(n)  # "reading Ocean Vuong's Time Is a Mother": the book is the name after its author's
            n, name = k, names[k][0]
        used.add(n)
        out.append((field, name, _excerpt(sentence)))
        if by and field == "music":
            out.append(("music", by.group("by"), sentence))
            used.update(k for k, other in enumerate(names) if other[0] == by.group("by"))
        elif by:
            used.update(k for k, other in enumerate(names) if other[0] in by.group("by"))
        if field == "music":
            for k in _paired(sentence, names, n):
                used.add(k)
                out.append(("music", names[k][0], _excerpt(sentence)))
    return out


def _paired(sentence: str, names: list[tuple[str, int, int]], n: int, possessive_only: bool = False) -> list[int]:
    """The names written with name n as an artist and their record: "Fleetwood Mac - Rumours", "Stromae's
    Multitude" (either way round). `possessive_only`: the name after name n's possessive only ("Ocean Vuong's Time
    Is a Mother")."""
    if n >= len(names):
        return []
    out = []
    for a, b in ((n, n + 1),) if possessive_only else ((n - 1, n), (n, n + 1)):
        if a < 0 or b >= len(names):
            continue
        gap = sentence[names[a][2]:names[b][1]]
        possessive = bool(_POSSESSIVE.search(sentence[names[a][1]:names[a][2]])) and not gap.strip()
        if possessive or (not possessive_only and gap.strip() in ("-", "–", "—")):
            out.append(b if a == n else a)
    return out


def _strong(sentence: str, field: str) -> bool:
    """Words that say the sentence is about one book, film or record they read, watched or heard."""
    return bool(_STRONG[field].search(sentence))


_STRONG = {
    "books": _words(r"📚|📖|\b(?:novel|audiobook|\d+\s+pages|page\s+\d+|chapters?|book\s+club|finished\s+it)\b"),
    "movies": _words(r"🎬|🍿|📺|\b(?:film|movie|cinema|imax|season\s+\d|s\d\b|episodes?|finale|rewatch|netflix|"
                     r"mubi|hbo|binge\w*|filme)\b"),
    "music": _words(r"🎧|🎶|🎵|🎹|🎸|\b(?:album|record|vinyl|setlist|concert|gig|on\s+repeat|on\s+loop|turntable|"
                    r"headphones|speaker|tour|live\s+was|front\s+row|\d+(?:st|nd|rd|th)\s+row|crowd|encore|song)\b"),
}


_SERVICES = {"spotify", "apple music", "youtube", "youtube music", "soundcloud", "deezer", "tidal", "bandcamp",
             "shazam", "netflix", "hulu", "hbo", "max", "disney", "prime video", "kindle", "audible", "goodreads",
             "letterboxd", "storygraph", "libby", "twitch", "tiktok", "instagram", "x", "twitter", "vinyl", "wrapped",
             "spotify wrapped"}


def _not_a_title(name: str, before: str, field: str = "music") -> bool:
    """A service ("Spotify") or a venue ("at the Barbican") is no book, film or record; a team ("Celtics") is no
    record ("Heat (1995)" is a film)."""
    return (places.fold(name) in _SERVICES or bool(re.search(r"\bat\s+(?:the\s+)?$", before, re.I))
            or (field == "music" and sport.is_team(name)))


# A day of the year is no title ("Nosferatu in a packed cinema on Christmas Day").
_HOLIDAY = re.compile(r"(?:the\s+)?(?:christmas|xmas|easter|thanksgiving|halloween|new\s+year'?s?|valentine'?s|boxing|"
                      r"hanukkah|diwali|eid)(?:\s+(?:day|eve|morning|night|weekend|break|party))?", re.I)
# Words after a name that say it is whoever made the thing ("Wim Wenders made a film about…").
_MAKER = re.compile(r"^\s+(?:made|makes|directed|directs|wrote|writes|produced|shot|narrates|narrated|stars|starred)\b",
                    re.I)


def _is_place(name: str) -> bool:
    resolved = places.resolve(name)
    return resolved is not None and places.fold(resolved.place.name) == places.fold(name)


def _excerpt(sentence: str, most: int = 140) -> str:
    """The words that say so: the sentence, at most `most` characters, cut at a word."""
    text = " ".join(sentence.split())
    return text if len(text) <= most else text[:most].rsplit(" ", 1)[0] + "…"


# A place written in lowercase ("flew to tokyo", "greetings from mexico city"): no capital says the words are a
# name, so only what the gazetteer knows by exactly these words counts, and only a place big enough that the
# words rarely mean anything else. After words of travel, a city of LOWERCASE_CITY_MIN (the gazetteer's own size
# for a one-word name with nothing beside it), or of LOWERCASE_SHARED_MIN when other towns share its name, or a
# country; after words that say a trip surely, a region too; in a post that merely says its author is somewhere,
# LOWERCASE_SHARED_MIN and a million.
LOWERCASE_CITY_MIN = places.UNHINTED_MIN
LOWERCASE_SHARED_MIN = places.NAMESAKE_MIN
_LOWER_RUN = re.compile(r"(?:the\s+)?([a-zß-ÿ][\w'’-]*(?:\s+[a-zß-ÿ][\w'’-]*){0,2})")
_TO_OR_IN = re.compile(r"\b(?:in|to)\s+")  # not "from": "mum flew in from chennai" is where she was
# Words after a place that end what names it ("tokyo for the week", "lagos this christmas").
_CLAUSE_ENDS = {"for", "this", "next", "last", "today", "tonight", "tomorrow", "with", "and", "on", "until", "till",
                "til", "at", "in", "to", "from", "again", "now", "so", "lol", "but", "or", "is", "was", "were", "are",
                "all", "after", "before", "then", "because", "while", "where", "finally", "already", "just",
                "here", "we", "i", "my", "our", "me", "tbh", "rn"}
# Places whose names are also everyday words, which lowercase cannot tell apart ("in turkey heaven", "honeymoon in
# paradise", "a split shift").
_WORD_PLACES = {"turkey", "chad", "jordan", "paradise", "surprise", "mobile", "split", "orange", "reading", "bath",
                "independence", "nice", "march", "bend", "normal", "hope", "mesa", "sandy", "eagle", "florence",
                "phoenix", "victoria", "lincoln", "jackson", "austin", "georgia", "charlotte", "sydney", "regina"}
# Of those, the ones that are people's names: after "in" they are the place ("finally in sydney after a 23 hour
# flight"), where "flew to surprise" or "in turkey heaven" still say no place.
_NAMED_PLACES = {"florence", "phoenix", "victoria", "lincoln", "jackson", "austin", "charlotte", "sydney", "regina"}
# A sentence's first word as a place: a big city, neither a word ("Nice weather today") nor a person's name.
_OPENING_WORD = re.compile(r"\W*([A-ZÀ-ÝŁŚŻ][\w'’-]*[a-zà-ÿ])(?=[\s,!.]|$)")
_NOT_OPENING_PLACES = frozenset(_NOT_NAMES | _WORD_PLACES | _NAMED_PLACES | _NO_PLACE)


def _lowercase_place(sentence: str, at: int, sure: bool, least: int, shared: int,
                     own: bool = False) -> tuple[str, int] | None:
    """The place named in lowercase at `at` of `sentence`, as the post writes it (a code such as "nyc" as the
    gazetteer does), and where its words end. `least` and `shared`: how big a city must be, named by a name of
    its own or by one that other places share; `own`: only by its own name ("bon" is no Bonn)."""
    run = _LOWER_RUN.match(sentence, at)  # lowercase as written: a capitalised name is the other rules' to read
    if run is None:
        return None
    words = run.group(1).split()
    if words[0] in _SMALL:  # "flew in from chennai": not a place after "in"
        return None
    after_in = bool(re.search(r"\bin\s+(?:the\s+)?$", sentence[:run.start(1)]))
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n]).rstrip(".'’-")
        if n < len(words) and words[n] not in _CLAUSE_ENDS and not (words[n].endswith("ing") and len(words[n]) > 5):
            continue  # "flew to surprise my mum", "in turkey coma", "orange county": not the place's words alone
            # ("4 days in lima eating ceviche": a doing after it ends the place)
        if not name or words[n - 1] in _SMALL or name in _NOT_NAMES or words[0] in _NO_PLACE or any(
                w in ("and", "or", "but", "so", "i") for w in words[1:n]) or (
                name in _WORD_PLACES and not (name in _NAMED_PLACES and after_in)):
            continue
        resolved = places.resolve(name)
        if resolved is None:
            continue
        place = resolved.place
        if own and places.fold(place.name) != places.fold(name):
            continue
        if (place.kind == places.KIND_COUNTRY or (sure and place.kind == places.KIND_REGION)
                or (place.kind == places.KIND_CITY
                    and place.population >= (least if resolved.confidence == places.HIGH else shared))):
            written = " ".join(w if w in _SMALL else w[:1].upper() + w[1:] for w in name.split())
            return written if len(name) >= 4 else place.name, run.start(1) + len(name)
    return None


def _travelled_to(name: str, sure: bool) -> bool:
    """Whether a name after words of travel is a place: one the gazetteer resolves, a town it holds by that very
    name (however small: "Dubrovnik", "Tulum"), or, after words that say a trip surely, any name that looks like
    one ("Santorini", "the Dolomites", "Machu Picchu")."""
    words = name.split()
    if (not words or len(words) > 4 or not _is_name(name) or words[0].lower() in _NO_PLACE or _VENUE.search(name)
            or (len(words) == 1 and words[0].lower() in _NOT_NAMES)
            or (name.isupper() and len(name) <= 4 and places.resolve(name) is None)):
        return False
    if places.resolve(name) is not None:
        return True
    cities = places.gazetteer().cities_named(name)
    if cities and places.fold(cities[0].name) == places.fold(name):
        return True
    return sure and all(_CAPITAL.match(w) or w in ("de", "del", "da", "do", "la", "di") for w in words)


def _is_city(name: str) -> bool:
    """A city named as itself ("Kyoto", "Mexico City", "Bangalore"), surely: not a word that is also a town."""
    resolved = places.resolve(name)
    # A short other name is more often a person's ("Sam" is also Damascus): only a city's own name that short.
    return (resolved is not None and resolved.place.kind == places.KIND_CITY and resolved.confidence == places.HIGH
            and len(name.split()) <= 3 and (len(name) > 3 or places.fold(resolved.place.name) == places.fold(name)))


def _wine(sentence: str, names: list[tuple[str, int, int]], about: set[str], linked: set[str],
          add: object) -> bool:
    """Grapes and styles by name; "a Chablis" (a wine, where "in Chablis" is a town); and the wines a wine post
    names by their maker: "opened a 1990 Penfolds Grange", "a bottle of Opus One", "Dom Pérignon 2012 🥂".
    Whether it found one."""
    if _NOT_DRINKING.search(sentence) or _NOT_TO_THEIR_TASTE.search(sentence):
        return False  # "dry january day 3 and i'm staring at the rioja in the cupboard", "chardonnay is gross"
    found = False
    pattern, canonical = _WINE_WORDS
    folded = places.fold(sentence)
    for match in pattern.finditer(folded):
        name = canonical[re.sub(r"[\s-]+", " ", match.group(0))]
        if name == "rosé" and "rosé" not in sentence.lower() and not _WINE_SURE.search(sentence):
            continue  # "david rose is my spirit animal": a name, not a wine
        if _NONE_OF.search(folded, max(0, match.start() - 30), match.start()) and not (
                _PRAISED.match(folded, match.end()) or re.search(r"\bnot\s+(?:a\s+)?bad\s+$", folded[:match.start()])):
            continue  # "no time for port tasting": none drunk ("not a bad Malbec", "never had a Barolo this good")
        poured = _POURED[0].search(folded[max(0, match.start() - 20):match.start()]) and _POURED[1].match(
            folded[match.end():])
        # "Champagne problems" is no wine
        if name in _GRAPES or name in _UNAMBIGUOUS_STYLES or "wine" in about or poured:
            add("wine", name, sentence)  # type: ignore[operator]
            found = True
    wine_words = "wine" in linked or bool(_WINE_SURE.search(sentence))
    for name, start, end in names:
        year = re.match(r"(.+?)\s+(?:19|20)\d\d$", name)  # "Clos Rougeard 2014": the wine and its vintage
        name, end = (year.group(1), start + len(year.group(1))) if year else (name, end)
        before = sentence[max(0, start - 80):start]
        cue = next((m for field, c in _CUES if field == "wine" for m in [c.search(before)] if m), None)
        sure = cue is not None and (wine_words or re.search(r"\d{4}|bottle|glass|magnum|uncork|decant", cue.group(0)))
        vintage = wine_words and re.match(r"\s+(?:19|20)\d\d\b", sentence[end:])
        # "Cloudy Bay sauvignon blanc on the balcony": a name right before a grape is who made the wine
        grape = re.match(r"\s+", sentence[end:]) and pattern.match(places.fold(sentence[end:]).lstrip())
        maker = grape and canonical.get(re.sub(r"[\s-]+", " ", grape.group(0))) in _GRAPES and (
            wine_words or "wine" in about or bool(_WINE_DRINKING.search(sentence)))
        if (sure or vintage or maker) and not _is_place(name) and not _NONE_OF.search(sentence, max(0, start - 40),
                                                                                       start):
            add("wine", name, sentence)  # type: ignore[operator]
            found = True
    return found


_VENUE = re.compile(r"\s(?:Park|Stadium|Arena|Field|Center|Centre|Garden|Gardens|Ground|Bowl|Dome)$")


def _sports(sentence: str, add: object) -> None:
    low = sentence.lower()
    others = sport.not_a_fan(sentence)  # the same guards as sport's teams ("went to a Rangers game once in 2009")
    for (pattern, city_too), gate in zip(_TEAM_CUES, _TEAM_GATES, strict=True):
        if others or not any(word in low for word in gate):
            continue
        for match in pattern.finditer(sentence):
            team = match.group("t")
            if sport.is_chant(match.group(0)):
                continue  # "Go Birds!" is the Eagles' chant: sport names the team
            if (_CAPITAL.match(team) and _is_name(team) and (city_too or not _is_place(team))
                    and not _VENUE.search(team)):
                add("sports", team, match.group(0))  # type: ignore[operator]
    for match in _TEAM_HASHTAG.finditer(sentence):
        add("sports", match.group("t"), match.group(0))  # type: ignore[operator]
    if _GAME.search(sentence) and re.search(r"\b(?:we|our|my|i)\b|!|❤️|💙|💛|🔴|⚪|🖤", sentence, re.I):
        for match in re.finditer(r"#(?P<t>[A-Z][a-z]+(?:[A-Z][a-z]+)?)\b", sentence):  # "#Arsenal" at a game
            if not _is_place(match.group("t")) and match.group("t").lower() not in _NOT_NAMES:
                add("sports", match.group("t"), match.group(0))  # type: ignore[operator]
    for match in _PLAYS.finditer(sentence):
        groups = match.groupdict()
        if (groups["km"] or groups["played"] or groups["went"] or groups["run"] or groups["tri"]) and not (
                _THEY_DID.search(sentence[:match.start()])):  # "my gym bro friend ran an ultra": his
            continue  # "my son played football": his news
        if "fantasy" in low:
            continue  # "fantasy football league": a game on paper
        if _NONE_OF.search(sentence, max(0, match.start() - 40), match.start()) or _LIKENED.search(
                sentence, max(0, match.start() - 30), match.start()):
            continue  # "never been skiing", "yelling at my tv like it was a football match"
        if groups["run"]:
            value = sport.run_event(match.group(0))
        elif groups["km"]:
            value = "running"
        elif groups["trail"]:
            value = "trail running"
        elif groups["tri"]:
            value = "triathlon"
        elif groups["went"]:
            value = _WENT_FOR[re.sub(r"\s+", " ", groups["went"].lower())]
        else:
            value = next(v for k, v in groups.items() if v and k in (
                "sport", "game", "doing", "my", "holes", "league", "played")).lower()
            value = re.sub(r"\s+", " ", value)
        add("sports", {"bjj": "BJJ", "jiu-jitsu": "jiu jitsu", "ironman": "triathlon"}.get(value, value),
            match.group(0))  # type: ignore[operator]


def _without_doubles(mentions: list[Mention]) -> list[Mention]:
    """One wine named twice ("Riesling", and the Vivino link's "Dr Loosen … Riesling Kabinett"): the short name;
    one team or sport named twice: the long one."""
    out = []
    for m in mentions:
        words = set(places.fold(m.value).split())
        longer = any(o is not m and o.field == m.field == "wine" and set(places.fold(o.value).split()) < words
                     for o in mentions)
        # One team or sport named twice ("Madrid" and "Real Madrid", "running" and "trail running"): the long name;
        # running and the race they ran ("half marathon"): the race.
        longer = longer or any(o is not m and o.field == m.field == "sports"
                               and (words < set(places.fold(o.value).split())
                                    or (m.value == "running" and sport.run_event(o.value) == o.value))
                               for o in mentions)
        if not longer:
            out.append(m)
    return out
