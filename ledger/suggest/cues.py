"""Finding the attributions of one sentence: cue, speakers, chain, and reported content.

Recognised shapes, each in general form rather than for one article:
"X said (that) C", "C, X said", "“C,” said X", "According to X, C", "C, according
to X", "X told Y (that) C", "C, Y reported, citing X", "Citing X, Y said C",
"Y cited X in reporting that C", "a report in Y that C", "C, X said, adding C2",
"X said C1 and insisted C2", "C was reported by X", and "reportedly" in a
relative clause (a source the article does not name; elsewhere it is the
article's own hedge). Cue words inside a quotation are the speaker's own
words and are skipped. Shapes without a verb of saying are in `shapes`, and
stances ("X denied the allegations") in `stances`.
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re

from ledger.suggest import lexicon as lx
from ledger.suggest import shapes, stances
from ledger.suggest.anonymity import ANONYMITY_RE
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
    interrupted,
    nest,
    split_that,
)
from ledger.suggest.phrases import (
    AfterVerb,
    Mention,
    after_verb,
    find_outlet,
    outlet_at,
    split_coordination,
)
from ledger.suggest.subjects import leading_noun_phrase, subject_after, subject_before

# A bare complement that is a clause: a subject and then a finite verb within a few words
# ("insisted Ethiopia's government would uphold the rule of law"), not an object ("added 200 jobs").
_CLAUSE_RE = re.compile(
    r"\s+(?:[\w’'.-]+\s+){1,6}?(?:would|will|could|can|may|might|must|should|had|has|have|was|were|"
    r"is|are|did|does|do)\b"
)
# "argued for moving a company": a verb that takes a clause, here with a preposition instead.
_PREPOSITION_RE = re.compile(r"\s+(?:for|on|against|about|with|in|over|at|to|from|by)\b")
# "found Jane Roe to be the leader": a judgement on an object, its content the object and the rest.
_TO_BE_RE = re.compile(r"\s+(?:[\w’'.-]+\s+){1,5}?to\s+be\b")
# A subordinate clause inside reported content: "said the crew fled after elders warned that".
_INNER_SUBORDINATE_RE = re.compile(r"\s(?:after|before|because|when|since|until|once)\s")
# "declared COVID-19 a pandemic": what a thing is declared to be is the claim, as "to be" is;
# "declared war on a rival", "declared a state of emergency" are acts
_DECLARED_A_RE = re.compile(
    r"\s*(?:(?!(?:on|in|at|to|for|of|with|by|from|a|an|that|war)\b)[\w’'.-]+\s+){1,4}(?:a|an)\s+\w"
)
# A subject that opens a subordinate clause: "after tests confirmed ...".
_SUBORDINATE_RE = re.compile(r"\b(?:after|before|because|when|since|until|once|if|as)\s+$")


def _inverted_after_comma(text: str, boundary: int, cand: Cand, limit: int) -> Mention | None:
    """ "C, said a regional manager with the company.": after a comma, a verb of saying with a
    speaker that ends the sentence is inverted, whatever the words before the comma read as."""
    before = text[boundary : cand.start]
    if cand.word.lower() not in lx.INVERTIBLE or not re.search(r",\s*$", before):
        return None
    if re.search(r",\s*(?:[\w’'.-]+\s+){0,4}[\w’'.-]+\s*,\s*$", before):
        return None  # "The driver, Ana Costa, said she ...": a subject and its appositive
    if re.search(r",\s*(?:who|whom|whose)\s[^,]*,\s*$", before):
        return None  # "An engineer, who has worked with the firm for years, said C": its subject
    after = subject_after(text, cand.end, limit)
    if after is None or re.fullmatch(rf"(?:(?:last|this|on)\s+)?{lx.WHEN}", after.text, re.I):
        return None
    if after.text.split()[0].lower() in lx.PRONOUNS:
        return None  # "said she called the police": what was said, not who said it
    rest = text[after.end :]  # to the end of the sentence, not to the next cue
    ends = re.fullmatch(r"[\s.,;:!?\"”’']*", rest) or re.match(r"\s*,\s*(?:who|which)\b", rest)
    return after if ends else None


def _verb(text: str, cand: Cand, boundary: int, limit: int, founds: list[Found]) -> Found | None:
    verb = cand.word.lower()
    raw_before = previous_word(text, cand.start)
    before = "" if raw_before.isupper() else raw_before.lower()  # "Islamic State (IS) claimed"
    left = text[boundary : cand.start]
    if verb == "saying" and (quoted := shapes.quoted_as(text, cand, boundary)):
        return quoted
    if re.search(r",\s*(?:who|which)\s[^,]*$", left) and re.match(r"\s*,", text[cand.end :]):
        return None  # "The neighbor, who does not want her name revealed, says": the clause's own
    if verb in _HEARSAY_VERBS and _HEARSAY_RE.match(text, cand.end):
        return None  # "images said to come from two groups": hearsay with no speaker
    if verb in {"claimed", "claims", "claim"} and re.match(
        r"\s+(?:more|less|fewer|about|nearly|almost|over|up\s+to|\$|\d)", text[cand.end :]
    ):
        return None  # "claimed more than 80 hours of overtime": a claim on money, not words
    adverbed = re.search(
        r"\b(?:is|are|was|were|been)\s+(?:first|later|also|earlier|initially|originally|widely|"
        r"repeatedly)\s*$",
        text[: cand.start],
    )
    progressive = verb.endswith("ing") and before in lx.PASSIVE_AUX  # "officials are denying"
    if progressive and not re.match(r"\s*(?:that\b|:)", text[cand.end :]):
        return None  # "Brightway is recalling 800,000 sets": only "is denying that C" reports
    if (before in lx.PASSIVE_AUX or adverbed) and not progressive:
        return shapes.passive(text, cand, boundary, limit)
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
        verb_start = cand.start
        if progressive:
            verb_start = text.rindex(raw_before, boundary, cand.start)
        subject = subject_before(text, boundary, verb_start)
        inverted = _inverted_after_comma(text, boundary, cand, limit) if subject else None
        if (subject is None or inverted is not None) and verb in lx.INVERTIBLE:
            subject = inverted or subject_after(text, cand.end, limit)
            if subject is None:
                return None
            found.mode, found.left_to = "left", cand.start
            found.own_end = limit if subject.notes else subject.end
            found.chains = shapes.speaker_chains(split_coordination(subject), None, [])
            found.notes = list(subject.notes)  # "said the official, who spoke on condition ..."
            return found
        if subject is None or _NOBODY_RE.match(subject.text):
            return None  # "no one had warned residents that C": nobody is reported to speak
        reporting = any(f.mode == "right" and f.right_from <= subject.start for f in founds)
        if reporting and _INNER_SUBORDINATE_RE.search(text, boundary, cand.start):
            return None  # "said the crew fled after elders warned that ...": one claim, the outer's
        found.clause_start = clause_start(text, boundary, subject.start)
    after = after_verb(text, cand.end, verb, limit)
    if verb in lx.FEAR_VERBS and after.mode not in {"that", "bare", "clause", "colon"}:
        return None  # "to spread fear": a noun; a fear is reported only with what is feared
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
        and stances.POINTED_OBJECT_RE.match(text, _word_start(text, after))
    ):
        return None  # "denied that report", "denies this": an object (the stance reading takes it)
    if (
        after.mode == "bare"
        and subject is not None
        and _SUBORDINATE_RE.search(text, boundary, subject.start)
    ):
        return None  # "after laboratory tests confirmed the presence of the virus": a circumstance
    denied = verb in lx.DENY_VERBS and after.mode == "bare"
    if denied and not stances.object_is_said(text, after.end, limit, gerund=True):
        return None  # "the court denied the motion", "denied bail": acts, not statements
    quotation_before = re.search(r"[”\"],?\s*$", text[boundary : found.clause_start])
    if after.mode in {"bare", "clause"} and quotation_before and found.clause_start > boundary:
        # "“C,” Bach wrote in an email to the city attorney": the quotation is the content
        after = AfterVerb(after.end, "end", after.via, after.notes)
    cited: list[Mention] = []
    if after.mode == "citing":
        cited, found.own_end = shapes.cited_sources(text, after.end + len("citing"), limit)
        found.cue = f"{cand.word}, citing"
    if after.mode in {"end", "citing"}:
        if verb in lx.EVIDENCE_VERBS:
            return None  # "a witness who gave evidence from behind a screen": no content
        found.mode, found.left_to = "left", found.clause_start
        if len(text[boundary : found.clause_start].split()) < 2:
            set_off = _SET_OFF_RE.match(text, after.end)
            if after.mode != "end" or set_off is None or set_off.end() > limit or subject is None:
                return None  # nothing before it to report: "who insisted on anonymity, told ..."
            # "The ministry said on Sunday, the 36 people infected included ...": nothing before
            # the speaker, so what follows the comma is what was said
            found.mode, found.left_to = "right", 0
            found.right_from = found.own_end = set_off.end()
        if after.mode == "end" and interrupted(
            text, boundary, found.clause_start, after.end, limit
        ):
            found.own_end = found.continues_to = limit  # "C1, officials said, spilled and ignited"
    elif (
        after.mode == "bare"
        and verb in lx.WEAK_VERBS
        and verb not in lx.ELIDING
        and (verb not in lx.CLAUSE_VERBS or _PREPOSITION_RE.match(text, after.end, limit))
        and not (verb in lx.FINDING_VERBS and _study(subject, verb))
        and not _CLAUSE_RE.match(text, after.end, limit)
        and not (verb in lx.JUDGING_VERBS and _TO_BE_RE.match(text, after.end, limit))
        and not (verb in {"declared", "declares"} and _DECLARED_A_RE.match(text, after.end, limit))
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
        for number, note in enumerate(subject.notes):  # "L'Est Republicain, citing a document,"
            citing = re.match(r"(?:citing|quoting)\s+", note)
            beside = subject.notes[max(number - 1, 0) : number + 2]
            if any(ANONYMITY_RE.search(n) for n in beside if n is not note):
                continue  # "who declined to be identified, citing client confidentiality": why
            if citing and not cited:
                rest = note[citing.end() :]
                relative = re.search(r"\s(?:who|whom)\s", rest)
                named = rest[: relative.start()] if relative else rest
                cited = split_coordination(Mention(named, subject.start, subject.end))
                if relative and cited:  # "citing two officials who spoke on condition ..."
                    cited[-1].with_notes([rest[relative.start() + 1 :]])
                found.cue = f"{cand.word}, citing"
        found.chains = shapes.speaker_chains(split_coordination(subject), via, cited)
        found.notes = [*subject.notes, *after.notes]
    elif after.via is not None:
        found.notes = [f"via {after.via.text}"]
    return found


# After a verb with its speaker before it and nothing reported before that, a comma after a
# time or a place ("said on Sunday,", "reported in mid-2019,", "said in its report,", "said at
# a press conference after the incident,"), or an aside set off by commas ("said, in response
# to the study,"), sets off what was said, not another clause.
_NOT_SAID = (
    r"and|but|or|nor|so|yet|who|whom|which|whose|where|when|while|if|as|because|since|although|"
    r"though|unless|adding|saying|noting|citing|quoting|according|following|after|before|he|she|"
    r"they|it|that"
)
_PREPOSITION = r"in|on|at|to|for|from|with|by|of|during|about|over|under|after|before|following"
_SET_OFF_RE = re.compile(
    rf"(?:\s+(?:{_PREPOSITION})\s+[^,;:“”\"()]{{1,60}}?)?\s*,\s*"
    rf"(?:(?:{_PREPOSITION})\s+[^,;:“”\"()]{{1,40}}?,\s*)?"
    rf"(?!(?:{_NOT_SAID}|{_PREPOSITION})\b)(?=[“\"]?\w+\s+\S+\s+\S)"
)


# "said to come from", "reported to have been": an infinitive after the verb, what is said of
# a thing by no one named; not "said to reporters that", "said to this agency that", "said
# to him.", whose words up to a "that" or a stop are who was told.
_HEARSAY_RE = re.compile(
    r"\s+to\s+(?:be|have|been)\b|\s+to\s+(?!(?:[\w’'-]+\s+){0,4}?[\w’'.-]+\s*(?:[,;.:]|that\b|$))"
    r"(?!(?:the|a|an|this|these|that|those|his|her|their|its|our|my|your|him|them|me|us)\b)"
    r"(?-i:[a-z]+)\b"
)
_HEARSAY_VERBS = frozenset({"said", "reported", "believed", "thought", "alleged", "rumoured"})
# "no one had warned", "nobody told", "any official found to have": no one who spoke.
_NOBODY_RE = re.compile(r"(?:no\s+one|nobody|no-one|none|any|anyone|anybody)\b", re.I)


def _study(subject: Mention | None, verb: str) -> bool:
    """ "The study found", "the researchers suggest": a finding. People who "found" something
    may have come upon it ("Researchers found the bones in a cave"): only a study finds."""
    last = re.findall(r"[\w’'-]+", subject.text)[-1:] if subject is not None else []
    heads = lx.STUDY_WORDS - lx.AUTHORS if verb.startswith("f") else lx.STUDY_WORDS
    return bool(last) and lx.singular(last[0]) in heads


def _aside(text: str, cand: Cand, boundary: int) -> bool:
    """A verb of description set off by commas with its subject and no object of its own:
    "The sequence began, the patrol described, in the northbound lanes" reports, as "said" does."""
    return cand.kind == "described" and bool(
        re.match(r"\s*,", text[cand.end :])
        and re.search(r"\w,\s+(?:[\w’'.-]+\s+){0,5}$", text[boundary : cand.start])
    )


def _word_start(text: str, after: AfterVerb) -> int:
    """Where the object starts: at "that" itself when the parse took it for a conjunction."""
    return after.end - 4 if after.mode == "that" else after.end


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
            hedge = shapes.reportedly(text, cand)
            if hedge.relative:  # the article's own hedge is no attribution; see `shapes.reportedly`
                founds.append(hedge)
            continue
        if cand.kind in {"noun", "impersonal"}:
            if fixed := shapes.fixed(text, cand):
                founds.append(fixed)
            continue
        if cand.kind in {"stance", "showed", "described"}:
            if stance := stances.stance(text, cand, boundary):
                founds.append(stance)
            if stance or not _aside(text, cand, boundary):
                continue
            cand = Cand(cand.start, cand.end, "verb", cand.word)  # "C1, the patrol described, C2"
        if cand.kind == "according":
            found = shapes.according(text, cand, boundary, limit)
        elif cand.kind == "citing" and cand.word in {"Citing", "Quoting"}:
            pending, boundary = shapes.cited_sources(text, cand.end, limit)
            continue
        elif cand.kind == "citing" and cand.word == "citing":
            shapes.trailing_citation(text, cand, limit, founds)
            continue
        elif cand.kind == "cited":
            found = shapes.quoted_by(text, cand, boundary, limit) or shapes.cited_verb(
                text, cand, boundary, limit
            )
        elif cand.kind == "report":
            found = shapes.report_noun(text, cand, limit)
        elif cand.kind == "heard":
            found = shapes.passive(text, cand, boundary, limit)
        elif cand.kind == "verb":
            found = _verb(text, cand, boundary, limit, [f for f in founds if f.mode != "fixed"])
            if found is None and cand.word.lower() in lx.DENY_VERBS:
                found = stances.stance(text, cand, boundary)  # "X denied a report in Y that ..."
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
        for f in founds
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
