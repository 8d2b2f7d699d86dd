"""Which sources a statement about several of them is about.

"Both asked not to be named", "All three spoke on condition ...", "Most of the drivers
asked ...": the statement names a group by its number or its noun, not by a label, and
the group is not always the last plural met ("Two former employees said managers told
staff ... Both requested anonymity": the managers are not both). A statement reaches
the group the text ties it to: the one of its noun, else the one of its number, else
the last group of unnamed people met; and by its number, sources met one by one ("Two
drivers ... A mechanic ... All three"). Never every unnamed source met since.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ledger.suggest import lexicon as lx
from ledger.suggest.heads import head_word
from ledger.suggest.persons import person_noun

if TYPE_CHECKING:
    from ledger.suggest.guess import SourceDraft
    from ledger.suggest.sources import SourceBook

_COUNTS = {
    "both": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_COUNT_WORDS = "|".join([*_COUNTS, r"\d+"])
# How a group's size is printed first: "Two former warehouse employees", "eleven staff".
_SIZE_RE = re.compile(rf"^(?:the\s+|all\s+)?({_COUNT_WORDS})\s+\w", re.IGNORECASE)
# How a statement counts who it is about: "Both", "All three", "The four", "Both nurses".
_WANTED_RE = re.compile(
    rf"^(?:(both)|(?:all|the|these|those)\s+({_COUNT_WORDS}))\b(?:\s+of\s+them)?\s*(.*)$",
    re.IGNORECASE,
)


def _number(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else _COUNTS.get(word)


def size(source: SourceDraft) -> int | None:
    """How many people a source is, when the article says: 1 for one person."""
    if not source.plural:
        return 1
    printed = _SIZE_RE.match(source.label)
    return _number(printed.group(1)) if printed else None


def wanted(subject: str) -> tuple[int | None, str | None]:
    """(how many, of what noun) a statement's subject counts: "All three" (3, None), "Both
    nurses" (2, "nurse"), "the drivers" (None, "driver"), "them" (None, None)."""
    counted = _WANTED_RE.match(subject.strip())
    number, rest = None, subject
    if counted:
        number = 2 if counted.group(1) else _number(counted.group(2) or "")
        rest = counted.group(3)
    rest = re.sub(r"^(?:the|these|those|of)\s+", "", rest.strip(), flags=re.IGNORECASE)
    if not rest or rest.lower() in lx.PRONOUNS:
        return number, None
    head, _ = head_word(rest)
    noun = lx.singular(head.lower())
    return number, noun if person_noun(noun) else None


def the_group(book: SourceBook, subject: str, met: list[SourceDraft]) -> list[SourceDraft]:
    """The sources `subject` ("Both", "Most of the drivers", "All three") stands for, among
    the unnamed people `met` so far in order: a group and the members met one by one."""
    number, noun = wanted(subject)
    groups = [s for s in met if s.plural]
    if noun is not None:
        of_noun = [s for s in groups if s.head == noun or noun in s.note_heads()]
        if of_noun:
            return [of_noun[-1]]
    if number is not None:
        of_number = [s for s in groups if size(s) == number]
        if of_number:
            return [of_number[-1]]
        run: list[SourceDraft] = []  # "Two drivers ... A mechanic ... All three"
        total = 0
        for source in reversed(met):
            counted = size(source)
            if counted is None:
                break
            run.insert(0, source)
            total += counted
            if total >= number:
                break
        if total == number:
            return run
    last = book.find(lambda s: s in groups)
    return [last] if last is not None else []
