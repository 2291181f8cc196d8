"""Sport in a post: the team its author follows, the league or event they watch, the sport they do.

No package holds the major leagues' teams offline (the sports packages on PyPI are clients of web APIs), so the
teams here are the nicknames of the NBA, NFL, MLB, NHL and MLS, and the best-known football clubs, as fans
write them; the events are the year's big ones. A name that is also a word or a city ("Heat", "Giants",
"Liverpool") counts only in a post about a game; any name needs words that say the author cheers, watches, goes
or plays ("let's go", "we", "my", "season tickets", "⚾", "Knicks in 5"), and none that say it is someone else's,
news, a wish or a question.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .lowercase import pattern as _lowercase
from .places import fold

# Nicknames that name a team and little else (matched in any case: "yankees fans don't @ me").
_TEAMS = (
    "Celtics|Knicks|76ers|Sixers|Raptors|Cavs|Timberwolves|Trail Blazers|Lakers|Mavs|Bengals|Steelers|Buccaneers|"
    "Bucs|49ers|Niners|Seahawks|Yankees|Red Sox|White Sox|Blue Jays|Mets|Phillies|Diamondbacks|D-backs|Dodgers|"
    "Bruins|Red Wings|Habs|Maple Leafs|Leafs|Blue Jackets|Blackhawks|Canucks|Golden Knights|Sounders|Whitecaps|"
    "LAFC|NYCFC|Inter Miami|Atlanta United|Man United|Manchester United|Man Utd|Man City|Manchester City|"
    "Tottenham|Aston Villa|West Ham|Everton|Crystal Palace|Nottingham Forest|Wrexham|Real Madrid|Barça|Atlético|"
    "Atletico|Atleti|Real Betis|Athletic Bilbao|Real Sociedad|Villarreal|Bayern|BVB|Borussia Dortmund|Schalke|"
    "RB Leipzig|St. Pauli|Juventus|Juve|Inter Milan|AC Milan|Fiorentina|Atalanta|PSG|Paris Saint-Germain|PSV|"
    "Feyenoord|Benfica|Galatasaray|Fenerbahçe|Beşiktaş|Boca Juniors|River Plate|Flamengo|Corinthians|Palmeiras|"
    "All Blacks|Wallabies|Springboks"
)
# Nicknames that are also words or cities ("an arsenal of tools", "50 bucks", "vamos a ver a mis padres"):
# capitalised, and only in a post about a game.
_AMBIGUOUS_TEAMS = (
    "Nets|Bulls|Hawks|Hornets|Heat|Magic|Wizards|Wolves|Thunder|Blazers|Jazz|Warriors|Suns|Kings|Rockets|Spurs|"
    "Bills|Dolphins|Patriots|Pats|Jets|Ravens|Browns|Texans|Jaguars|Jags|Titans|Chiefs|Chargers|Cowboys|Giants|"
    "Eagles|Commanders|Bears|Lions|Vikings|Falcons|Panthers|Saints|Cardinals|Rams|Sox|Rays|Guardians|Tigers|"
    "Royals|Twins|Angels|Athletics|Rangers|Nationals|Reds|Pirates|Rockies|Senators|Lightning|Hurricanes|Devils|"
    "Islanders|Flyers|Penguins|Capitals|Caps|Avalanche|Avs|Stars|Wild|Predators|Preds|Blues|Ducks|Flames|Sharks|"
    "Galaxy|Crew|Union|Fire|Revolution|Dynamo|Chelsea|Liverpool|Newcastle|Villa|Brighton|Fulham|Brentford|Forest|"
    "Bournemouth|Leeds|Leicester|Southampton|Sunderland|Celtic|Barcelona|Barca|Sevilla|Valencia|Betis|Dortmund|"
    "Leverkusen|Inter|Milan|Napoli|Roma|Lazio|Marseille|Porto|Sporting|Boca|Santos|Bayern Munich|Cavaliers|"
    "Pistons|Pacers|Bucks|Nuggets|Clippers|Mavericks|Grizzlies|Pelicans|Colts|Broncos|Raiders|Packers|Orioles|"
    "Astros|Mariners|Braves|Marlins|Cubs|Brewers|Padres|Sabres|Canadiens|Oilers|Kraken|Timbers|Arsenal|Gunners|"
    "Ajax"
)
# What fans chant and tag for their team.
_CHANTS: tuple[tuple[str, str], ...] = (
    (r"\bgo\s+pack\s+go\b|#gopackgo\b", "Packers"), (r"\bynwa\b|\byou'?ll\s+never\s+walk\s+alone\b", "Liverpool"),
    (r"\bcoyg\b", "Arsenal"), (r"\bcoys\b", "Tottenham"), (r"\bktbffh\b", "Chelsea"), (r"\bbills\s+mafia\b", "Bills"),
    (r"\bchiefs\s+kingdom\b", "Chiefs"), (r"\bwho\s+dey\b", "Bengals"),
    (r"\bfly\s+eagles\s+fly\b|\bgo\s+birds\b", "Eagles"),
    (r"\bhail\s+hail\b", "Celtic"), (r"\bhala\s+madrid\b", "Real Madrid"), (r"\bvisca\s+(?:el\s+)?bar[cç]a\b", "Barça"),
    (r"\bskol\b", "Vikings"), (r"\blgm\b|\blet'?s\s+go\s+mets\b", "Mets"), (r"\bggmu\b", "Man United"),
    (r"\bdub\s+nation\b", "Warriors"), (r"\bbeat\s+la\b", "Giants"), (r"\bwe\s+are\s+the\s+6ix\b", "Raptors"),
    (r"\becht(?:e)?\s*liebe\b", "BVB"), (r"\bforza\s+juve\b", "Juve"),
)
# Leagues and the year's big events (a post about a team is about the team, not its league).
_EVENTS = (
    "NBA Finals|NBA|NFL|MLB|NHL|MLS|WNBA|NWSL|UFC|F1|Formula 1|Formula One|MotoGP|NASCAR|IndyCar|Premier League|"
    "Champions League|Europa League|La Liga|Serie A|Bundesliga|Ligue 1|Eredivisie|World Cup|Club World Cup|"
    "Copa América|Super Bowl|World Series|Stanley Cup|March Madness|Final Four|Wimbledon|US Open|"
    "French Open|Roland Garros|Roland-Garros|Australian Open|Ryder Cup|Tour de France|Giro d'Italia|Vuelta|"
    "Six Nations|Rugby World Cup|the Ashes|IPL|Olympics|Paralympics|Commonwealth Games|Boston Marathon|"
    "London Marathon|NYC Marathon|New York City Marathon|Berlin Marathon|Chicago Marathon|Tokyo Marathon|"
    "Kentucky Derby|Grand National|Daytona 500|Indy 500|Le Mans|Tour de Suisse|Paris-Roubaix|"
    "Champions Trophy|Gold Cup|Nations League|Wrestlemania|WrestleMania"
)
_SHOUTED_EVENTS = {"NBA", "NFL", "MLB", "NHL", "MLS", "WNBA", "NWSL", "UFC", "F1", "IPL"}


_WORD = re.compile(r"[^\W_][\w'’.&-]*")
_SMALL = {"the", "de", "d'italia", "of", "a"}


def _key(token: str) -> str:
    token = token.lower()
    if token.endswith(("'s", "’s")):
        token = token[:-2]
    return token.rstrip(".'’")


class _Names:
    """Names found word by word (a dictionary of their first words, then of the whole), far cheaper than one
    pattern of hundreds of names. Each name: as written, its words, whether it must be capitalised as written."""

    def __init__(self, *groups: tuple[str, bool]) -> None:
        self.longest = 1
        self.names: dict[tuple[str, ...], tuple[str, bool]] = {}
        for names, capitalised in groups:
            for name in names.split("|"):
                words = tuple(_key(w) for w in _WORD.findall(name))
                self.names.setdefault(words, (name, capitalised))
                self.longest = max(self.longest, len(words))
        self.first = {words[0] for words in self.names}

    def find(self, text: str, tokens: list[re.Match[str]] | None = None,
             keys: list[str] | None = None) -> list[tuple[str, int, int]]:
        """(name as the text writes it, start, end), longest first at each word. `tokens` and `keys`: the
        text's words (_WORD) and their _key, when the caller has them already."""
        if tokens is None or keys is None:
            tokens = list(_WORD.finditer(text))
            keys = [_key(t.group(0)) for t in tokens]
        if self.first.isdisjoint(keys):
            return []
        out = []
        n = 0
        while n < len(tokens):
            if keys[n] in self.first:
                for size in range(min(self.longest, len(tokens) - n), 0, -1):
                    hit = self.names.get(tuple(keys[n:n + size]))
                    if hit is None:
                        continue
                    name, capitalised = hit
                    written = tokens[n:n + size]
                    if capitalised and any(w[:1].isupper() and not t.group(0)[:1].isupper()
                                           for w, t in zip(_WORD.findall(name), written, strict=True)):
                        continue
                    start, end = written[0].start(), written[-1].end()
                    out.append((_clean(text[start:end]), start, end))
                    n += size - 1
                    break
            n += 1
        return out


def _clean(name: str) -> str:
    return re.sub(r"(?:['’]s?|[.]+)$", "", name) if not name.endswith("..") else name


_TEAMS_FOUND = _Names((_TEAMS, False), (_AMBIGUOUS_TEAMS, True))
_AMBIGUOUS = {fold(n) for n in _AMBIGUOUS_TEAMS.split("|")}
_CHANT_RES = [(re.compile(p), team) for p, team in _CHANTS]  # over the lowercased sentence
_CHANT_ANY = re.compile("|".join(p for p, _ in _CHANTS))
_EVENTS_FOUND = _Names(("|".join(sorted(_SHOUTED_EVENTS)), False), (_EVENTS, True))
_HASHTAG = re.compile(r"#(\w+)")


def is_chant(words: str) -> bool:
    """Whether the words are a fans' chant of a team ("go birds", "coyg"): they stand for the team's name."""
    return bool(_CHANT_ANY.search(words.lower()))


# The author cheers, watches, goes: words, emoji and the shapes of a fan's post ("Knicks in 5").
_FAN = _lowercase(r"\b(?:we|we'?re|our|us|let'?s\s+go+|lets\s+go+|go|come\s+on|rooting\s+for|root\s+for|"
                  r"(?:break|breaks|breaking|broke)\s+my\s+heart|c'?mon|vamos|forza|allez|hala|visca|"
                  r"up\s+the|fan|fans|supporter|supporters|season\s+tickets?|my\s+team|"
                  r"game\s*day|match\s*day|at\s+the\s+game|watching|watched|watch\s+party|believe|forever|"
                  r"till\s+i\s+die|til\s+i\s+die|tid|ride\s+or\s+die|faithful|lifelong|die-?hard|tickets?)\b|"
                  r"[⚽🏀🏈⚾🏒🏉🎾🏏⛳🏎🥊🏆🚴🏁]")
# Weaker signs: alone they may be anyone's commentary ("the Lakers are a mess, I can't"); two of them, or one in a
# sentence about a game, say the author follows it.
_SPORT_EMOJI = re.compile(r"[⚽🏀🏈⚾🏒🏉🎾🏏⛳🏎🥊🏆🚴🏁]")
_WEAK_FAN = _lowercase(r"\b(?:my|i|i'?m|i'?ve|i'?ll|me|weekend|tonight|today|tomorrow|starts|fortnight|session|"
                       r"back)\b|!|[💙❤💛💚🖤🤍🧡💜🔴⚪🔵]")
# "Knicks in 5", "Lakers win!!!": a fan's forecast and a fan's joy.
_FORECAST = re.compile(r"\s+(?:in\s+[4-7]\b|(?:win|won|wins|clinch\w*)\b[^.?]*!)", re.I)
_GAME_WORDS = _lowercase(r"\b(?:game|games|match|season|playoffs?|league|cup|series|stadium|arena|tickets?|fans?|"
                         r"fandom|kick-?off|puck|innings|touchdown|goal|goals|penalty|overtime|halftime|half|derby|"
                         r"away|home\s+game|draft|standings|championship|trophy|clásico|clasico|final|finals|win|"
                         r"won|wins|beat|beats|lose|lost|loss|vs\.?|score|scored|points|three-peat|"
                         r"clinch\w*|pitch|court|rink|\d+\s*-\s*\d+|in\s+[4-7])\b|"
                         r"[⚽🏀🏈⚾🏒🏉🎾🏏⛳🏎🥊🏆]")
# Not the author's: someone else's fandom, news, a wish, a question, a sneer.
_KIN = (r"(?:wife|husband|partner|boyfriend|girlfriend|bf|gf|dad|father|mom|mum|mother|brother|sister|son|daughter|"
        r"kid|kids|boss|coworkers?|colleagues?|friend|friends|roommate|flatmate|neighbou?rs?|uncle|aunt|cousin|grandpa|"
        r"grandma)")
_NOT_A_FAN = _lowercase(
    rf"\b(?:my|our|his|her)\s+(?:\w+\s+)?{_KIN}\s+(?:is|was|are|were|loves?|watch\w*|just|got|has|had|thinks|"
    rf"says|made|makes|wants|keeps|and\s+(?:his|her))\b|\b{_KIN}['’]s\b|^\s*rt\b|hot\s+take|"
    # "my husband spent all of sunday watching the nfl" (not "my husband and i watched")
    rf"\b(?:my|our)\s+(?:\w+\s+)?{_KIN}\s+(?!(?:and|&)\s+(?:i|me)\b)(?:\w+\s+){{1,5}}?watch\w*\b|"
    r"\bdon'?t\s+(?:even\s+)?(?:like|watch|follow)|"
    r"\b(?:trade[ds]?|trading|signs|signed|sacked|fired|hires|hired|injur\w*|suspended|fined|arrested|rumou?rs?|"
    r"reportedly|sources|breaking|announced|ads|commercials?|don'?t\s+care|do\s+not\s+care|who\s+cares|not\s+a\s+fan|"
    r"couldn'?t\s+care\s+less|"
    r"never|hate|can'?t\s+stand|overrated|boring|pretend\w*|if|unless|wish|someday|would|trivia|fantasy|"
    r"who\s+won|who\s+is\s+playing|insufferable|jersey\s+sale|odds|betting|bet|parlay|"
    r"explain|understand|rule|rules|worst|trash|annoying|clowns|entitled|toxic|delusional|obnoxious|bandwagon\w*|"
    r"not\s+going|not\s+watching|won'?t\s+watch|can'?t\s+afford|too\s+expensive|so\s+expensive|"
    r"(?:went|been|go|going)\s+(?:\w+\s+){0,3}once|once\s+in\s+(?:\w+\s+)?(?:19|20)\d\d|"
    r"bottled|bottlers?|choked|chokers?|collapsed|humiliat\w*|embarrass\w*|"
    r"in\s+(?:19|20)\d\d|years\s+ago)\b|"
    r"\b(?:the|a|an|this|that|some)\s+(?:\w+\s+){1,2}fans?\s+(?:in|on|at|next|behind|who|that|won'?t|keeps?|sitting)\b")
# "as a Spurs fan", "I've been a Cowboys fan since I was 6": their team, whatever else the post names.
_OWN_FAN = re.compile(r"\b(?:as\s+an?|i'?m\s+an?|i\s+am\s+an?|been\s+an?|lifelong|life-long|die-?hard|proud)\s+"
                      r"(?:\w+\s+)?", re.I)
_OWN_TEAM = re.compile(r"\b(?:as\s+an?|i'?m\s+an?|i\s+am\s+an?|been\s+an?)\s+(?:lifelong\s+|life-long\s+|die-?hard\s+|"
                       r"proud\s+)?(?P<team>[\w'’.&-]+(?:\s+[\w'’.&-]+)?)\s+(?:fan|supporter)\b", re.I)
_CONGRATS = _lowercase(r"\bcongrat\w*|\bcongrats\b|\bproud\s+of\s+(?:my|our|him|her|them|you)\b")
_OPPONENT = re.compile(r"\b(?:vs\.?|v\.?|versus|against|beat|beats|over|to|fans\s+of)\s+(?:the\s+)?$", re.I)
# A question that is an invitation says they watch ("who's watching with me?", "who you got?").
_INVITES = _lowercase(r"\b(?:who'?s\s+watching|who\s+else\s+is\s+watching|anyone\s+(?:else\s+)?watching|"
                      r"who\s+you\s+got|who\s+ya\s+got|watching\s+with\s+me)\b")

# -- the sport they do ---------------------------------------------------------------------------------------
# The name a post gives the sport, and what it is called in the notes.
_DOING_NAMES = (
    "table tennis|ping pong|tennis|padel|pickleball|squash|badminton|volleyball|beach volleyball|basketball|"
    "football|soccer|rugby|cricket|hockey|ice hockey|softball|baseball|netball|ultimate frisbee|ultimate|disc golf|"
    "golf|bowling|darts|boxing|kickboxing|muay thai|bjj|jiu jitsu|jiu-jitsu|judo|karate|taekwondo|fencing|archery|"
    "rowing|kayaking|canoeing|sailing|kitesurfing|windsurfing|paddleboarding|skateboarding|snowboarding|skiing|"
    "cross-country skiing|ice skating|figure skating|roller derby|hiking|trail running|running|mountain biking|"
    "cycling|crossfit|pilates|yoga|swimming|scuba diving|freediving|rock climbing|climbing|bouldering|"
    "mountaineering|triathlon|powerlifting|weightlifting|olympic lifting|lacrosse|water polo|handball|gymnastics|"
    "parkour|surfing|curling|spin class|spinning"
)
_DOING_FOUND = _Names((_DOING_NAMES, False))
_ALL_FIRST = _TEAMS_FOUND.first | _EVENTS_FOUND.first | _DOING_FOUND.first
_CALLED = {"ping pong": "table tennis", "jiu-jitsu": "jiu jitsu", "ultimate": "ultimate frisbee",
           "spinning": "cycling", "spin class": "cycling", "rock climbing": "climbing"}
# Sports that are a kind of another: what they did says the one, the name they give says which.
_KIND_OF = {"bouldering": "climbing", "rock climbing": "climbing", "trail running": "running",
            "gravel riding": "cycling", "bikepacking": "cycling", "freediving": "diving", "scuba diving": "diving"}
# The sport said by what they did ("caught my first wave", "sent my project", "100 miles on the bike").
_DID: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.I), sport) for p, sport in (
    (r"\bsurf\s+(?:camp|trip|session|lesson|lessons|sesh|day)\b|\bcaught\s+(?:my\s+first|a|some)\s+waves?\b|🏄",
     "surfing"),
    (r"\bski\s+(?:trip|day|week|season|holiday|lesson|lessons|pass)\b|\bpowder\s+day\b|\bon\s+the\s+slopes\b|⛷",
     "skiing"),
    (r"\bat\s+the\s+crag\b|\bsent\s+my\s+(?:first\s+)?(?:project|v\d+)\b|\bbelay\w*\b|🧗", "climbing"),
    (r"\bcentury\s+ride\b|\b\d+\s*(?:km|k|miles|mi)\s+(?:on\s+the\s+bike|ride|bike\s+ride)\b|\bgravel\s+ride\b|"
     r"\bon\s+the\s+bike\s+(?:in|for|today|this)\b|🚴", "cycling"),
    (r"\b(?:marathon|half[\s-]marathon|5k|10k|ultra)\s+(?:training|block|prep|pace|pb|pr|medal|bib|time)\b|"
     r"\btraining\s+for\s+(?:a|my|the)\s+(?:first\s+)?(?:half\s+)?marathon\b|\bi\s+run\s+(?:\d|a\s+|every|most)|"
     r"\b(?:my|morning|long|easy|tempo|recovery|evening)\s+run\b|\brun\s+club\b|\bparkrun\b|\bcouch\s+to\s+5k\b|"
     r"\b(?:ran|run)\s+(?:a\s+|my\s+first\s+|my\s+)?(?:half\s+)?marathon\b|🏃", "running"),
    (r"\b(?:deadlift|squat|bench(?:\s+press)?|clean\s+and\s+jerk|snatch)\s+(?:pr|pb)\b|\bnew\s+(?:deadlift|squat|bench)"
     r"\s+(?:pr|pb)\b|🏋", "weightlifting"),
    (r"\bscuba\s+certified\b|\bopen\s+water\s+(?:dive|certified|course)\b|\bfirst\s+(?:open\s+water\s+)?dive\b|"
     r"\bpadi\b", "scuba diving"),
    (r"\b(?:shot|carded)\s+(?:an?\s+)?\d{2,3}\b(?=[^.!?]*(?:golf|round|⛳|holes|par))|\btee\s+time\b|"
     r"\b(?:\d+\s+holes|a\s+round)\s+of\s+golf\b|⛳", "golf"),
    (r"\b(?:blue|purple|brown|black)\s+belt\s+in\s+(?P<art>jiu[\s-]?jitsu|bjj|judo|karate|taekwondo)\b", ""),
    (r"\b(?:\d{1,2}\s*(?:am|pm)|morning|evening|early|sunrise|dawn|lunchtime|lunch|my\s+(?:first|daily|weekly))\s+"
     r"(?P<act>swim|run|bike\s+ride|ride|hike|climb|row|surf|paddle)\b", ""),
    (r"\b(?:signed\s+up\s+for|registered\s+for|entered|training\s+for|running)\s+(?:a|my|the)\s+(?:first\s+)?"
     r"(?:half[\s-]+)?(?:marathon|10k|5k|ultra)\b(?!\s+of\b)", "running"),
    (r"🧘", "yoga"), (r"🏊", "swimming"), (r"🛹", "skateboarding"), (r"🏂", "snowboarding"),
))
# A race they name is what they did ("ran my first half marathon", "parkrun"), more than "running".
_RUN_EVENT = re.compile(r"\b(?<!couch\sto\s)(?P<event>half[\s-]marathon|ultra(?:marathon)?|marathon|10k|5k|parkrun)\b",
                        re.I)


def run_event(words: str) -> str:
    """The race named in `words`, as a note says it ("half marathon", "10k"), or "running" when none is."""
    match = _RUN_EVENT.search(words)
    if match is None:
        return "running"
    event = re.sub(r"[\s-]+", " ", match.group("event").lower())
    return "ultra" if event == "ultramarathon" else event


_ACTS = {"swim": "swimming", "run": "running", "bike ride": "cycling", "ride": "cycling", "hike": "hiking",
         "climb": "climbing", "row": "rowing", "surf": "surfing", "paddle": "paddleboarding"}
# Words without which each of _DID cannot match.
_DID_GATES = (("surf", "wave", "🏄"), ("ski", "powder", "slopes", "⛷"), ("crag", "sent my", "belay", "🧗"),
              ("century", "bike", "ride", "🚴"), ("marathon", "5k", "10k", "ultra", "run", "🏃"),
              (" pr", " pb", "🏋"), ("scuba", "dive", "padi"), ("shot", "carded", "tee time", "golf", "⛳"),
              ("belt",), ("swim", "run", "ride", "hike", "climb", "row", "surf", "paddle"),
              ("marathon", "10k", "5k", "ultra"), ("🧘",), ("🏊",), ("🛹",), ("🏂",))
_DID_WORDS = {w for gate in _DID_GATES for w in gate}
# They do it: the sport starts the sentence ("rowing at dawn"), or it is theirs (my, I, we), or a session of it.
_DOING_AFTER = re.compile(r"^\s*(?:lessons?|class(?:es)?|session|sesh|practice|training|league|club|coach|"
                          r"tournament|camp|trip|day|morning|pr|pb|certified|buddies|buddy|partner|group|"
                          r"team|every|at\s+(?:lunch|dawn|\d|the\s+(?:gym|club|park|court|crag|beach|pool))|this\s+"
                          r"(?:morning|evening|afternoon|weekend)|today|tonight|before|after\s+work|with\s+(?:the|my|"
                          r"dad|mum|mom|friends|the\s+boys|the\s+girls)|3x|\d+x|twice|again|done|at\s+\d+)\b", re.I)
_DOING_BEFORE = re.compile(r"(?:\b(?:my|our)\s+(?:first\s+|weekly\s+|daily\s+|morning\s+|new\s+)?|"
                           r"\b(?:went|go|going|been|love|started|took\s+up|taking\s+up|picked\s+up|got\s+into|"
                           r"getting\s+into|playing|played|play|i\s+do|we\s+do|doing|did|into|obsessed\s+with|"
                           r"addicted\s+to|hooked\s+on|back\s+to|learning|learn)\s+(?:some\s+|more\s+)?|^\W*)$", re.I)
_NOT_DOING = _lowercase(rf"\b(?:never|not|don'?t|didn'?t|won'?t|can'?t|hate|gave\s+up|quit|tried|watching|watch|"
                        rf"thinking\s+(?:about|of)|considering|might|maybe|want\s+to|wanna|"
                        rf"congrat\w*|his|her|their|@\w+|suggest\w*|invit\w*|anyone|who\s+wants|"
                        rf"watched|on\s+tv|wish|someday|would|should|if|shoes|tickets?|fans?|"
                        rf"players?|commentary|highlights|fantasy|video\s+games?|"
                        rf"(?:my|our|his|her)\s+(?:\w+\s+)?{_KIN}|{_KIN}['’]s)\b")
# "pickleball is just tennis for people who gave up", "basketball shoes": not a sport they do.
_NOT_SO = re.compile(r"^\s*(?:is|are|was|were|has|have|shoes|tickets?|fans?|players?|on\s+tv|highlights|elbow|"
                     r"commentary|noises|season|match\s+on|game\s+on)\b", re.I)
_FOR_OTHERS = re.compile(r"^[^.!?]{0,30}\bfor\s+(?:the|my|our)\s+(?:kids?|son|daughter|boys|girls|team\s+i\s+coach)\b",
                         re.I)  # "basketball practice for the kids": theirs
_MEANS_ELSE = re.compile(r"^\s*(?:late|out|on\s+empty|errands|a\s+(?:marathon|meeting|company|team|business)|"
                         r"the\s+(?:meeting|show|numbers|risk|company|web|internet|record)|into|around|low|behind|short|for\s+office|"
                         r"it|this|that|records?|vinyl|tracks?|tunes)\b",  # "been spinning it since april"
                         re.I)


_WHERE = re.compile(r"\b(?:in|to|from|near|around)\s+$", re.I)


def not_a_fan(sentence: str) -> bool:
    """Whether a sentence says the team is someone else's, news, a wish, a sneer or long ago."""
    return bool(_NOT_A_FAN.search(sentence.lower()))


def is_team(name: str) -> bool:
    """Whether a name is one of the teams known here (as written: "Heat" is, "heat" is not)."""
    return any(n == name.strip() for n, _, _ in _TEAMS_FOUND.find(name))


def find(sentences: list[str], post: str, found: set[str], add: Callable[[str, str, str], None]) -> None:
    """The teams, leagues and events the author follows, and the sports they do, in a post's sentences:
    add("sports", value, words) for each. `found`: the sports found already, by other rules."""
    if _CONGRATS.search(post.lower()):
        return  # their win, their race
    low = post.lower()
    read = []
    words: set[str] = set()
    for sentence in sentences:
        tokens = list(_WORD.finditer(sentence))
        keys = [_key(t.group(0)) for t in tokens]
        words.update(keys)
        read.append((sentence, tokens, keys))
    if (_ALL_FIRST.isdisjoint(words) and "#" not in post and not _CHANT_ANY.search(low)
            and not any(w in low for w in _DID_WORDS)):
        return  # most posts: no sport, and none of the guards need reading
    game = bool(_GAME_WORDS.search(low))
    emoji = bool(_SPORT_EMOJI.search(post))  # a ⚾ says so for the whole post ("Yankees in 6. book it ⚾")
    teams: list[tuple[str, str]] = []
    events: list[tuple[str, str]] = []
    doing: list[tuple[str, str]] = []
    did: list[tuple[str, str]] = []
    for sentence, tokens, keys in read:
        asks = sentence.rstrip().endswith("?") and not _INVITES.search(sentence.lower())
        if asks:
            continue
        _following(sentence, tokens, keys, game, emoji, teams, events)
        _doing(sentence, tokens, keys, doing, did)
    own = [(name, words) for name, words in teams
           if re.search(_OWN_FAN.pattern + re.escape(name) + r"\s+(?:fan|supporter)\b", words, re.I)]
    if not own:  # "arsenal bottled it again 😂 as a spurs fan": their team, said outright, even one that is a word
        own = [(name, sentence) for sentence, _, _ in read for said in _OWN_TEAM.finditer(sentence)
               for name, _, _ in _TEAMS_FOUND.find(said.group("team"))]
    rivals = {fold(name) for name, words in teams if re.search(rf"{re.escape(name)}\s+fans\b", words)}
    keep = own or [(n, w) for n, w in teams if fold(n) not in rivals] or teams
    for name, words in keep:
        add("sports", name if not name.islower() else name.title(), words)  # "arsenal" is Arsenal in the notes
    if not teams:
        for name, words in events:
            add("sports", name, words)
    for name, words in doing:
        add("sports", name, words)
    if not (doing or found or teams):
        for name, words in did:
            add("sports", name, words)


def _following(sentence: str, tokens: list[re.Match[str]], keys: list[str], game: bool, emoji: bool,
               teams: list[tuple[str, str]], events: list[tuple[str, str]]) -> None:
    low = sentence.lower()
    not_a_fan = bool(_NOT_A_FAN.search(low))  # once a sentence: a long one with many hashtags stays cheap
    if _CHANT_ANY.search(low) and not not_a_fan:
        teams += [(team, sentence) for pattern, team in _CHANT_RES if pattern.search(low)]
    if "#" in sentence and not not_a_fan:
        for tag in _HASHTAG.findall(sentence):
            for name, _, _ in _TEAMS_FOUND.find(re.sub(r"(?<=[a-zà-ÿ])(?=[A-Z])", " ", tag)):
                if name[0].isupper():
                    teams.append((name, sentence))
    found_teams, found_events = _TEAMS_FOUND.find(sentence, tokens, keys), _EVENTS_FOUND.find(sentence, tokens, keys)
    if not (found_teams or found_events) or not_a_fan:
        return
    fan = emoji or bool(_FAN.search(low))
    weak = len({m.group(0) for m in _WEAK_FAN.finditer(low)})
    game_here = bool(_GAME_WORDS.search(low))
    for name, start, end in found_teams:
        if _OPPONENT.search(sentence[:start]):
            continue  # "Arsenal away in Lisbon vs Sporting": the other side
        if _WHERE.search(sentence, max(0, start - 12), start):
            continue  # "my first half marathon in Valencia": the city
        if fold(name) in _AMBIGUOUS and re.match(r"\s+(?:of\s+)?[A-Z]", sentence[end:]):
            continue  # "Saints Row", "Kings of Leon": part of another name
        if fold(name) in _AMBIGUOUS:
            ok = game and game_here and (fan or weak >= 2)
        else:
            ok = fan or (game_here and weak >= 2) or bool(_FORECAST.match(sentence, end))
        if ok:
            teams.append((name, sentence))
    for name, _, _ in found_events:
        if fan or weak >= 2:
            events.append((name.upper() if name.upper() in _SHOUTED_EVENTS else name, sentence))


def _doing(sentence: str, tokens: list[re.Match[str]], keys: list[str], doing: list[tuple[str, str]],
           did: list[tuple[str, str]]) -> None:
    low = sentence.lower()
    for (pattern, sport), gate in zip(_DID, _DID_GATES, strict=True):
        match = pattern.search(sentence) if any(w in low for w in gate) else None
        if match and not _NOT_DOING.search(low[:match.start()]):
            act = match.groupdict().get("act")
            value = (run_event(match.group(0)) if sport == "running" else sport) or (
                _ACTS[re.sub(r"\s+", " ", act.lower())] if act else
                re.sub(r"[\s-]+", " ", match.group("art").lower()).replace("bjj", "BJJ"))
            named = [re.sub(r"\s+", " ", n.lower()) for n, _, _ in _DOING_FOUND.find(sentence, tokens, keys)]
            if sport and named and _KIND_OF.get(named[0]) == sport:
                value = named[0]  # "sent my first v5 at the bouldering gym": the sport as they name it
            did.append((value, sentence))  # what they did says the sport when nothing names it
    for name, start, end in _DOING_FOUND.find(sentence, tokens, keys):
        before, after = sentence[:start], sentence[end:]
        name = re.sub(r"[\s]+", " ", name.lower())
        if ((name in ("running", "spinning") and _MEANS_ELSE.match(after)) or _NOT_DOING.search(before.lower())
                or _NOT_SO.match(after) or _FOR_OTHERS.search(after)):
            continue
        # "my tennis coach", "went climbing", "playing padel at 7"; first: "rowing at dawn", "golf with dad"
        ok = bool(_DOING_BEFORE.search(before)) if re.search(r"\w", before) else bool(_DOING_AFTER.match(after))
        if ok:
            doing.append(({"bjj": "BJJ"}.get(name, _CALLED.get(name, name)), sentence))
