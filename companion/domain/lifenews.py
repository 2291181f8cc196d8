"""Life news in a post: the author's own new job, move, baby, launch, birthday, wedding, engagement, graduation or
retirement, as people announce them ("first day at @stripe", "we got the keys", "she's here 💕 7lbs 2oz", "Show
HN:", "33 today", "tied the knot", "i said yes 💍", "defended my thesis", "first monday of retirement"), in
English and, for the plainest ways of saying it, Spanish, French, Portuguese, German and Italian.

A wrong congratulation is worse than none, so each announcement must be the author's: not a wish, a plan, a
question or a negation ("if I don't get this job I'm moving to a cabin", "I'm not getting married"), nor someone
else's news ("my brother got a new job", "congrats @sarah on the new role", "our dog turned 10"). The guards look
at the announcement's own clause, so "turning 40 today and honestly never felt better" is still a birthday.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import places
from .lowercase import pattern as _lowercase


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_CAP = r"(?-i:[A-Z@])"  # a name starts here: "Datadog", "@stripe"
_PRODUCT = (r"(?:app|apps|product|startup|company|business|book|novel|cookbook|album|ep|single|mixtape|course|"
            r"podcast|newsletter|site|website|game|library|tool|toolkit|shop|store|restaurant|caf[eé]|bakery|bar|"
            r"studio|gallery|beta|plugin|extension|api|sdk|framework|platform|service|project|channel|brand|"
            r"collection|zine|saas|cli|agency|clinic|practice|firm|label|line|system|engine|compiler|language|"
            r"database|model|dataset|font|typeface|theme|template|paper|film|documentary|short|video|series|comic|"
            r"magazine|bot|device|keyboard|camera|kit|repo|package|crate|gem)")
_DIGITS_AGE = (r"(?:[1-9]\d|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty)"
               r"(?:[-\s]?(?:one|two|three|four|five|six|seven|eight|nine))?)")
_JOB_ROLE = (r"\b(?:as\s+(?:a|an|the|their|its|our)?\b|team|role|position|engineer\w*|developer|designer|manager|"
             r"director|head\s+of|lead|staff|senior|principal|intern\w*|scientist|researcher|analyst|consultant|"
             r"advocate|cto|ceo|cfo|coo|vp|founding|full[-\s]?time|start\s+date|onboarding|colleagues|"
             r"employee|hired|offer|job|career|recruiter|product|marketing|sales|editor|writer|professor|"
             r"postdoc|fellow)\b")

# (label, the words, words the post must also have, words that rule it out)
_EVENTS: list[tuple[str, re.Pattern[str], re.Pattern[str] | None, re.Pattern[str] | None]] = [
    ("new job", _words(
        r"\b(?:excited|thrilled|happy|proud|delighted|humbled|pleased|stoked|honou?red|grateful)\s+to\s+"
        r"(?:announce|share|say)\s+(?:that\s+)?(?:i'?(?:ve|m|ll)?\s+|i\s+(?:have|am|will(?:\s+be)?)\s+)?"
        r"(?:(?:officially|just|finally|now)\s+)?(?:joined|joining|started|starting|accepted|taking|signed|"
        r"been\s+(?:promoted|hired)|a\s+new|the\s+new|my\s+new)|"
        r"\b(?:first|1st)\s+(?:day|week|month)\s+(?:at|of|with)\s+(?:my\s+|the\s+)?(?:new\s+(?:job|role|gig|"
        r"company|team|position|office)|" + _CAP + r")|"
        r"\b(?:day|week)\s+(?:one|1|two|2)\s+(?:at|of)\s+(?:my|the)\s+new\s+(?:job|role|gig|company|team)\b|"
        r"\b(?:(?:my|this)\s+new\s+(?:job|gig|role|position)|the\s+new\s+job|for\s+the\s+new\s+(?:role|position))\b(?!\s+(?:queue|posting|listing|board|search|hunt|"
        r"market|title|runner|scheduler|ads?|description|spec|opening|interview|application|offer)s?\b)|"
        r"\bmy\s+new\s+(?:company|employer|team|colleagues|coworkers)\b|"  # a new boss may be theirs alone
        r"^\W*new\s+(?:job|gig|role|position)\b(?!\s*:)(?!\s+(?:queue|posting|listing|board|search|hunt|market|"
        r"ads?|opening|alert\s+for)s?\b)|#new(?:job|role)\b|"
        r"\bjoin(?:ed|ing)\s+" + _CAP + r"[\w.&-]*(?:\s+" + _CAP + r"[\w.&-]*)?\s+as\b|"
        r"\b(?:i'?m|i\s+am)\s+(?:now\s+|officially\s+)+(?:a|an|the)\s+(?:[\w-]+\s+){0,4}?(?:at|@|for|with)\s+"
        + _CAP + r"|\bofficially\s+(?:a|an)\s+" + _CAP + r"[\w.&-]*\s+(?:employee|engineer|intern|staffer|"
        r"designer|developer|team\s+member)\b|"
        r"\b(?:got|accepted|signed|took)\s+(?:the|an|a|my)\s+(?:job\s+|new\s+)?offer(?:\s+letter)?\b|"
        r"\baccepted\s+(?:a|an|the)\s+(?:new\s+|full[-\s]time\s+|permanent\s+)?(?:role|position|job|post)\b|"
        r"\b(?:got|been|was|just\s+got|finally\s+got|i\s+got)\s+promoted\b|\bpromoted\s+to\s+(?:senior|staff|"
        r"principal|lead|head|director|manager|vp|partner|chief|engineering|associate|team)\b|"
        r"\b(?:celebrat\w*|toast\s+to)\s+(?:my|the)\s+(?:new\s+job|promotion)\b|"
        r"\bgot\s+(?:the|a|my\s+(?:first|dream))\s+job\b|^\s*hired\s*!|"
        r"\bstart(?:ed|ing)\s+(?:a\s+|my\s+)?new\s+(?:job|role|position|gig)\b|"
        r"\bstarting\s+at\s+" + _CAP + r"\w*|\bnew\s+title\s*:|"
        r"\b(?:neue[nr]?\s+(?:job|stelle|arbeitsplatz)|erster\s+arbeitstag|nuevo\s+(?:trabajo|empleo|puesto)|"
        r"nouveau\s+(?:job|poste|travail|boulot)|nouvel\s+emploi|novo\s+(?:emprego|trabalho)|"
        r"nuovo\s+lavoro)\b"), None, None),
    # "I've joined Datadog", "I'm joining Anthropic!": a job when the post speaks of one ("Bluesky" is no employer)
    ("new job", _words(
        r"\b(?:i'?ve|i\s+have|i|we'?ve|we\s+have|we)\s+(?:just\s+|officially\s+|finally\s+)?(?:joined|"
        r"started\s+(?:at|with|working\s+(?:at|for))|signed\s+with)\s+(?:the\s+team\s+at\s+)?" + _CAP + r"|"
        r"\b(?:i'?m|i\s+am)\s+(?:(?:so\s+|very\s+)?(?:excited|thrilled|happy)\s+to\s+be\s+)?(?:officially\s+)?"
        r"joining\s+(?:the\s+team\s+at\s+)?" + _CAP + r"|^\W*(?:just\s+|officially\s+|today\s+)?start(?:ed|ing)\s+"
        r"(?:at|with)\s+" + _CAP), _words(_JOB_ROLE), None),
    # "leaving Chicago after 8 years" (the name must be a place: leaving Google is a job)
    ("moved", _words(r"\b(?:leaving|left|goodbye|bye|farewell)\s*,?\s+(?P<place>(?-i:[A-Z])[\w.'’-]+(?:\s+(?-i:[A-Z])"
                     r"[\w.'’-]+)?)\s*,?\s+after\s+(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|"
                     r"almost|nearly|over)\s+(?:\w+\s+)?(?:years?|yrs?|decades?)\b"), None, None),
    # "moved to berlin 3 weeks ago": in lowercase, a move to a word that is surely a place
    ("moved", _words(r"^\W*(?:(?:we|i)\s+)?(?:just\s+|finally\s+|officially\s+)?(?:moved|relocated)\s+(?:back\s+)?"
                     r"(?:home\s+)?to\s+(?P<place>[^\W\d_][\w'’-]+)\b"), None, None),
    ("moved", _words(
        r"\b(?:we|i)(?:'ve|\s+have)?\s+(?:just\s+|finally\s+|officially\s+)?(?:moved|relocated)\s+"
        r"(?:back\s+|over\s+|out\s+|all\s+the\s+way\s+)?(?:to|into|across|home|abroad|overseas|in\b)|"
        r"^\W*(?:just\s+|finally\s+|officially\s+)?(?:moved|relocated|relocating|moving)\s+(?:back\s+)?(?:home\s+)?"
        r"(?:to|into)\s+"
        r"(?:(?-i:[A-Z])|a\s+new|our|my|the\s+new)|"
        r"\b(?:we'?re|i'?m|we\s+are|i\s+am)\s+(?:officially\s+|finally\s+)?(?:moving|relocating)\s+(?:back\s+)?"
        r"(?:to|across|abroad|overseas|countries|cities|home|in\b)|"
        r"\bmoving\s+day\b|\bhousewarming\b|\bkeys\s+to\s+(?:our|my|the)\s+(?:new|first)\b|"
        r"\bgot\s+(?:the|our|my)\s+(?:new\s+)?keys\b(?=\s*(?:[!.🔑🏡🏠]|$|to\s+(?:our|my|the)\s+(?:new|first)))|"
        r"\bclosed\s+on\s+(?:our|my|a|the)\s+(?:first\s+|new\s+|dream\s+)?(?:house|home|condo|apartment|flat|"
        r"place)\b|\bescrow\s+(?:closed|is\s+closed)\b|\bclosing\s+day\b|"
        r"\b(?:we'?re|i'?m|we\s+are|i\s+am)\s+(?:now\s+|officially\s+|finally\s+)*(?:first[-\s]time\s+)?"
        r"home\s*owners?\b|\bhome\s*owners?\s+(?:at\s+\d\d|now|!)|"
        r"\b(?:we|i)\s+(?:just\s+|finally\s+|officially\s+)?bought\s+(?:a|our|my)\s+(?:first\s+|new\s+|dream\s+)?"
        r"(?:house|home|flat|condo|apartment|place)\b|^\W*(?:just\s+|finally\s+)?bought\s+(?:a|our|my)\s+"
        r"(?:first\s+)?(?:house|home|flat|condo|apartment)\b|"
        r"\b(?:our|my)\s+(?:first|new)\s+(?:home|house|flat|apartment|condo)\b(?!\s+(?:office|gym|screen|page|"
        r"base|server|network|lab|studio|setup|theat(?:er|re)|bar|assistant|automation))|^\W*first\s+(?:home|house|"
        r"apartment|flat)\b|\bnew\s+(?:apartment|flat|house|neighbou?rhood)\b|"
        r"\bunpack(?:ed|ing)\s+(?:the\s+)?(?:last\s+)?boxes\b|\bpacking\s+(?:up\s+)?(?:the\s+)?last\s+boxes\b|"
        r"\bboxes\s+everywhere\b|\bjust\s+moved\b|\bmoved\s+into\b|\bnew\s+city\b|引っ越しました|"
        r"\bofficially\s+an?\s+(?-i:[A-Z])\w+\s+resident\b|"
        r"\b(?:me\s+mud[ée]|nos\s+mudamos|me\s+mudei|mudei(?:-me)?\s+para|mudamos\s+para|"
        r"d[ée]m[ée]nag(?:é|e|er|ement)|emm[ée]nag(?:é|e|er)|umgezogen|ziehen\s+nach|"
        r"mi\s+sono\s+trasferit[oa]|ci\s+siamo\s+trasferiti)\b"), None, None),
    ("new baby", _words(
        r"\b(?:welcomed|welcome)\s+(?:our|a|baby|the)\s+(?:\w+\s+)?(?:baby|son|daughter|girl|boy|little|twins)|"
        r"\b(?:our|my)\s+(?:(?:baby|little|newborn|first|second|third|twin|rainbow)\s+)*(?:boy|girl|son|daughter|"
        r"baby|twins)\s+(?:(?-i:[A-Z])\w+\s+){0,3}(?:was\s+born|were\s+born|is\s+here|are\s+here|arrived|"
        r"has\s+arrived|came|joined\s+us|made\s+(?:his|her|their)\s+(?:arrival|debut|entrance))\b|"
        r"\bborn\b|\b(?:she|he|they)(?:['’]s|\s+is|['’]re|\s+are)\s+(?:finally\s+)?here\b|"  # with _BIRTH
        r"\bbecame\s+(?:a\s+)?(?:dad|mom|mum|father|mother|parents?|daddy|mama|mommy)\b|"
        r"\b(?:i'?m|i\s+am)\s+(?:a|an)\s+(?:dad|mom|mum|father|mother|mama|daddy|girl\s+dad|boy\s+mom)\b"
        r"(?=\s*(?:[!🎉👶💙🩷❤️]|$))|\b(?:we|i)\s+(?:just\s+)?had\s+(?:a|our)\s+(?:baby|son|daughter|boy|girl|twins)\b|"
        r"\b(?:i'?m|we'?re|i\s+am|we\s+are)\s+(?:a\s+)?(?:dad|mom|mum|parents?|girl\s+dad|boy\s+mom)\s+now\b|"
        r"\b(?:new|first[-\s]time)\s+(?:dad|mom|mum|parents?|father|mother)\b|"
        r"\b(?:we'?re|we\s+are|i'?m|i\s+am)\s+(?:\d+\s+weeks\s+)?(?:expecting|pregnant)\b(?!\s+(?:rain|snow|"
        r"storms?|guests|company|visitors|a\s+(?:call|delivery|package|storm|lot|response)|delays|results|"
        r"more|it|that|this|you|them|him|her|an?\s+(?:update|answer|email|reply))\b)|"
        r"\bexpecting\s+(?:our\s+)?(?:first|second|third|baby|a\s+baby|twins|a\s+(?:little\s+)?(?:boy|girl))\b|"
        r"\bbaby\s+(?:#\s*\d+|no\.?\s*\d+|number\s+\w+|(?-i:[A-Z])\w+)\s+(?:is\s+|will\s+be\s+)?(?:arriv\w*|due|"
        r"coming|on\s+the\s+way|is\s+here|has\s+arrived|incoming)\b|"
        r"\bwe'?re\s+having\s+a\s+(?:baby|boy|girl)\b|\bwelcome\s+to\s+the\s+world\b|"
        r"\bit['’]?s\s+an?\s+(?:baby\s+)?(?:boy|girl)\b(?!\s+(?:thing|things|problem|band|math|dinner|night|"
        r"scout|group|boss|moment|summer|world|power))|#itsa(?:boy|girl)\b|"
        r"\b(?:paternity|maternity|parental|mat|pat)\s+leave\b|\bparenthood\b|\bnewborn\b|"
        r"\b\d{1,2}\s*(?:lbs?|pounds?)\s*,?\s*\d{1,2}\s*(?:oz|ounces?)\b|"
        r"\b(?:ha\s+nacido|naci[óo]\s+(?:nuestr[oa]|mi)|nuestr[oa]\s+(?:hij[oa]|beb[ée])\s+naci[óo]|"
        r"est\s+n[ée]e?|nasceu|unser(?:e)?\s+(?:tochter|sohn|baby)\s+ist\s+(?:da|geboren|angekommen)|"
        r"[èe]\s+nat[oa])\b"), None, None),
    ("launch", _words(
        r"\b(?:we(?:'re|\s+are)|i'?m|i\s+am)\s+(?:live|launching)\s+on\s+product\s*hunt\b|"
        r"\b(?:we|i)(?:'ve|\s+have)?\s+(?:just\s+|finally\s+|officially\s+)?(?:launched|shipped|released|"
        r"published|open[-\s]?sourced)(?:\s*[!🚀🎉]|\s+(?-i:[A-Z])|\s+v\d|\s+(?:our|my|the|a|an)\s+"
        r"(?:[\w.'’-]+\s+){0,3}?" + _PRODUCT + r"s?\b)|"
        r"^\W*(?:just\s+|finally\s+)?(?:shipped|launched)\s*[!🚀🎉]|"
        r"^\W*(?:just\s+|finally\s+|officially\s+|today\s+)?(?:launched|shipped|released|open[-\s]?sourced|"
        r"published)\s+(?:v\d|(?:our|my)\s+(?:[\w.'’-]+\s+){0,3}?" + _PRODUCT + r"s?\b)|"
        r"\b(?:we'?re|i'?m|we\s+are|i\s+am)\s+(?:(?:so\s+)?(?:excited|thrilled|proud|happy)\s+to\s+be\s+)?"
        r"(?:finally\s+|officially\s+)?launching\b(?!\s+(?:into|in\s+to|a\s+rant|myself))|"
        r"\b(?:excited|thrilled|proud|happy)\s+to\s+(?:launch|announce\s+the\s+launch\s+of|unveil)\b|"
        r"\b(?:today|finally)\s+we\s+launch|\bannouncing\s+(?-i:[A-Z])\w+|"
        r"\b(?:my|our)\s+(?:(?:new|first|debut|very|\w+)\s+){0,2}" + _PRODUCT + r"\s+(?:is\s+|just\s+)?"
        r"(?:(?:finally|officially|now)\s+)*(?:out|live|launched|available|in\s+(?:the\s+)?(?:app\s+store|"
        r"play\s+store|stores|bookstores|shops)|on\s+(?:the\s+)?(?:app\s+store|play\s+store|steam|kickstarter|"
        r"product\s*hunt|amazon|shelves)|comes\s+out|came\s+out|drops|dropped|hits\s+shelves|launches|ships)\b|"
        r"(?-i:\b(?:Show|Launch)\s+HN\s*:)|"
        r"\b(?:live|launching|launched)\s+on\s+(?:product\s*hunt|kickstarter|indiegogo|the\s+app\s+store)\b|"
        r"\b(?:our|my)\s+launch\s+day\b|\blaunch\s+day\b.*\b(?:we|our|my)\b|"
        r"\bmy\s+(?:first\s+)?(?:book|album|app|startup|course|podcast)\s+is\s+(?:out|live)\b|"
        r"\bopening\s+(?:my|our)\s+(?:own\s+|first\s+|new\s+)*(?:shop|store|restaurant|caf[eé]|bakery|bar|studio|"
        r"gallery|clinic|practice|business|office|salon|brewery|winery|bookshop|bookstore)\b|"
        r"\b(?:my|our)\s+(?:[\w'’-]+\s+){0,3}?(?:is|are)\s+now\s+live\b|"
        r"\b(?:ep|episode)\s+1\s+is\s+(?:live|out)\b|"
        r"\b(?:we|i)(?:'ve|\s+have)?\s+(?:just\s+|finally\s+|officially\s+)?opened\s+(?:our|my)\s+(?:own\s+|new\s+|"
        r"first\s+|little\s+)*(?:shop|store|restaurant|caf[eé]|bakery|bar|studio|gallery|clinic|practice|office|"
        r"business)\b|\b(?:my|our)\s+(?:\w+\s+)?(?:restaurant|shop|store|caf[eé]|bakery|bar|studio|gallery|"
        r"business)(?:['’]s)?\s+(?:grand\s+|soft\s+)?opening\b|\b(?:our|my)\s+(?:grand|soft)\s+opening\b"), None, None),
    # "we're live!" is a launch, not a stream
    ("launch", _words(r"\bwe'?re\s+(?:officially\s+|finally\s+)?live\b|\bjust\s+went\s+live\b"),
     None, _words(r"\b(?:youtube|twitch|stream\w*|instagram|tiktok|on\s+air|radio|podcast\s+recording|come\s+hang|"
                  r"chat|q\s*&\s*a|ama|webinar)\b")),
    ("birthday", _words(
        r"\bhappy\s+(?:birthday|bday|b-day)\s+to\s+me\b|\bmy\s+(?:\d+\w*\s+)?(?:birthday|bday|b-day|birfday)\b"
        r"(?!\s+(?:is|falls)\s+(?:on|in)\b)|"  # "my birthday is on christmas": when, not news
        r"\b(?:it'?s|today\s+is)\s+my\s+(?:birthday|bday|b-day)\b|"
        # "Turning 40 this weekend", "i'm turning 30": theirs ("harrison ford turning 83" is his; not "turning
        # twenty pages")
        r"(?:^\W*|\b(?:i'?m|i\s+am|am|we'?re|finally|officially|today|tomorrow|just|and|so|also)\s+)turning\s+"
        + _DIGITS_AGE + r"\b(?!\s+(?!years?\b|this\b)[a-z]+s\b)|"
        r"\bcelebrating\s+\d{2}\b(?!\s+(?:years|yrs|months))|\banother\s+trip\s+around\s+the\s+sun\b|"
        r"(?:^\W*|\b(?:i|i'?ve|just|finally|officially)\s+)turned\s+" + _DIGITS_AGE + r"\b|"
        r"\bturned\s+\d{2}\s+today\b|\bmy\s+\d{2}(?:st|nd|rd|th)\s+birthday\b|"
        r"\b(?:it'?s|today\s+is)\s+my\s+\d{2}(?:st|nd|rd|th)\s+(?:today\b|!|birthday\b)|"
        r"\b(?:birthday|bday|b-day)\s+(?:week|month|girl|boy|vibes|dinner|cake|szn|weekend|trip)\b|"
        r"\b(?:thanks|thank\s+you|thx|ty)\b[^.!?]{0,40}\b(?:birthday|bday|b-day)\s+(?:wishes|love|messages|texts|"
        r"calls|posts)\b|"
        r"\b(?:i'?m|i\s+am)\s+" + _DIGITS_AGE + r"\s+today\b|\btoday\s+i'?m\s+" + _DIGITS_AGE + r"\b|"
        r"^\W*" + _DIGITS_AGE + r"\s+today\b|"
        r"\b(?:today\s+i|i)\s+turn\s+" + _DIGITS_AGE + r"\b(?!\s+(?:in|next|when|soon))|"  # "Today I turn 34"
        r"\b(?:officially|finally)\s+" + _DIGITS_AGE + r"(?=\s*(?:[.!🎂🎉🥳]|$|today\b|and\b|,))|"
        r"\bcumplo\s+\d{2}\b|\bmon\s+anniversaire\b|"
        r"\bmein\s+geburtstag\b|\bmi\s+cumplea[ñn]os\b|\bmeu\s+anivers[áa]rio\b"), None, None),
    ("wedding", _words(
        r"\b(?:we|i)\s+(?:just\s+|finally\s+|officially\s+)?(?:got\s+married|eloped|got\s+hitched|"
        r"tied\s+the\s+knot|said\s+(?:i\s+do|our\s+vows)|exchanged\s+(?:our\s+)?vows)\b|"
        r"^\W*(?:just\s+|finally\s+|officially\s+)?(?:eloped|hitched|tied\s+the\s+knot)\b|"
        r"^\W*getting\s+married\s+(?:next|this|in|on|tomorrow|today)\b|"
        r"\bour\s+wedding\b|\bmy\s+wedding\b|\bmarried\s+my\s+best\b|\bmarried\s+the\s+love\s+of\s+my\s+life\b|"
        r"\b(?:we'?re|i'?m)\s+(?:finally\s+|officially\s+)?getting\s+married\b|\bjust\s+married\b|"
        r"\b(?:i'?m|we'?re|i\s+am|we\s+are)\s+(?:officially\s+|finally\s+)?married\b(?=\s*(?:[!💍🤍❤️💒]|now|$))|"
        r"^\W*(?:just\s+|finally\s+|officially\s+)?got\s+married\b|"
        r"\bmr\.?\s+(?:&|and)\s+mrs\.?\b|\bnewly-?weds?\b|\bnewlywed\b|\b(?:our|my)\s+honeymoon\b|"
        r"\bhoneymoon(?:ing)?\s+(?:in|on|at|mode|vibes|bound|day)\b|^\W*honeymoon\b(?!\s+phase)|"
        r"\b(?:husband|wife|hubby|wifey)\b[^.!?]{0,24}\bfirst\s+time\s+(?:saying|typing|writing|calling)\b|"
        r"\bfirst\s+time\s+(?:saying|typing|writing|calling\s+(?:him|her|them))\s+(?:my\s+)?(?:husband|wife|"
        r"hubby|wifey|spouse)\b|"
        r"\b(?:nos\s+casamos|nos\s+cas[áa]mos|wir\s+haben\s+geheiratet|on\s+s['’]est\s+mari[ée]s|"
        r"nous\s+nous\s+sommes\s+mari[ée]s|ci\s+siamo\s+sposati)\b"), None, None),
    ("engagement", _words(
        r"\b(?:we(?:'re|\s+are)|i'?m|i\s+am|just\s+got|we\s+got|i\s+got|finally|officially)\s+engaged\b"
        r"(?!\s+(?:in|with|by|to\s+(?:the|a|an|this|that)|on)\b)|^\W*(?:just\s+)?engaged\s*!|"
        # a ring says it is news even of "engaged in santorini" ("engaged in a long argument" is busy)
        r"\bengaged\b(?!\s+(?:with|by|in\s+(?:a|an|the|some|this|that|my|our|his|her|their))\b)[^.!?]*💍|"
        r"💍[^.!?]*\bengaged\b|\b(?:she|he)\s+said\s+yes\b|"
        r"\bi\s+said\s+yes\b(?=\s*(?:$|[!.💍😭🥹❤️💕]|to\s+(?:the\s+dress|forever|him|her)))|"
        r"\basked\s+(?:her|him|them|my\s+(?:girlfriend|boyfriend|partner|gf|bf))\s+to\s+marry\s+me\b|"
        r"\b(?:i|we)\s+(?:just\s+|finally\s+)?(?:proposed|popped\s+the\s+question)\b|"
        r"\b(?:he|she)\s+(?:proposed|popped\s+the\s+question|put\s+a\s+ring\s+on\s+it)\b|"
        r"#(?:engaged|shesaidyes|hesaidyes|isaidyes)\b|"
        r"\b(?:nos\s+comprometimos|nos\s+prometimos|on\s+s['’]est\s+fianc[ée]s|nous\s+sommes\s+fianc[ée]s|"
        r"wir\s+haben\s+uns\s+verlobt|ficamos\s+noivos|ci\s+siamo\s+fidanzati)\b"), None, None),
    ("graduation", _words(
        r"(?:^\W*|\b(?:i|we|i'?ve|finally|officially|just)\s+)(?:just\s+|officially\s+|finally\s+)?"
        r"graduated\b(?!\s*[.…]+\s*to\b)(?!\s+from\s+(?!(?:the\s+)?(?:university|college|uni|school|high\s+school|"
        r"grad\s+school|law\s+school|med(?:ical)?\s+school|bootcamp|(?-i:[A-Z])))\w+)(?!\s+to\b)|"
        r"\b(?:i'?m|we'?re|i\s+am|we\s+are)\s+(?:officially\s+|finally\s+)?graduating\b(?!\s*[.…]+\s*to\b)"
        r"(?!\s+to\b)|"
        r"\b(?:passed|aced|survived)\s+my\s+(?:phd\s+|doctoral\s+|thesis\s+|dissertation\s+|master'?s\s+)?"
        r"(?:viva|defen[cs]e)\b|\bdefended\s+my\s+(?:phd|thesis|dissertation|doctorate)\b|"
        r"\bdr\.?\s+(?-i:[A-Z])\w+\s+now\b|\bcall\s+me\s+dr\b|\bit['’]?s\s+dr\.?\s+now\b|"
        r"\bofficially\s+(?:a\s+)?dr\.?(?:\s|$)|\b(?:i'?m|i\s+am)\s+(?:now\s+|officially\s+)+(?:a\s+)?doctor\b|"
        r"\bclass\s+of\s+(?:20)?\d\d\b(?=\s*(?:[!🎓]|we\s+did\s+it|baby|,?\s*we\b|$))|"
        r"\b(?:got|earned|finished|completed|received|have|finally\s+have)\s+my\s+(?:master'?s|bachelor'?s|phd|"
        r"ph\.d\.?|doctorate|degree|mba|diploma|msc|bsc|llm|jd)(?:\s+degree)?\b|"
        r"\bwalk(?:ing|ed)?\s+(?:across\s+)?(?:the|that)\s+stage\b|"
        r"\b(?:convocation|commencement|graduation)\s+day\b|"
        r"\b(?:mba|phd|masters?|master'?s|degree|bachelor'?s)\s+(?:done|complete|completed|finished)\b|"
        r"\bi'?m\s+(?:officially\s+)?a\s+(?:college\s+|university\s+)?graduate\b|"
        r"\bofficially\s+(?:a\s+)?(?:college\s+|university\s+|uni\s+|law\s+school\s+|\w+\s+)?grad(?:uate)?\b|#classof(?:20)?\d\d\b|"
        r"\b(?:me\s+gradu[ée]|me\s+recib[íi]|je\s+suis\s+diplôm[ée]e?|me\s+formei|"
        r"ich\s+habe\s+meinen\s+abschluss|mi\s+sono\s+laureat[oa])\b"), None, None),
    ("retirement", _words(
        r"\b(?:i'?m|i\s+am|i\s+have|i'?ve|i|we'?re|we\s+have|we)\s+(?:officially\s+|finally\s+|now\s+)*"
        r"retir(?:ed|ing)\b(?!\s+(?:this|that|my|the|these|those|it|from\s+(?:twitter|x|social|posting)|"
        r"for\s+the\s+night|from\s+(?:competitive|professional\s+\w+ing)\b))|"
        r"^\W*(?:officially\s+|finally\s+|just\s+)?retired\s*(?:[!.🎉]|$|(?:from|after|today|this|yesterday|"
        r"last|at)\b)|\b(?:officially|finally|just)\s+retired\b(?!\s+from\s+competitive)|"
        r"\bmy\s+retirement\b|\bretirement\s+(?:starts|begins|life|mode|era|day\s+\d+)\b|"
        r"\btoday\s+i\s+retire\b|"
        r"\b(?:first|1st)\s+(?:\w+\s+)?(?:day|week|month|monday|morning|year|summer)\s+of\s+(?:my\s+)?"
        r"retirement\b|\b(?:day|week|month)\s+(?:\d+|one|two|three)\s+of\s+(?:my\s+)?retirement\b|"
        r"\bhung\s+up\s+(?:my|the)\s+(?:boots|uniform|badge|stethoscope|apron|gloves|cleats|whistle|briefcase)\b|"
        r"\b(?:me\s+jubil[ée]|je\s+suis\s+(?:à\s+la\s+)?retrait[ée]e?|ich\s+bin\s+(?:jetzt\s+)?in\s+rente|"
        r"im\s+ruhestand|me\s+aposentei|sono\s+in\s+pensione)\b"), None, None),
]
# "born" alone says a birth only beside the rest of a birth announcement: a time, a weight, a baby.
_BIRTH = _lowercase(r"\bborn\s+(?:at|on)\s+\d|\bborn\s+(?:this|last|yesterday|today|early)\b|"
                    r"\b\d{1,2}\s*(?:lbs?|oz|kg)\b|"
                    r"👶|🍼|\b(?:baby|newborn|son|daughter|mom\s+and\s+baby|mum\s+and\s+baby)\b")
_NEEDS_BIRTH = _words(r"born$|(?:she|he|they)\W")
# Leaving a job is news when the post says what comes next.
_LAST_DAY = _words(r"\b(?:my|today\s+(?:was|is))\s+(?:my\s+)?last\s+day\b|\blast\s+day\s+(?:at|with|as)\s+\S+|"
                   r"\blast\s+day\s+of\s+(?:work|my\s+job|my\s+career)\b")
_NEXT = _lowercase(r"\bnext\s+(?:chapter|adventure|step|thing)\b|\bnew\s+(?:chapter|adventure|role|job)\b|"
               r"\bwhat'?s\s+next\b|\bstart(?:s|ing)\s+(?:monday|tomorrow|next|at|my|a\s+new)\b|\bjoining\b")
# A clause ends at a comma, a semicolon, a dash or a conjunction: the guards read the announcement's own.
_CLAUSE = re.compile(r"[,;:()\[\]\U0001F000-\U0001FFFF\u2600-\u27BF]|\s[-–—]\s|"
                     r"\b(?:and|but|so|because|though|although|while|then)\b", re.I)
# Wishes, plans and hypotheticals, before the announcement or in its clause ("a new job would be nice").
_NOT_YET = _lowercase(r"\b(?:if|unless|whether|wish(?:ing)?|hope|hoping|hopefully|someday|one\s+day|"
                  r"dream(?:ing|s|t|ed)?\s+(?:of|about|that|i|we)|i\s+dream|had\s+a\s+dream|"
                  r"imagine|imagining|pretend\w*|would|could|should|might|maybe|wanna|want\s+to|wants\s+to|"
                  r"can'?t\s+wait\s+to|planning\s+(?:to|on)|plan\s+to|thinking\s+(?:of|about)|considering|"
                  r"looking\s+for|searching\s+for|waiting\s+for|fingers\s+crossed|manifesting|praying|"
                  r"interview\w*|applying|applied|application|hiring|when\s+(?:i|we|you)|in\s+\d+\s+years|"
                  r"in\s+(?:a|the)\s+future)\b")
_NEGATED = _lowercase(r"\b(?:not|never|no|nope|didn'?t|don'?t|won'?t|isn'?t|aren'?t|wasn'?t|ain'?t|nobody|no\s+one|"
                  r"without|instead\s+of|rather\s+than|fake|joke|joking|kidding|jk|almost|nearly)\b|n['’]t\b")
_KIN = (r"(?:wife|husband|partner|spouse|fianc[ée]e?|boyfriend|girlfriend|bf|gf|bestie|best\s+friend|bff|friend|"
        r"friends|buddy|pal|coworker|co-worker|colleague|teammate|boss|manager|ceo|cto|founder|intern|roommate|"
        r"flatmate|housemate|neighbou?rs?|son|daughter|kid|kids|child|children|toddler|mom|mum|mother|dad|father|"
        r"parents|brother|sister|sibling|siblings|cousin|aunt|uncle|niece|nephew|grandma|grandpa|grandmother|"
        r"grandfather|nan|gran|in-laws?|sister-in-law|brother-in-law|dog|cat|pup|puppy|kitten|student|students|"
        r"teacher|client|mentor|ex)")
# Someone else's news: their pronoun, their relation to the author, their handle or name as the subject.
_SOMEONE_ELSE = _lowercase(r"\b(?:he|she|they|his|her|their|him|them|hers|theirs)\b|@\w+\s+(?:just\s+|finally\s+)?"
                       r"(?:got|is|has|had|was|welcomed|launched|shipped|turns|turned)\b|"
                       rf"\b(?:my|our|your|the|a|his|her|their)\s+(?:\w+\s+)?{_KIN}\b|\b{_KIN}['’]s?\b")
_THINGS = (r"(?:company|startup|business|shop|store|blog|channel|account|podcast|newsletter|app|website|site|team|"
           r"house|car)")
_KIN_SUBJECT = _lowercase(rf"\b(?:my|our|your|the|a|his|her|their)\s+(?:\w+\s+)?{_KIN}\b|\b{_KIN}['’]s?\b|"
                      r"@\w+\s+(?:just\s+|finally\s+)?(?:got|is|has|had|was|welcomed)\b")
_TEAM_SUBJECT = _SOMEONE_ELSE
_SOMEONE_ELSE = _lowercase(_SOMEONE_ELSE.pattern + rf"|\b(?:my|our|your|the|a|his|her|their)\s+(?:\w+\s+)?{_THINGS}\b")
_KINS_OWN = _lowercase(rf"\b{_KIN}['’]s\b")
_RETIRING = _lowercase(r"\bretir(?:ed|ing|ement)\b")
_ASKS = _lowercase(r"^\W*(?:should|shall|would|could|can|will|do|does|did|is|are|am|was|were|have|has|when|where|who|"
               r"what|why|how|which|anyone|any\s+tips|thoughts\s+on)\b")
_SUSPENSE = re.compile(r"\s*(?:\.{2,}|…)")
_NAMED_SUBJECT = re.compile(r"\b([A-Z][a-z]+)\s+(?:just\s+|finally\s+)?(?:got|is|has|had|was)\b")
_NOT_SUBJECTS = {"finally", "just", "today", "tonight", "yesterday", "so", "we", "i", "it", "this", "that", "and",
                 "but", "also", "officially", "then", "now", "oh", "well", "after", "guess", "who", "what", "omg"}
# Post-wide: congratulations, wishes to others, retweets, looking back.
_OTHERS_NEWS = _lowercase(r"\bcongrat\w*|\bcongrats\b|\bmazel\s+tov\b|\bbreaking\b|"
                      r"\bso\s+(?:happy|proud)\s+(?:for|of)\s+(?!myself|me\b|us\b|ourselves)|"
                      r"\bproud\s+of\s+(?:my|our|him|her|them|you)\b|\bhappy\s+for\s+(?:you|them|him|her|my)\b|"
                      r"\bhappy\s+(?:birthday|bday|b-day|retirement|launch\s+day|anniversary|wedding\s+day|"
                      r"graduation)\s+(?!to\s+me\b)(?:to\s+|@|my|our|the|you|dear|mom|mum|dad)|^\s*rt\b|"
                      r"\b(?:i'?m|i\s+am)\s+(?:an?\s+)?(?:aunt|auntie|uncle|grandma|grandpa|godmother|godfather|"
                      r"big\s+(?:sister|brother))\b|\bthrowback\b|\btbt\b|\b\d+\s+(?:years?|months?)\s+ago\b|"
                      r"\bback\s+when\b|\bremember\s+when\b|\banniversary\b|\bon\s+this\s+day\b|"
                      r"\bthis\s+time\s+last\s+year\b")


# Words without which an event's pattern cannot match (in the lowercased post): most posts have none of them,
# and a substring test costs far less than the patterns do.
_GATES: tuple[tuple[str, ...], ...] = (
    ("job", "role", "gig", "position", "start", "offer", "promot", "hired", "first day", "1st day", "first week",
     "1st week", "first month", "1st month", "day one", "day 1", "week one", "week 1", "day two", "week two",
     "new company", "new employer", "new team", "new boss", "new manager", "new colleagues", "new coworkers", " to ",
     "join", "now a", "now the", "officially a", "title", "stelle", "arbeitsplatz", "arbeitstag", "trabajo", "empleo",
     "puesto", "poste", "travail", "boulot", "emploi", "emprego", "lavoro", "celebrat", "toast", "accepted"),
    ("join", "start", "signed with"),
    ("after",),
    ("moved", "relocat"),
    ("moved", "relocat", "moving", "housewarming", "keys", "closed on", "escrow", "closing day", "home", "house",
     "flat", "condo", "apartment", "neighbo", "boxes", "new city", "引っ越し", "resident", "mud", "déménag",
     "demenag", "emménag", "emmenag", "umgezogen", "ziehen nach", "trasferit"),
    ("welcom", "born", "boy", "girl", "son", "daughter", "baby", "twins", "here", "became", "dad", "mom", "mum",
     "father", "mother", "parent", "mama", "daddy", "expecting", "pregnant", "had a", "had our", "leave", "newborn",
     "lbs", "pound", "nacid", "nació", "nacio", "née", "est n", "nasceu", "tochter", "sohn", "è nat", "e nat"),
    ("launch", "shipped", "released", "published", "open-source", "open source", "opensource", "opened", "opening",
     "unveil", "announc", "product hunt", "producthunt", "out", "live", "available", "store", "steam",
     "kickstarter", "amazon", "shelves", "shops", "drop", "ships", " hn"),
    ("live",),
    ("birthday", "bday", "b-day", "birfday", "turning", "turned", "celebrating", "trip around", "today",
     "officially", "finally", "cumplo", "anniversaire", "geburtstag", "cumplea", "anivers"),
    ("married", "wedding", "eloped", "hitched", "knot", "i do", "vows", "mr", "newly", "honeymoon", "husband",
     "wife", "hubby", "spouse", "casamos", "casámos", "geheiratet", "mari", "sposati"),
    ("engaged", "said yes", "marry me", "proposed", "popped the question", "ring on it", "saidyes",
     "comprometimos", "prometimos", "fianc", "verlobt", "noivos", "fidanzati"),
    ("graduat", "viva", "defen", "dr", "doctor", "class of", "master", "bachelor", "phd", "ph.d", "degree", "mba",
     "diploma", "msc", "bsc", "llm", "jd", "stage", "convocation", "commencement", "grad", "classof", "gradu",
     "recib", "diplôm", "diplom", "formei", "abschluss", "laureat"),
    ("retir", "hung up", "jubil", "retrait", "rente", "ruhestand", "aposent", "pensione"),
)


_GATE_RES = [re.compile("|".join(re.escape(w) for w in gate)) for gate in _GATES]


def events(sentences: list[str], post: str, add: Callable[[str, str], None]) -> None:
    """The author's life news in a post's sentences: add(label, words) for each."""
    low = post.lower()
    open_events = [event for event, gate in zip(_EVENTS, _GATE_RES, strict=True) if gate.search(low)]
    last_days = "last day" in low
    if not (open_events or last_days) or _OTHERS_NEWS.search(low):
        return
    births = bool(_BIRTH.search(low))  # once a post, not once a match
    for sentence in sentences:
        if _ASKS.match(sentence.lower()):
            continue
        for label, pattern, need, veto in open_events:
            if (need is not None and not need.search(post)) or (veto is not None and veto.search(post)):
                continue
            for match in pattern.finditer(sentence):
                if label == "new baby" and _NEEDS_BIRTH.match(match.group(0)) and not births:
                    continue
                place = match.groupdict().get("place")
                if place and places.resolve(place) is None:
                    continue
                if _quoted(sentence, match.start()):
                    continue  # "the 'moved to a new city and found myself' genre of tweet": words quoted, not news
                if _theirs(sentence, match.start(), match.end(), label):
                    add(label, match.group(0))
                    break
        last_day = _LAST_DAY.search(sentence) if last_days else None
        if last_day and _theirs(sentence, *last_day.span()):
            if _RETIRING.search(low):
                add("retirement", last_day.group(0))
            elif _NEXT.search(low):
                add("new job", last_day.group(0))


_QUOTE = re.compile(r"(?<![\w])['‘\"“]([^'’\"”\n]{3,120})['’\"”](?![\w])")


def _quoted(sentence: str, at: int) -> bool:
    return any(m.start(1) <= at < m.end(1) for m in _QUOTE.finditer(sentence))


def _theirs(sentence: str, start: int, end: int, label: str = "") -> bool:
    """Whether the announcement at sentence[start:end] is the author's own, said as done or certain."""
    before = sentence[:start].lower()
    clause_before = _CLAUSE.split(before)[-1]
    clause_after = _CLAUSE.split(sentence[end:].lower(), maxsplit=1)[0]
    if "?" in clause_after or _SUSPENSE.match(sentence, end):  # "should I take the job offer?", "I'm graduating..."
        return False
    if _NOT_YET.search(before) or _NOT_YET.search(clause_after) or _NEGATED.search(clause_before):
        return False
    # A baby's news is told with "she" and "he"; a launch is "our team"'s.
    others = _KIN_SUBJECT if label == "new baby" else _TEAM_SUBJECT if label == "launch" else _SOMEONE_ELSE
    if others.search(clause_before) or _KINS_OWN.search(sentence, start, end):
        return False  # "launched my kid's paper rocket": the kid's
    named = _NAMED_SUBJECT.search(_CLAUSE.split(sentence[:start])[-1])  # "Tom turned 40": Tom's
    return not (named and named.group(1).lower() not in _NOT_SUBJECTS)
