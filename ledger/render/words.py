"""How the ledger says things in plain words, shared by every human-facing renderer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ledger.vocab import Anonymity


class _HopLike(Protocol):
    label: str
    anonymity: Anonymity
    anonymity_reason: str | None


def describe_hop(hop: _HopLike) -> str:
    """`a prominent Syrian opposition official (anonymous: insisted on anonymity)`."""
    if hop.anonymity is Anonymity.NAMED:
        return hop.label
    reason = hop.anonymity_reason or "no reason stated"
    return f"{hop.label} ({hop.anonymity.value}: {reason})"


def describe_chain(chain: Sequence[_HopLike]) -> str:
    """A chain as a reader says it, nearest source first: `AP ← an official (anonymous: …)`."""
    return " ← ".join(describe_hop(hop) for hop in chain)


FLAG_LABELS = {
    "uncorroborated": "uncorroborated",
    "anonymous_only": "anonymous only",
    "contradicted": "contradicted",
    "single_intermediary": "single intermediary",
    "borrowed_anonymity": "borrowed anonymity",
}


def flag_names(verdict: object) -> list[str]:
    """The names of the flags a verdict raises, in a fixed order."""
    return [label for name, label in FLAG_LABELS.items() if getattr(verdict, name)]
