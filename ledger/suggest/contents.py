"""The reported content of each attribution: where it starts and ends in the sentence.

Content runs after the cue ("said that C") up to the next attribution's clause,
or before it ("C, she said") from the previous one. An attribution inside
another's content is a relay ("X reported that Y said C"); "said C1 and that
C2" is two claims. Spans drop connectives, outer quotation marks and closing
punctuation, and keep the article's exact words.
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ledger.suggest import lexicon as lx
from ledger.suggest.phrases import Mention, strip_span
from ledger.text.sentences import CLOSE_QUOTES, OPEN_QUOTES


@dataclass
class Found:
    """One attribution in a sentence (offsets local to the sentence)."""

    cue: str
    cue_start: int
    clause_start: int
    own_end: int
    # "right": content after the cue; "left": before it; "fixed": known already;
    # "chain": none of its own ("quoted X and said C": the chain for the next clause)
    mode: str
    chains: list[list[Mention]] = field(default_factory=list)
    elided: bool = False  # "..., adding ...": same speaker as the attribution before
    content: tuple[int, int] | None = None
    right_from: int = 0
    left_to: int = 0
    notes: list[str] = field(default_factory=list)
    relative: bool = False  # a "reportedly" inside a relative clause: its own proposition
    text_before_inner: str = ""  # the outer's content when an inner attribution cut it short
    # "X told Y that Z reported C1 and that C2": C2 is X's again, not Z's
    outer_chains: list[list[Mention]] | None = None
    # "The figures were confirmed by X": no claim of its own, another chain for the claims before
    confirms: bool = False
    # "C1, officials said, C2": the cue stands inside its clause, whose content runs on to here
    continues_to: int = 0
    # "reported C, citing X": the content after the cue ends where the cited source is named
    right_to: int = 0
    # "At the White House, X says." sets the scene: no claim, but X may speak in what follows
    scene: bool = False


def trim(text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """Content without connectives, outer quotation marks and closing punctuation."""
    for _ in range(3):
        lo, hi = strip_span(text, lo, hi, " \t\n,;:–—-")
        lead = re.match(r"(?:that|and|but|while|as)\s+", text[lo:hi])
        if lead:
            lo += lead.end()
        while hi > lo and text[hi - 1] in ".,;:":
            hi -= 1
        if hi - lo < 2:
            return None
        inner = text[lo + 1 : hi - 1]
        quoted = text[lo] in OPEN_QUOTES + '"' and text[hi - 1] in CLOSE_QUOTES + '"'
        if hi - lo > 2 and quoted and not any(c in inner for c in CLOSE_QUOTES + '"'):
            lo, hi = lo + 1, hi - 1
    if len(text[lo:hi].split()) < 2:
        return None
    return lo, hi


def clause_start(text: str, lo: int, at: int) -> int:
    """Extend a clause leftwards over connectives: ", while the ministry said" starts at "while"."""
    match = re.search(
        r"(?:[,;]?\s*(?:and|but|while|whereas|as|although|though)\s*)?\s*$", text[lo:at]
    )
    return lo + match.start() if match else at


# The rest of a clause that a cue interrupts: ", spilled and ignited", ", to determine if ...";
# not a clause of its own (", but ...", ", he added") nor a speaker's description.
_INTERRUPTED_RE = re.compile(
    r",\s+(?!(?:and|but|or|nor|so|yet|while|whereas|as|although|though|because|since|if|when|"
    r"he|she|they|it|we|I|you|who|which|whose|where|according|adding|saying|noting|citing|"
    r"told|a|an|the|one|two|three|both|all|also|however|though|too|in\s+a|in\s+an|on|last|"
    r"this|earlier|later|yesterday|today)\b)[a-z]"
)
# After words with no verb of their own ("On Sunday in London,", "In between,", "Tesco's
# Polish operation,"), the clause goes on past the cue even with a subject of its own.
_GOES_ON_RE = re.compile(
    r",\s+(?!(?:and|but|or|nor|so|yet|while|whereas|although|though|because|according|adding|"
    r"saying|noting|citing|who|which|whose|where)\b)[\w“\"‘]"
)


def _verbless(words: str) -> bool:
    """Words that open a clause without its verb: no auxiliary, no lowercase past tense."""
    found = re.findall(r"[\w’'-]+", words)
    return bool(found) and not any(
        w.lower() in lx.VERBISH or (w.islower() and w.endswith("ed")) for w in found
    )


# A place or time before a cue: "At the White House", "In a meeting that day he".
_SCENE_RE = re.compile(
    r"(?:At|In|On|During|After|Before|Amid|Following|Since|Earlier|Later|Inside|Outside)\s"
)


def _scene(content: str) -> bool:
    """Words that set the scene (a place or a time, no verb) and report nothing."""
    present = re.search(  # "In the end the plan fails": a verb in the present tense
        r"\b(?!(?:the|a|an|its|his|her|their|this|that|these|those)\b)[a-z]+\s+[a-z]+s\b", content
    )
    return (
        bool(_SCENE_RE.match(content))
        and len(content.split()) <= 8
        and _verbless(content)
        and not present
    )


def interrupted(text: str, lo: int, left_to: int, at: int, limit: int) -> bool:
    """Does the clause before a cue ("C1, officials said," "C1, according to X,") go on after
    it? Then its content is the whole clause, from `lo` to `limit`, and not C1 alone."""
    if _INTERRUPTED_RE.match(text, at, limit):
        return True
    return bool(_GOES_ON_RE.match(text, at, limit)) and _verbless(text[lo:left_to])


_NEW_CLAUSE_RE = re.compile(r"[,;]?\s*(?:and|but|while|whereas|although|though)\b")


def assign_contents(text: str, founds: list[Found], start: int) -> None:
    ordered = sorted((f for f in founds if f.mode != "fixed"), key=lambda f: f.clause_start)
    # "..., but Serar denies this": a stance in a clause of its own ends the content before it
    stances = [
        f.clause_start
        for f in founds
        if f.mode == "fixed"
        and (
            _NEW_CLAUSE_RE.match(text, f.clause_start)
            or re.search(r";\s*$", text[: f.clause_start])
        )
    ]
    for index, found in enumerate(ordered):
        if found.mode == "right":
            later = [
                f.clause_start for f in ordered[index + 1 :] if f.clause_start >= found.right_from
            ] + [at for at in stances if at > found.right_from]
            if found.right_to:
                later.append(found.right_to)
            found.content = trim(text, found.right_from, min(later, default=len(text)))
    for index, found in enumerate(ordered):
        if found.mode == "left":
            ends = [
                f.content[1] if f.content and f.mode == "right" else f.own_end
                for f in ordered[:index]
            ]
            lo = max(ends, default=start)
            if found.continues_to:  # the clause the cue interrupts, not the one before a ";"
                lo = max(lo, text.rfind(";", lo, found.left_to) + 1)
            found.content = trim(text, lo, found.continues_to or found.left_to)
            if found.content is not None and _scene(text[slice(*found.content)]):
                found.scene = True  # "At the White House, Spokesman X says.": no claim of its own
            if found.content is not None:
                found.content = _own_quotation(text, *found.content)


# An opening quotation mark after words that end no sentence: "A commander goes by the alias
# Abu Omar “We were arrested. We were tortured,” he said."
_INNER_QUOTE_RE = re.compile(r"(?<=[\w.,])\s+[“\"](?=[A-Z])")


def _own_quotation(text: str, lo: int, hi: int) -> tuple[int, int]:
    """The quotation at the end of a content before its cue, when it runs to several sentences:
    the words before it introduce the speaker, and are not what the speaker said."""
    openings = list(_INNER_QUOTE_RE.finditer(text, lo, hi))
    opening = openings[-1] if openings else None
    closes = re.match(rf"[,.!?]?[{CLOSE_QUOTES}\"]", text[hi - 1 : hi + 2])
    if opening is None or not (closes or text[hi - 1] in CLOSE_QUOTES):
        return lo, hi
    quoted = text[opening.end() - 1 : hi]
    if not re.search(r"[.!?]\s+[A-Z“\"]", quoted) or any(c in quoted[1:] for c in OPEN_QUOTES):
        return lo, hi
    return trim(text, opening.end() - 1, hi) or (lo, hi)


def _holds(outer: Found, inner: Found, text: str = "") -> bool:
    """Does `inner` stand in the content of `outer`? Its subject may open that content
    ("reported that two aides said"), leaving `outer` no content of its own."""
    if outer.mode != "right" or inner.clause_start < outer.right_from:
        return False
    if outer.content is None:
        return inner.clause_start - outer.right_from <= 1
    return inner.clause_start < outer.content[1] or _heard(outer, inner, text)


def _heard(outer: Found, inner: Found, text: str) -> bool:
    """ "said she had heard the superintendent tell a meeting that C": what was heard is the
    content, and the hearer the link before the speaker. So too "said she attended a meeting
    at which a director told staff that C": the scene she was in leads to what was said."""
    assert outer.content is not None
    before = outer.text_before_inner or ""
    return bool(
        (
            re.fullmatch(r"(?:\w+\s+){0,3}(?:heard|overheard|saw|watched)\s*", before)
            or (  # not an aside: "an industry in which, one said, C"
                re.search(r"\b(?:at|in|during|on)\s+which\s*$|\bwhere\s*$", before)
                and "," not in text[outer.content[1] : inner.clause_start + 1]
            )
        )
        and inner.clause_start - outer.content[1] <= 1
    )


def nest(founds: list[Found], text: str = "") -> list[Found]:
    """ "X reported that Y said C": Y's claim reached us through X; X's own clause is Y's."""
    kept: list[Found] = []
    for found in founds:
        if found.content and found.mode == "right":
            found.text_before_inner = text[found.content[0] : found.content[1]]
        outer = next((f for f in kept if _holds(f, found, text)), None)
        if outer and found.chains and outer.chains and found.mode != "fixed":
            found.outer_chains = outer.chains
            found.chains = [[*o, *chain] for o in outer.chains for chain in found.chains]
            found.cue = f"{outer.cue}, {found.cue}"
            kept.remove(outer)
        kept.append(found)
    return kept


def _quoting(before: str) -> bool:
    """Is a quotation open at the end of `before`: more opening marks than closing ones?"""
    opened = sum(before.count(mark) for mark in OPEN_QUOTES)
    closed = sum(before.count(mark) for mark in CLOSE_QUOTES)
    return opened > closed or before.count('"') % 2 == 1


def split_that(text: str, founds: list[Found]) -> list[Found]:
    """ "said C1 and that C2", "said C1 but that C2": two claims with the same speaker."""
    result = []
    for found in founds:
        parts = [found]
        if found.content and found.mode == "right":
            lo, hi = found.content
            cut = re.search(r",?\s+(?:and|but)\s+that\s+", text[lo:hi])
            if cut and _quoting(text[: lo + cut.start()]):
                cut = (
                    None  # "“We hope he is innocent and that this is a false alarm”": one quotation
                )
            if cut:
                first, second = trim(text, lo, lo + cut.start()), trim(text, lo + cut.end(), hi)
                if first and second:
                    found.content = first
                    twin = Found(
                        found.cue, found.cue_start, found.clause_start, found.own_end, "right"
                    )
                    twin.chains = found.outer_chains or found.chains
                    twin.elided, twin.content = found.elided, second
                    twin.notes = found.notes
                    parts.append(twin)
        result.extend(parts)
    return result
