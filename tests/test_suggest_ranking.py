"""`ledger suggest`: who a "he", "she" or "they" stands for, ranked by learned weights.

The weights are learned from the development annotations (`benchmarks/suggest_ranker.py`);
these cases are sentences written for the test, and the training itself is checked on a
toy set of choices.
"""

from __future__ import annotations

import pytest

from benchmarks.suggest_ranker import Choice, train
from ledger.suggest import ranking
from tests.drafts import claims_of as _claims

_LOCUM = (
    "Ruth Kane, the director, declined to comment. A locum at the clinic said the rota was "
    "short. She said two shifts were unfilled."
)


def test_she_is_the_one_who_spoke_last_rather_than_a_name_met_before() -> None:
    assert ranking.WEIGHTS.weights, "the learned weights ship with the suggester"
    assert _claims(_LOCUM) == [
        ("the rota was short", ["A locum at the clinic"]),
        ("two shifts were unfilled", ["A locum at the clinic"]),
    ]


def test_without_weights_the_rule_takes_the_last_person_met(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ranking, "WEIGHTS", ranking.Weights())
    assert _claims(_LOCUM)[1] == ("two shifts were unfilled", ["Ruth Kane"])


def test_training_prefers_what_the_right_candidates_share() -> None:
    choices = [
        Choice("g", [["s:rank0"], ["s:rank1", "s:spoke-last"]], [False, True], ["a", "b"]),
        Choice("g", [["s:rank0", "s:spoke-last"], ["s:rank1"]], [True, False], ["a", "b"]),
    ]
    weights = train(choices)
    assert weights["s:spoke-last"] > 0
    scored = [(name, [name]) for name in ("s:rank0", "s:spoke-last")]
    assert ranking.choose(scored, weights) == "s:spoke-last"
