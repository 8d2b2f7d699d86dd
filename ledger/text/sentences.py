"""Splitting an article into sentences, keeping every sentence's offsets in the text.

Used by the suggester (claims are found sentence by sentence) and by the
annotated article view (which sentences no claim covers yet).

Offsets matter because a claim's quote must be the article's exact words. The
rules are the ones news copy needs: a period after "Mr", "Gen", "U.S" or "a.m"
usually does not end a sentence; a quotation that runs over several sentences
stays in one piece, so that "“... . ...,” he said" keeps its speaker; a single
line break inside a paragraph (copy pasted from a web page) is not a boundary,
a blank line is.
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


OPEN_QUOTES = "“«„"
CLOSE_QUOTES = "”»"
QUOTES = OPEN_QUOTES + CLOSE_QUOTES + '"'

# Abbreviations after which a period never ends a sentence (titles come before a name).
TITLES = _words(
    """mr mrs ms dr prof gen lt col sgt capt maj cmdr adm sen rep gov pres rev st
    fr sr jr messrs hon amb supt insp det cpl pvt brig lieut"""
)
# Abbreviations that may end a sentence: only when a usual sentence opener follows.
ENDINGS = _words(
    """inc corp co ltd plc llc no nos vs etc jan feb mar apr jun jul aug sep sept oct
    nov dec approx dept est univ ft mt ave blvd bros"""
)
# Words that open sentences (after "4 a.m." or "Corp." they mark a new sentence).
OPENERS = _words(
    """the a an he she it they we i his her their its this that these those there
    but and in on at after before when while although though as so yet if however
    meanwhile according last earlier later one two three some many most all both
    officials police authorities"""
)

_END_RE = re.compile(r"[.!?]+[" + re.escape(CLOSE_QUOTES + "\"'’)") + r"]*")
_PARAGRAPH_RE = re.compile(r"\n[ \t]*\n|\r\n[ \t]*\r\n")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its text and where it starts and ends in the article."""

    start: int
    end: int
    text: str
    paragraph: int  # a sentence that starts a line starts a paragraph (web copy has no blank lines)


def _previous_word(text: str, dot: int) -> str:
    """The token that ends at `dot` (a period), e.g. "U.S" or "Mr"."""
    start = dot
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(" + QUOTES:
        start -= 1
    return text[start:dot]


def _next_word(text: str, at: int) -> str:
    match = re.match(r"\s*[" + re.escape(QUOTES + "‘'(") + r"]*([\w’'-]+)", text[at:])
    return match.group(1) if match else ""


# A line of a list in newsletter copy: "- ", "• ", "* " or a dash at the start of a line.
_BULLET_RE = re.compile(r"[ \t]*\n[ \t]*[-•*–—][ \t]")


def _is_boundary(text: str, mark: re.Match[str]) -> bool:
    """Does the punctuation in `mark` end a sentence? Looks at the words on both sides."""
    after = text[mark.end() :]
    if after[:1] and not after[:1].isspace():
        return False  # "U.S.-led", "3.5", "e.g.,"
    rest = after.lstrip()
    if not rest:
        return True
    if _BULLET_RE.match(after):
        return True  # "... from.\n- The second employee said": a bullet opens a new line's sentence
    following = _next_word(text, mark.end())
    if rest[0] not in OPEN_QUOTES + '"‘' and not (following and following[0].isupper()):
        return False
    if mark.group(0)[0] != ".":
        return True
    word = _previous_word(text, mark.start())
    bare = word.rstrip(".").lower()
    if bare in TITLES:
        return False
    is_initialism = bool(re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word)) or len(bare) == 1
    if is_initialism or bare in ENDINGS:
        return following.lower() in OPENERS
    return True


def quote_marks(text: str, opened: bool = False) -> Iterator[tuple[int, int]]:
    """(offset, +1/-1) for every quotation mark that opens or closes a quotation.

    A straight mark closes whatever quotation is open and opens one otherwise, so
    copy that mixes the two kinds (“C1," she said. "C2.”) still pairs its marks.
    `opened`: a quotation is open where `text` starts (left open by the paragraph before).
    """
    for index, char in enumerate(text):
        if char in OPEN_QUOTES:
            opened = True
            yield index, 1
        elif char in CLOSE_QUOTES:
            opened = False
            yield index, -1
        elif char == '"':
            yield index, -1 if opened else 1
            opened = not opened


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _PARAGRAPH_RE.finditer(text):
        yield from _label_lines(text, start, match.start())
        start = match.end()
    yield from _label_lines(text, start, len(text))


SHORT_LINE = 50  # characters: shorter than any wrapped line of running text but the last


def _label_lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A short line with no closing punctuation, then a capitalised one, stands alone.

    Headlines, subheads and "READ MORE: ..." lines pasted with single line
    breaks; wrapped running text has long lines, or lines that run on in lower case.
    """
    cut = start
    for newline in re.finditer(r"\n", text[start:end]):
        at = start + newline.start()
        line = text[text.rfind("\n", cut, at) + 1 if "\n" in text[cut:at] else cut : at].strip()
        following = text[at + 1 : end].lstrip()
        if (
            line
            and len(line) < SHORT_LINE
            and line[-1] not in ".!?:;,”\"’)'"
            and following[:1].isupper()
        ):
            yield cut, at
            cut = at + 1
    yield cut, end


def _split_paragraph(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    depth_at: dict[int, int] = {}
    depth = 0
    for offset, change in quote_marks(text[start:end]):
        depth = max(0, depth + change)
        depth_at[start + offset] = depth
    if depth:
        depth_at = {}  # a quotation left open (it runs into the next paragraph): ignore marks
    cut = start
    depth = 0
    marks = {m.start(): m for m in _END_RE.finditer(text, start, end)}
    for index in range(start, end):
        if index in depth_at:
            depth = depth_at[index]
        mark = marks.get(index)
        if mark is None:
            continue
        closes_quote = any(c in CLOSE_QUOTES + '"' for c in mark.group(0))
        if depth > 0 and not closes_quote:
            continue  # inside a quotation that runs on: keep its sentences together
        if closes_quote and depth_at.get(mark.end() - 1, 0) > 0:
            continue
        if _is_boundary(text[:end], mark):
            yield cut, mark.end()
            cut = mark.end()
    yield cut, end


def _line_start(text: str, at: int) -> bool:
    """Does `at` open a line (only spaces before it since the last line break)?"""
    return not text[text.rfind("\n", 0, at) + 1 : at].strip()


def split(text: str) -> list[Sentence]:
    """The sentences of `text`, stripped, in order, each with its offsets."""
    sentences: list[Sentence] = []
    paragraph, previous_end = -1, 0
    for p_start, p_end in _paragraphs(text):
        for start, end in _split_paragraph(text, p_start, p_end):
            while start < end and text[start].isspace():
                start += 1
            bullet = _BULLET_RE.match("\n" + text[start:end]) if _line_start(text, start) else None
            if bullet:  # "- A third person said ...": the list's mark is no word of the sentence
                start += bullet.end() - 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start < end:
                if not sentences or "\n" in text[previous_end:start]:
                    paragraph += 1
                sentences.append(Sentence(start, end, text[start:end], paragraph))
                previous_end = end
    return sentences
