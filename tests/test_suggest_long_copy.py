"""`ledger suggest`: rules for long news articles written from other outlets' reports.

Such copy names publications and databases as the subjects of verbs of
description and listing, puts the cue in the middle of its clause, and refers
back to its sources in short. Each case is a sentence written for the test.
"""

from __future__ import annotations

import pytest

from ledger.suggest.keys import person_name
from ledger.suggest.known import Known
from tests.drafts import claims_of as _claims
from tests.drafts import draft as _draft

# --- publications and documents as subjects -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quote", "origin"),
    [
        (
            "The Harbour Gazette stated the ferry left the quay without its pilot.",
            "the ferry left the quay without its pilot",
            "The Harbour Gazette",
        ),
        (
            "The registry of shipping lines lists the company as owned by the port authority.",
            "the company as owned by the port authority",
            "The registry of shipping lines",
        ),
        (
            "The Harbour Gazette lists a crew of eleven for the ferry.",
            "The Harbour Gazette lists a crew of eleven for the ferry",
            "The Harbour Gazette",
        ),
        (
            "The shipyard referred to the vessel as a “training ship”.",
            "the vessel as a “training ship”",
            "The shipyard",
        ),
    ],
)
def test_a_publication_states_lists_and_refers(text: str, quote: str, origin: str) -> None:
    assert (quote, [origin]) in _claims(text)


def test_a_listing_after_a_semicolon_ends_the_claim_before_it() -> None:
    claims = _claims(
        "The Harbour Gazette states the ferry was new, despite its rust; it lists a crew of eleven."
    )
    assert ("the ferry was new, despite its rust", ["The Harbour Gazette"]) in claims
    assert ("it lists a crew of eleven", ["The Harbour Gazette"]) in claims


# --- a cue in the middle of its clause ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quote", "origin"),
    [
        (
            "Two lorries left the road; some 40 litres of oil, firefighters said, leaked and caught "
            "fire.",
            "some 40 litres of oil, firefighters said, leaked and caught fire",
            "firefighters",
        ),
        (
            "The bridge would be inspected, Marta Lind said, to learn whether it had held.",
            "The bridge would be inspected, Marta Lind said, to learn whether it had held",
            "Marta Lind",
        ),
        (
            "The chase began, the county police described, near the old mill.",
            "The chase began, the county police described, near the old mill",
            "the county police",
        ),
    ],
)
def test_a_cue_inside_its_clause_keeps_the_clause_whole(text: str, quote: str, origin: str) -> None:
    assert (quote, [origin]) in _claims(text)


def test_a_clause_of_its_own_after_the_cue_is_not_the_speaker_s() -> None:
    claims = _claims("Fares will rise, the rail company said, and the unions will object.")
    assert ("Fares will rise", ["the rail company"]) in claims


# --- quotations and evidence ---------------------------------------------------------------------


def test_a_quotation_after_a_named_response_is_the_content() -> None:
    claims = _claims('The fire service tweeted the response "needed every crew it had."')
    assert ("needed every crew it had", ["The fire service"]) in claims


@pytest.mark.parametrize(
    ("text", "quote", "origin"),
    [
        (
            "Reports indicate a second car may have hit the barrier.",
            "a second car may have hit the barrier",
            "Reports",
        ),
        (
            "Rescue workers have indicated a criminal inquiry is under way.",
            "a criminal inquiry is under way",
            "Rescue workers",
        ),
    ],
)
def test_reports_and_speakers_indicate(text: str, quote: str, origin: str) -> None:
    assert (quote, [origin]) in _claims(text)


# --- speakers by office and after a possessive ------------------------------------------------


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Harbour Secretary of State Lena Ekberg", "Lena Ekberg"),
        ("Minister of Inland Waterways Paul Otieno", "Paul Otieno"),
        ("the Gazette's Maria Lind", "Maria Lind"),
        ("the Gazette's shipping editor", None),
        ("Northport General's chief executive", None),
    ],
)
def test_a_name_after_an_office_or_a_possessive(label: str, name: str | None) -> None:
    assert person_name(label) == name


def test_a_speaker_with_an_office_of_many_words_keeps_the_ledger_key() -> None:
    known = [Known("ekberg", "Harbour Secretary of State Lena Ekberg", anonymity="named")]
    document = _draft(
        "Harbour Secretary of State Lena Ekberg wrote to the council, saying the quay was unsafe.",
        known_sources=known,
    )
    assert document["claims"][0]["attributions"] == [["ekberg"]]


def test_a_name_after_its_outlet_keeps_the_ledger_key() -> None:
    known = [Known("lind", "the Gazette's Maria Lind", anonymity="named")]
    document = _draft("Maria Lind said the quay was unsafe.", known_sources=known)
    assert document["claims"][0]["attributions"] == [["lind"]]


# --- short back-references ----------------------------------------------------------------------


def test_the_industry_publication_is_the_outlet_before() -> None:
    claims = _claims(
        "The Harbour Gazette reported the ferry was late. "
        "The shipping publication stated the ferry had no pilot."
    )
    assert ("the ferry had no pilot", ["The Harbour Gazette"]) in claims


def test_a_nationality_is_no_back_reference_to_another_paper() -> None:
    claims = _claims(
        "Marca, the Spanish sports daily, reported the fee was agreed. "
        "The French newspaper said the board wanted more."
    )
    assert ("the board wanted more", ["The French newspaper"]) in claims


def test_the_ministry_is_the_one_ministry_named_before() -> None:
    known = [Known("moh", "Lundia's Ministry of Health", kind="organization", anonymity="named")]
    text = "The agency works with Lundia's Ministry of Health. The ministry said teams were on the way."
    assert _claims(text) == [("teams were on the way", ["Lundia's Ministry of Health"])]
    assert _draft(text, known_sources=known)["claims"][0]["attributions"] == [["moh"]]


def test_the_ministry_stays_a_description_when_two_ministries_were_named() -> None:
    claims = _claims(
        "The Ministry of Health and the Ministry of Finance met. "
        "The ministry said teams were on the way."
    )
    assert claims == [("teams were on the way", ["The ministry"])]


# --- who speaks: a person after an office, and witnesses ----------------------------------------


def test_a_person_after_an_office_of_a_department_is_he() -> None:
    claims = _claims(
        "A witness, Ana Ruiz, described the smoke. "
        "Harbour Department of Ports official Tom Berg said the quay would be examined. "
        'He said "Quays can only take so much."'
    )
    assert ("Quays can only take so much", ["Harbour Department of Ports official Tom Berg"]) in (
        claims
    )


@pytest.mark.parametrize(
    "text",
    [
        "According to eyewitness Lena Ekberg, the lorry never braked.",
        "Survivors said the lorry never braked.",
        "Residents who fled said the lorry never braked.",
        "A driver who was driving behind the lorry said it never braked.",
    ],
)
def test_a_witness_knows_directly(text: str) -> None:
    [source] = _draft(text)["sources"]
    assert source["knowledge"] == "direct"


def test_someone_who_fled_a_country_is_no_witness() -> None:
    [source] = _draft("Lena Ekberg, who fled the country last month, said she was innocent.")[
        "sources"
    ]
    assert "knowledge" not in source


# --- the article's own hedges -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Shoppers were reportedly queuing before dawn at the harbour market.",
        "The ferry, reportedly the oldest in the fleet, was withdrawn in May.",
        "It is understood that the quay will reopen next spring.",
    ],
)
def test_the_article_s_own_hedge_is_no_claim(text: str) -> None:
    assert _claims(text) == []


def test_a_hedge_in_a_relative_clause_is_a_claim_of_unnamed_reports() -> None:
    text = "The ferry belongs to a line that has reportedly received state loans."
    [(quote, [origin])] = _claims(text)
    assert quote.endswith("received state loans")
    assert "reportedly" in origin


def test_a_named_speaker_who_reportedly_said_is_the_speaker() -> None:
    text = "A harbour pilot reportedly said the ferry had left without him."
    assert _claims(text) == [("the ferry had left without him", ["A harbour pilot"])]


# --- scene-setting words before a cue -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quote", "origin"),
    [
        (
            "On Friday at the harbour, according to the coastguard, a trawler ran aground.",
            "a trawler ran aground",
            "the coastguard",
        ),
        (
            "The harbour's oldest crane, according to the port authority, is beyond repair.",
            "is beyond repair",
            "the port authority",
        ),
        (
            "In the morning, she testified, the gate was left open.",
            "the gate was left open",
            "she",
        ),
    ],
)
def test_words_with_no_verb_before_a_cue_go_on_after_it(text: str, quote: str, origin: str) -> None:
    [(drafted, [label])] = _claims(text)
    assert drafted.endswith(quote) and label == origin


def test_a_place_before_a_cue_is_no_claim_but_its_speaker_goes_on() -> None:
    text = "At the harbour office, the pilot Ann Berg says.\n“The gate was left open,” she added."
    assert _claims(text) == [("The gate was left open", ["the pilot Ann Berg"])]


def test_a_clause_before_the_cue_stays_the_content() -> None:
    text = "In the end the ferry sails, he said. The quay flooded, according to police, and closed."
    assert [quote for quote, _ in _claims(text)] == [
        "In the end the ferry sails",
        "The quay flooded",
    ]


# --- verbs and nouns of reporting the lexicon lacked --------------------------------------------


@pytest.mark.parametrize(
    ("text", "quote", "origin"),
    [
        (
            "The harbour board, however, called the new survey into question.",
            "called the new survey into question",
            "The harbour board",
        ),
        (
            "The coroner identified the dead diver as Ann Berg.",
            "the dead diver as Ann Berg",
            "The coroner",
        ),
        (
            "Local fishermen put his name as Piet Olsen.",
            "his name as Piet Olsen",
            "Local fishermen",
        ),
        (
            "The union warned of job losses at the yard.",
            "warned of job losses at the yard",
            "The union",
        ),
        (
            "Marine biologists report the seals returned in March.",
            "the seals returned in March",
            "Marine biologists",
        ),
        (
            "The divers speculated the wreck lies deeper than charted.",
            "the wreck lies deeper than charted",
            "The divers",
        ),
        (
            "Some engineers had previously suggested the quay would sink.",
            "the quay would sink",
            "Some engineers",
        ),
        (
            "The harbour master said at least 12 boats were damaged.",
            "at least 12 boats were damaged",
            "The harbour master",
        ),
        (
            "The ferry line said on last Monday they'd run out of fuel.",
            "they'd run out of fuel",
            "The ferry line",
        ),
    ],
)
def test_verbs_of_reporting_the_lexicon_lacked(text: str, quote: str, origin: str) -> None:
    [(drafted, [label])] = _claims(text)
    assert quote in drafted and label == origin


@pytest.mark.parametrize(
    "text",
    [
        "The skipper identified himself as Piet Olsen.",
        "The harbour master argued for a new quay.",
        "The annual harbour report was late.",
    ],
)
def test_no_report_where_the_verb_has_another_sense(text: str) -> None:
    assert _claims(text) == []


# --- joint subjects that then speak apart -------------------------------------------------------

_JOINT = (
    "Norway-based shipper Fjordline and Danish ferry operator Kattegat Lines announced a merger. "
    "Fjordline said its crews would keep their jobs. "
    "With the merger Kattegat Lines said it would sell two ships. "
    "The parties said they expect approval in May."
)


def test_joint_subjects_each_have_a_chain_and_then_speak_apart() -> None:
    fjordline = "Norway-based shipper Fjordline"
    kattegat = "Danish ferry operator Kattegat Lines"
    assert _claims(_JOINT) == [
        ("a merger", [fjordline, kattegat]),
        ("its crews would keep their jobs", [fjordline]),
        ("it would sell two ships", [kattegat]),
        ("they expect approval in May", [fjordline, kattegat]),
    ]


def test_one_name_with_and_stays_one_source() -> None:
    assert _claims("Smith and Sons announced a merger.") == [("a merger", ["Smith and Sons"])]


# --- a relay inside a label ---------------------------------------------------------------------


def test_per_x_in_a_label_is_the_relay_before_the_speaker() -> None:
    text = "“The quay is safe,” said harbour master Ann Berg per the Harbour Gazette."
    document = _draft(text)
    labels = {source["key"]: source["label"] for source in document["sources"]}
    [claim] = document["claims"]
    assert [[labels[key] for key in chain] for chain in claim["attributions"]] == [
        ["the Harbour Gazette", "harbour master Ann Berg"]
    ]


# --- a study's findings and its authors ---------------------------------------------------------


def test_the_researchers_are_the_study_s_authors_met_before() -> None:
    text = (
        "In a new study, marine scientists report the seals returned in March. "
        "The survey found traces of oil in the pups' fur. "
        "The study's authors suggest the colony will grow."
    )
    assert _claims(text) == [
        ("the seals returned in March", ["marine scientists"]),
        ("traces of oil in the pups' fur", ["The survey"]),
        ("the colony will grow", ["marine scientists"]),
    ]


@pytest.mark.parametrize(
    "text", ["Police found the skipper in a dinghy.", "The researchers found a wreck."]
)
def test_what_people_found_is_no_finding(text: str) -> None:
    assert _claims(text) == []
