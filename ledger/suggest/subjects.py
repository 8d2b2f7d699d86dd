"""Finding who speaks: the subject of an attribution verb, without a parser.

The speaker is the noun phrase right before the verb, after the last comma,
dash or quotation mark, minus appositives ("Michael Mulroy, a former Pentagon
official, told ...") and minus postmodifiers that start a clause ("a fighter
calling himself ...", "officials who spoke on condition of anonymity"); or,
in "“...,” said the minister", the phrase right after it. Relative pronouns
("its leader, who warned") stand for the phrase before them.
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re

from ledger.suggest import lexicon as lx
from ledger.suggest.anonymity import PSEUDONYM_RE
from ledger.suggest.keys import person_name
from ledger.suggest.persons import person_noun
from ledger.suggest.phrases import Mention, abbreviation, plausible, strip_span, tokens_in

# Participles that open what follows a head without changing who it is: "officials reached by
# phone". (How a source knows, "familiar with", "involved in", stays in its description.)
_POSTMODIFIERS = frozenset({"based", "reached", "contacted", "interviewed", "quoted"})


def _is_postmodifier(word: str, previous: str, following: str = "") -> bool:
    lower = word.lower()
    if word in lx.RELATIVE or lower in {"after", "before", "because", "when", "if", "since"}:
        return True
    if lower in _POSTMODIFIERS and previous.lower() not in lx.UNIT_WORDS:
        return True
    return (
        lower.endswith("ing")
        and word[0].islower()
        and previous.lower() not in lx.UNIT_WORDS
        and lower not in {"during", "ranking", "leading", "thing", "king", "spring", "morning"}
        and lx.singular(following) not in lx.SPEAKER_HEADS  # "the managing director"
        and previous.lower()
        not in {"in", "of", "for", "with", "about", "on"}  # "involved in arranging"
        # a noun after a possessive or determiner: "the board's thinking", "its planning"
        and not re.search(r"[’']s?$", previous)
        and previous.lower() not in {"the", "its", "their", "his", "her", "our", "this", "that"}
    )


_SUBORDINATORS = frozenset(
    {"after", "before", "because", "when", "since", "until", "once", "if", "although", "though"}
)


def _bare_noun_phrase(tokens: list[re.Match[str]]) -> bool:
    """Could these words be a subject on their own (no verb among them)?"""
    words = [t.group(0) for t in tokens]
    if not words or len(words) > 8:
        return False
    if any(w.lower() in lx.VERBISH or (w[0].islower() and w.endswith("ed")) for w in words):
        return False
    return any(plausible(w) for w in words)


_PREPOSITIONS = frozenset({"in", "of", "at", "for", "from", "with", "on", "to"})
# Words that open a free or relative clause in front of its subject: "what he says",
# "which the port said", "whatever officials claim". They are never part of a speaker.
_CLAUSE_OPENERS = frozenset({"what", "whatever", "which", "whichever", "how", "why", "where"})
_PERCEPTION = frozenset({"heard", "overheard", "saw", "watched", "hear", "see"})


def core_subject(text: str, lo: int, hi: int) -> Mention | None:
    """The speaker's noun phrase in text[lo:hi] (a clause chunk that ends at the verb)."""
    tokens = tokens_in(text, lo, hi)
    if not tokens:
        return None
    lowered = [t.group(0).lower() for t in tokens]
    if (opened := _clause_in_relative(tokens, lowered)) is not None:
        tokens, lowered = tokens[opened:], lowered[opened:]  # "a meeting at which X told"
    # "A city official who has seen the letters": the verbs of a relative clause are its own
    relative = next(  # lowercase only: "The WHO said" names the World Health Organization
        (
            i
            for i, t in enumerate(tokens)
            if i > 0 and t.group(0) in {"who", "whom", "whose", "which"}
        ),
        len(lowered),
    )
    start = 0
    for index, word in enumerate(lowered[:relative]):
        if (
            word in lx.VERBISH
            or (word in {"and", "but", "or"} and any(w in lx.VERBISH for w in lowered[:index]))
            or word in {"while", "but", "as", "although", "though", "whereas", "so", "meanwhile"}
            or (word in {"and", "or"} and index == start)
            or word in _PERCEPTION  # "she had heard the superintendent tell a meeting"
        ):
            start = index + 1
    for index in range(len(lowered) - 1, start, -1):
        if lowered[index - 1] in _SUBORDINATORS and _bare_noun_phrase(tokens[index:]):
            start = index  # "... after former FBI director James Comey said": a new clause
            break
    notes: list[str] = []
    end = len(tokens)
    for index in range(start + 1, len(tokens)):
        following = tokens[index + 1].group(0) if index + 1 < len(tokens) else ""
        if _is_postmodifier(tokens[index].group(0), tokens[index - 1].group(0), following):
            end = index
            notes.append(text[tokens[index].start() : hi].strip(" ,"))
            break
    if end - start > 1 and lowered[start] == "that":
        start += 1  # "told the paper that villagers had reported": "that" opens the clause
    while start < end and re.fullmatch(rf"{lx.WHEN}|on|in|last|this|later|earlier", lowered[start]):
        following = lowered[start + 1] if start + 1 < end else ""
        if lowered[start] == "this" and not re.fullmatch(lx.WHEN, following):
            break  # "This soldier said": a determiner, not "this week"
        start += 1  # "Last month CNN reported ...": the time is not the speaker
    if end - start > 1 and lowered[start] in _CLAUSE_OPENERS:
        start += 1  # "to hear what he says are false numbers": the speaker is "he", not "what he"
    if end - start > 12:  # "The general in charge of security at the ministry ...": its head
        cut = next((i for i in range(start + 2, end) if lowered[i] in _PREPOSITIONS), None)
        if cut is not None:
            notes.append(text[tokens[cut].start() : tokens[end - 1].end()])
            end = cut
    if start >= end or end - start > 12:
        return None
    if not any(plausible(t.group(0)) for t in tokens[start:end]):
        return None
    s, e = tokens[start].start(), tokens[end - 1].end()
    phrase = text[s:e].rstrip(".") if not re.search(r"\b[A-Z]\.$", text[s:e]) else text[s:e]
    return Mention(phrase, s, s + len(phrase), notes)


def _clause_in_relative(tokens: list[re.Match[str]], lowered: list[str]) -> int | None:
    """ "a meeting at which a deputy director told", "the hearing where the judge said": the
    verb belongs to a relative clause that opens with its own subject, so the speaker is the
    noun phrase after "at which" or "where", not the thing the clause is about. Returns where
    that noun phrase starts (None when no such clause ends at the verb)."""
    for index in range(len(lowered) - 2, 0, -1):
        opens = (lowered[index] in {"which", "whom"} and lowered[index - 1] in _PREPOSITIONS) or (
            lowered[index] in {"where", "whereupon"}
        )
        if opens and _bare_noun_phrase(tokens[index + 1 :]):
            return index + 1
    return None


_TRAIL_RE = re.compile(
    rf"(?:\s+(?:{'|'.join(lx.TRAILING_ADVERBS)}|[a-z]+ly|(?:on|from|in|since|of)\s+{lx.WHEN}|{lx.WHEN}))+\s*$",
    re.IGNORECASE,
)


_RELATIVE_RE = re.compile(r"\s*(?:and\s+|but\s+)?(?:who|whom|whose)\s")


def subject_before(text: str, lo: int, hi: int) -> Mention | None:
    """The speaker whose verb starts at `hi`, looking no further left than `lo`.

    Peels appositives first ("X, a spokesman for Y, said"), then takes the chunk
    after the last comma, dash or quotation mark. None when the verb follows a
    quotation directly ("“...,” said X": the speaker comes after the verb).
    """
    match = _TRAIL_RE.search(text, lo, hi)
    if match:
        hi = match.start()
    if re.search(r"[”\"’],?\s*$", text[lo:hi]):
        return None
    notes: list[str] = []
    while True:
        lo2, hi2 = strip_span(text, lo, hi, " \t\n")
        if hi2 > lo2 and text[hi2 - 1] == ")" and text.rfind("(", lo2, hi2) > lo2:
            opener = text.rfind("(", lo2, hi2)  # "Maria (not her real name) said"
            notes.append(text[opener + 1 : hi2 - 1].strip())
            hi = opener
            continue
        comma = text.rfind(",", lo2, hi2)
        if comma > lo2 and _RELATIVE_RE.match(text, comma + 1, hi2):
            notes.append(text[comma + 1 : hi2].strip())  # "X ..., and who declined to be named"
            hi = comma
            continue
        if hi2 <= lo2 or text[hi2 - 1] not in ",–—":
            break
        marks = "," if text[hi2 - 1] == "," else "–—"
        opener = max(text.rfind(mark, lo2, hi2 - 1) for mark in marks)
        if opener < lo2:
            # "X who spoke on condition of anonymity, said": only a postmodifier may end so
            mention = core_subject(text, lo2, hi2 - 1)
            return mention.with_notes(notes) if mention and mention.notes else None
        notes.append(text[opener + 1 : hi2 - 1].strip())
        hi = opener
    mention = _chunk_subject(text, lo, hi, notes)
    if mention is not None:
        mention = _described_first(text, lo, mention)
        mention = _named_in_apposition(text, mention)
        blob = " ".join([mention.text, *mention.notes])
        pseudonym = PSEUDONYM_RE.search(blob)
        if pseudonym:
            mention.pseudonym = pseudonym.group(1).strip(" .”\"’'")
    return mention


_NOT_PEOPLE = lx.ORG_WORDS | lx.DOCUMENT_WORDS | lx.MEDIA_WORDS | lx.RECORDING_WORDS
_GAVE_NAME_RE = re.compile(r"who\s+gave\s+(?:his|her|their)\s+(?:full\s+)?names?\s+as\s+")
_NAME_RE = re.compile(r"(?:[A-Z][\w’'-]*\.?\s+){0,4}[A-Z][\w’'-]*[a-z][\w’'-]*")


def _named_in_apposition(text: str, mention: Mention) -> Mention:
    """ "The army's top spokesman, Maj. Gen. Shaukat Sultan, said": the source is the name.

    The description stays with it as a note, where it informs the kind guess.
    """
    described = re.match(
        r"(?:the|a|an|its|his|her|their|another|one)\s|[\w.-]+[’']s\s", mention.text, re.IGNORECASE
    )
    words = {lx.singular(w) for w in re.findall(r"[\w-]+", mention.text)}
    last = re.findall(r"[\w-]+", mention.text)[-1]
    person_like = bool(words & lx.ROLE_NOUNS) or bool(  # "The welder, Tomasz Brehm"
        described and last.islower() and lx.singular(last) not in _NOT_PEOPLE
    )
    if not person_like or (not described and person_name(mention.text)):
        return mention  # "U.S. Special Representative for Iran, Brian Hook": a role, then a name
    for note in mention.notes:
        gave = _GAVE_NAME_RE.match(note)  # "the man, who gave his name as Pavel Orsag"
        name = _NAME_RE.match(note, gave.end() if gave else 0)
        if name and _orgish_name(name.group(0)):
            continue  # "The manufacturer of the engine mounts, Hartwell Components": a company
        rest = note[name.end() :] if name else ""
        if (
            name
            and len(name.group(0).split()) >= 2
            and re.match(r"(?:$|,|\s+(?:of|from|at)\s)", rest)
        ):
            start = text.find(note, mention.end)
            if start < 0:
                continue
            others = [n for n in mention.notes if n is not note]
            extra = [rest.strip()] if rest.strip() else []
            return Mention(
                name.group(0),
                start + name.start(),
                start + name.end(),
                [mention.text, *extra, *others],
            )
    return mention


# What stands before a name and its comma at the start of a clause: "The inspector, ",
# "A ferry worker who gave only his first name, ".
_DESCRIBED_FIRST_RE = re.compile(r"\s*((?:the|this|that|a|an)\s+[^,;:“”\"()]{1,90}?)\s*,\s*", re.I)
_FIRST_NAME_RE = re.compile(
    r"(an?\s+.+?)\s+((?:who|and)\s.*\b(?:first|given|middle)\s+name)", re.IGNORECASE
)


def _described_first(text: str, lo: int, mention: Mention) -> Mention:
    """One speaker described, then named: "The inspector, Dr Helen Marsh, ... said" keeps
    "The inspector" beside the name (so the inspector met before is the one named), and "A
    ferry worker who gave only his first name, Tomas, said" is the ferry worker, labelled as
    first printed with the name beside it."""
    prefix = _DESCRIBED_FIRST_RE.fullmatch(text, lo, mention.start)
    name = mention.text
    if prefix is None or not _NAME_RE.fullmatch(name) or _orgish_name(name):
        return mention
    described = prefix.group(1)
    last = re.findall(r"[\w-]+", described)[-1]
    given = _FIRST_NAME_RE.fullmatch(described)
    if given:
        start = prefix.start(1)
        notes = [f"{given.group(2)}, {name}", *mention.notes]
        found = Mention(given.group(1), start, start + len(given.group(1)), notes)
        found.name = name
        return found
    if described[:1].lower() == "t" and last.islower() and lx.singular(last) not in _NOT_PEOPLE:
        mention.notes.insert(0, described)  # "The driver, Yerlan, who ...": the driver met before
    return mention


def _orgish_name(name: str) -> bool:
    return any(
        w.lower() in lx.ORG_WORDS or lx.singular(w) in lx.ORG_WORDS for w in name.split()
    ) or bool(lx.OUTLET_NAME_RE.search(name))


def _chunk_subject(text: str, lo: int, hi: int, notes: list[str]) -> Mention | None:
    """The subject in the last chunk of text[lo:hi], after commas, dashes and quotation marks."""
    chunk_lo = lo
    for match in re.finditer(
        r"[,;:“”\"]|\((?![A-Z][\w.&-]{1,12}\))|\s[–—-]\s|’(?=\s)", text[lo:hi]
    ):
        chunk_lo = lo + match.end()
    chunk = text[chunk_lo:hi]
    alias = PSEUDONYM_RE.search(chunk)
    if alias and alias.start() > 0 and chunk[: alias.start()].strip():
        notes.append(chunk[alias.start() :].strip())  # "a commander known as Abu Omar"
        hi = chunk_lo + alias.start()
        chunk = text[chunk_lo:hi]
    if chunk_lo > lo and re.match(
        r"\s*(?:also\s+)?known\s+as\b|\s*calling\s+(?:him|her)self\b", chunk
    ):
        notes.append(chunk.strip())
        return _chunk_subject(text, lo, chunk_lo - 1, notes)
    if re.search(r"\s(?:and|but)\s*$", chunk):  # "reporters interrupted and pointed out"
        leading = leading_noun_phrase(text, chunk_lo, hi)
        return leading.with_notes(notes) if leading else None
    relative = re.search(r"(?:^|\s)(who|which|that)\s*$", chunk)
    if relative and (chunk_lo > lo or relative.start() > 0 or relative.group(1) != "that"):
        # "its leader, who warned", "a statement that said", "according to officials who warn":
        # the relative pronoun stands for the phrase before it, never for a speaker of its own
        at = chunk_lo + relative.start(1)
        dated = re.search(r",\s*(?:dated|signed|sent|written)\s[^,]{1,30},\s*$", text[:at])
        if dated:  # "one of those emails, dated Jan. 9, which says": the emails
            at = dated.start()
        found = _issuer(text, at) or last_noun_phrase(text, 0, at)
        return found.with_notes(notes) if found else None
    mention = core_subject(text, chunk_lo, hi)
    return mention.with_notes(notes) if mention else None


def _after_possessive(taken: list[re.Match[str]], word: str) -> bool:
    """ "Guinea's political opposition called": a possessive name is only a determiner, so the
    lowercase words after it (up to the verb) are the head it owns, not the end of the subject."""
    owner = next((i for i, t in enumerate(taken) if re.search(r"[’']s$", t.group(0))), None)
    return (
        owner is not None
        and len(taken) - owner <= 3
        and word.isalpha()
        and word not in lx.VERBISH
        and word not in lx.TRAILING_ADVERBS
        and not word.endswith("ed")
        and not lx.VERB_RE.fullmatch(word)
    )


def leading_noun_phrase(text: str, lo: int, hi: int) -> Mention | None:
    """The subject that opens a clause: "The Bush administration refused ..., saying ..."."""
    nouns = lx.ROLE_NOUNS | lx.ORG_WORDS
    taken = []
    found = tokens_in(text, lo, hi)[:10]
    for index, token in enumerate(found):
        word = token.group(0)
        lower = word.lower().rstrip(".")
        if not taken and lower in {"but", "and", "so", "yet", "then", "however", "meanwhile"}:
            continue
        following = found[index + 1].group(0) if index + 1 < len(found) else ""
        if lower == "of" and taken and taken[-1].group(0)[0].isupper() and following[:1].isupper():
            taken.append(token)  # "US Secretary of State Mike Pompeo": an office and its name
            continue
        after_determiner = bool(taken) and taken[-1].group(0).lower() in lx.UNIT_WORDS
        if (
            word[0].isupper()
            or after_determiner
            or _after_possessive(taken, lower)
            or lower in lx.UNIT_WORDS
            or lower in nouns
            or lx.singular(lower) in nouns
            or (bool(taken) and person_noun(lower))  # "A night supervisor", not "However"
        ):
            taken.append(token)
        else:
            break
    if not taken or (len(taken) == 1 and taken[0].group(0).lower() in lx.UNIT_WORDS):
        return None
    return Mention(text[taken[0].start() : taken[-1].end()], taken[0].start(), taken[-1].end())


# A fronted phrase of whom a sentence speaks: the person is after the preposition.
_TOPIC_RE = re.compile(r"(?:For|To|Like|Unlike|Among)\s+(?=(?:the|a|an|one|two|many|most)\s)")


def opening_subject(text: str) -> Mention | None:
    """Who a sentence is about when it opens with them: "Its chairwoman, Grace Phiri, urged
    ..." gives Grace Phiri, with "Its chairwoman" as a note."""
    if text.lstrip()[:1] in "“\"‘'":
        return None  # a sentence that opens with a quotation opens with someone's words
    lead = leading_noun_phrase(text, 0, len(text))
    if lead is None:
        return None
    parts = [p.strip() for p in lead.text.split(",") if p.strip()]
    start = lead.start
    topic = _TOPIC_RE.match(parts[0])
    if topic and len(parts[0]) > topic.end():  # "For the ICU nurse, the worst came later": her
        parts[0], start = parts[0][topic.end() :], start + topic.end()
    mention = Mention(parts[0], start, start + len(parts[0]), parts[1:])
    alias = PSEUDONYM_RE.match(text, lead.end + 1)
    if alias and text[lead.end : lead.end + 1].isspace():  # "A commander goes by the alias X"
        mention.pseudonym = alias.group(1).strip(" .”\"’'")
    return _named_in_apposition(text, mention)


def subject_after(text: str, pos: int, limit: int) -> Mention | None:
    """The speaker of an inverted attribution: "“...,” said the minister, ..."."""
    hi = limit
    stops = r"[,;.!?]|\s(?:who|which|adding|saying|at|during|after|before|outside|inside|near)\b"
    for end in re.finditer(stops, text[pos:limit]):  # "said Chief Marco Diaz at a briefing"
        if end.group(0) == "." and abbreviation(text, pos + end.start()):
            continue  # "said Dr. Jose Montero"
        hi = pos + end.start()
        break
    lo, hi = strip_span(text, pos, hi, " \t\n")
    tokens = tokens_in(text, lo, hi)
    if not tokens or len(tokens) > 10:
        return None
    lowered = {t.group(0).lower() for t in tokens}
    if tokens[0].group(0).lower() in {"in", "on", "at", "to", "from", "by", "with", "for", "about"}:
        return None
    if lowered & (lx.VERBISH | {"that"}):
        return None
    head = tokens[-1].group(0).rstrip(".")
    singular = lx.singular(head)
    partitive = re.fullmatch(
        r"(?:one|two|three|some|several|each|both|all|many)\s+of\s+(?:them|those|these|the\s+.+)",
        text[lo:hi],
        re.IGNORECASE,
    )
    if not (
        partitive
        or head[0].isupper()
        or singular in lx.SPEAKER_HEADS
        or head.lower() in lx.SPEAKER_HEADS
    ):
        return None  # "says People magazine", "reports the Bangor Daily News" pass
    rest = text[hi:limit].strip(" ,")
    notes = [rest.rstrip(".")] if rest and not rest.startswith(("and ", "but ")) else []
    mention = Mention(text[lo:hi], lo, hi, notes)
    if re.match(r"(?:the|a|an)\s", mention.text, re.IGNORECASE) and notes:
        return _named_in_apposition(text, mention)  # "said the man, Efrain Soto, 52"
    return mention


_ISSUED_RE = re.compile(
    r"\b(?:issued|released|posted|sent|published|put out|tweeted|wrote)\s+(?:a|an|the|its|his|her|their)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:statement|letter|tweet|post|message|note|release|memo|video)s?\b"
    rf"(?:\s+(?:on\s+)?(?:{lx.WHEN})(?:\s+(?:morning|afternoon|evening|night))?)?\s*,?\s*(?:that|which)?\s*$",
    re.IGNORECASE,
)


def _issuer(text: str, at: int) -> Mention | None:
    """ "X issued a statement that said ...", "X posted a video saying ...": X is the speaker."""
    match = _ISSUED_RE.search(text, 0, at)
    if not match:
        return None
    return subject_before(text, 0, match.start())


def last_noun_phrase(text: str, lo: int, hi: int) -> Mention | None:
    """The noun phrase that ends at `hi`, from its determiner: "... featuring its leader"."""
    tokens = tokens_in(text, lo, hi)
    while tokens and re.fullmatch(
        rf"{lx.WHEN}|morning|afternoon|evening|night", tokens[-1].group(0), re.I
    ):
        tokens.pop()  # "a statement Monday evening": the time is not part of it
    for index in range(len(tokens) - 1, -1, -1):
        word = tokens[index].group(0)
        if word.lower() == "to" and index < len(tokens) - 1:  # "an effort to rebut critics, who"
            start = tokens[index + 1].start()
            return Mention(text[start : tokens[-1].end()], start, tokens[-1].end())
        if word.lower() in lx.UNIT_WORDS | {"its", "his", "her", "their", "our"} or (
            word[0].isupper() and (index == 0 or not tokens[index - 1].group(0)[0].isupper())
        ):
            if index and word[0].isupper() and tokens[index - 1].group(0) in {"the", "The"}:
                index -= 1
            start = tokens[index].start()
            end = tokens[-1].end()
            return Mention(text[start:end], start, end)
    return None
