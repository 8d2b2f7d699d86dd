"""A body referred back to by its kind: "the company", "the airline", "the union".

Articles name a company, a club or an agency as the subject of their own
sentences ("Aerolinea Sur cancelled more than 300 flights", "The company Litio
Andino S.A., which operates the project") and only later quote it as "the
airline said" or "the firm said". The body was never a speaker, so the sources
met so far hold nothing for "the airline" to refer back to, and a bare name met
as a speaker ("Calder Vale Water denied ...") was guessed a person for want of a
sign. The noun itself is the sign: the nearest name that opens a sentence, or
stands beside the noun, before the description is the body it refers back to.
"""

# ruff: noqa: RUF001  (typographic apostrophes are part of names here)

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from ledger.suggest import lexicon as lx
from ledger.suggest.guess import SourceDraft
from ledger.suggest.phrases import Mention
from ledger.text.sentences import split


class BodyBook(Protocol):
    """What referring back to a body asks of the article's sources so far (the drafting
    `SourceBook`): the text read up to where, and finding or adding a source."""

    text: str
    position: int

    def find(
        self, test: Callable[[SourceDraft], bool], *, recent: bool = True
    ) -> SourceDraft | None: ...

    def new_source(self, label: str, mention: Mention) -> SourceDraft: ...


# The kinds of body an article refers back to by a bare noun.
BODY_NOUNS = lx.COMPANY_WORDS | lx.words("airline club")
_NAME = r"[A-Z][\w&’'.-]*(?:\s+(?:[A-Z][\w&’'.-]*|of|on|and|for|de|del))*"
_NOT_NAMES = lx.words(
    """the a an in on at but and as after before by for from if it its he she they we i this
    that these those there when while with mr ms mrs dr shares"""
)


def _opening_name(sentence: str) -> str | None:
    """The name a sentence opens with, as its subject: "Lumenfield kept ...", not "But he"."""
    match = re.match(rf"({_NAME})\s+(?-i:[a-z])", sentence)
    if not match or match.group(1).split()[0].lower().rstrip(".") in _NOT_NAMES:
        return None
    if re.search(r"[’']s?$", match.group(1)):  # "Lumenfield's chief executive": a possessor
        return None
    name = match.group(1)
    # a person's subject: "Gillian Ashworth said she ..." is referred back to as she or he
    if re.search(r"\b(?:he|she|his|her|him)\b", sentence[match.end() :]):
        return None
    return name


def _beside_noun(sentence: str, noun: str) -> str | None:
    """ "The company Litio Andino S.A.", "Pulsewell, the maker", "Acme, a firm that"."""
    after = re.search(rf"\b[Tt]he\s+{noun}\s+({_NAME})", sentence)
    if after:
        return after.group(1)
    before = re.search(rf"({_NAME}),\s+(?:the|a|an)\s+(?:[\w-]+\s+){{0,3}}{noun}\b", sentence)
    return before.group(1) if before else None


def _proper(name: str, text: str) -> bool:
    """A name, not a capitalised opening word ("Her", "According", "Neighbors"): it is
    capitalised inside a sentence too, or runs to a second capitalised word."""
    if re.fullmatch(r"\S+\s+[A-Z].*", name):
        return True
    return bool(re.search(rf"(?-i:[a-z,])\s+{re.escape(name)}\b", text))


def body_named_before(text: str, noun: str) -> str | None:
    """The name of the body that "the <noun>" at the end of `text` refers back to, if any."""
    for sentence in reversed(split(text)):
        name = _beside_noun(sentence.text, noun) or _opening_name(sentence.text)
        if name and _proper(name, text):
            return name.rstrip(",’'")
    return None


def refer_back_to_body(
    book: BodyBook, label: str, head: str, mention: Mention
) -> SourceDraft | None:
    """The body "the company" names: a source met before under that name (then no person),
    or a new organisation under the name the article gave it."""
    if head not in BODY_NOUNS or not re.fullmatch(r"the\s+\w+", label, re.IGNORECASE):
        return None
    name = body_named_before(book.text[: book.position], head)
    if name is None:
        return None
    found = book.find(lambda s: s.label == name and s.gender is None, recent=False)
    if found is not None:
        if found.kind == "person":
            found.kind = "organization"
            found.why.append(f"“{label}” refers back to it: a body, not a person")
        return found
    source = book.new_source(name, Mention(name, mention.start, mention.end, list(mention.notes)))
    source.kind, source.anonymity = "organization", "named"
    source.short.append(label)
    return source
