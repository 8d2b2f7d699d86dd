"""A reason stated bare, and its why told after it.

"All three staff members asked not to be named. Two still work for the association and
said they feared disciplinary action." "None of them agreed to be named. They said they
feared they would be posted out of the capital." "Both asked not to be identified; one is
still in academia." The statement of anonymity gives no why of its own; the clause after
its semicolon, or the next sentence of the paragraph, does when it speaks of what the
sources fear or what still binds them. That why belongs with the statement, to each source
it went to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledger.text.sentences import Sentence

if TYPE_CHECKING:
    from ledger.suggest.guess import SourceDraft


@dataclass
class Untold:
    """A statement of anonymity with no why: its words, who was given it, and where."""

    reason: str
    sources: list[SourceDraft]
    paragraph: int


# What a why speaks of: fear of what naming would bring, what still binds the source (a job,
# an agreement that forbids it), or how being seen to speak would look.
_MOTIVE_RE = re.compile(
    r"\b(?:fear|fears|feared|fearing|afraid|worried|worry|(?:still|now)\s+(?:works?|employed|"
    r"operates?|in)|reprisals?|retaliation|retribution|disciplinary|dismissed|sacked|fired|"
    r"(?:lose|losing|lost)\s+(?:\w+\s+)?(?:jobs?|permits?|licen[cs]es?|contracts?)|permits?|"
    r"(?:non-disclosure|confidentiality|settlement|non-disparagement|severance)\s+"
    r"(?:agreements?|clauses?|undertakings?)|forbids?|forbidden|bound\s+by|"
    r"(?:seen|identified|known)\s+(?:to\s+be|as)\s|"
    r"not\s+(?:authori[sz]ed|allowed|permitted)|victimi[sz]|punish\w*|careers?)\b",
    re.IGNORECASE,
)


def untold_reason(
    sentence: Sentence, match: re.Match[str], reason: str, given: list[SourceDraft]
) -> Untold | None:
    """The statement `match` of `sentence`, if it stops at its grounds ("asked not to be
    named."); a why after a semicolon in the same sentence is added at once."""
    if not given or match.end() != match.end("grounds"):
        return None
    rest = sentence.text[match.end() :]
    if not rest.strip(" .”\"'\n"):
        return Untold(reason, given, sentence.paragraph)
    after = re.match(r"\s*;\s*(.+?)[.\s]*$", rest, re.DOTALL)
    if after and _MOTIVE_RE.search(after.group(1)):
        _extend(given, reason, f"{reason}; {' '.join(after.group(1).split())}")
    return None


def goes_on(untold: Untold | None, sentence: Sentence) -> None:
    """The sentence after a bare statement, in its paragraph, that says what they fear."""
    if untold is None or sentence.paragraph != untold.paragraph:
        return
    text = " ".join(sentence.text.split())
    if text[:1] in '“"' or not _MOTIVE_RE.search(text):
        return
    _extend(untold.sources, untold.reason, f"{untold.reason}. {text.rstrip('.')}")


def _extend(sources: list[SourceDraft], reason: str, longer: str) -> None:
    for source in sources:
        if source.anonymity_reason == reason:
            source.anonymity_reason = longer
            source.why.append(f"its why told after it: “{longer}”")
