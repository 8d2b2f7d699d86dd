"""Laying each claim's quote over the article text, for the highlighted article view.

The text is cut at every quote boundary, so overlapping or nested quotes
still come out as flat, non-overlapping pieces, each knowing which claims
cover it and which start there (their numbers are shown at the start). Where
a quote was anchored when it was entered, that stored position is used; only
a quote without one is searched for, so a long article costs one pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from ledger.text import anchoring


@dataclass(frozen=True, slots=True)
class Mark:
    """A quote's place in the text and the claim it belongs to (by its number in the article)."""

    start: int
    end: int
    number: int
    key: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text covered by the same claims; `starting` claims begin exactly here."""

    text: str
    covering: tuple[int, ...]
    starting: tuple[int, ...]

    @property
    def innermost(self) -> int | None:
        """The claim whose colour the run takes: the last one to have started."""
        return self.covering[-1] if self.covering else None


def place_quotes(
    text: str,
    claims: Sequence[tuple[int, str, str | None]],
    anchors: Mapping[str, anchoring.Span],
) -> tuple[list[Mark], list[int]]:
    """Marks for (number, key, quote) claims, and the numbers whose quote is not in the text."""
    marks: list[Mark] = []
    missing: list[int] = []
    for number, key, quote in claims:
        span = anchors.get(key)
        if span is None and quote:
            span = anchoring.find(quote, text)
        if span is not None:
            marks.append(Mark(span.start, span.end, number, key))
        elif quote:
            missing.append(number)
    return marks, missing


def segments(text: str, marks: Sequence[Mark]) -> list[Segment]:
    """The whole text as consecutive segments; their texts joined give `text` back."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    ordered = sorted(marks, key=lambda m: (m.start, -m.end, m.number))
    pieces: list[Segment] = []
    for start, end in pairwise(cuts):
        if start >= end:
            continue
        covering = tuple(m.number for m in ordered if m.start <= start and end <= m.end)
        starting = tuple(m.number for m in ordered if m.start == start)
        pieces.append(Segment(text[start:end], covering, starting))
    return pieces
