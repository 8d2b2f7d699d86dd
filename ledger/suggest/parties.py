"""Who a source speaks for: the party behind a spokeswoman, a press office, a statement.

DESIGN.md's `speaks_for`: a spokeswoman's words are her ministry's, a press
office's its government's, a statement's whoever issued it, so the rules count
them as one party. The article says so in a handful of shapes: "a spokeswoman
for the Ministry of Health", "the ministry's spokeswoman", "Pentagon spokesman
Jeff Davis", "a statement from U.S. Africa Command", "the embassy's press
office". Working somewhere is not speaking for it ("a doctor at the hospital"),
so only these roles count.
"""

# ruff: noqa: RUF001  (typographic apostrophes are the subject here)

from __future__ import annotations

import re

from ledger.suggest import lexicon as lx

_ROLES = (
    r"spokes(?:man|woman|person|people|men|women)|press\s+(?:secretary|officer|office|service|"
    r"team|department)|communications\s+(?:director|office|chief)|statement|communiqu[eé]|"
    r"press\s+release|news\s+release"
)
# "a spokeswoman for the Ministry of Health", "a statement from U.S. Africa Command"
_FOR_RE = re.compile(
    rf"\b(?:{_ROLES})\s+(?:for|of|from|issued\s+by|at)\s+"
    r"((?:the\s+)?[\w’'.&()-]+(?:\s+(?!who\b|which\b|said\b)[\w’'.&()-]+){0,7})",
    re.IGNORECASE,
)
# "the ministry's spokeswoman", "Its spokeswoman", "the embassy's press office"
_OWNER_RE = re.compile(
    rf"((?:the\s+)?(?:[\w.&-]+\s+){{0,4}}?[\w.&-]+)[’']s\s+(?:(?:chief|top|senior|deputy|main|"
    rf"official|own)\s+)?(?:{_ROLES})\b|\b(its|their)\s+(?:{_ROLES})\b",
    re.IGNORECASE,
)
# "Pentagon spokesman Jeff Davis", "Police spokesman Superintendent Ahmed Kuria"
_BEFORE_RE = re.compile(
    rf"^(?:the\s+|a\s+|an\s+)?((?:[A-Z][\w.&-]*\s+){{1,4}}?)(?:{_ROLES})\b", re.IGNORECASE
)
_NOT_A_PARTY = frozenset({"a", "an", "the", "chief", "top", "senior", "deputy", "former", "new"})


def _clean(phrase: str) -> str:
    phrase = re.split(r",|\s+(?:on|in|at|told|said|says|who|which|that)\s", phrase)[0]
    return phrase.strip(" .,")


def party_phrase(texts: list[str]) -> tuple[str, str] | None:
    """(the words naming the party, the words that show it), from a source's label and
    descriptions; None when nothing says the source speaks for someone else."""
    for text in texts:
        found = _FOR_RE.search(text)
        if found:
            return _clean(found.group(1)), found.group(0).strip()
        found = _OWNER_RE.search(text)
        if found:
            owner = found.group(1) or found.group(2)
            return owner.strip(), found.group(0).strip()
        found = _BEFORE_RE.match(text.strip())
        if found:
            words = [w for w in found.group(1).split() if w.lower() not in _NOT_A_PARTY]
            if words and _names_a_party(words):
                return " ".join(words), found.group(0).strip()
    return None


def _names_a_party(words: list[str]) -> bool:
    """Capitalised or an organisation noun: "Pentagon", "Police"; not "Presidential"."""
    last = words[-1].lower()
    if last in lx.ORG_WORDS or lx.singular(last) in lx.ORG_WORDS:
        return True
    return words[-1][:1].isupper() and not words[-1].lower().endswith(("al", "ial", "ian"))
