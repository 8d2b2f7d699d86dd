"""`ledger suggest`: a reason for anonymity given once and meant for several sources, and the
ledger's people by title and surname.

Each case is written for the test: a group's reason told bare and its why in the next
sentence or after a semicolon, a refusal worded from a negated subject ("None of them
agreed to be named"), a member counted off a group under another noun ("One of the
engineers" of five former employees), and reasons worded in ways the rules lacked.
"""

from __future__ import annotations

import pytest

from ledger.suggest.known import Known
from tests.drafts import draft as _draft


def _reasons(text: str) -> dict[str, str | None]:
    return {
        s["label"]: s.get("anonymity_reason")
        for s in _draft(text)["sources"]
        if s["anonymity"] == "anonymous"
    }


def test_a_bare_reason_takes_its_why_from_the_next_sentence() -> None:
    text = (
        "Four porters described the night shift to the Gazette. All four asked not to be "
        "named. They said they feared losing their shifts at the hospital.\n\n"
        "One of the porters said the lifts had failed twice that week."
    )
    expected = "asked not to be named. They said they feared losing their shifts at the hospital"
    assert _reasons(text) == {"Four porters": expected, "One of the porters": expected}


def test_a_next_sentence_that_gives_no_why_is_left_out() -> None:
    text = (
        "Four porters said the lifts had failed. All four asked not to be named. The lifts "
        "were repaired in May."
    )
    assert _reasons(text) == {"Four porters": "asked not to be named"}


def test_a_why_after_a_semicolon_goes_with_the_statement() -> None:
    text = (
        "Two clerks said the ledgers were rewritten. Both asked not to be identified; one still "
        "works for the council and fears reprisals."
    )
    assert _reasons(text) == {
        "Two clerks": "asked not to be identified; one still works for the council and fears "
        "reprisals"
    }


@pytest.mark.parametrize(
    ("after", "why"),
    [
        (  # a job elsewhere in the trade
            "He spoke on condition of anonymity; he now works for a rival yard.",
            "spoke on condition of anonymity; he now works for a rival yard",
        ),
        (  # what an agreement forbids
            "She did not want her name published. She signed a severance agreement that "
            "forbids her from discussing the yard.",
            "did not want her name published. She signed a severance agreement that forbids "
            "her from discussing the yard",
        ),
        (  # how being seen to speak would look
            "He asked not to be named. His brother supplies the yard, and he did not want to "
            "be seen as the one who talked.",
            "asked not to be named. His brother supplies the yard, and he did not want to be "
            "seen as the one who talked",
        ),
    ],
)
def test_a_why_told_in_the_speakers_circumstances_goes_with_the_statement(
    after: str, why: str
) -> None:
    text = f"A former welder said the seams were never tested. {after}"
    assert _reasons(text) == {"A former welder": why}


@pytest.mark.parametrize(
    ("sentence", "stated"),
    [
        ("None of them agreed to be named.", "None of them agreed to be named"),
        ("None of the wardens could be named.", "None of the wardens could be named"),
    ],
)
def test_a_refusal_worded_from_a_negated_subject(sentence: str, stated: str) -> None:
    text = (
        f"Three wardens said the gates were left open overnight. {sentence} Two still work at "
        "the prison and fear disciplinary action."
    )
    assert _reasons(text) == {
        "Three wardens": f"{stated}. Two still work at the prison and fear disciplinary action"
    }


def test_agreeing_to_be_named_is_no_reason() -> None:
    text = "A former guard said the cameras were off. She agreed to be named after some thought."
    assert _reasons(text) == {"A former guard": None}


def test_a_member_counted_off_a_group_under_another_noun_shares_its_reason() -> None:
    text = (
        "Five former employees of the lab spoke to the Courier. All five spoke on condition that "
        "they not be named, citing agreements they signed when they left.\n\n"
        "One of the engineers said the samples were relabelled. A second technician said the "
        "freezer logs were edited. A courier said the boxes came late."
    )
    expected = (
        "spoke on condition that they not be named, citing agreements they signed when they left"
    )
    reasons = _reasons(text)
    assert reasons["One of the engineers"] == expected
    assert reasons["A second technician"] == expected
    assert reasons["A courier"] is None  # not counted off the group: someone new


def test_one_of_the_group_described_after_a_comma_shares_its_reason() -> None:
    text = (
        "Three ambassadors said the summit would be postponed. The ambassadors were granted "
        "anonymity to discuss private talks.\n\n"
        "“Nobody wants to move first,” said one of the three, an ambassador from a southern state."
    )
    reasons = _reasons(text)
    assert reasons["an ambassador from a southern state"] == (
        "were granted anonymity to discuss private talks"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "A cashier said the tills were short. She asked us not to use her name because "
            "she still works at the store.",
            "asked us not to use her name because she still works at the store",
        ),
        (
            "A skipper said the quota was ignored. He spoke on condition that neither he nor "
            "his boat be named, as the harbour board licenses both.",
            "spoke on condition that neither he nor his boat be named, as the harbour board "
            "licenses both",
        ),
    ],
)
def test_reasons_worded_with_a_name_not_to_use(text: str, reason: str) -> None:
    assert list(_reasons(text).values()) == [reason]


def test_asking_that_others_not_be_named_is_not_ones_own_reason() -> None:
    text = (
        "A mechanic said the engine had leaked oil. He asked that neither pilot be named "
        "while the inquiry continues."
    )
    assert _reasons(text)["A mechanic"] is None


# --- the ledger's people by title and surname ----------------------------------------------------


def test_a_title_and_surname_is_the_person_the_ledger_holds_by_full_name() -> None:
    known = [
        Known("ames", "harbour board chair Wendy Ames", anonymity="named"),
        Known("chakra", "Guild of Pilots (GoP) president Ravi Chakra", anonymity="named"),
    ]
    text = (
        "Harbour board chair Wendy Ames opened the inquiry on Monday. Cllr Ames said the "
        "moorings had been sold twice. Ravi Chakra leads the Guild of Pilots. GoP president "
        "Chakra said pilots were never asked."
    )
    document = _draft(text, known_sources=known)
    assert [claim["attributions"] for claim in document["claims"]] == [[["ames"]], [["chakra"]]]
    assert document["sources"] == []  # both reused, neither defined again


def test_a_title_and_surname_alone_is_no_one_the_ledger_holds() -> None:
    known = [Known("ames", "harbour board chair Wendy Ames", anonymity="named")]
    text = "Cllr Ames said the moorings had been sold twice."  # which Ames is not printed
    document = _draft(text, known_sources=known)
    assert [s["label"] for s in document["sources"]] == ["Cllr Ames"]


def test_both_is_the_group_of_two_not_the_people_it_spoke_of() -> None:
    """ "Two cooks said managers told staff ... Both asked ...": the managers are spoken of,
    and they are not said to be two; the cooks are."""
    text = (
        "Two cooks said managers told staff in May to relabel the chicken before an "
        "inspection. Both asked not to be named because they still work in the kitchen."
    )
    reasons = _reasons(text)
    assert reasons["Two cooks"] == "asked not to be named because they still work in the kitchen"
    assert reasons.get("managers") is None


def test_a_members_own_reason_wins_over_its_groups() -> None:
    """ "All three" counts the porter in, but the porter's own reason is the porter's."""
    text = (
        "A porter said the lifts had failed. Two cooks said the fridge was warm. All three "
        "asked not to be named.\n\n"
        "The porter, who asked not to be named because he is on probation, said the alarm "
        "never rang."
    )
    assert _reasons(text) == {
        "A porter": "asked not to be named because he is on probation",
        "Two cooks": "asked not to be named",
    }


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        (
            "The tenants asked that we not use their names.",
            "asked that we not use their names",
        ),
        (
            "The tenants asked not to be named, explaining that the landlord reads the paper.",
            "asked not to be named, explaining that the landlord reads the paper",
        ),
        (
            "The tenants asked not to be named, saying they still had a case before the tribunal.",
            "asked not to be named, saying they still had a case before the tribunal",
        ),
    ],
)
def test_more_ways_of_stating_a_reason(sentence: str, reason: str) -> None:
    text = f"Two tenants said the rent rose in March. {sentence}"
    assert _reasons(text) == {"Two tenants": reason}


@pytest.mark.parametrize(
    ("clause", "stated"),
    [
        (
            "who gave her name only as Nadia because her landlord is on the board",
            "gave her name only as Nadia because her landlord is on the board",
        ),
        (
            "who asked that I identify him only as Tomas because he still rents from the firm",
            "identify him only as Tomas because he still rents from the firm",
        ),
    ],
)
def test_a_name_given_only_in_part_with_its_why(clause: str, stated: str) -> None:
    text = f"A tenant in the block, {clause}, said the boiler had failed in March."
    assert _reasons(text) == {"A tenant in the block": stated}


def test_a_name_given_only_in_part_with_no_why_states_no_reason() -> None:
    text = "A tenant in the block, who gave her name only as Nadia, said the boiler had failed."
    assert _reasons(text) == {"A tenant in the block": None}


@pytest.mark.parametrize(
    ("motive", "reason"),
    [
        (
            "fearing they would lose their stalls if the market board found out",
            "spoke to the Courier on condition that they were not identified, fearing they "
            "would lose their stalls if the market board found out",
        ),
        (
            "saying the board still sets their pitch fees",
            "spoke to the Courier on condition that they were not identified, saying the board "
            "still sets their pitch fees",
        ),
        (
            "out of loyalty to the stallholders who had trained them",
            "spoke to the Courier on condition that they were not identified, out of loyalty "
            "to the stallholders who had trained them",
        ),
    ],
)
def test_the_motive_after_the_condition_is_the_reason_and_reaches_the_members(
    motive: str, reason: str
) -> None:
    text = (
        "Two traders said the market's rents had doubled since spring. The traders spoke to "
        f"the Courier on condition that they were not identified, {motive}.\n\n"
        "One of the traders said the board had never published its accounts."
    )
    assert _reasons(text) == {"Two traders": reason, "One of the traders": reason}
