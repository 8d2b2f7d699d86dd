"""Which source a "he", "she", "they" or "it" stands for: the candidates ranked by weights.

The rule takes the last source met that fits the pronoun. It is wrong in known
ways: a relay is met after the speaker it relays, a name in passing after the
one who spoke, and a candidate's kind or gender may be a guess. So each source
met is described by a few features (the rule's own choice, how recently it was
met, agreement, kind, whether it spoke last or only relayed) and scored by
weights learned from the development annotations: `benchmarks/suggest_ranker.py`
writes `pronoun_weights.json` beside this module, so anyone can retrain them and
measure them writer by writer. With no weights file the rule's choice stands.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from ledger.suggest import lexicon as lx
from ledger.suggest.guess import SourceDraft
from ledger.suggest.keys import person_name

WEIGHTS_FILE = Path(__file__).with_name("pronoun_weights.json")
# The pronoun's class: a person's "he" or "she", a group's "they", a body's "it"; "r" is
# a relative "who" or "which".
PRONOUN_CLASSES = {"he": "s", "she": "s", "him": "s", "her": "s", "they": "p", "it": "t"}


@dataclass
class Memory:
    """What the article has done with each source so far, by provisional key."""

    last_at: dict[str, int] = field(default_factory=dict)  # where it was last met
    origins: set[str] = field(default_factory=set)  # said something themselves
    hops: set[str] = field(default_factory=set)  # passed someone's words on
    last_origin: str | None = None  # who said the last thing said


# How a speaker's description opens: an article, a determiner, a number, a possessive.
_OPENINGS = lx.words(
    "a an the one two three four five six seven eight nine ten some several many its his her"
    " their our my this that these those another each both"
)


def _distance(chars: int) -> str:
    return "here" if chars <= 0 else "near" if chars < 300 else "para" if chars < 1000 else "far"


def features(
    pronoun: str,
    candidate: SourceDraft,
    rank: int,
    ruled: SourceDraft | None,
    memory: Memory,
    at: int,
    fits_he_or_she: Callable[[SourceDraft], bool],
) -> list[str]:
    """The names of a candidate's features for one pronoun; each is crossed with the
    pronoun's class, since "it" and "she" want different things of a source."""
    wanted = {"she": "f", "her": "f", "he": "m", "him": "m"}.get(pronoun)
    key = candidate.key
    names = [
        "rule" if candidate is ruled else "not-rule",
        f"rank{min(rank, 4)}",
        f"kind-{candidate.kind}",
        f"away-{_distance(at - memory.last_at.get(key, at))}",
    ]
    if wanted and candidate.gender:
        names.append("gender-agrees" if candidate.gender == wanted else "gender-clashes")
    if candidate.plural:
        names.append("plural")
    if candidate.outlet:
        names.append("outlet")
    if candidate.anonymity == "anonymous":
        names.append("anonymous")
    if person_name(candidate.label) is not None:
        names.append("named")
    first = candidate.label.split()[0] if candidate.label.split() else ""
    if first[:1].islower() and first.lower() not in _OPENINGS:
        names.append("odd-opening")  # "most of the fall came from", "speaker not identified"
    if wanted and fits_he_or_she(candidate):
        names.append("a-he-or-she")
    if key == memory.last_origin:
        names.append("spoke-last")
    if key in memory.hops and key not in memory.origins:
        names.append("only-relayed")
    elif key in memory.origins:
        names.append("has-spoken")
    cls = PRONOUN_CLASSES.get(pronoun, "r")
    return [f"{cls}:{name}" for name in names]


@dataclass
class Weights:
    """Learned weights, and which sources they choose among: every source met lately
    ("recent") or only those the rule would take ("fitting")."""

    weights: dict[str, float] = field(default_factory=dict)
    pool: str = "fitting"


def load_weights(path: Path = WEIGHTS_FILE) -> Weights:
    """The learned weights; none (so the rule stands) when there is no file."""
    if not path.exists():
        return Weights()
    data = json.loads(path.read_text())
    return Weights({str(k): float(v) for k, v in data["weights"].items()}, data["pool"])


WEIGHTS = load_weights()


Candidate = TypeVar("Candidate")


def choose(
    candidates: Sequence[tuple[Candidate, list[str]]], weights: dict[str, float]
) -> Candidate | None:
    """The best scored candidate (the first of equals, so ties keep the rule's order)."""
    best, best_score = None, float("-inf")
    for candidate, names in candidates:
        total = sum(weights.get(name, 0.0) for name in names)
        if total > best_score:
            best, best_score = candidate, total
    return best
