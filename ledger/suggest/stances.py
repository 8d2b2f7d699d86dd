"""Stances: "X dismissed the allegations", "X denied a report in Y", "footage showed C".

The verb takes a thing said, not a reported clause, so the claim is the whole
clause with its speaker: what X did is what the article attributes. These are
told apart from acts ("the court rejected the appeal", "denied bail") by what
the object names.
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re

from ledger.suggest import lexicon as lx
from ledger.suggest.candidates import (
    Cand,
)
from ledger.suggest.contents import (
    Found,
    clause_start,
    trim,
)
from ledger.suggest.phrases import (
    Mention,
    split_coordination,
)
from ledger.suggest.subjects import leading_noun_phrase, subject_before

# "that report", "this", "it": what a denial points back to, when it is not a clause.
POINTED_OBJECT_RE = re.compile(
    r"\s*(?:that|this|these|those|it)(?:\s+(?:[\w-]+\s+)?(?:reports?|claims?|allegations?|accounts?|"
    r"story|stories|statements?|suggestions?|assertions?|version|figures?|characteri[sz]ation))?"
    r"\s*(?:[.,;]|$|\s+(?:as|on|in|at|and|but)\b)",
    re.IGNORECASE,
)


def object_is_said(text: str, lo: int, hi: int, *, gerund: bool = False) -> bool:
    """Does the object starting at `lo` name something said ("the allegations", "any
    wrongdoing", "that report"), or, if `gerund`, a deed denied ("denied knowing him")?"""
    head_of_object = " ".join(text[lo:hi].split()[:6])
    if gerund and re.match(r"(?:any\s+|ever\s+)?\w+ing\b", head_of_object):
        return True
    if POINTED_OBJECT_RE.match(text, lo) and lx.DENY_RE.search(text[max(0, lo - 12) : lo]):
        return True  # "Serar denies this": a denial points back to something said
    return bool(lx.SAID_THINGS_RE.search(head_of_object))


# Where a stance clause ends: a semicolon, the sentence's end, a dash, or an attribution of its own.
_CLAUSE_END_RE = re.compile(
    r"[;!?]|\.(?=\s|$)|\s[–—]\s|,\s*(?:according\s+to|citing|but|while|whereas|telling|saying|"
    r"adding|insisting|noting|arguing)\b|$"
)


# "as fraudulent", "as a sham"; not "as the filing came too late" (a clause of its own)
_AS_WHAT_RE = re.compile(r"\sas\s+(?!(?:the|he|she|it|they|we|his|her|their|its|this|there)\b)")


def stance(text: str, cand: Cand, boundary: int) -> Found | None:
    """ "X dismissed the allegations", "X denied a report in Y", "footage showed C".

    The verb takes a thing, not a reported clause, so the claim is the clause
    itself, its speaker included: what X did is what the article attributes.
    """
    after_comma = re.search(r",\s*$", text[boundary : cand.start]) is not None
    if re.fullmatch(r"\w+ing", cand.word) and not after_comma:
        return None  # "messages show a manager describing the sales as ...": the object's doing
    gerund = re.match(r"\w+ing\b", cand.word) is not None
    subject = (
        None if gerund and cand.kind == "described" else subject_before(text, boundary, cand.start)
    )
    participle = subject is None and gerund
    if participle and after_comma:
        # "The agency issued figures, putting the toll at 40": the clause's subject speaks
        subject = leading_noun_phrase(text, _after_fronted_time(text, boundary), cand.start)
    if subject is None:
        return None
    if cand.kind == "showed" and not lx.EVIDENCE_WORDS & set(subject.text.lower().split()):
        return None  # "footage on NHK showed", "the data show"; not "he showed courage"
    end = _CLAUSE_END_RE.search(text, cand.end)
    hi = end.start() if end else len(text)
    # "dismissed the election as fraudulent": what the election is said to be is the claim
    # the thing is not something said ("dismissed the allegations" is a stance on words)
    said = object_is_said(text, cand.end, hi)
    characterised = (
        not said
        and cand.word.lower().startswith("dismiss")
        and bool(_AS_WHAT_RE.search(text, cand.end, hi))
    )
    if lx.ACT_STANCE_RE.match(cand.word) and not characterised and not said:
        return None  # "the court rejected the appeal", "denied bail": acts, not stances
    # "lists a tail number of ...": a listing with no "as" states its object, as a stance does
    listing = cand.word.startswith("list") and not re.search(r"\sas\s", text[cand.end : hi])
    if (cand.kind == "described" or characterised) and not listing:  # "described X as", "called"
        calls = cand.word.lower().startswith("call")
        telling = re.match(r"\s+(?:how|what|why|where|when)\b", text[cand.end : hi])
        if not telling and not re.search(r"\sas\s" if not calls else r"[“\"]", text[cand.end : hi]):
            return None  # "described how the unit was ambushed" tells; "described the gunman as"
        as_phrase = re.search(r"\sas\s", text[cand.end : hi])
        comma = text.find(",", cand.end + as_phrase.end()) if as_phrase and not calls else -1
        content = trim(text, cand.end, comma if 0 <= comma < hi else hi)
    elif cand.kind == "showed":  # the evidence speaks; the claim is what it shows
        that = re.match(r"\s*(?:that\b)?", text[cand.end : hi])
        content = trim(text, cand.end + (that.end() if that else 0), hi)
    elif participle:
        content = trim(text, cand.start, hi)
    else:
        content = trim(text, clause_start(text, boundary, _subject_start(text, subject)), hi)
    pointed = POINTED_OBJECT_RE.match(text, cand.end) and lx.DENY_RE.search(text[: cand.end])
    if content is None or (len(text[cand.end : hi].split()) < 2 - participle and not pointed):
        return None
    found = Found(  # owns only its verb: a report named in the object is parsed on its own
        cand.word,
        cand.start,
        clause_start(text, boundary, _subject_start(text, subject)),
        cand.end,
        "fixed",
        [[speaker] for speaker in split_coordination(subject)],
        content=content,
    )
    found.notes = list(subject.notes)
    return found


def _after_fronted_time(text: str, lo: int) -> int:
    """Past a fronted time phrase: "Just two days earlier, Taliban officials touted ..."."""
    fronted = re.match(
        rf"\s*(?:[\w-]+\s+){{0,4}}?(?:earlier|later|ago|{lx.WHEN})\s*,", text[lo:], re.IGNORECASE
    )
    return lo + fronted.end() if fronted else lo


def _subject_start(text: str, subject: Mention) -> int:
    """Where the subject's words begin: "The ministry's spokeswoman, Dana Levi" before the name."""
    starts = [text.rfind(note, 0, subject.start) for note in subject.notes]
    return min([subject.start, *(at for at in starts if at >= 0)])
