"""Reading the phrases around an attribution verb: to whom, when, how, and what follows.

Mentions (a source as named at one place), outlets ("told The Associated
Press", "the news agency"), adjuncts to skip ("on Friday", "in a statement",
"on condition of anonymity"), how the content is introduced (that, a colon, a
quotation), and coordinated speakers ("a defense official and a military officer").
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ledger.suggest import lexicon as lx

WORD_RE = re.compile(r"[\w’'.&/-]+")


@dataclass
class Mention:
    """A source as the article names it at one place (offsets local to the sentence)."""

    text: str
    start: int
    end: int
    notes: list[str] = field(default_factory=list)
    pseudonym: str | None = None
    unspecified: bool = False
    name: str | None = None  # printed beside the description: "A picker who gave ..., Dana"

    def with_notes(self, notes: list[str]) -> Mention:
        self.notes.extend(note for note in notes if note)
        return self


def strip_span(text: str, lo: int, hi: int, chars: str = " \t\n,;:–—-") -> tuple[int, int]:
    while lo < hi and text[lo] in chars:
        lo += 1
    while hi > lo and text[hi - 1] in chars:
        hi -= 1
    return lo, hi


def tokens_in(text: str, lo: int, hi: int) -> list[re.Match[str]]:
    return list(WORD_RE.finditer(text, lo, hi))


def match_outlet(text: str, at: int) -> tuple[str, int] | None:
    """The known outlet whose name starts at `at`: (key, end offset), longest alias first."""
    best: tuple[str, int] | None = None
    for key, _label, _type, aliases in lx.OUTLETS:
        for alias in aliases:
            end = at + len(alias)
            fits = text.startswith(alias, at) and not text[end : end + 1].isalnum()
            if fits and (best is None or end > best[1]):
                best = (key, end)
    return best


_GENERIC_OUTLET_RE = re.compile(
    r"(?:the|a|an|its|his|her)\s+(?:[\w’'-]+\s+){0,3}?"
    r"(?:news agency|wire service|newspaper|paper|daily|tabloid|magazine|broadcaster|"
    r"channel|network|agency|journal|television station|radio station|TV station)\b"
    r"|(?:state|local|official|foreign|national)\s+(?:media|television|TV|radio|news agency)\b",
)


def outlet_at(text: str, at: int) -> int | None:
    """End offset of an outlet's name or description starting at `at`, else None."""
    known = match_outlet(text, at)
    if known:
        return known[1]
    match = _GENERIC_OUTLET_RE.match(text, at)
    return match.end() if match else None


def find_outlet(text: str) -> tuple[int, int] | None:
    """The first outlet named inside a phrase ("who spoke to The Associated Press")."""
    for match in re.finditer(r"(?:\bto|\bwith|\btold)\s+", text):
        end = outlet_at(text, match.end())
        if end is not None:
            return match.end(), end
    return None


_ADJUNCTS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\s*,?\s*(?:late |early |later |earlier )?(?:on |in )?(?:this |last |next )?(?:the )?{lx.WHEN}\b(?:\s+\d{{1,2}}\b)?(?:,?\s*\d{{4}})?",
        r"\s+(?:separately|also|previously|again|then|too|repeatedly|recently|publicly|privately|"
        r"shortly|further|instead|earlier|later|late|yesterday|today|tonight|openly|bluntly|"
        r"flatly|firmly|simply|only|now|once|last|first)\b",
        r"\s+in\s+(?:a|an|his|her|their|its|the)\s+(?:[\w-]+\s+){0,2}?(?:statement|interview|"
        r"email|e-mail|tweet|post|letter|video|message|release|briefing|speech|filing|note|"
        r"call|conversation|broadcast|podcast|op-ed|memo|text|remarks|comments|reply|response|"
        r"answer|submission|note)s?\b",
        r"\s+(?:at|during)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:conference|briefing|hearing|"
        r"meeting|event|rally|summit|session|forum|ceremony)\b",
        r"\s+(?:on|via|over|in)\s+(?:its|his|her|their|the|an?)\s+(?:official\s+)?(?:twitter|"
        r"facebook|instagram|telegram|x|website|web\s*site|blog)(?:\s+(?:feed|account|page|channel"
        r"|post))?\b",
        r"\s+(?:on|via|over)\s+(?:twitter|x|facebook|instagram|telegram|social media|the phone|"
        r"the telephone|state television|television|tv|radio)\b",
        r"\s+(?:by|over the)\s+(?:phone|telephone|email|e-mail|text message)\b",
        r"\s+(?:via|over|on|by)\s+(?:a\s+|an\s+)?(?:skype|zoom|whatsapp|signal|messaging\s+app|"
        r"video\s+(?:link|call)|phone\s+call|satellite\s+phone)\b",
        r"\s+from\s+(?:[A-Z][\w’'-]*\s?)+",
        r"\s*,?\s+(?:speaking\s+)?(?:only\s+)?on\s+(?:the\s+)?condition\s+(?:of|that)\s+[^,.;]*?"
        r"(?:anonymity|named|identified)\b"
        r"(?:\s+(?:because|since|as|to\s+(?:discuss|describe|talk|speak|share))\b[^,.;]*)?",
    )
]
_MEDIUM_OUTLET_RE = re.compile(r"\s+(?:with|to|on|for)\s+")


@dataclass
class AfterVerb:
    """What follows an attribution verb, up to its content."""

    end: int
    mode: str  # "that", "colon", "citing", "end" (content is before the verb) or "bare"
    via: Mention | None = None
    notes: list[str] = field(default_factory=list)


def skip_adjuncts(text: str, pos: int) -> tuple[int, list[str], Mention | None]:
    """Skip time, manner and medium phrases; collect anonymity terms and an interviewing outlet."""
    notes: list[str] = []
    via = None
    progressed = True
    while progressed:
        progressed = False
        for pattern in _ADJUNCTS:
            match = pattern.match(text, pos)
            if match and match.end() > pos:
                if "condition" in match.group(0).lower():
                    notes.append(match.group(0).strip(" ,"))
                pos = match.end()
                link = _MEDIUM_OUTLET_RE.match(text, pos)
                if link and (end := outlet_at(text, link.end())) is not None:
                    via = Mention(text[link.end() : end], link.end(), end)
                    pos = end
                progressed = True
                break
    return pos, notes, via


def after_verb(text: str, pos: int, verb: str, limit: int) -> AfterVerb:
    """Parse the object (for "told"), adjuncts, and how the content is introduced."""
    via = None
    if verb in lx.TELL_VERBS:
        space = re.match(r"\s+", text[pos:limit])
        at = pos + (space.end() if space else 0)
        end = outlet_at(text, at)
        if end is not None:
            via = Mention(text[at:end], at, end)
            service = _SERVICE_RE.match(text, end)
            pos = service.end() if service else end  # "told VOA Somali", "told VOA's Hausa service"
            named = re.match(r",\s+((?:the\s+)?(?:[A-Z][\w’'.&-]*\s?){1,5}),", text[pos:limit])
            if named:  # "told a regional newspaper, the Nordblatt, that": the name is the outlet
                start = pos + named.start(1)
                via = Mention(named.group(1).strip(), start, start + len(named.group(1).strip()))
                pos += named.end()
        elif audience := lx.AUDIENCES.match(text, at):
            pos = audience.end()
        elif pronoun := re.match(r"(?:him|her|them|me|us|you)\b", text[at:limit]):
            pos = at + pronoun.end()  # "told him the weather was fine"
        elif (
            obj := re.match(  # "told Jane Roe", "told ESPN's NFL Insider Adam Schefter"
                r"(the\s+)?(?:[A-Z][\w’'.!&-]*\s?){1,6}(?=\s+(?:that|on|in|at|last|earlier|later|this|"
                r"via|over|by|yesterday|today)\b|[,.:;]|$)",
                text[at:],
            )
        ):
            pos = at + obj.end()
            if obj.group(1):  # "told the Daily Beast": an institution, so a link in the chain
                end = at + len(obj.group(0).rstrip(" .,:;"))
                via = Mention(text[at:end], at, end)
    elif verb in lx.OBJECT_VERBS and (
        addressed := re.match(r"\s+(?:[\w’'.-]+\s+){1,8}?(?=that\b)", text[pos:limit])
    ):
        pos += addressed.end()  # "assured City Council members Wednesday that C"
    pos, notes, medium = skip_adjuncts(text, pos)
    via = via or medium
    aside = re.match(rf"\s*,\s*{lx.ASIDES},(?=\s*that\b)", text[pos:limit])
    if aside:
        pos += aside.end()  # "cautioned, however, that C"
    elif aside := re.match(
        rf"\s*,\s*(?:{lx.ASIDES}|for\s+now|so\s+far),(?=\s+[\w“\"])", text[pos:limit]
    ):
        return AfterVerb(
            pos + aside.end(), "bare", via, notes
        )  # "say, for now, there are no threats"
    circumstance = _CIRCUMSTANCE_RE.match(text, pos, limit)
    if circumstance:  # "admitted in a guilty plea in November 2005 that C"
        via = via or _outlet_within(text, pos, circumstance.end())  # "in a BuzzFeed News report"
        return AfterVerb(circumstance.end(), "that", via, notes)
    rest = text[pos:limit]
    if re.match(r"\s*that\s*(?:[.,;]|$|\s+(?:on|in|at|last|this|yesterday|today|again)\b)", rest):
        return AfterVerb(
            pos, "bare", via, notes
        )  # "repeated that on Tuesday": a pronoun, no clause
    if re.match(r"\s*that\s+(?:is|was|were|are|would|will|had|has|could|might|should)\b", rest):
        return AfterVerb(pos, "clause", via, notes)  # "said that was wrong": "that" is the subject
    if re.match(r"\s*,?\s*that\b", rest):
        return AfterVerb(pos + re.match(r"\s*,?\s*that\b", rest).end(), "that", via, notes)  # type: ignore[union-attr]
    if re.match(r"\s*:", rest):
        return AfterVerb(pos + rest.index(":") + 1, "colon", via, notes)
    announced = re.match(  # "tweeted his reaction: “...”", "tweeted the response “required ...”"
        r"\s+(?:his|her|its|their|this|the\s+following|the)\s+(?:[\w-]+\s+)?(?:reaction|response|"
        r"view|verdict|message|account|explanation|answer|assessment)\s*(?::|(?=[“\"]\w))",
        rest,
    )
    if announced:
        return AfterVerb(pos + announced.end(), "colon", via, notes)
    if re.match(r"\s*,?\s*citing\b", rest):
        return AfterVerb(pos + re.match(r"\s*,?\s*", rest).end(), "citing", via, notes)  # type: ignore[union-attr]
    quoted = re.match(r"\s*,?\s*(?=[“\"]\w)", rest)
    if quoted:  # 'X said, "..."': the quotation follows
        return AfterVerb(pos + quoted.end(), "colon", via, notes)
    if not rest.strip() or re.match(r"\s*[,.;!?)\]”\"]", rest) or _ADJUNCT_START.match(rest):
        return AfterVerb(pos, "end", via, notes)
    if re.match(r"\s*(?:he|she|they|we|I)(?:\s|[’'](?:d|ll|re|s|ve)\b)", rest):
        return AfterVerb(pos, "clause", via, notes)
    return AfterVerb(pos, "bare", via, notes)


def _outlet_within(text: str, lo: int, hi: int) -> Mention | None:
    """The first known outlet named in text[lo:hi], at the start of a word."""
    for word in re.finditer(r"\b\w", text[lo:hi]):
        at = lo + word.start()
        found = match_outlet(text, at)
        if found is not None and found[1] <= hi:
            return Mention(text[at : found[1]], at, found[1])
    return None


# A language service or desk of an outlet: "VOA Somali", "VOA's Hausa service".
_SERVICE_RE = re.compile(
    r"(?:[’']s)?\s+[A-Z][a-z]+(?:\s+(?:service|Service|desk|section))?(?=\s*(?:[,.;:]|$|that\b))"
    r"|[’']s\s+[A-Z][a-z]+\s+(?:service|Service|desk|section)\b"
)
# Circumstances between a verb and its "that": "in a guilty plea in November 2005 that",
# "in a BuzzFeed News report published Sunday that" (no comma, quotation or clause between).
_CIRCUMSTANCE_RE = re.compile(
    r"\s+(?:in|on|at|during|after|before|from|to|with|via|through|under|over)\s+"
    r"[^,;:“”\"()]{1,80}?\s+that\b"
)

# What follows a verb and is not its content: "said after talks with ...", "told reporters en route".
_ADJUNCT_START = re.compile(
    r"\s*(?:after|before|during|following|en route|while|when|as|at(?!\s+(?:least|most)\b)|in|on|"
    r"from|with|without|"
    r"amid|despite|referring|responding|wearing|speaking|standing|adding\s+nothing)\b",
    re.IGNORECASE,
)


def noun_phrase_end(text: str, pos: int, limit: int) -> int:
    """End of a noun phrase that starts at `pos` (a cited source, an "according to" source)."""
    stop = re.compile(
        r"[,;:.!?](?=\s|$|[”\"])|\s(?:that|who|which|said|says|told|as|in reporting|to report|"
        r"adding|saying|and\s+(?:said|says|told|added|reported))\b|[“\"]?\s*$"
        r"|\sin\s+(?:a|an|its|his|her|their|the)\s+(?:[\w-]+\s+){0,2}?(?:statement|interview|"
        r"release|letter|post|tweet|briefing)s?\b"  # "by the ministry in a statement issued Tuesday"
    )
    at = pos
    while (
        (match := stop.search(text, at, limit))
        and match.group(0) == "."
        and abbreviation(text, match.start())
    ):
        at = match.end()  # "Mr. Cheney", "I. Lewis Libby": not the end of the phrase
    end = match.start() if match else limit
    end = strip_span(text, pos, end, " ")[1]
    tail = re.search(r"\s+(?:and|or|but)$", text[pos:end])
    return pos + tail.start() if tail else end


def abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", text[:dot])
    token = word.group(1).lower() if word else ""
    return (
        token in _ABBREVIATIONS
        or len(token) == 1
        or "." in token  # an initialism: "U.S.", "U.N.", "E.U."
    )


_ABBREVIATIONS = frozenset(
    lx.words(
        """mr mrs ms dr gen sen rep gov st lt col maj capt sgt adm brig cmdr insp supt det
    prof rev jr sr inc corp co ltd no vs"""
    )
)


_NAMES = r"[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}"
# "Both Kerr and Blake", "Kerr and Blake both": "both" says each name is a party of its own
_BOTH_RE = re.compile(rf"([Bb]oth\s+)?({_NAMES})\s+and\s+({_NAMES})(\s+both)?")


def split_coordination(mention: Mention) -> list[Mention]:
    """ "a defense official and a military officer" is two sources; "U.S. and NATO officials" one.

    Without determiners, "police and media reports" is two as well: each side
    ends in a noun that can speak, where "U.S. and NATO officials" has one head.
    """
    listed = re.split(r",\s+(?![^,]*\band\b[^,]*,)", mention.text)
    if len(listed) > 1 and re.search(r"\band\b", listed[-1]):  # "emails, minutes and ..."
        *first, last = listed
        at, parts = mention.start, []
        for part in first:
            parts.append(Mention(part, at, at + len(part), list(mention.notes)))
            at += len(part) + 2
        return parts + split_coordination(Mention(last, at, at + len(last), list(mention.notes)))
    interviews = re.search(r",?\s+and\s+(?:interviews|conversations|talks)\s+with\s+", mention.text)
    if interviews:  # "records and interviews with officers": the records, and the officers
        first = mention.text[: interviews.start()]
        rest = mention.text[interviews.end() :]
        start = mention.start + interviews.end()
        return [
            Mention(first, mention.start, mention.start + len(first), list(mention.notes)),
            Mention(rest, start, start + len(rest), list(mention.notes)),
        ]
    outlets = _outlets(mention)
    if outlets:
        return outlets
    both = _BOTH_RE.fullmatch(mention.text)
    if both and (both.group(1) or both.group(4)):  # "Miller and Smith both": two people
        return [
            Mention(
                both.group(i), mention.start + both.start(i), mention.start + both.end(i)
            ).with_notes(list(mention.notes))
            for i in (2, 3)
        ]
    parts = re.split(r",?\s+and\s+(?=(?:a|an|the|one|two|three|another|other)\s)", mention.text)
    determined = re.match(r"(?:a|an|the|one|two|three|this|that)\s", parts[0], re.IGNORECASE)
    if len(parts) == 2 and not determined and _speaking_head(parts[0]):
        determined = True  # "current and former officials and a document seen by the Times"
    if len(parts) < 2 or not determined:
        parts = re.split(r",?\s+and\s+", mention.text)
        if len(parts) > 2 and (joint := _joint_groups(mention)):
            return joint
        first = parts[0].split()[-1] if parts[0].split() else ""
        plural = first.endswith("s") or first == "police"  # not "military and police officials"
        # "a security official and residents": a determiner shows the first side is whole
        whole = plural or bool(determined and len(parts[0].split()) > 1)
        named = len(parts) == 2 and all(_described_name(part) for part in parts)
        if not named and (
            len(parts) != 2 or not whole or not all(_speaking_head(part) for part in parts)
        ):
            return [mention]
    if not all(
        any((plausible(w) and w.lower() not in lx.UNIT_WORDS) or w == "others" for w in p.split())
        for p in parts
    ):
        return [mention]  # "two current and two former officials" is one group
    found, at = [], mention.start
    for part in parts:
        start = mention.text.index(part, at - mention.start) + mention.start
        found.append(Mention(part, start, start + len(part), list(mention.notes)))
        at = start + len(part)
    return found


def _joint_groups(mention: Mention) -> list[Mention]:
    """ "five current and former employees and internal maintenance records": two sources,
    each whole, where one "and" joins modifiers inside a side ("current and former") and
    another the sources. The split is at the last "and" whose two sides each end in a noun
    that can speak and whose left side, split at its own "and"s, does not (nothing but
    "current" before "former employees")."""
    text = mention.text
    for joint in reversed(list(re.finditer(r",?\s+and\s+", text))):
        left, right = text[: joint.start()], text[joint.end() :]
        inner = re.split(r",?\s+and\s+", left)
        if len(inner) < 2 or any(_speaking_head(part) for part in inner[:-1]):
            continue
        if _speaking_head(left) and _speaking_head(right):
            start = mention.start + joint.end()
            return [
                Mention(left, mention.start, mention.start + len(left), list(mention.notes)),
                Mention(right, start, start + len(right), list(mention.notes)),
            ]
    return []


def _described_name(part: str) -> bool:
    """ "UK-based retailer Tesco": a name after words that describe it, one party of its own
    (where "Johnson and Johnson" or "Procter and Gamble" is one name)."""
    words = part.split()
    return (
        len(words) >= 2
        and words[-1][:1].isupper()
        and any(w[:1].islower() and w.lower() not in lx.STOP_WORDS for w in words[:-1])
    )


def _outlets(mention: Mention) -> list[Mention]:
    """ "The New York Times and CNN reported": two known outlets, one chain each."""
    parts = re.split(r",\s+(?:and\s+)?|\s+and\s+", mention.text)
    if len(parts) < 2:
        return []
    found, at = [], 0
    for part in parts:
        start = mention.text.index(part, at)
        known = match_outlet(part, 0)
        if known is None or known[1] != len(part):
            return []
        end = mention.start + start + len(part)
        found.append(Mention(part, mention.start + start, end, list(mention.notes)))
        at = start + len(part)
    return found


def _speaking_head(phrase: str) -> bool:
    """Does `phrase` end in a common noun that can be a source ("police", "media reports")?

    What follows the head is set aside first: "internal messages reviewed by Tech Ledger",
    "people involved in the decision", "officials who spoke to AP"."""
    phrase = re.split(
        r"\s+(?:who|which|that|seen|obtained|reviewed|examined|involved|familiar|close|briefed|"
        r"with|in|at|from|of)\s",
        phrase,
    )[0]
    words = phrase.split()
    if not words or not words[-1].islower():
        return False
    last = words[-1].rstrip(".")
    singular = lx.singular(last)
    return last == "others" or bool({last, singular} & lx.SPEAKER_HEADS)  # "X and others"


def plausible(word: str) -> bool:
    """Could this word be part of a speaker's name or description?"""
    lower = word.lower().rstrip(".")
    singular = lx.singular(lower)
    return (
        word[0].isupper()
        or lower in lx.UNIT_WORDS
        or lower in lx.PRONOUNS
        or lower in {"its", "his", "their", "our"}
        or bool({lower, singular} & lx.SPEAKER_HEADS)
    )
