"""`ledger suggest`: records and people cited together, court and hearing reporting, and people
described and named in one phrase. Each case is a sentence written for the test.
"""

from __future__ import annotations

import pytest

from ledger.suggest.known import Known
from tests.drafts import claims_of as _claims
from tests.drafts import draft as _draft

# --- a document and people, or two documents, cited together -------------------------------------


@pytest.mark.parametrize(
    ("cited", "parts"),
    [
        (
            "delivery notes and two drivers who worked the route",
            ["delivery notes", "two drivers"],  # the clause goes to the description,
        ),
        (
            "a shipping register and a council resolution dated 14 March",
            ["a shipping register", "a council resolution dated 14 March"],
        ),
        ("nurses and staff rotas", ["nurses", "staff rotas"]),
        (
            "inspectors and a draft of the audit",
            ["inspectors", "a draft of the audit"],
        ),
    ],
)
def test_records_and_people_cited_together_are_sources_apart(cited: str, parts: list[str]) -> None:
    text = f"The depot ran short of fuel for a week in March, according to {cited}."
    assert _claims(text) == [("The depot ran short of fuel for a week in March", parts)]


# --- a person described and named in one phrase, held by the ledger under the description ---------


def _origin_keys(text: str, known: list[Known]) -> list[str]:
    """The keys of the draft's origins: the ledger's key when reused (then not redefined)."""
    return [
        chain[-1]
        for c in _draft(text, known_sources=known)["claims"]
        for chain in c["attributions"]
    ]


@pytest.mark.parametrize(
    "text",
    [
        "A former safety engineer at the plant, Ana Ruiz, said the valves were replaced in 2021.",
        "Ana Ruiz, a former safety engineer at the plant, said the valves were replaced in 2021.",
        "A former safety engineer at the plant said the valves were replaced in 2021. "
        '"They were cheaper," said the engineer, Ana Ruiz.',
    ],
)
def test_a_description_beside_a_name_reuses_the_ledger_s_person_held_by_that_description(
    text: str,
) -> None:
    known = [Known("ruiz", "A former safety engineer at the plant", anonymity="named")]
    assert set(_origin_keys(text, known)) == {"ruiz"}


@pytest.mark.parametrize(
    "known",
    [
        # an unnamed person of another article: pointed out, never reused
        Known("engineer", "A former safety engineer at the plant", anonymity="anonymous"),
        # the ledger's label names someone: the same description may be another person's
        Known("dale", "A former safety engineer at the plant, Tom Dale", anonymity="named"),
    ],
)
def test_a_description_beside_a_name_takes_no_key_that_may_be_someone_else_s(known: Known) -> None:
    text = (
        "A former safety engineer at the plant, Ana Ruiz, said the valves had been "
        "replaced with cheaper ones in 2021."
    )
    assert _origin_keys(text, [known]) != [known.key]


# --- hearing and court reporting ------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "A ward manager told the inquiry that the lift had been broken since June.",
        "A ward manager told an inquiry the lift had been broken since June.",
        "A ward manager told jurors that the lift had been broken since June.",
        "A ward manager told the tribunal the lift had been broken since June.",
        "A ward manager told the inquest that the lift had been broken since June.",
        "A ward manager gave evidence that the lift had been broken since June.",
    ],
)
def test_the_hearing_spoken_to_is_no_link_and_evidence_is_a_cue(sentence: str) -> None:
    assert _claims(sentence) == [("the lift had been broken since June", ["A ward manager"])]


def test_giving_evidence_with_nothing_said_is_no_claim() -> None:
    text = "The court heard from a porter who gave evidence from behind a screen."
    assert _claims(text) == []
