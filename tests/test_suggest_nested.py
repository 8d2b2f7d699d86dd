"""`ledger suggest`: speech inside speech, and the reasons of those who relay it.

"X said Y had told her that C", "X said he had heard from Y that C", a quotation
that holds another's words: the chain is [X, Y], nearest first and origin last
(DESIGN.md), and the relay is never drafted as the origin. Each case is a
sentence written for the test.
"""

from __future__ import annotations

import pytest

from tests.drafts import draft as _draft
from tests.drafts import sources_of


def _chains(text: str) -> list[tuple[str, list[list[str]]]]:
    """Each claim's quote with its chains, as source labels."""
    document = _draft(text)
    labels = {key: source["label"] for key, source in sources_of(document).items()}
    return [
        (claim["quote"], [[labels[key] for key in chain] for chain in claim["attributions"]])
        for claim in document["claims"]
    ]


@pytest.mark.parametrize(
    ("text", "chain"),
    [
        (
            "A porter said he had heard from two drivers that the gates were locked.",
            ["A porter", "two drivers"],
        ),
        (
            "The ferry's cook said she had learned from a deckhand that the pumps had failed.",
            ["The ferry's cook", "a deckhand"],
        ),
        (
            "The caretaker said he had been told by a cleaner, Rosa Ilves, that the lift "
            "was stuck.",
            ["The caretaker", "a cleaner, Rosa Ilves"],
        ),
        (
            "A clerk said colleagues had told her that the files were shredded.",
            ["A clerk", "colleagues"],
        ),
    ],
)
def test_who_was_told_or_heard_relays_the_one_who_spoke(text: str, chain: list[str]) -> None:
    [(_, chains)] = _chains(text)
    assert chains == [chain]


def test_a_relative_clause_on_who_was_heard_from_is_a_note() -> None:
    text = (
        "An usher said she had heard from two stagehands who were backstage that the rig slipped."
    )
    [(quote, chains)] = _chains(text)
    assert (quote, chains) == ("the rig slipped", [["An usher", "two stagehands"]])


def test_hearing_from_people_with_no_that_reports_nothing() -> None:
    assert _chains("The mayor heard from residents about the noise at a meeting.") == []


def test_the_reason_of_who_relays_is_not_given_to_whom_they_relay() -> None:
    document = _draft(
        "A clerk, who asked not to be named because she still works there, said colleagues "
        "had told her that the files were shredded."
    )
    reasons = {s["label"]: s.get("anonymity_reason") for s in document["sources"]}
    assert reasons["colleagues"] is None
    assert "still works there" in reasons["A clerk"]


@pytest.mark.parametrize(
    ("text", "chain"),
    [
        (  # "she" is the reporter herself: no hop
            "The head teacher said she had warned the trust in writing that the roof leaked.",
            ["The head teacher"],
        ),
        (  # nobody is reported to have spoken: the claim is the reporter's
            "A parent said no one had told families that the school would close.",
            ["A parent"],
        ),
    ],
)
def test_a_pronoun_or_nobody_inside_reported_words_adds_no_hop(text: str, chain: list[str]) -> None:
    [(_, chains)] = _chains(text)
    assert chains == [chain]


def test_a_pronoun_of_the_other_gender_is_not_the_reporter() -> None:
    text = (
        "Mr Aldous Penn, the caretaker, was on duty that night. "
        "A neighbour, Mrs Ida Crane, said he had warned the trust that the roof leaked."
    )
    assert _chains(text)[-1][1] == [["Mrs Ida Crane", "Mr Aldous Penn"]]


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (
            "Two photographs said to come from different farms were the same, the inspector said.",
            "Two photographs said to come from different farms were the same",
        ),
        (
            "The letter, reported to have been sent in May, was never answered, the clerk said.",
            "The letter, reported to have been sent in May, was never answered",
        ),
    ],
)
def test_what_is_said_to_be_so_has_no_speaker_of_its_own(text: str, quote: str) -> None:
    [(drafted, chains)] = _chains(text)
    assert drafted == quote
    assert len(chains) == 1 and len(chains[0]) == 1


def test_said_to_whom_that_still_reports() -> None:
    [(quote, chains)] = _chains("The pilot said to local reporters that the runway was icy.")
    assert (quote, chains) == ("the runway was icy", [["The pilot"]])


@pytest.mark.parametrize(
    ("text", "chain"),
    [
        (  # the one quoted quotes a man met in passing before
            "Ines Marr waited outside the depot while her husband went back in.\n\n"
            '"He said the shutters were jammed," she said.',
            ["Ines Marr", "her husband"],
        ),
        (  # a quotation inside the quotation, by a role named in the paragraph before
            "The night porter said a duty manager came down at midnight.\n\n"
            "\"He said, 'Leave the alarm off until morning,'\" the porter said.",
            ["The night porter", "a duty manager"],
        ),
        (  # the inner speaker named by a noun of their own
            '"The foremen said it was only a drill," a welder said.',
            ["a welder", "The foremen"],
        ),
    ],
)
def test_a_quotation_that_opens_with_another_s_saying_goes_on_to_them(
    text: str, chain: list[str]
) -> None:
    assert _chains(text)[-1][1] == [chain]


def test_the_quotation_after_it_is_the_quoted_one_s_own_again() -> None:
    text = (
        "Ines Marr waited outside the depot while her husband went back in.\n\n"
        '"He said the shutters were jammed," she said. "I never saw him again."'
    )
    assert [chains for _, chains in _chains(text)] == [
        [["Ines Marr", "her husband"]],
        [["Ines Marr"]],
    ]


def test_no_one_met_before_leaves_the_quotation_with_the_one_quoted() -> None:
    assert _chains('"He said the shutters were jammed," Ines Marr said.') == [
        ("He said the shutters were jammed", [["Ines Marr"]])
    ]
