"""Who in an article's register can be "he" or "she", and what never names a speaker.

The lexicon lists the roles the rules were written with ("official", "nurse"), but every
writer brings new ones ("a shift supervisor", "a shipbroker", "a 24-year-old picker").
English marks most of them the same way: an agent suffix on a noun. A pronoun then looks
back for the last person it can be, not for the last phrase of any kind ("The reply",
"Jan. 9"); and a date is never a speaker, whatever stands before "which said".
"""

# ruff: noqa: RUF001  (typographic apostrophes are the subject here)

from __future__ import annotations

import re

from ledger.suggest import lexicon as lx

# "-er" and "-or" words that are things or times, not people who could speak.
_NOT_AGENTS = lx.words(
    """after border center centre chapter computer corner counter cover daughter-in-law
    door error factor favor favour filter floor folder header honor honour labor labour
    ledger letter manner matter mirror minor monitor motor number order other over
    paper power quarter rather register sector summer theater theatre tower trailer under
    water whether winter never ever either neither together later corridor tractor answer
    weather poster sticker charter however whatever whenever wherever whoever moreover
    further rather earlier former latter longer older younger larger lower higher newer
    fewer greater smaller bigger stronger weaker wider closer faster slower harder cheaper
    deeper richer poorer better bitter per nor for major prior senior junior interior
    exterior inferior carrier barrier frontier layer prayer exist insist persist assist
    resist consist enter offer suffer gather consider wonder deliver remember discover
    cover recover encounter register answer alter differ render order transfer refer prefer
    defer infer confer tender"""
)
_AGENT_RE = re.compile(r"[a-z]{3,}(?:er|or|ist|ian|ant|ent|eer|ier|yer)")
_NOT_AGENT_ENDINGS = ("ment", "ent", "ant")  # "statement", "document", "agreement", "warrant"
_AGENT_ENT_ANT = lx.words(
    """resident student patient agent president parent correspondent respondent client
    regent dependent claimant applicant assistant attendant consultant accountant
    participant servant tenant merchant lieutenant sergeant informant defendant
    migrant immigrant emigrant entrant descendant occupant"""
)


def person_noun(word: str) -> bool:
    """Could a common noun be a person: in the lexicon's roles, or an agent ("a picker")?"""
    lower = lx.singular(word.lower().strip("’'"))
    if lower in lx.ROLE_NOUNS or lower in {"head", "boss", "deputy", "chief"}:
        return True  # "the head of the investigators", "her deputy"
    if lower in lx.ORG_WORDS | lx.DOCUMENT_WORDS | lx.MEDIA_WORDS | lx.RECORDING_WORDS:
        return False
    if lower in _NOT_AGENTS or not _AGENT_RE.fullmatch(lower):
        return False
    if lower.endswith(_NOT_AGENT_ENDINGS):
        return lower in _AGENT_ENT_ANT
    return True


_DATE_RE = re.compile(
    rf"(?:(?:on|by|since|from|dated)\s+)?(?:(?:{lx.DAYS}),?\s+)?"
    rf"(?:(?:{lx.MONTHS})\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+(?:{lx.MONTHS})(?:\s+\d{{4}})?"
    rf"|{lx.DAYS}|(?:{lx.MONTHS})(?:\s+\d{{4}})?|\d{{4}})",
    re.IGNORECASE,
)


def is_date(label: str) -> bool:
    """ "Jan. 9", "9 October", "Monday", "March 2024": a time, never who spoke."""
    return _DATE_RE.fullmatch(label.strip(" ,")) is not None


_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_ORDINAL_RE = re.compile(
    r"(?:the|that|this)\s+(first|second|third|fourth|fifth|sixth)\s+([\w’'-]+)", re.IGNORECASE
)


def ordinal(label: str) -> tuple[int, str] | None:
    """ "the second administrator": (2, "administrator"). Which one of those met, in order."""
    match = _ORDINAL_RE.fullmatch(label.strip())
    if match is None:
        return None
    return _ORDINALS[match.group(1).lower()], lx.singular(match.group(2).lower())
