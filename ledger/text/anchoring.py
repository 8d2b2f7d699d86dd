"""Finding a claim's quote in its article text.

Journalists copy quotes from a web page, a wire feed or a PDF: line breaks,
doubled spaces, typographic quote marks and dashes differ from what they type.
Matching folds all of those on both sides, and keeps a map back to the original
text so that a match can be reported at its real offsets.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

_FOLD = str.maketrans(
    {
        "\u2018": "'",  # left single quotation mark
        "\u2019": "'",  # right single quotation mark, apostrophe
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text and, for each of its characters, the offset it came from."""

    text: str
    offsets: Sequence[int]


_WORD = re.compile(r"\S+")  # `\s` is exactly `str.isspace`, so runs are cut where they were


def fold(text: str) -> Folded:
    """Fold typographic marks to ASCII and every run of whitespace to one space.

    A word at a time, offsets in an array of machine integers: no Python loop
    per character, and no Python integer per character kept.
    """
    translated = text.translate(_FOLD)  # one character for one: offsets stay the original's
    pieces: list[str] = []
    offsets = array("i")  # 4 bytes a character: texts are far below 2 GiB
    for match in _WORD.finditer(translated):
        start, end = match.span()
        if pieces:  # a run of whitespace between two words: one space, at the run's last character
            pieces.append(" ")
            offsets.append(start - 1)
        pieces.append(match.group())
        offsets.extend(range(start, end))
    return Folded("".join(pieces), offsets)


def fold_text(text: str) -> str:
    return fold(text).text


@dataclass(frozen=True, slots=True)
class Span:
    """Where a quote stands in the original (unfolded) article text."""

    start: int
    end: int


# --- searching an article for many quotes ------------------------------------------------------
#
# An import looks up every quote of an article in the same text. Folding the text
# again for each quote, and scanning it from the start for each, made an import
# grow with the square of the article (2,000 quoted claims: 32 s). The text is
# folded once (a few texts are kept), with an index of where its words start; a
# quote is looked up by the rarest of its own inner word starts, so each lookup
# costs about the quote's length, not the article's.

INDEX_CHARS = 8
"""Word starts are indexed by their first characters (spaces and following words included)."""
MAX_CANDIDATES = 64
"""Past this many places to try, one scan of the folded text (in C) is the cheaper way."""


@dataclass(frozen=True, slots=True)
class Haystack:
    """An article's folded text, and where each word of it starts, by its first characters."""

    folded: Folded
    word_starts: dict[str, list[int]]


@functools.lru_cache(maxsize=4)
def haystack(text: str) -> Haystack:
    folded = fold(text)
    starts: dict[str, list[int]] = {}
    body = folded.text
    for match in _WORD.finditer(body):
        at = match.start()
        starts.setdefault(body[at : at + INDEX_CHARS], []).append(at)
    return Haystack(folded, starts)


def _places(found: Haystack, needle: str) -> list[int] | None:
    """Where the needle may start, ascending, or None when only a scan can tell.

    A space at `j - 1` in the needle puts a word start of the text at `p + j` for
    any occurrence at `p`: so the occurrences are among the index entries of
    `needle[j : j + INDEX_CHARS]`, shifted by `j`. The rarest such entry is used.
    """
    best: list[int] | None = None
    best_shift = 0
    at = needle.find(" ")
    while at != -1 and at + 1 + INDEX_CHARS <= len(needle):
        shift = at + 1
        entries = found.word_starts.get(needle[shift : shift + INDEX_CHARS], [])
        if best is None or len(entries) < len(best):
            best, best_shift = entries, shift
            if not entries:
                return []
        at = needle.find(" ", shift)
    if best is None or len(best) > MAX_CANDIDATES:
        return None
    return [start - best_shift for start in best if start >= best_shift]


def scan(text: str, needle: str, start: int) -> int:
    """`str.find`: the fallback for a quote the index cannot narrow (kept apart to be counted)."""
    return text.find(needle, start)


def _occurrences(quote: str, article_text: str, *, first: bool) -> list[Span]:
    needle = fold_text(quote)
    if not needle:
        return []
    found = haystack(article_text)
    body, offsets = found.folded.text, found.folded.offsets
    places = _places(found, needle)
    hits: list[int] = []
    if places is None:
        at = scan(body, needle, 0)
        while at != -1:
            hits.append(at)
            if first:
                break
            at = scan(body, needle, at + 1)
    else:
        for at in places:
            if body.startswith(needle, at):
                hits.append(at)
                if first:
                    break
    return [Span(offsets[at], offsets[at + len(needle) - 1] + 1) for at in hits]


def find_all(quote: str, article_text: str) -> list[Span]:
    """Every place the folded quote occurs in the folded article text."""
    return _occurrences(quote, article_text, first=False)


def find(quote: str, article_text: str) -> Span | None:
    """The first place the quote occurs, or None."""
    spans = _occurrences(quote, article_text, first=True)
    return spans[0] if spans else None


def closest_passage(quote: str, article_text: str, *, limit: int = 160) -> str | None:
    """The passage of the article most like `quote`, to show next to a failed match.

    Candidate windows of the quote's length start at each word; the best by
    difflib's ratio wins. Windows are compared folded, so the suggestion reads
    like the text without its line breaks.
    """
    needle = fold_text(quote)
    body = haystack(article_text).folded.text
    if not needle or not body:
        return None
    width = len(needle)
    starts = [0] + [i + 1 for i, char in enumerate(body) if char == " "]
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(needle)
    best_ratio, best_start = -1.0, 0
    for start in starts:
        matcher.set_seq1(body[start : start + width])
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best_ratio, best_start = ratio, start
    passage = body[best_start : best_start + width]
    return passage if len(passage) <= limit else passage[: limit - 1] + "…"


# --- anchors: where a quote stands, and finding it again in a corrected text -------------------

CONTEXT_CHARS = 32


@dataclass(frozen=True, slots=True)
class Anchor:
    """A quote's place: offsets into the text (position selector) and the words around it
    (the prefix and suffix of a quote selector), kept to tell look-alike passages apart."""

    start: int
    end: int
    prefix: str
    suffix: str


def anchor_at(span: Span, text: str) -> Anchor:
    return Anchor(
        span.start,
        span.end,
        text[max(0, span.start - CONTEXT_CHARS) : span.start],
        text[span.end : span.end + CONTEXT_CHARS],
    )


def anchor_quote(quote: str, text: str) -> Anchor | None:
    """The anchor of the quote's first occurrence, or None when it is not in the text."""
    span = find(quote, text)
    return anchor_at(span, text) if span else None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A passage that looks like a lost quote, for the journalist to accept or not."""

    passage: str
    start: int
    end: int
    ratio: float


def candidates(quote: str, text: str, *, limit: int = 3) -> list[Candidate]:
    """The passages of `text` most like `quote`, best first, not overlapping each other.

    Windows start at each word and end at a word's end, a little shorter or
    longer than the quote, so a reworded quote is offered whole.
    """
    needle = fold_text(quote)
    if not needle or not text:
        return []
    word_ends = [match.end() for match in re.finditer(r"\S+", text)]
    starts = [match.start() for match in re.finditer(r"\S+", text)]
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(needle)
    scored: list[tuple[float, int, int]] = []
    for start in starts:
        for width in {int(len(quote) * factor) for factor in (0.85, 1.0, 1.15, 1.3)}:
            end = _word_end_after(word_ends, start + width)
            matcher.set_seq1(fold_text(text[start:end]))
            if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
                continue
            scored.append((matcher.ratio(), start, end))
    chosen: list[Candidate] = []
    for ratio, start, end in sorted(scored, key=lambda item: (-item[0], item[1])):
        if any(start < other.end and other.start < end for other in chosen):
            continue
        chosen.append(Candidate(text[start:end], start, end, round(ratio, 3)))
        if len(chosen) == limit:
            break
    return chosen


def _word_end_after(word_ends: list[int], position: int) -> int:
    """The end of the word that `position` falls in (or the text's last word end)."""
    index = bisect.bisect_left(word_ends, position)
    return word_ends[min(index, len(word_ends) - 1)]


@dataclass(frozen=True, slots=True)
class Reanchoring:
    """What became of one quote in a corrected text."""

    outcome: str  # "unchanged", "moved" or "orphaned"
    anchor: Anchor | None
    reason: str = ""
    candidates: tuple[Candidate, ...] = ()


def _context_agrees(found: Anchor, old: Anchor) -> bool:
    near = CONTEXT_CHARS // 2
    return fold_text(found.prefix)[-near:] == fold_text(old.prefix)[-near:] and (
        fold_text(found.suffix)[:near] == fold_text(old.suffix)[:near]
    )


def reanchor(quote: str, old: Anchor | None, text: str) -> Reanchoring:
    """Find a quote again in a corrected text, never settling for a look-alike.

    One exact (folded) match moves the anchor. Several are told apart only by
    the words around the old anchor; if that does not single one out, or there
    is no exact match at all, the claim is orphaned for the journalist, with the
    closest passages as candidates.
    """
    spans = find_all(quote, text)
    if len(spans) > 1 and old is not None:
        agreeing = [span for span in spans if _context_agrees(anchor_at(span, text), old)]
        spans = agreeing if len(agreeing) == 1 else spans
    if len(spans) == 1:
        found = anchor_at(spans[0], text)
        same = old is not None and (old.start, old.end) == (found.start, found.end)
        return Reanchoring("unchanged" if same else "moved", found)
    if spans:
        reason = f"ambiguous: the quote stands in {len(spans)} places"
        options = tuple(Candidate(text[s.start : s.end], s.start, s.end, 1.0) for s in spans[:5])
        return Reanchoring("orphaned", None, reason, options)
    return Reanchoring(
        "orphaned", None, "the quote is no longer in the text", tuple(candidates(quote, text))
    )


def sentence_spans(text: str) -> list[Span]:
    """Sentences of the text as spans (see `ledger.text.sentences` for the rules of news copy)."""
    from ledger.text.sentences import split

    return [Span(sentence.start, sentence.end) for sentence in split(text)]
