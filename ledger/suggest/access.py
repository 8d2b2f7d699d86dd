"""What newsroom standards ask of an unnamed source, read from how the article describes it.

Two answers the article often gives in passing: why the source was granted
anonymity ("spoke on condition of anonymity because he was not authorized to
discuss classified material", "asked not to be named for fear of retaliation")
and whether the source was in a position to know: `direct` for who saw, was in
the room, took part, read the document; `secondhand` for who was briefed on it,
is familiar with it, has knowledge of it. Each answer keeps the words it rests
on, for the comment beside the drafted field.
"""

from __future__ import annotations

import re

from ledger.suggest.anonymity import ANONYMITY_RE

# Who was there: "who saw", "who was in the room", "who was working 200 meters away",
# "involved in" (never "not involved in"), eyewitnesses, rescued miners. What the source did
# may come second ("who works in sales and was present for the vote") or be reported ("who it
# said had seen the footage"); being one of those who did it is being there ("was part of
# the first crew sent in", "members of the survey team", "with first-hand knowledge of").
_PRESENT_RE = re.compile(
    r"\b(?:who|which|and)\s+(?:(?:it|he|she|they|we|I)\s+(?:said|says|say)\s+)?"
    r"(?:also\s+|then\s+)?(?:saw|witnessed|watched|attended|survived|heard|"
    r"took\s+(?:part|charge)|participated|"
    r"(?:was|were)\s+(?:present|there|in\s+the\s+room|inside|on\s+duty|underground|aboard|"
    r"on\s+board|at\s+the\s+(?:meeting|scene|talks|trials)|among\s+the|one\s+of\s+the|"
    r"(?:a\s+)?part\s+of\s+the)|"
    r"(?:was|were)\s+(?:working|waiting|standing|sitting|queuing|queueing|picking|fishing|"
    r"driving|walking|riding)\b|"
    r"(?:has|have|had)\s+(?:seen|witnessed|attended))"
    r"|(?<!not\s)\b(?:involved\s+in|present\s+(?:at|in|during|for)|took\s+part\s+in)\b"
    r"|\bmembers?\s+of\s+the\s+(?:[\w-]+\s+){0,2}(?:team|crew|panel|unit|squad)\b"
    r"|\b(?:direct|first-?hand|personal)\s+knowledge\s+of\b"
    r"|\b(?:eye)?witness(?:es)?\b|\b(?:rescued|surviving)\s+[a-z]+",
    re.IGNORECASE,
)
# Who handled the thing: "who read the memo", "who ran the night shift", "who answered the
# complaints", "who has worked at the mine since ...". Said of unnamed sources only: of a
# named expert ("who led the study") the article gives credentials, not a vantage point.
_HANDLED_RE = re.compile(
    r"\b(?:who|which)\s+(?:also\s+|still\s+|then\s+)?(?:viewed|read|reviewed|examined|inspected|"
    r"(?:has|have|had)\s+(?:read|reviewed|viewed|watched|visited|examined|inspected|treated|"
    r"handled|worked)|visited|"
    r"worked\s+(?:on|in|at|with|alongside|beside|the\s+same)\b|"
    r"(?:ran|runs|run|handled|handles|handle|answered|answers|oversaw|oversees|managed|manages|"
    r"advised|advises|treated|treats|investigated|drafted|signed|negotiated|processed|operated|"
    r"operates|audited)\b)",
    re.IGNORECASE,
)
_SECONDHAND_RE = re.compile(
    r"\b(?:briefed\s+(?:on|about)|familiar\s+with|(?:with|who\s+(?:has|have|had))\s+knowledge\s+of|"
    r"who\s+(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:told|briefed|informed)|"
    r"close\s+to\s+the\s+(?:negotiations|talks|investigation|inquiry|probe|matter|deal|"
    r"discussions|process|case|review)|aware\s+of\s+the\s+(?:talks|plans?|matter|discussions|"
    r"negotiations|investigation|inquiry)|knowledgeable\s+about)\b",
    re.IGNORECASE,
)


# Witnesses named as such or by what they did: "eyewitness Jane Roe", "survivors", "residents
# who fled", "a driver who was driving behind the lorry". Named or not, they saw it themselves.
_WITNESS_RE = re.compile(
    r"\beye-?witness(?:es)?\b|^(?:the\s+|some\s+|several\s+|other\s+)?survivors\b"
    r"|\b(?:residents|villagers|people|families)\s+who\s+(?:fled|escaped|survived)\b"
    r"|\bwho\s+(?:was|were)\s+(?:driving|walking|standing|riding)\s+(?:just\s+)?"
    r"(?:behind|nearby|next\s+to|past|in\s+front)\b",
    re.IGNORECASE,
)


def witness(texts: list[str]) -> tuple[str, str] | None:
    """("direct", the words), for a source described as a witness: named or not."""
    for text in [*texts, " ".join(texts)]:  # "Residents" with its note "who fled"
        found = _WITNESS_RE.search(text)
        if found:
            return "direct", _phrase(text, found.start())
    return None


def direct(texts: list[str]) -> tuple[str, str] | None:
    """("direct", the words), for a named source: who was there, or a witness. What an unnamed
    source handled, and hearsay ("familiar with"), are left to the journalist when it is named."""
    for text in texts:
        found = _PRESENT_RE.search(text)
        if found:
            return "direct", _phrase(text, found.start())
    return witness(texts)


def knowledge(texts: list[str]) -> tuple[str, str] | None:
    """("direct" | "secondhand", the words it rests on), from a source's label and descriptions."""
    for pattern, value in (
        (_PRESENT_RE, "direct"),
        (_HANDLED_RE, "direct"),
        (_SECONDHAND_RE, "secondhand"),
    ):
        for text in texts:
            found = pattern.search(text)
            if found:
                return value, _phrase(text, found.start())
        if value == "direct" and (seen := witness(texts)):
            return seen
    return None


# "A soldier says he has witnessed incidents ...": the claim itself says how the speaker knows.
_WITNESSED_RE = re.compile(
    r"(?:he|she|they|I|we)\s+(?:(?:has|have|had)\s+)?(?:personally\s+|himself\s+|herself\s+)?"
    r"(?:witnessed|seen|saw)\b",
    re.IGNORECASE,
)


def knowledge_in_claim(quote: str) -> tuple[str, str] | None:
    """("direct", the words), when what a source says opens with having seen it themselves."""
    found = _WITNESSED_RE.match(quote)
    return ("direct", found.group(0)) if found else None


def _phrase(text: str, start: int) -> str:
    """The words around a hint, to a clause boundary: what the comment quotes."""
    end = re.search(r"[,;.]|$", text[start:])
    return text[start : start + (end.start() if end else len(text))].strip()


def reason(texts: list[str]) -> str | None:
    """The stated ground for anonymity, with its "because …" when the article gives one."""
    # "who declined to be identified", "citing ...": one reason, in whichever order the
    # descriptions were read; the first stated, with the most words it carries
    found = [
        clean_reason(stated.group(0))
        for text in (", ".join(texts), ", ".join(reversed(texts)))
        if (stated := ANONYMITY_RE.search(text))
    ]
    return max(found, key=len) if found else None


def clean_reason(phrase: str) -> str:
    """The stated reason without the clause around it: "who spoke on condition of anonymity"."""
    joined = re.search(r"\s+and\s+(?=declined|did|would|said|spoke|asked)", phrase)
    if joined and not ANONYMITY_RE.match(phrase, joined.end()):
        phrase = phrase[: joined.start()]  # "... and asked for anonymity to avoid ...": both kept
    return re.sub(r"^(?:who|which|that)\s+", "", phrase.strip(" ,.")).strip()
