"""A body referred back to by the kind of body it is: "the agency", "the force", "the team".

"The Texas Commission on Environmental Quality said ... The agency said", "Derbyshire
Police said ... The force said", "Varenne-Lumo said in a statement ... The team said": a
bare "the <kind>" refers back to a body met before. Of the bodies met, the most recent
whose name agrees with the kind: one whose name carries a word of that kind ("Commission"
for an agency, "Police" for a force); when none does, one whose name carries no word of
any kind ("Cartrefi Bro Llwyd", "Varenne-Lumo"), which may be a body of any kind. A
"Ministry" is never "the team", nor "Hallam Foods" "the agency".
"""

# ruff: noqa: RUF001  (typographic apostrophes are part of names here)

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from ledger.suggest import lexicon as lx
from ledger.suggest.guess import SourceDraft

_AUTHORITY = (
    r"Agency|Authority|Commission|Regulat\w*|Office|Board|Watchdog|Inspectorate|"
    r"Administration|Ombudsman"
)
# The words a body's name carries when it is a body of the kind a noun names.
_NAMED_AS: dict[str, re.Pattern[str]] = {
    noun: re.compile(rf"\b(?:{pattern})\b")
    for nouns, pattern in [
        ("regulator watchdog agency authority", _AUTHORITY),
        ("force constabulary", r"Police|Constabulary|Garda|Force"),
        ("union", r"Union|Federation|Guild|Local\s+\d+"),
        ("association charity trust", r"Association|Charity|Trust|Society|Foundation"),
        ("team club", r"Team|Club|F\.?C|United|City|Racing|Cycling"),
    ]
    for noun in nouns.split()
}
# Kinds that a bare name, with no word of any kind in it, may be: not a regulator, a force
# or a union, whose names say what they are.
_ANY_NAME = lx.words("association charity trust team club")


class Finder(Protocol):
    """What the drafting `SourceBook` gives: the text read so far, and the most recent
    source that passes a test."""

    text: str
    position: int

    def find(
        self, test: Callable[[SourceDraft], bool], *, recent: bool = True
    ) -> SourceDraft | None: ...


def body_of_kind(book: Finder, label: str, head: str) -> SourceDraft | None:
    """The body met before that "the <head>" (`label`, two words at most) refers back to."""
    named_as = _NAMED_AS.get(head)
    if named_as is None or len(label.split()) > 2:
        return None
    found = book.find(lambda s: s.kind == "organization" and bool(named_as.search(s.label)))
    if found is None and head in _ANY_NAME:
        before = book.text[: book.position]
        found = book.find(
            lambda s: (
                _bare(s.label)
                and (
                    s.kind == "organization"
                    or (s.kind == "person" and _spoke_as_it(s.label, before))
                )
            )
        )
        if found is not None and found.kind == "person":
            found.kind = "organization"
            found.why.append(f"“{label}” refers back to it: a body, not a person")
    return found


def _spoke_as_it(name: str, text: str) -> bool:
    """ "Varenne-Lumo said in a statement that it had ...", "Cartrefi Bro Llwyd, which
    manages ...": the name was referred to as a thing, so it names a body (a bare name
    met as a speaker is first guessed a person)."""
    return bool(
        re.search(
            rf"\b{re.escape(name)}(?:,\s+which\b|\s+(?:said|says|denied|announced|added)\b"
            r"[^.;“”\"]{0,40}?\b(?:it|its)\b)",
            text,
        )
    )


def _bare(label: str) -> bool:
    """A name with no word of any kind of body in it: "Cartrefi Bro Llwyd", not "Hallam Foods",
    nor a title such as "The Athletic" (a name that opens with "The" is an outlet's, or says
    its kind), nor a description ("A spokesperson for ...")."""
    tokens = re.findall(r"[\w’'-]+", label)
    if not tokens or tokens[0] == "The" or not all(t[:1].isupper() for t in tokens):
        return False  # "A spokesperson for Cartrefi Bro Llwyd" is a person, not a name
    return not any(
        lx.singular(t.lower()) in lx.ORG_WORDS or t.lower() in lx.ORG_WORDS for t in tokens
    )
