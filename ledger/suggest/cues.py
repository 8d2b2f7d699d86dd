"""Finding the attributions of one sentence: cue, speakers, chain, and reported content.

Recognised shapes, each in general form rather than for one article:
"X said (that) C", "C, X said", "“C,” said X", "According to X, C", "C, according
to X", "X told Y (that) C", "C, Y reported, citing X", "Citing X, Y said C",
"Y cited X in reporting that C", "a report in Y that C", "C, X said, adding C2",
"X said C1 and insisted C2", "C was reported by X", and "reportedly" (a source
the article does not name). Cue words inside a quotation are the speaker's own
words and are skipped.
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re

from ledger.suggest import lexicon as lx
from ledger.suggest.candidates import (
    DATELINE_RE,
    FRONTED_VIA_RE,
    PASSED,
    Cand,
    candidates,
    previous_word,
)
from ledger.suggest.contents import (
    Found,
    assign_contents,
    clause_start,
    nest,
    split_that,
    trim,
)
from ledger.suggest.phrases import (
    AfterVerb,
    Mention,
    after_verb,
    find_outlet,
    noun_phrase_end,
    outlet_at,
    skip_adjuncts,
    split_coordination,
    strip_span,
)
from ledger.suggest.subjects import leading_noun_phrase, subject_after, subject_before


def _reportedly(text: str, cand: Cand) -> Found:
    lo, relative = 0, False
    for match in re.finditer(r"[,;(–—]|\s(?:that|which|who)\s", text[: cand.start]):
        lo, relative = match.end(), match.group(0)[0].isspace()
    end = re.search(r"[,;)–—]", text[cand.end :])
    hi = cand.end + end.start() if end else len(text)
    mention = Mention("reportedly", cand.start, cand.end, unspecified=True)
    found = Found(cand.word, cand.start, cand.start, cand.start, "fixed", [[mention]])
    found.content, found.relative = trim(text, lo, hi), relative
    return found


def _according(text: str, cand: Cand, boundary: int, limit: int) -> Found | None:
    lo = cand.end + len(text[cand.end :]) - len(text[cand.end :].lstrip())
    hi = noun_phrase_end(text, lo, limit)
    if hi <= lo or lx.NOT_SOURCES_RE.fullmatch(text[lo:hi]):
        return None  # "according to the rules" names a norm, not a source
    if re.search(r"\b(?:who|which|that),?\s*$", text[: cand.start]):
        return None  # "a person who, according to the briefing rules, could ..."
    mention = _owner(Mention(text[lo:hi].strip('“”"'), lo, hi))
    clause = re.match(r"\s+((?:who|which)\b[^,;.]*),", text[hi:limit])
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


def _cited(text: str, at: int, limit: int) -> tuple[list[Mention], int]:
    """The sources after "citing": a coordination splits into one chain each."""
    lo = at + len(text[at:]) - len(text[at:].lstrip())
    hi = noun_phrase_end(text, lo, limit)
    lo2, hi2 = strip_span(text, lo, hi, ' “”"')
    if hi2 <= lo2:
        return [], at
    return split_coordination(Mention(text[lo2:hi2], lo2, hi2)), hi


def _chains(
    speakers: list[Mention], via: Mention | None, cited: list[Mention]
) -> list[list[Mention]]:
    head = [via] if via else []
    if cited:
        return [[*head, speaker, source] for speaker in speakers for source in cited]
    return [[*head, speaker] for speaker in speakers]


def _passive(text: str, cand: Cand, boundary: int, limit: int) -> Found | None:
    """ "C was reported by X"; "he had been told by X that C": the agent is the speaker."""
    by = re.match(r"\s+by\s+", text[cand.end :])
    if not by:
        return None
    lo = cand.end + by.end()
    hi = noun_phrase_end(text, lo, limit)
    aux = re.search(
        r"(?:\s+(?:has|have|had|was|were|is|are|be|been|being))+(?:\s+(?:first|later|also|"
        r"earlier|initially|originally|widely|repeatedly))?\s*$",
        text[: cand.start],
    )
    found = Found(
        cand.word, cand.start, cand.start, hi, "left", left_to=aux.start() if aux else cand.start
    )
    found.chains = [[Mention(text[lo:hi], lo, hi)]]
    that = re.match(r"\s*,?\s*that\b", text[hi:limit])
    if that:
        found.mode, found.right_from = "right", hi + that.end()
        found.own_end = found.right_from
    elif len(text[boundary : found.left_to].split()) < 2:
        return None
    return found


def _fixed(text: str, cand: Cand) -> Found | None:
    """ "reports that C", "Trump's claims that C", "It was suggested that C": no verb of saying."""
    hi = re.search(r"[,;)–—]|$", text[cand.end :])
    content = trim(text, cand.end, cand.end + (hi.start() if hi else 0))
    if content is None:
        return None
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


# A bare complement that is a clause: a subject and then a finite verb within a few words
# ("insisted Ethiopia's government would uphold the rule of law"), not an object ("added 200 jobs").
_CLAUSE_RE = re.compile(
    r"\s+(?:[\w’'.-]+\s+){1,5}?(?:would|will|could|can|may|might|must|should|had|has|have|was|were|"
    r"is|are|did|does|do)\b"
)
# A subject that opens a subordinate clause: "after tests confirmed ...".
_SUBORDINATE_RE = re.compile(
    r"\b(?:after|before|because|when|since|until|once|if|although|though|as|while)\s+$"
)


def _quoted_as(text: str, cand: Cand, boundary: int) -> Found | None:
    """ "“C,” the commander was quoted as saying": the commander said C."""
    match = _QUOTED_AS_RE.search(text, boundary, cand.start)
    if not match:
        return None
    lo, hi = match.start(1), match.end(1)
    found = Found("quoted as saying", cand.start, match.start(1), cand.end, "left")
    found.left_to = match.start(1)
    found.chains = [[Mention(text[lo:hi], lo, hi)]]
    return found


def _verb(text: str, cand: Cand, boundary: int, limit: int, founds: list[Found]) -> Found | None:
    verb = cand.word.lower()
    before = previous_word(text, cand.start).lower()
    left = text[boundary : cand.start]
    if verb == "saying" and (quoted := _quoted_as(text, cand, boundary)):
        return quoted
    if verb in {"claimed", "claims", "claim"} and re.match(
        r"\s+(?:more|less|fewer|about|nearly|almost|over|up\s+to|\$|\d)", text[cand.end :]
    ):
        return None  # "claimed more than 80 hours of overtime": a claim on money, not words
    adverbed = re.search(
        r"\b(?:is|are|was|were|been)\s+(?:first|later|also|earlier|initially|originally|widely|"
        r"repeatedly)\s*$",
        text[: cand.start],
    )
    if before in lx.PASSIVE_AUX or adverbed:
        return _passive(text, cand, boundary, limit)
    absolute = re.search(r"(\w+)\s+with\s+(?:[\w’'-]+\s+){1,3}$", text[: cand.start])
    if (
        verb in {"reported", "confirmed"}
        and absolute
        and absolute.group(1).lower() not in {"familiar", "close", "spoke", "spoken", "talked"}
        and re.match(r"\s*[.,;]", text[cand.end :])
    ):
        return None  # "with several illnesses reported": an absolute phrase, no speaker
    found = Found(verb, cand.start, cand.start, cand.end, "right")
    conjunction = re.search(r"(?:^|[\s,])(and|but|or|then)\s*$", left)
    subject = None
    if founds and (not left.strip(" ,") or (conjunction and founds[-1].mode in {"right", "chain"})):
        found.elided = True
        found.clause_start = boundary + conjunction.start(1) if conjunction else boundary
    elif verb in lx.ELIDING:
        found.elided = bool(founds)
        dateline = DATELINE_RE.match(text)
        subject = (
            None
            if founds
            else leading_noun_phrase(text, dateline.end() if dateline else 0, len(text))
        )
        named = re.search(
            r",\s*((?:[A-Z][\w’'.-]*\s+){1,3}[A-Z][\w’'.-]*),\s*$", text[: cand.start]
        )
        if subject is not None and named:  # "The report quoted a former official, Jane Roe, saying"
            found.chains = [[subject, Mention(named.group(1), named.start(1), named.end(1))]]
            subject = None
        if subject is None and not founds and not found.chains:
            return None
        found.clause_start = clause_start(text, boundary, cand.start)
    else:
        subject = subject_before(text, boundary, cand.start)
        if subject is None and verb in lx.INVERTIBLE:
            subject = subject_after(text, cand.end, limit)
            if subject is None:
                return None
            found.mode, found.left_to = "left", cand.start
            found.own_end = limit if subject.notes else subject.end
            found.chains = _chains(split_coordination(subject), None, [])
            found.notes = list(subject.notes)  # "said the official, who spoke on condition ..."
            return found
        if subject is None:
            return None
        found.clause_start = clause_start(text, boundary, subject.start)
    after = after_verb(text, cand.end, verb, limit)
    found.own_end = after.end
    fronted = subject is not None and re.fullmatch(
        r"\s*As\s+", text[boundary : subject.start], re.IGNORECASE
    )
    comma = re.match(r"\s*,", text[after.end : limit])
    if fronted and after.mode == "end" and comma:  # "As Reuters reported last week, C"
        after = AfterVerb(after.end + comma.end(), "fronted", after.via, after.notes)
        found.own_end = after.end
    pointed = after.mode == "bare" or (
        after.mode == "that" and re.search(r"that$", text[: after.end])
    )
    if (
        verb in lx.DENY_VERBS
        and pointed
        and _POINTED_OBJECT_RE.match(text, _word_start(text, after))
    ):
        return None  # "denied that report", "denies this": an object (the stance reading takes it)
    if (
        after.mode == "bare"
        and subject is not None
        and _SUBORDINATE_RE.search(text, boundary, subject.start)
    ):
        return None  # "after laboratory tests confirmed the presence of the virus": a circumstance
    denied = verb in lx.DENY_VERBS and after.mode == "bare"
    if denied and not _object_is_said(text, after.end, limit, gerund=True):
        return None  # "the court denied the motion", "denied bail": acts, not statements
    quotation_before = re.search(r"[”\"],?\s*$", text[boundary : found.clause_start])
    if after.mode in {"bare", "clause"} and quotation_before and found.clause_start > boundary:
        # "“C,” Bach wrote in an email to the city attorney": the quotation is the content
        after = AfterVerb(after.end, "end", after.via, after.notes)
    cited: list[Mention] = []
    if after.mode == "citing":
        cited, found.own_end = _cited(text, after.end + len("citing"), limit)
        found.cue = f"{cand.word}, citing"
    if after.mode in {"end", "citing"}:
        found.mode, found.left_to = "left", found.clause_start
        if len(text[boundary : found.clause_start].split()) < 2:
            return None  # nothing before it to report: "who insisted on anonymity, told ..."
    elif (
        after.mode == "bare"
        and verb in lx.WEAK_VERBS
        and verb not in lx.ELIDING
        and not _CLAUSE_RE.match(text, after.end, limit)
    ):
        return None  # "added 200 jobs": only "added that ...", "added he ..." or a clause reports
    else:
        found.right_from = after.end
    if subject is not None:
        via = after.via
        outlet = find_outlet(" ".join(subject.notes))
        if via is None and outlet:
            blob = " ".join(subject.notes)
            via = Mention(blob[outlet[0] : outlet[1]], subject.start, subject.end)
        for note in subject.notes:  # "L'Est Republicain, citing a document, reported ..."
            citing = re.match(r"(?:citing|quoting)\s+", note)
            if citing and not cited:
                cited = split_coordination(
                    Mention(note[citing.end() :], subject.start, subject.end)
                )
                found.cue = f"{cand.word}, citing"
        found.chains = _chains(split_coordination(subject), via, cited)
        found.notes = [*subject.notes, *after.notes]
    elif after.via is not None:
        found.notes = [f"via {after.via.text}"]
    return found


def _cited_verb(text: str, cand: Cand, boundary: int, limit: int) -> Found | None:
    """ "The Journal cited people familiar with the matter in reporting that C"."""
    subject = subject_before(text, boundary, cand.start)
    if subject is None:
        return None
    cited, end = _cited(text, cand.end, limit)
    if any(re.search(r"\sfor\s", c.text) for c in cited):
        return None  # "inspectors cited the mine for unstable roofs": a penalty, not a source
    link = re.match(
        r"\s*(?:(?:in|when)\s+(?:reporting|saying)|as\s+(?:saying|telling\s+\w+)|in\s+(?:a|its)\s+report|to\s+(?:report|say))?",
        text[end:],
    )
    after = end + (link.end() if link else 0)
    after, _, _ = skip_adjuncts(text, after)
    link = re.match(r"\s*,?\s*(that\b|:)?", text[after:])
    end = after
    found = Found(
        f"{cand.word}", cand.start, clause_start(text, boundary, subject.start), end, "left"
    )
    found.chains = _chains([subject], None, cited)
    found.left_to = found.clause_start
    if link and link.group(1):
        found.mode, found.right_from = "right", end + link.end()
        found.own_end = end + link.end()
    elif not re.match(r"\s*,?\s*and\s", text[end:]):
        return None  # "cited X" with no content of its own, unless "... and said C" follows
    else:
        found.mode = "chain"  # no content of its own: the chain for "and said C" that follows
    return found


def _report_noun(text: str, cand: Cand, limit: int) -> Found | None:
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


# "that report", "this", "it": what a denial points back to, when it is not a clause.
_POINTED_OBJECT_RE = re.compile(
    r"\s*(?:that|this|these|those|it)(?:\s+(?:[\w-]+\s+)?(?:reports?|claims?|allegations?|accounts?|"
    r"story|stories|statements?|suggestions?|assertions?|version|figures?|characteri[sz]ation))?"
    r"\s*(?:[.,;]|$|\s+(?:as|on|in|at|and|but)\b)",
    re.IGNORECASE,
)


def _word_start(text: str, after: AfterVerb) -> int:
    """Where the object starts: at "that" itself when the parse took it for a conjunction."""
    return after.end - 4 if after.mode == "that" else after.end


def _object_is_said(text: str, lo: int, hi: int, *, gerund: bool = False) -> bool:
    """Does the object starting at `lo` name something said ("the allegations", "any
    wrongdoing", "that report"), or, if `gerund`, a deed denied ("denied knowing him")?"""
    head_of_object = " ".join(text[lo:hi].split()[:6])
    if gerund and re.match(r"(?:any\s+|ever\s+)?\w+ing\b", head_of_object):
        return True
    if _POINTED_OBJECT_RE.match(text, lo) and lx.DENY_RE.search(text[max(0, lo - 12) : lo]):
        return True  # "Serar denies this": a denial points back to something said
    return bool(lx.SAID_THINGS_RE.search(head_of_object))


# Where a stance clause ends: a semicolon, the sentence's end, a dash, or an attribution of its own.
_CLAUSE_END_RE = re.compile(
    r"[;!?]|\.(?=\s|$)|\s[–—]\s|,\s*(?:according\s+to|citing|but|while|whereas)\b|$"
)


def _stance(text: str, cand: Cand, boundary: int) -> Found | None:
    """ "X dismissed the allegations", "X denied a report in Y", "footage showed C".

    The verb takes a thing, not a reported clause, so the claim is the clause
    itself, its speaker included: what X did is what the article attributes.
    """
    subject = subject_before(text, boundary, cand.start)
    if subject is None:
        return None
    if cand.kind == "showed" and not lx.EVIDENCE_WORDS & set(subject.text.lower().split()):
        return None  # "footage on NHK showed", "the data show"; not "he showed courage"
    end = _CLAUSE_END_RE.search(text, cand.end)
    hi = end.start() if end else len(text)
    if lx.ACT_STANCE_RE.match(cand.word) and not _object_is_said(text, cand.end, hi):
        return None  # "the court rejected the appeal", "denied bail": acts, not stances
    if cand.kind == "described":  # "described the gunman as ...", "called the step “unfortunate”"
        calls = cand.word.lower().startswith("call")
        if not re.search(r"\sas\s" if not calls else r"[“\"]", text[cand.end : hi]):
            return None
        content = trim(text, cand.end, hi)
    elif cand.kind == "showed":  # the evidence speaks; the claim is what it shows
        that = re.match(r"\s*(?:that\b)?", text[cand.end : hi])
        content = trim(text, cand.end + (that.end() if that else 0), hi)
    else:
        content = trim(text, clause_start(text, boundary, _subject_start(text, subject)), hi)
    pointed = _POINTED_OBJECT_RE.match(text, cand.end) and lx.DENY_RE.search(text[: cand.end])
    if content is None or (len(text[cand.end : hi].split()) < 2 and not pointed):
        return None
    found = Found(  # owns only its verb: a report named in the object is parsed on its own
        cand.word,
        cand.start,
        clause_start(text, boundary, _subject_start(text, subject)),
        cand.end,
        "fixed",
        _chains(split_coordination(subject), None, []),
        content=content,
    )
    found.notes = list(subject.notes)
    return found


def _subject_start(text: str, subject: Mention) -> int:
    """Where the subject's words begin: "The ministry's spokeswoman, Dana Levi" before the name."""
    starts = [text.rfind(note, 0, subject.start) for note in subject.notes]
    return min([subject.start, *(at for at in starts if at >= 0)])


def _fronted_via(text: str, boundary: int) -> tuple[Mention | None, int]:
    match = FRONTED_VIA_RE.match(text, boundary)
    if not match:
        return None, boundary
    end = outlet_at(text, match.end())
    comma = text.find(",", end or match.end())
    if end is None or comma < 0 or comma - end > 30:
        return None, boundary
    return Mention(text[match.end() : end], match.end(), end), comma + 1


def find(text: str) -> list[Found]:
    """Every attribution in one sentence, with its content span (local offsets)."""
    cands = candidates(text)
    founds: list[Found] = []
    dateline = DATELINE_RE.match(text)
    start = dateline.end() if dateline else 0
    via, boundary = _fronted_via(text, start)
    pending: list[Mention] = []
    skip: set[int] = set()
    for index, cand in enumerate(cands):
        if cand.start < boundary or index in skip:
            continue
        following = cands[index + 1] if index + 1 < len(cands) else None
        if (
            following
            and following.word.endswith("ing")
            and not text[cand.end : following.start].strip()
        ):
            skip.add(index + 1)  # "denied saying ...": one attribution
        limit = next(
            (
                c.start
                for n, c in enumerate(cands[index + 1 :], start=index + 1)
                if c.kind not in PASSED and c.word not in {"citing", "quoting"} and n not in skip
            ),
            len(text),
        )
        found: Found | None = None
        if cand.kind == "reportedly":
            founds.append(_reportedly(text, cand))
            continue
        if cand.kind in {"noun", "impersonal"}:
            if fixed := _fixed(text, cand):
                founds.append(fixed)
            continue
        if cand.kind in {"stance", "showed", "described"}:
            if stance := _stance(text, cand, boundary):
                founds.append(stance)
            continue
        if cand.kind == "according":
            found = _according(text, cand, boundary, limit)
        elif cand.kind == "citing" and cand.word in {"Citing", "Quoting"}:
            pending, boundary = _cited(text, cand.end, limit)
            continue
        elif cand.kind == "cited":
            found = _cited_verb(text, cand, boundary, limit)
        elif cand.kind == "report":
            found = _report_noun(text, cand, limit)
        elif cand.kind == "verb":
            found = _verb(text, cand, boundary, limit, [f for f in founds if f.mode != "fixed"])
            if found is None and cand.word.lower() in lx.DENY_VERBS:
                found = _stance(text, cand, boundary)  # "X denied a report in Y that ..."
        if found is None:
            continue
        if pending and found.chains:
            found.chains = [[*chain, source] for chain in found.chains for source in pending]
            found.cue = f"citing, {found.cue}"
            pending = []
        if via is not None and found.chains:
            found.chains = [[via, *chain] for chain in found.chains]
            via = None
        founds.append(found)
        boundary = max(boundary, found.own_end)
    assign_contents(text, founds, start)
    _resolve_elided(founds)
    founds = split_that(text, [f for f in nest(founds, text) if f.content is not None])
    return [
        f
        for f in _drop_repeats(founds)
        if (f.chains or f.elided) and not _REFUSAL_RE.match(text, (f.content or (0, 0))[0])
    ]


# "said she could not comment on an individual case": a refusal, as "declined to comment" is.
_REFUSAL_RE = re.compile(
    r"(?:he|she|they|it|the\s+\w+)\s+(?:could|would|can|did)\s*(?:not|n['’]t)\s+"
    r"(?:comment|discuss|elaborate|say\s+more)\b(?:\s+(?:on|further|about)\b[^.;]*)?\s*[.;]?\s*$",
    re.IGNORECASE,
)


def _resolve_elided(founds: list[Found]) -> None:
    """ "X said C1 and insisted C2", "X quoted Y and said C": the speaker of the clause before."""
    previous: Found | None = None
    for found in founds:
        if found.mode == "fixed":
            continue
        if found.elided and previous is not None and previous.chains:
            found.chains, found.elided = [list(chain) for chain in previous.chains], False
        previous = found


def _drop_repeats(founds: list[Found]) -> list[Found]:
    """ "X reportedly did Y, according to Z": one claim (Z's), not a second unattributed one.

    A "reportedly" in a relative clause ("a group that has reportedly received ...")
    is another proposition and stays."""
    spans = [f.content for f in founds if f.mode != "fixed" and f.content]

    def covered(found: Found) -> bool:
        lo, hi = found.content or (0, 0)
        return (
            found.cue in {"reportedly", "purportedly"}
            and not found.relative
            and any(a <= lo and hi <= b for a, b in spans)
        )

    return [f for f in founds if not covered(f)]
