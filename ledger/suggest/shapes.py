"""Attribution shapes other than a verb of saying with its subject.

"According to X, C", "citing X", "C was reported by X", "reports that C",
"Trump's claims that C", "It was suggested that C", "X was quoted as saying",
"Y cited X in reporting that C", "a report in Y that C", and "reportedly" (a
source the article does not name). `cues.find` decides which shape a cue word
opens; each function here reads one shape and says who speaks and where.
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re

from ledger.suggest import lexicon as lx
from ledger.suggest.anonymity import ANONYMITY_RE
from ledger.suggest.candidates import (
    Cand,
)
from ledger.suggest.contents import (
    Found,
    clause_start,
    interrupted,
    trim,
)
from ledger.suggest.phrases import (
    Mention,
    noun_phrase_end,
    outlet_at,
    skip_adjuncts,
    split_coordination,
    strip_span,
)
from ledger.suggest.subjects import subject_before


def reportedly(text: str, cand: Cand) -> Found:
    """ "X has reportedly done Y": a claim whose source the article does not name.

    `cues.find` drafts it only inside a relative clause ("a group that has reportedly
    received ..."), where it reports on someone other than the sentence's subject;
    elsewhere ("Buyers were reportedly stocking up") it is the article's own hedge, which
    the annotation guide leaves out and which cost precision in long copy."""
    lo, relative = 0, False
    for match in re.finditer(r"[,;(–—]|\s(?:that|which|who)\s", text[: cand.start]):
        lo, relative = match.end(), match.group(0)[0].isspace()
    end = re.search(r"[,;)–—]", text[cand.end :])
    hi = cand.end + end.start() if end else len(text)
    mention = Mention("reportedly", cand.start, cand.end, unspecified=True)
    found = Found(cand.word, cand.start, cand.start, cand.start, "fixed", [[mention]])
    found.content, found.relative = trim(text, lo, hi), relative
    return found


_LIST_TAIL_RE = re.compile(r"((?:,\s*[^,;:.“”\"]+?){1,4},?\s+and\s+[^,;:.“”\"]+?)\s*[.!?]?\s*$")


def _listed(text: str, start: int, boundary: int, hi: int, limit: int) -> int:
    """ "C, according to internal emails, committee minutes and interviews with nine staff":
    the sources listed to the end of the sentence, each its own chain (not "According to
    police, the man fled and ...": a list only ends a sentence whose claim came first)."""
    if not text[boundary:start].strip(" ,"):
        return hi
    tail = _LIST_TAIL_RE.match(text[hi:limit])
    if tail is None:
        return hi
    words = {w.lower() for w in re.findall(r"[\w’'-]+", tail.group(1))}
    past = re.search(r"\b[a-z]+ed\b", tail.group(1))  # "a man entered a store, grabbed ..."
    if (
        past
        or words & lx.VERBISH
        or any(len(p.split()) > 10 for p in re.split(r",|\band\b", tail.group(1)))
    ):
        return hi
    return hi + tail.end(1)


def according(text: str, cand: Cand, boundary: int, limit: int) -> Found | None:
    """ "According to X, C" and "C, according to X"; X may be relayed ("cited in a Y report")."""
    lo = cand.end + len(text[cand.end :]) - len(text[cand.end :].lstrip())
    hi = noun_phrase_end(text, lo, limit)
    if hi <= lo or lx.NOT_SOURCES_RE.fullmatch(text[lo:hi]):
        return None  # "according to the rules" names a norm, not a source
    if re.search(r"\b(?:who|which|that),?\s*$", text[: cand.start]):
        return None  # "a person who, according to the briefing rules, could ..."
    hi = _listed(text, cand.start, boundary, hi, limit)
    mention = _owner(Mention(text[lo:hi].strip('“”"'), lo, hi))
    clause = re.match(r"\s+((?:who|which)\b[^,;.]*)(?:,|[.!?]?\s*$)", text[hi:limit])
    if clause:  # "according to a former analyst who worked on the region until last year, C"
        mention.notes.append(clause.group(1))
        hi += clause.end() - 1
    chains = [[part] for part in split_coordination(mention)]
    relay = re.match(
        r"(.+?)\s+(?:cited|quoted)\s+(?:in|by)\s+(?:a|an|the)?\s*(.+?)(?:\s+(?:report|story|article))?$",
        mention.text,
    )
    if relay:  # "according to officials cited in a Wall Street Journal report"
        chains = [[Mention(relay.group(2), lo, hi), Mention(relay.group(1), lo, hi)]]
    found = Found("according to", cand.start, cand.start, hi, "left", chains, left_to=cand.start)
    if text[boundary : cand.start].strip(" ,").lower() not in {"", "and", "but"}:
        if interrupted(text, boundary, cand.start, hi, limit):  # "C1, according to X, C2"
            found.own_end = found.continues_to = limit
        return found
    found.mode = "right"
    found.right_from = hi
    return found


def _owner(mention: Mention) -> Mention:
    """ "a report by the Journal" and "AFP's report" are the outlet speaking."""
    match = re.match(  # a statement stays the source: it speaks for whoever issued it
        r"(?:a|an|the)\s+(?:[\w-]+\s+)?(?:report|story|article|interview)\s+"
        r"(?:in|by|from|on|with|published by)\s+(.+)$|"
        r"(.+?)[’']s?\s+(?:report|story|article|interview)$",
        mention.text,
    )
    if match:
        owner = match.group(1) or match.group(2)
        start = mention.start + mention.text.index(owner)
        return Mention(owner, start, start + len(owner))
    return mention


def cited_sources(text: str, at: int, limit: int) -> tuple[list[Mention], int]:
    """The sources after "citing": a coordination splits into one chain each."""
    lo = at + len(text[at:]) - len(text[at:].lstrip())
    hi = noun_phrase_end(text, lo, limit)
    lo2, hi2 = strip_span(text, lo, hi, ' “”"')
    if hi2 <= lo2:
        return [], at
    cited = split_coordination(Mention(text[lo2:hi2], lo2, hi2))
    # "citing a person who attended the meeting": what the clause says of the source is its own
    relative = re.match(r"\s*,?\s*((?:who|whom)\s[^.;:,]*)", text[hi:limit])
    if relative:
        lo3, hi3 = hi + relative.start(1), hi + relative.end(1)
        stated = ANONYMITY_RE.search(text, lo3, limit)  # "who declined to be named, citing ..."
        if stated and stated.start() < hi3:
            hi3 = max(hi3, stated.end())
        cited[-1].with_notes([text[lo3:hi3]])
    return cited, hi


def trailing_citation(text: str, cand: Cand, limit: int, founds: list[Found]) -> None:
    """ "Several papers reported the minister to be ill citing sources within the ministry":
    the sources are the papers' origin, and the content ends before "citing". Only a source
    is cited so ("citing safety concerns" gives a reason, not a speaker)."""
    last = next((f for f in reversed(founds) if f.mode == "right"), None)
    if last is None or last.right_to or not last.right_from <= cand.start:
        return
    if any(f.clause_start > last.clause_start for f in founds):
        return  # another attribution came between: the citation is not the first one's
    cited, _ = cited_sources(text, cand.end, limit)
    if not cited or not all(_cites_a_source(m.text) for m in cited):
        return
    last.chains = [[*chain, source] for chain in last.chains for source in cited]
    last.right_to = cand.start
    last.cue = f"{last.cue}, citing"


def _cites_a_source(phrase: str) -> bool:
    """ "sources within the ministry", "Reuters", "two officials": a head that can speak."""
    head = re.split(r"\s+(?:within|inside|in|at|from|of|with|close|familiar)\s", phrase)[0]
    words = head.split()
    if not words:
        return False
    last = words[-1].lower().rstrip(".,")
    return words[0][:1].isupper() or bool({last, lx.singular(last)} & lx.SPEAKER_HEADS)


def speaker_chains(
    speakers: list[Mention], via: Mention | None, cited: list[Mention]
) -> list[list[Mention]]:
    """One chain per speaker and cited source: who published, who spoke, whom they cited."""
    head = [via] if via else []
    if cited:
        return [[*head, speaker, source] for speaker in speakers for source in cited]
    return [[*head, speaker] for speaker in speakers]


# ", Marek Wiśniewski, that": a name in apposition to the agent, before its "that".
_APPOSITIVE_NAME_RE = re.compile(r",\s*(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'.-]*(?=\s*,\s*that\b)")


# " who were there that": a relative clause on the agent, before its "that".
_AGENT_RELATIVE_RE = re.compile(r"(\s+(?:who|whom)\s[^,;“\"]{1,60}?),?(?=\s+that\b)")


def passive(text: str, cand: Cand, boundary: int, limit: int) -> Found | None:
    """ "C was reported by X"; "he had been told by X that C"; "she had heard from X that C":
    the agent is the speaker. Told or heard inside another's words ("Y said he had heard
    from X that C"), the clause starts at its subject, so that `contents.nest` makes Y the
    hop before X."""
    if cand.kind == "heard":
        by = re.match(r"\s+from\s+", text[cand.end :])
    else:  # "to VOA by X"
        by = re.match(r"(?:\s+to\s+(?:[\w.’'-]+\s+){1,3}?)?\s*by\s+", text[cand.end :])
    if not by:
        return None
    lo = cand.end + by.end()
    hi = noun_phrase_end(text, lo, limit)
    notes, end = [], hi
    if named := _APPOSITIVE_NAME_RE.match(text, hi, limit):
        hi = end = named.end()  # "by another crew member, Marek Wiśniewski, that C"
    elif relative := _AGENT_RELATIVE_RE.match(text, hi, limit):
        notes, end = [relative.group(1).strip()], relative.end(1)  # "from two colleagues who
        # were there that C": who they are, a note on the speaker
    aux = re.search(
        r"(?:\s+(?:has|have|had|was|were|is|are|be|been|being))+(?:\s+(?:first|later|also|"
        r"earlier|initially|originally|widely|repeatedly))?\s*$",
        text[: cand.start],
    )
    found = Found(
        cand.word, cand.start, cand.start, hi, "left", left_to=aux.start() if aux else cand.start
    )
    found.chains = [[Mention(text[lo:hi], lo, hi, notes)]]
    that = re.match(r"\s*,?\s*that\b", text[end:limit])
    if that:
        found.mode, found.right_from = "right", end + that.end()
        found.own_end = found.right_from
        hearer = subject_before(text, boundary, found.left_to)
        if hearer is not None:  # "said he had been told by X that C": X's words, through him
            found.clause_start = clause_start(text, boundary, hearer.start)
    elif cand.kind == "heard":
        return None  # "heard from residents" with no "that": nothing reported
    elif len(text[boundary : found.left_to].split()) < 2:
        return None
    found.confirms = bool(
        cand.word == "confirmed"
        and _BACK_REFERENCE_RE.fullmatch(text[boundary : found.left_to].strip(" ,"))
    )
    return found


# "The information", "These details", "The figures about the fire": what was said before.
_BACK_REFERENCE_RE = re.compile(
    r"(?:the|these|this|those|that)\s+(?:information|details?|figures?|accounts?|reports?|toll|"
    r"numbers?|claims?)(?:\s+(?:about|on|of)\s+[^,;]+)?",
    re.IGNORECASE,
)


def fixed(text: str, cand: Cand) -> Found | None:
    """ "reports that C", "Trump's claims that C", "It was suggested that C": no verb of saying."""
    hi = re.search(r"[,;)–—]|$", text[cand.end :])
    content = trim(text, cand.end, cand.end + (hi.start() if hi else 0))
    if content is None:
        return None
    hedge = cand.kind == "impersonal" and lx.IMPERSONAL_RE.match(text, cand.start)
    if hedge and hedge.group(1).lower() in lx.HEDGES:
        return None  # "It is understood that C": the article's own hedge, with no source
    if cand.kind == "impersonal":
        label = f"unspecified (“{cand.word.removesuffix(' that')}”)"
        owner = Mention(label, cand.start, cand.end, unspecified=True)
    else:
        noun = cand.word.split()[0]
        possessor = re.search(
            r"((?:[A-Z][\w.-]*\s+){0,3}[A-Z][\w.-]*)[’']s\s+$", text[: cand.start]
        )
        if possessor:
            owner = Mention(possessor.group(1), possessor.start(1), possessor.end(1))
        else:
            owner = Mention(f"{noun} (unspecified)", cand.start, cand.end, unspecified=True)
    return Found(
        cand.word.split()[0], cand.start, cand.start, cand.end, "fixed", [[owner]], content=content
    )


_QUOTED_AS_RE = re.compile(
    r"(?:[,.]?[”\"]?\s*)((?:the|a|an|his|her|its|their)?\s*[\w’'.-]+(?:\s+[\w’'.-]+){0,5}?)\s+"
    r"(?:was|were|has\s+been|had\s+been|is|are)\s+quoted\s+as\s*$",
    re.IGNORECASE,
)


def quoted_as(text: str, cand: Cand, boundary: int) -> Found | None:
    """ "“C,” the commander was quoted as saying": the commander said C."""
    match = _QUOTED_AS_RE.search(text, boundary, cand.start)
    if not match:
        return None
    lo, hi = match.start(1), match.end(1)
    found = Found("quoted as saying", cand.start, match.start(1), cand.end, "left")
    found.left_to = match.start(1)
    found.chains = [[Mention(text[lo:hi], lo, hi)]]
    return found


_QUOTED_BY_RE = re.compile(
    r"\s+(?:by|in)\s+([^,;:“”\"]+?)\s+as\s+(?:saying|telling\s+[\w-]+)\s*[,:]?\s*(?:that\s+)?"
)


def quoted_by(text: str, cand: Cand, boundary: int, limit: int) -> Found | None:
    """ "X was quoted by the Y news service as saying: C": Y relays X, and C is X's."""
    aux = re.search(
        r"\b(?:was|were|is|are|has\s+been|have\s+been|had\s+been)\s+$", text[: cand.start]
    )
    relay = _QUOTED_BY_RE.match(text, cand.end)  # "saying" ends past the next cue's start
    if aux is None or relay is None:
        return None
    subject = subject_before(text, boundary, aux.start())
    if subject is None:
        return None
    via = Mention(relay.group(1), relay.start(1), relay.end(1))
    found = Found(
        "quoted as saying",
        cand.start,
        clause_start(text, boundary, subject.start),
        relay.end(),
        "right",
        right_from=relay.end(),
    )
    found.chains = [[via, speaker] for speaker in split_coordination(subject)]
    found.notes = list(subject.notes)
    return found


def cited_verb(text: str, cand: Cand, boundary: int, limit: int) -> Found | None:
    """ "The Journal cited people familiar with the matter in reporting that C"."""
    subject = subject_before(text, boundary, cand.start)
    if subject is None:
        return None
    cited, end = cited_sources(text, cand.end, limit)
    if any(re.search(r"\sfor\s", c.text) for c in cited):
        return None  # "inspectors cited the mine for unstable roofs": a penalty, not a source
    link = re.match(
        r"\s*(?:(?:in|when)\s+(?:reporting|saying)|as\s+(?:saying|telling\s+\w+)|in\s+(?:a|its)\s+report|to\s+(?:report|say))?",
        text[end:],
    )
    after = end + (link.end() if link else 0)
    said_as = bool(link and re.search(r"as\s+(?:saying|telling)", link.group(0)))
    after, _, _ = skip_adjuncts(text, after)
    link = re.match(r"\s*,?\s*(that\b|:)?", text[after:])
    end = after
    found = Found(
        f"{cand.word}", cand.start, clause_start(text, boundary, subject.start), end, "left"
    )
    found.chains = speaker_chains([subject], None, cited)
    found.left_to = found.clause_start
    if link and (link.group(1) or said_as):  # "quoted X as saying C" needs no "that"
        found.mode, found.right_from = "right", end + link.end()
        found.own_end = end + link.end()
    elif not re.match(r"\s*,?\s*and\s", text[end:]):
        return None  # "cited X" with no content of its own, unless "... and said C" follows
    else:
        found.mode = "chain"  # no content of its own: the chain for "and said C" that follows
    return found


def report_noun(text: str, cand: Cand, limit: int) -> Found | None:
    """ "a report in Y that C": the outlet named after the noun is the speaker."""
    lo = cand.end
    if cand.word.rstrip().endswith(" on") and outlet_at(text, lo) is None:
        return None  # "a report on Iraq that ...": about, not by
    hi = noun_phrase_end(text, lo, limit)
    that = re.match(r"\s*that\b", text[hi:])
    if hi <= lo or not that:
        return None
    found = Found(
        "report", cand.start, cand.start, hi + that.end(), "right", right_from=hi + that.end()
    )
    found.chains = [[Mention(text[lo:hi], lo, hi)]]
    if lx.VERB_RE.search(text[: cand.start].rstrip().rsplit(" ", 1)[-1]):
        # "denied reports by X that C": the report is the verb's object and stays inside it
        end = re.search(r"[;)–—]|$", text[found.right_from :])
        found.mode = "fixed"
        found.content = trim(text, found.right_from, found.right_from + (end.start() if end else 0))
    return found
