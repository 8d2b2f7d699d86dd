"""Fewer or other words for a source the ledger holds, as articles print them.

"Insurers" for "Insurers contacted by the Examiner", "The ministry" for the one ministry
named in full, "Ernesto" for the one Ernesto, "An MHRA statement" or "figures published by
the MHRA" for the MHRA, "A copy of the March letter" for the letter. `ledger.suggest.known`
asks these only when the label itself matched nothing.
"""

# ruff: noqa: RUF001  (typographic apostrophes are the subject here)

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

from ledger.suggest import lexicon as lx
from ledger.suggest.keys import person_name
from ledger.text.labels import fold_label


class KnownSource(Protocol):
    """A key the ledger accepts, the label it stands under, and the source it names."""

    @property
    def key(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def source(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def anonymity(self) -> str: ...


DETERMINERS = lx.words("a an the his her their its our this that these those")
# Where a description's core ends and what is said of it begins: "Insurers contacted by the
# Examiner", "an internal memo seen by Reuters", "a statement from the foreign ministry".
_POSTMODIFIER = lx.words(
    """seen cited contacted sent filed obtained reviewed issued published released signed
    drafted registered carried conducted completed commissioned prepared compiled written
    working operating based by from of at in with who that which for on"""
)
# A statement named by its issuer before it: "An MHRA statement", "a ministry statement".
_ISSUER_FIRST_RE = re.compile(
    r"(?:a|an|the)\s+((?:[\w’'.-]+\s+){0,3}?[\w’'.-]+?)\s+(?:statement|press\s+release|"
    r"communique|announcement)",
    re.IGNORECASE,
)
# What a party put out, named by it: "figures published by the league", "data released by
# the ministry"; and a copy of a document is that document ("A copy of the March letter").
_PUT_OUT_RE = re.compile(
    r"(?:(?:the|new|latest|official)\s+)*(?:figures|data|numbers|statistics)\s+"
    r"(?:(?:published|released|issued|compiled|provided)\s+(?:[\w\s]+?\s+)?by|from)\s+(.+)",
    re.IGNORECASE,
)
_COPY_OF_RE = re.compile(
    r"(?:a|an|the)\s+(?:copy|copies|version|excerpt|extract)\s+of\s+(.+)", re.IGNORECASE
)


def issuer(label: str) -> str | None:
    """Who issued a statement the label names: "An MHRA statement" -> "MHRA"; what is put out
    or copied, its issuer or original: "figures published by Fox League" -> "Fox League"."""
    put_out = _PUT_OUT_RE.fullmatch(label.strip()) or _COPY_OF_RE.fullmatch(label.strip())
    if put_out:
        return put_out.group(1)
    first = _ISSUER_FIRST_RE.fullmatch(label.strip())
    if first and not re.fullmatch(r"(?:written|joint|brief|short|new|official)", first.group(1)):
        return first.group(1)
    after = STATEMENT_OF_RE.fullmatch(label.strip())
    return after.group(1) if after else None


STATEMENT_OF_RE = re.compile(
    r"(?:(?:a|an|the)\s+)?(?:statement|press\s+release|release|communique|announcement)s?\s+"
    r"(?:from|by|of|issued\s+by)\s+(.+)",
    re.IGNORECASE,
)


def _bare(label: str) -> list[str]:
    """The folded words of a label without its determiners: "A welder" is "welder"."""
    words = fold_label(label).split()
    while len(words) > 1 and words[0] in DETERMINERS:
        words = words[1:]
    return words


def _proper(label: str) -> bool:
    """Is the label a name before what is said of it? "the Ministry of Health", "Thames Valley
    Police"; not "Insurers contacted by the Examiner" (a capital that opens a sentence)."""
    words = re.findall(r"[\w’'-]+", label)
    start = 0
    while start < len(words) - 1 and words[start].lower() in DETERMINERS:
        start += 1
    rest = words[start:]
    cut = next((i for i, w in enumerate(rest) if i and w in _POSTMODIFIER), len(rest))
    looked = rest[: cut + 2] if start else rest[1 : cut + 2]
    return any(w[:1].isupper() for w in looked)


def _core(words: list[str]) -> list[str]:
    """The words before the first postmodifier: "insurers contacted by the examiner" -> insurers."""
    cut = next((i for i, w in enumerate(words) if i and w in _POSTMODIFIER), len(words))
    return words[:cut]


class LooseIndex:
    """The ledger's bodies, documents and named people, by fewer words than their labels.

    - the same words once determiners are set aside, or the same core before what is said
      of it ("Insurers" for "Insurers contacted by the Examiner", "an internal memo" for "an
      internal memo seen by Reuters");
    - a statement named by who issued it ("a statement from the defence ministry");
    - a definite head ("The ministry", "Police") when exactly one body or document of the
      ledger has that head and the article names it in full;
    - a first name alone ("Ernesto") when exactly one named person of the ledger has it.

    An unnamed person of the ledger is never matched: "a senior official" is rarely the same.
    """

    def __init__(self, items: Iterable[KnownSource]) -> None:
        self._by_core: dict[str, list[KnownSource]] = defaultdict(list)
        self._by_head: dict[str, list[KnownSource]] = defaultdict(list)
        self._by_first: dict[str, list[KnownSource]] = defaultdict(list)
        self._text, self._text_folded = "", ""
        for item in items:
            if item.kind == "person":
                name = person_name(item.label.partition(",")[2] or item.label)
                if item.anonymity == "named" and name:
                    self._by_first[fold_label(name).split()[0]].append(item)
                continue
            # "the Ministry of Health" is a name, whole; "Insurers contacted by ..." a description
            core = _bare(item.label) if _proper(item.label) else _core(_bare(item.label))
            if core:
                self._by_core[" ".join(core)].append(item)
                self._by_head[lx.singular(core[-1])].append(item)

    def _folded(self, text: str) -> str:
        if self._text != text:
            self._text, self._text_folded = text, f" {fold_label(text)} "
        return self._text_folded

    def match(self, label: str, text: str) -> tuple[KnownSource, str] | None:
        words = _bare(label)
        if not words:
            return None
        found = one_source(self._by_core.get(" ".join(_core(words)), []))
        if found is not None:
            return found, f"“{label}” and “{found.label}” differ only in their determiners and tail"
        statement = STATEMENT_OF_RE.fullmatch(label.strip())
        if statement and (
            found := one_source(self._by_core.get(" ".join(_core(_bare(statement.group(1)))), []))
        ):
            return found, f"“{label}” is a statement of {found.label}"
        if re.fullmatch(r"(?:the\s+)?[A-Za-z]+", label.strip(), re.IGNORECASE) and len(words) == 1:
            folded = self._folded(text)
            heads = [
                item
                for item in self._by_head.get(lx.singular(words[0]), [])
                if f" {' '.join(_core(_bare(item.label)))} " in folded
            ]
            if (found := one_source(heads)) is not None:
                return (
                    found,
                    f"“{label}” is the one {words[0]} the ledger holds, named in the article",
                )
        if re.fullmatch(r"[A-Z][a-z’'-]+", label.strip()):
            found = one_source(self._by_first.get(words[0], []))
            if found is not None:
                return found, f"“{label}” is the first name of {found.label}"
        return None


def one_source(items: list[KnownSource]) -> KnownSource | None:
    """The one source among `items` (aliases of one source count once), or None."""
    by_source = {item.source: item for item in items}
    return next(iter(by_source.values())) if len(by_source) == 1 else None
