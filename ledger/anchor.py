"""Finding a claim's quote in its article text.

Journalists copy quotes from a web page, a wire feed or a PDF: line breaks,
doubled spaces, typographic quote marks and dashes differ from what they type.
Matching folds all of those on both sides, and keeps a map back to the original
text so that a match can be reported at its real offsets.
"""

from __future__ import annotations

import difflib
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
    offsets: tuple[int, ...]


def fold(text: str) -> Folded:
    """Fold typographic marks to ASCII and every run of whitespace to one space."""
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, char in enumerate(text.translate(_FOLD)):
        if char.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            offsets.append(index - 1)
            pending_space = False
        chars.append(char)
        offsets.append(index)
    return Folded("".join(chars), tuple(offsets))


def fold_text(text: str) -> str:
    return fold(text).text


@dataclass(frozen=True, slots=True)
class Span:
    """Where a quote stands in the original (unfolded) article text."""

    start: int
    end: int


def find_all(quote: str, article_text: str) -> list[Span]:
    """Every place the folded quote occurs in the folded article text."""
    needle = fold_text(quote)
    haystack = fold(article_text)
    if not needle:
        return []
    spans = []
    at = haystack.text.find(needle)
    while at != -1:
        end = at + len(needle) - 1
        spans.append(Span(haystack.offsets[at], haystack.offsets[end] + 1))
        at = haystack.text.find(needle, at + 1)
    return spans


def find(quote: str, article_text: str) -> Span | None:
    """The first place the quote occurs, or None."""
    spans = find_all(quote, article_text)
    return spans[0] if spans else None


def closest_passage(quote: str, article_text: str, *, limit: int = 160) -> str | None:
    """The passage of the article most like `quote`, to show next to a failed match.

    Candidate windows of the quote's length start at each word; the best by
    difflib's ratio wins. Windows are compared folded, so the suggestion reads
    like the text without its line breaks.
    """
    needle = fold_text(quote)
    haystack = fold_text(article_text)
    if not needle or not haystack:
        return None
    width = len(needle)
    starts = [0] + [i + 1 for i, char in enumerate(haystack) if char == " "]
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(needle)
    best_ratio, best_start = -1.0, 0
    for start in starts:
        matcher.set_seq1(haystack[start : start + width])
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best_ratio, best_start = ratio, start
    passage = haystack[best_start : best_start + width]
    return passage if len(passage) <= limit else passage[: limit - 1] + "…"
