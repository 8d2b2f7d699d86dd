"""Speech inside a quotation: "“He said, ‘It's temporary,’” the supervisor said."

A quotation that opens with someone else's saying ("He said ...", "She told me
...", "The masters said ...") carries that person's words through the one quoted:
the chain is [the one quoted, the one they quote], nearest first and origin last.
The inner speaker is never the one quoted (nobody calls themselves "he"), so "he"
or "she" there is the person last mentioned, in passing or as a speaker, who is
someone else of that gender ("her husband", "a technician"). "They told us ..."
is left to the one quoted: a group met before is too often not who "they" are.
"""

# ruff: noqa: RUF001, RUF002  (typographic quotation marks are the subject here)

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ledger.suggest import lexicon as lx
from ledger.suggest.phrases import Mention

if TYPE_CHECKING:
    from ledger.suggest.bundle import ClaimDraft
    from ledger.suggest.guess import SourceDraft
    from ledger.suggest.sources import SourceBook
    from ledger.text.sentences import Sentence

# The quotation's first words: a third person and a verb of saying to the one quoted.
_INNER_SPEECH_RE = re.compile(
    r"(He|She|(?:The|My|Our|His|Her|Their)\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)\s+"
    r"(?:said|says|wrote|told\s+(?:me|us|him|her|them)|kept\s+saying|would\s+say)\b"
)


def _inner_speaker(text: str, lo: int) -> Mention | None:
    """Whose words a quotation at `lo` in `text` (a sentence) opens with, if it opens with
    a third person's saying and `lo` is just inside the quotation marks."""
    if not re.search(r"[“\"‘]\s*$", text[:lo]):
        return None  # reported, not quoted: "He said the door ..." is the claim's own subject
    match = _INNER_SPEECH_RE.match(text, lo)
    if match is None:
        return None
    return Mention(match.group(1), match.start(1), match.end(1))


# A person mentioned in passing: "her brother Daniel", "a technician", "an operations manager":
# a determiner and up to three lowercase words, one of them the person's noun.
_PERSON_RE = re.compile(
    r"\b(?=(?:[Aa]n?|[Tt]he|[Hh]er|[Hh]is|[Tt]heir|[Mm]y|[Oo]ur)\s+"
    r"(?P<words>[a-z][\w-]*(?:\s+[a-z][\w-]*){0,2}))"  # a lookahead: the matches may overlap
)
_MEN = lx.words("brother husband father son man boy uncle nephew grandfather")
_WOMEN = lx.words("sister wife mother daughter woman girl aunt niece grandmother")


def _passing_mention(text: str, before: int, pronoun: str, quoted: str) -> str | None:
    """The person last mentioned before `before` (in that paragraph or the one before) whom
    "he" or "she" can be, other than the one quoted: their words as printed."""
    start = text.rfind("\n\n", 0, text.rfind("\n\n", 0, before))
    wanted, other = (_WOMEN, _MEN) if pronoun == "She" else (_MEN, _WOMEN)
    mine = {w.lower() for w in re.findall(r"[\w’'-]+", quoted)}
    found: tuple[bool, str] | None = None
    for match in _PERSON_RE.finditer(text, max(start, 0), before):
        words = match.group("words").split()
        at = next((i for i, w in enumerate(words) if w in lx.ROLE_NOUNS), None)
        if at is None or words[at] in other | mine or lx.singular(words[at]) != words[at]:
            continue  # no person, the other gender, the one quoted, or several people
        if words[at] in wanted or found is None or not found[0]:
            phrase = text[match.start() : match.end("words")]
            found = (words[at] in wanted, phrase[: phrase.index(words[at]) + len(words[at])])
    return found[1] if found else None


def _other_than(book: SourceBook, mention: Mention, quoted: SourceDraft) -> SourceDraft | None:
    """The source `mention` stands for, passing over the one whose quotation holds it."""
    recent = book.recent
    book.recent = [source for source in recent if source is not quoted]
    try:
        source, _, _ = book.resolve(mention)
    finally:
        added = [source for source in book.recent if source not in recent]
        book.recent = recent + added
    return source if source is not quoted else None


def quoting(book: SourceBook, sentence: Sentence, claim: ClaimDraft) -> None:
    """ "“He said, ‘...’” the supervisor said": each chain goes on to whom the quoted quotes.
    A new list, so that the quotations after it go on in the supervisor's own voice."""
    inner = _inner_speaker(sentence.text, claim.start - sentence.start)
    if inner is not None:
        claim.chains = _through_quotation(book, claim.chains, inner, claim.why)


def _through_quotation(
    book: SourceBook, chains: list[list[str]], inner: Mention, why: list[str]
) -> list[list[str]]:
    result = []
    for chain in chains:
        quoted, speaker = book.by_key(chain[-1]), inner
        if inner.text in {"He", "She"}:
            passing = _passing_mention(book.text, book.position, inner.text, quoted.label)
            if passing is None:
                result.append(chain)
                continue
            speaker = Mention(passing, inner.start, inner.end)
        source = _other_than(book, speaker, quoted)
        if source is None or source.key in chain:
            result.append(chain)
            continue
        why.append(f"“{inner.text}” speaks inside the quotation: {source.key}, through {chain[-1]}")
        result.append([*chain, source.key])
    return result
