"""`ledger suggest`: rules for kinds of attribution that copy written elsewhere uses.

Each case is a sentence written for the test, in the shape the rule reads: a
verb the lexicon lacked, a quotation split by its cue, two speakers coordinated,
a speaker named later, a stated reason for anonymity. `tests/test_suggest.py`
holds the older rules and the measured quality.
"""

from __future__ import annotations

import pytest

from ledger.suggest import suggest
from ledger.suggest.known import Known
from tests.drafts import claims_of as _claims
from tests.drafts import draft as _draft
from tests.drafts import origins as _origins
from tests.drafts import sources_of as _sources

# --- verbs the lexicon lacked -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quote", "origin"),
    [
        (
            "Aid workers fear they will be arrested at the border.",
            "they will be arrested",
            "Aid workers",
        ),
        ("The mayor commented that the budget was tight.", "the budget was tight", "The mayor"),
        (
            "The governor vowed that the bridge would reopen.",
            "the bridge would reopen",
            "The governor",
        ),
        (
            "The tribunal found the harbour master to be negligent.",
            "the harbour master to be negligent",
            "The tribunal",
        ),
        (
            "A rebel faction (RF) claimed responsibility for the ambush.",
            "responsibility for the ambush",
            "A rebel faction",
        ),
        (
            "The river agency issued new figures on Monday, putting the flood's cost at $4 million.",
            "putting the flood's cost at $4 million",
            "The river agency",
        ),
    ],
)
def test_verbs_the_lexicon_lacked(text: str, quote: str, origin: str) -> None:
    document = _draft(text)
    [claim] = document["claims"]
    assert quote in claim["quote"]
    assert _origins(document) == [[origin]]


@pytest.mark.parametrize(
    "text",
    [
        "The attacks were meant to spread fear.",
        "She left the town for fear of reprisals.",
        "His lawyers have not commented.",
    ],
)
def test_nouns_and_refusals_are_no_cue(text: str) -> None:
    assert _draft(text)["claims"] == []


def test_a_verb_inside_a_stated_reason_is_the_reason() -> None:
    document = _draft(
        "“The pumps failed twice,” said the engineer, who asked not to be named because she "
        "still works there and fears she would lose her job."
    )
    assert [claim["quote"] for claim in document["claims"]] == ["The pumps failed twice"]


def test_a_title_and_a_surname_name_someone() -> None:
    document = _draft("Judge al-Karimi found the two brothers to be innocent.")
    [source] = document["sources"]
    assert (source["key"], source["anonymity"]) == ("al-karimi", "named")


def test_a_title_and_a_surname_reuse_the_ledger_s_key() -> None:
    known = [Known("karimi", "Judge Samira al-Karimi", anonymity="named")]
    document = _draft("Judge al-Karimi found the two brothers to be innocent.", known_sources=known)
    assert document["sources"] == []
    assert document["claims"][0]["attributions"] == [["karimi"]]


# --- quotations -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "“The roads are closed. We have no fuel,” Dlamini stated. “This is new to the province.”",
        '“The roads are closed. We have no fuel," Dlamini stated. "This is new to the province.”',
    ],
    ids=["curly", "mixed"],
)
def test_a_quotation_split_by_its_cue_is_two_claims_of_one_speaker(text: str) -> None:
    document = _draft("The minister spoke on Friday.\n\n" + text)
    quotes = [claim["quote"] for claim in document["claims"]]
    assert quotes[0] == "The roads are closed. We have no fuel"
    assert quotes[1].startswith("This is new to the province")
    assert _origins(document) == [["Dlamini"], ["Dlamini"]]


# --- more than one speaker --------------------------------------------------------------------


def test_a_described_speaker_and_a_group_are_two_sources() -> None:
    document = _draft(
        "A bridge collapsed near the mill, a fire officer and witnesses told reporters."
    )
    assert _origins(document) == [["a fire officer", "witnesses"]]


def test_a_later_confirmation_adds_a_chain_to_the_claims_it_confirms() -> None:
    document = _draft(
        "A fire destroyed the market, a police officer said. "
        "The figures were confirmed to the Courier by Mayor Ann Lutz. Trade stopped, she said."
    )
    assert [claim["quote"] for claim in document["claims"]] == [
        "A fire destroyed the market",
        "Trade stopped",
    ]
    assert _origins(document) == [["a police officer", "Mayor Ann Lutz"], ["Mayor Ann Lutz"]]


# --- who speaks -------------------------------------------------------------------------------


def test_a_relative_pronoun_stands_for_the_phrase_before_it() -> None:
    document = _draft(
        "The dam is safe, according to senior engineers who warn the greater danger could be "
        "the old levees."
    )
    assert _origins(document) == [["senior engineers"], ["senior engineers"]]
    assert "who" not in _sources(document)


def test_a_speaker_quoted_by_a_relay_takes_the_quotation() -> None:
    document = _draft(
        "An engineer commented that most roads were gone, and the district chief, Ivan Petrov "
        "was quoted by the Tass news agency as saying: “Rescue teams have reached the valley.”"
    )
    last = document["claims"][-1]
    assert last["quote"] == "Rescue teams have reached the valley"
    assert _origins(document)[-1] == ["Ivan Petrov"]
    assert len(last["attributions"][0]) == 2  # through the news agency
    assert _sources(document)["ivan-petrov"]["kind"] == "person"


def test_a_role_and_a_name_is_a_person() -> None:
    document = _draft("Interfax quoted the district chief Ivan Petrov as saying the pass was open.")
    assert {s["label"]: s["kind"] for s in document["sources"]}[
        "the district chief Ivan Petrov"
    ] == "person"


# --- why anonymity, and what the source knew ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "A nurse, who spoke on condition of anonymity because she fears losing her post, "
            "said the ward was full.",
            "spoke on condition of anonymity because she fears losing her post",
        ),
        ("A clerk who insisted on anonymity said the files were gone.", "insisted on anonymity"),
        (
            "A guard, who is not authorized to speak publicly, said the gate was open.",
            "is not authorized to speak publicly",
        ),
        (
            "A board member, speaking on condition of anonymity to discuss private deliberations, "
            "said the vote was close.",
            "speaking on condition of anonymity to discuss private deliberations",
        ),
        (
            "A pilot, who asked not to be named because he still flies for the airline, said the "
            "checks were skipped.",
            "asked not to be named because he still flies for the airline",
        ),
        (
            "The ferry was late, a deckhand added, speaking on condition of anonymity because of "
            "the inquiry.",
            "speaking on condition of anonymity because of the inquiry",
        ),
        (
            "Two officials not authorized to speak to the press said the deal was signed.",
            "not authorized to speak to the press",
        ),
    ],
)
def test_stated_reasons_for_anonymity(text: str, reason: str) -> None:
    document = _draft(text)
    [source] = [s for s in document["sources"] if s["anonymity"] == "anonymous"]
    assert source["anonymity_reason"] == reason


@pytest.mark.parametrize(
    ("text", "knowledge"),
    [
        ("A trader who saw the fire said it began at dawn.", "direct"),
        ("An aide who was in the room said the mayor shouted.", "direct"),
        ("A witness said the car sped away.", "direct"),
        ("A diplomat briefed on the talks said a deal was near.", "secondhand"),
        ("People familiar with the plan said it was dropped.", "secondhand"),
        ("An official with knowledge of the inquiry said it would end soon.", "secondhand"),
    ],
)
def test_what_the_source_knew(text: str, knowledge: str) -> None:
    [source] = _draft(text)["sources"]
    assert source["knowledge"] == knowledge


# --- the ledger's own sources -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "mention"),
    [
        ("the Guild of Harbour Pilots", "The Guild said the channel was silted."),
        ("Northvale", "Northvale Foods said the recall was over."),
        (
            "The former head of the port authority, Amina Yusuf Dahir",
            "Amina Yusuf Dahir said the channel was silted.",
        ),
    ],
)
def test_a_ledger_source_named_in_short_keeps_its_key(label: str, mention: str) -> None:
    known = [Known("held", label, kind="organization", anonymity="named")]
    if "Dahir" in label:
        known = [Known("held", label, kind="person", anonymity="named")]
    document = _draft(mention, known_sources=known)
    assert document["sources"] == []
    assert document["claims"][0]["attributions"] == [["held"]]


def test_a_lowercase_description_is_not_taken_for_a_ledger_name() -> None:
    known = [Known("moh", "the Ministry of Health", kind="organization", anonymity="named")]
    document = _draft("The ministry said the clinic was closed.", known_sources=known)
    assert document["claims"][0]["attributions"] != [["moh"]]


# --- relays of two outlets, and who "both" are --------------------------------------------------


def test_two_outlets_relaying_one_story_are_two_chains() -> None:
    document = _draft(
        "The harbour will close in May, The Guardian and CNN reported on Monday. "
        "Both news organizations said the port had lost money for years."
    )
    assert _origins(document) == [["The Guardian", "CNN"], ["The Guardian", "CNN"]]


def test_the_reports_of_outlets_cited_together_are_theirs() -> None:
    document = _draft(
        "The mill will shut, The Washington Post and NPR reported. "
        "The reports say the owners had debts."
    )
    assert _origins(document)[-1] == ["The Washington Post", "NPR"]


def test_an_outlet_named_in_short_is_the_outlet_named_before() -> None:
    document = _draft(
        "The mill will close, The New York Times reported. "
        "The Times linked the closure to tariffs. It said the owners were in talks."
    )
    assert _origins(document) == [["The New York Times"], ["The New York Times"]]


def test_a_stance_and_what_was_told_to_an_outlet_are_two_claims() -> None:
    document = _draft("The council rejected that claim, telling the BBC it had acted lawfully.")
    assert [claim["quote"] for claim in document["claims"]] == [
        "The council rejected that claim",
        "it had acted lawfully",
    ]
    assert document["claims"][1]["attributions"] == [["bbc", "council"]]


def test_a_plural_noun_before_an_auxiliary_is_no_cue() -> None:
    document = _draft(
        "The mayor said the clerk named in the Danish reports did work for the council."
    )
    assert _origins(document) == [["The mayor"]]


def test_this_speaker_and_others_are_the_speaker_met_before_and_a_group() -> None:
    document = _draft(
        "A soldier said the roads were closed. This soldier and others have said that pay was late."
    )
    assert _origins(document) == [["A soldier"], ["A soldier", "others"]]


# --- a speaker described in one sentence and named in another -----------------------------------


def test_a_name_the_speaker_goes_by_in_the_sentence_before() -> None:
    document = _draft("A commander goes by the alias Abu Karim. He said the town had fallen.")
    [source] = document["sources"]
    assert (source["label"], source["anonymity"]) == ("Abu Karim", "pseudonym")


def test_a_name_the_speaker_asked_to_be_called_is_a_pseudonym() -> None:
    [source] = _draft("Abu Samir, as he asked to be called, said the roads were cut.")["sources"]
    assert source["anonymity"] == "pseudonym"


def test_a_quotation_after_words_that_introduce_its_speaker() -> None:
    document = _draft(
        "A farmer goes by the name Old Tom “We lost the crop. The river took it,” he said."
    )
    assert [claim["quote"] for claim in document["claims"]] == [
        "We lost the crop. The river took it"
    ]
    assert _origins(document) == [["Old Tom"]]


def test_a_sentence_that_names_who_holds_a_role() -> None:
    document = _draft(
        "The director of the river trust had worked there for years. "
        "The director of communications for the port is Jonas Berg. He says the dam is safe."
    )
    assert _origins(document) == [["Jonas Berg"]]
    assert document["sources"][0]["description"] == "The director of communications for the port"


def test_a_verb_inside_a_relative_clause_is_no_cue() -> None:
    document = _draft(
        "The neighbour of the victim, who does not want her name revealed, says the street is quiet."
    )
    assert [claim["quote"] for claim in document["claims"]] == ["the street is quiet"]
    assert _origins(document) == [["The neighbour of the victim"]]


def test_a_title_then_a_name_in_apposition_is_the_named_person() -> None:
    document = _draft("U.S. Special Envoy for Ports, Maria Lind, said the quay was shut.")
    assert _origins(document) == [["Maria Lind"]]


# --- how the source knows, said in its own sentence ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A guard says he has witnessed beatings in the prison.",
        "Officials who have viewed the footage say it is genuine.",
    ],
)
def test_knowledge_said_in_the_source_s_own_sentence(text: str) -> None:
    [source] = _draft(text)["sources"]
    assert source["knowledge"] == "direct"


# --- cue shapes the lexicon lacked, second round ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quote", "origin"),
    [
        (
            "The fear is the dam's age, a retired engineer said via Skype.",
            "The fear is the dam's age",
            "a retired engineer",
        ),
        (
            "The town is calm, although police say, for now, there are no threats to the fair.",
            "there are no threats to the fair",
            "police",
        ),
        (
            "The unit has retreated, though officials caution reports that it was destroyed are false.",
            "reports that it was destroyed are false",
            "officials",
        ),
        (
            "The mayor described how the bridge had failed.",
            "how the bridge had failed",
            "The mayor",
        ),
        (
            "Local officials touted the harvest as the best in years.",
            "the harvest as the best in years",
            "Local officials",
        ),
        (
            "Two days earlier, union leaders met the board, calling the offer “an insult” to nurses.",
            "the offer “an insult” to nurses",
            "union leaders",
        ),
        (
            "Media reports put the death toll of the storm at more than 40.",
            "the death toll of the storm at more than 40",
            "Media reports",
        ),
        (
            "Port officials are denying that a clerk made the calls.",
            "a clerk made the calls",
            "Port officials",
        ),
        (
            "He said the crew fled the ship after elders warned that soldiers were coming.",
            "the crew fled the ship after elders warned that soldiers were coming",
            "He",
        ),
    ],
)
def test_cue_shapes_of_the_second_round(text: str, quote: str, origin: str) -> None:
    document = _draft(text)
    [claim] = document["claims"]
    assert quote in claim["quote"]
    assert _origins(document) == [[origin]]


@pytest.mark.parametrize(
    "text",
    [
        "A rebel group blamed for dozens of raids released a video.",
        "Its most feared unit has retreated.",
        "The firm is recalling 800 sets.",
        "The neighbour, who does not want her name revealed, was at home.",
    ],
)
def test_participles_adjectives_and_progressives_are_no_cue(text: str) -> None:
    assert _draft(text)["claims"] == []


def test_a_language_service_of_an_outlet_is_the_outlet() -> None:
    document = suggest(
        "Two aides told VOA Hausa that the minister had resigned.", slug="t", outlet="VOA"
    ).document()
    assert [claim["quote"] for claim in document["claims"]] == ["the minister had resigned"]
    assert _origins(document) == [["Two aides"]]


def test_a_reason_in_a_relative_clause_that_ends_the_sentence() -> None:
    document = _draft(
        "The dam is safe, according to an engineer who requested anonymity because he does not "
        "have authorization to speak to the media."
    )
    [source] = document["sources"]
    assert source["anonymity_reason"] == (
        "requested anonymity because he does not have authorization to speak to the media"
    )


# --- a body's statement, and the ledger's own sources --------------------------------------------


def test_a_body_s_statement_is_the_body_the_ledger_holds() -> None:
    known = [Known("ports", "the Harbour Authority", kind="organization", anonymity="named")]
    document = _draft(
        "The closure was confirmed by the Harbour Authority in a statement issued Tuesday. "
        "The authority said the quay would reopen in May.",
        known_sources=known,
    )
    assert document["sources"] == []
    assert [claim["attributions"] for claim in document["claims"]] == [[["ports"]], [["ports"]]]


def test_a_group_and_the_member_it_includes_are_one_label() -> None:
    [source] = _draft("The port was shut, two sources, including a pilot, told reporters.")[
        "sources"
    ]
    assert source["label"] == "two sources, including a pilot"


def test_a_definite_role_held_by_a_named_ledger_person_keeps_its_key() -> None:
    known = [Known("santos", "the union's president, Maria Santos", anonymity="named")]
    document = _draft("The union's president said the strike would go on.", known_sources=known)
    assert document["sources"] == []
    assert document["claims"][0]["attributions"] == [["santos"]]


def test_an_indefinite_role_is_never_taken_for_a_named_ledger_person() -> None:
    known = [Known("santos", "a union official, Maria Santos", anonymity="named")]
    document = _draft("A union official said the strike would go on.", known_sources=known)
    assert document["claims"][0]["attributions"] != [["santos"]]


def test_a_name_after_a_long_role_in_a_ledger_label() -> None:
    known = [
        Known(
            "lind", "The director of ports for the New Harbour Trust, Maria Lind", anonymity="named"
        )
    ]
    document = _draft("Maria Lind said the quay was shut.", known_sources=known)
    assert document["claims"][0]["attributions"] == [["lind"]]


def test_a_title_alone_is_the_named_ledger_person_the_article_gives_it() -> None:
    known = [Known("okafor", "Harbour City goalkeeper Tunde Okafor", anonymity="named")]
    document = _draft(
        "Tunde Okafor will leave at the end of the season. The goalkeeper said the offer was "
        "too good to refuse.",
        known_sources=known,
    )
    assert document["sources"] == []
    assert document["claims"][0]["attributions"] == [["okafor"]]


def test_a_title_alone_is_no_ledger_person_the_article_does_not_name() -> None:
    known = [Known("okafor", "Harbour City goalkeeper Tunde Okafor", anonymity="named")]
    document = _draft("The goalkeeper said the offer was too good to refuse.", known_sources=known)
    assert document["claims"][0]["attributions"] != [["okafor"]]


@pytest.mark.parametrize(
    ("label", "mention"),
    [
        ("the March memo", "A copy of the March memo, seen by the Herald,"),
        ("the Transit Board", "Figures published on Monday by the Transit Board"),
    ],
)
def test_a_copy_or_figures_are_the_ledger_source_that_put_them_out(
    label: str, mention: str
) -> None:
    kind = "document" if "memo" in label else "organization"
    known = [Known("held", label, kind=kind, anonymity="named")]
    document = _draft(f"{mention} says the depot had been closed.", known_sources=known)
    assert document["claims"][0]["attributions"] == [["held"]]


# --- reasons for anonymity worded in other ways ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (  # the reason in a sentence of its own, a clause put before its subject
            "The dock was flooded twice in March, said a harbour clerk. Citing a gag clause in "
            "her contract, the clerk requested anonymity.",
            "requested anonymity, citing a gag clause in her contract",
        ),
        (
            "A teacher said the roof had leaked for years. Because he still teaches at the school, "
            "he spoke on condition that he not be identified.",
            "spoke on condition that he not be identified, because he still teaches at the school",
        ),
        (  # an aside inside the reason
            "A baker said the flour had run out. She would speak only without her name because, "
            "she said, the landlord owns the shop.",
            "speak only without her name because, she said, the landlord owns the shop",
        ),
        (
            "A porter, who did not want his name used because his brother runs the depot, said "
            "the lorries came at night.",
            "did not want his name used because his brother runs the depot",
        ),
        (
            "A chemist who declined to be identified, citing an exclusivity deal, said the samples "
            "were mixed up.",
            "declined to be identified, citing an exclusivity deal",
        ),
        (  # a fronted participle before the speaker
            "Speaking on background because the review is not finished, an auditor said two "
            "invoices were forged.",
            "Speaking on background because the review is not finished",
        ),
        (
            "Granted anonymity to discuss a colleague, a ranger said the fence was cut on Friday.",
            "Granted anonymity to discuss a colleague",
        ),
        (
            "“The shelters were full,” said the man, who gave only his first name, Tomas, for "
            "fear of losing his permit.",
            "gave only his first name, Tomas, for fear of losing his permit",
        ),
        (
            "A sergeant told the broadcaster that the unit had withdrawn. The sergeant was not "
            "named by the broadcaster, which said he feared a court-martial.",
            "was not named by the broadcaster, which said he feared a court-martial",
        ),
        (
            "A nurse said beds were short, asking not to be identified because the hospital "
            "forbids staff to talk to reporters.",
            "asking not to be identified because the hospital forbids staff to talk to reporters",
        ),
        (
            "The pumps failed in June, according to a technician, who requested that his name not "
            "be printed because he is still on probation.",
            "requested that his name not be printed because he is still on probation",
        ),
        (
            "“Nobody checked,” said an inspector, who is not authorized to speak for the agency "
            "and asked for anonymity to keep her job.",
            "is not authorized to speak for the agency and asked for anonymity to keep her job",
        ),
        (
            "A steward, whose name is being withheld because he fears dismissal, said the cabin "
            "was not searched.",
            "whose name is being withheld because he fears dismissal",
        ),
    ],
)
def test_reasons_worded_in_other_ways(text: str, words: str) -> None:
    people = [s for s in _draft(text)["sources"] if s["kind"] == "person"]
    assert [s["anonymity_reason"] for s in people] == [words]


def test_a_reason_in_the_sentence_of_two_unnamed_speakers_is_left_to_the_journalist() -> None:
    document = _draft(
        "Speaking on background because talks go on, a diplomat said the truce held; a soldier "
        "said it did not."
    )
    assert [s.get("anonymity_reason") for s in document["sources"]] == [None, None]


def test_an_aside_inside_a_reason_is_neither_a_claim_nor_the_speaker() -> None:
    document = _draft(
        "A crane driver, who would speak only anonymously because, he said, his foreman reads "
        "the paper, said the cargo was never weighed."
    )
    [source] = document["sources"]
    assert (source["label"], source["kind"], source["anonymity"]) == (
        "A crane driver",
        "person",
        "anonymous",
    )
    assert [claim["quote"] for claim in document["claims"]] == ["the cargo was never weighed"]


def test_an_operator_who_asked_for_anonymity_is_a_person() -> None:
    [source] = _draft(
        "A forklift operator, who asked not to be named because he is still employed there, "
        "said the alarms were switched off."
    )["sources"]
    assert (source["kind"], source["anonymity"]) == ("person", "anonymous")


# --- what the source knew, in more words -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "knowledge"),
    [
        ("A porter who was working near the crane said it toppled at noon.", "direct"),
        ("A clerk who ran the archive said the ledgers were burned.", "direct"),
        ("A nurse who has worked at the clinic since 2010 said the drugs ran short.", "direct"),
        ("One of the rescued climbers said the rope had frayed.", "direct"),
        ("A banker involved in the talks said the price had risen.", "direct"),
        ("A person close to the negotiations said a deal was near.", "secondhand"),
        ("Sources aware of the plans said the plant would close.", "secondhand"),
        (
            "The merger is off, the Gazette reported, citing a person who attended the meeting.",
            "direct",
        ),
    ],
)
def test_what_the_source_knew_in_more_words(text: str, knowledge: str) -> None:
    [source] = [s for s in _draft(text)["sources"] if s["kind"] == "person"]
    assert source["knowledge"] == knowledge


@pytest.mark.parametrize(
    ("text", "knowledge"),
    [
        ("Dr. Lena Marsh, who witnessed the collapse, said the beams bent first.", "direct"),
        ("Tomas Rey, who was standing at the gate, said the crowd surged.", "direct"),
        ("Dr. Lena Marsh, who led the survey, said the reef was dying.", None),
        ("Dr. Lena Marsh, who was not involved in the study, said it was sound.", None),
        ("Tomas Rey, who is familiar with the case, said it would be dropped.", None),
    ],
)
def test_a_named_source_knows_directly_only_when_it_was_there(
    text: str, knowledge: str | None
) -> None:
    [source] = _draft(text)["sources"]
    assert source.get("knowledge") == knowledge


@pytest.mark.parametrize(
    "text",
    [
        "A lifeguard who was part of the first crew in the water said the current was strong.",
        "A clerk who works in billing and was present for the vote said it was close.",
        "Three members of the survey team said the wall had cracked before the storm.",
        "Two officials with direct knowledge of the audit said the accounts were short.",
        "A guard with first-hand knowledge of the transfer said the papers were forged.",
    ],
)
def test_knowing_directly_told_by_what_the_source_was_part_of(text: str) -> None:
    [source] = [s for s in _draft(text)["sources"] if s["kind"] == "person"]
    assert source["knowledge"] == "direct"


def test_a_witness_named_later_still_knows_directly() -> None:
    document = _draft(
        "A driver who saw the crash said the lorry had no lights. The driver, Ana Costa, said "
        "she called the police."
    )
    [source] = document["sources"]
    assert (source["anonymity"], source["knowledge"]) == ("named", "direct")


def test_a_second_relative_clause_with_a_reason_is_the_speaker_s() -> None:
    document = _draft(
        "A locksmith who fitted the vault that winter, and who declined to be identified, "
        "citing a contract with the bank, said the alarm had been disabled."
    )
    [source] = document["sources"]
    assert (source["label"], source["anonymity_reason"]) == (
        "A locksmith",
        "declined to be identified, citing a contract with the bank",
    )
    assert [claim["quote"] for claim in document["claims"]] == ["the alarm had been disabled"]


def test_a_fronted_citing_with_a_relative_clause_cites_the_people_and_keeps_why() -> None:
    document = _draft(
        "The Gazette, citing three engineers who spoke on condition of anonymity because they "
        "still work at the plant, reported that the valves were never tested."
    )
    people = [s for s in document["sources"] if s["kind"] == "person"]
    assert [(s["label"], s.get("anonymity_reason")) for s in people] == [
        (
            "three engineers",
            "spoke on condition of anonymity because they still work at the plant",
        )
    ]


# --- reasons: more wordings, and the source they belong to -------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (  # the condition names what may not be printed
            "A warden said the cells were damp. He talked only on the condition that we print "
            "neither his name nor his wing, for fear of a transfer.",
            "talked only on the condition that we print neither his name nor his wing, for fear "
            "of a transfer",
        ),
        (  # whom the source spoke to, between the verb and the ground
            "A pilot, speaking to this newspaper on background because the inquiry is open, said "
            "the radar had failed twice.",
            "speaking to this newspaper on background because the inquiry is open",
        ),
        (
            "A clerk, who would talk only without attribution since his contract forbids it, said "
            "the ballots were stored in a garage.",
            "talk only without attribution since his contract forbids it",
        ),
        (
            "A diver, who refused to give her surname because the club bans interviews, said the "
            "reef was bleached.",
            "refused to give her surname because the club bans interviews",
        ),
        (
            "Two guards said the gate was left open. They would not be named, as the prison "
            "service forbids staff to speak to reporters.",
            "would not be named, as the prison service forbids staff to speak to reporters",
        ),
    ],
)
def test_reasons_worded_in_more_ways(text: str, words: str) -> None:
    people = [s for s in _draft(text)["sources"] if s["kind"] == "person"]
    assert [s["anonymity_reason"] for s in people] == [words]


def test_an_outlet_that_withheld_a_name_gives_the_reason_to_whom_it_relayed() -> None:
    document = _draft(
        "The Valley Courier quoted a lock keeper who said the sluice had jammed. The paper did "
        "not name him, saying he feared losing his tied cottage."
    )
    [keeper] = [s for s in document["sources"] if s["kind"] == "person"]
    assert keeper["anonymity_reason"] == (
        "did not name him, saying he feared losing his tied cottage"
    )


def test_a_reason_after_a_named_speaker_goes_to_the_unnamed_one_of_that_gender() -> None:
    document = _draft(
        "A former cashier said she was told to hide the losses. She agreed to talk after the "
        "bank's chairman, Olav Brekke, denied the losses existed. She asked that her name be "
        "left out because she is still owed a pension."
    )
    reasons = {s["label"]: s.get("anonymity_reason") for s in document["sources"]}
    assert reasons["A former cashier"] == (
        "asked that her name be left out because she is still owed a pension"
    )


def test_a_first_name_only_makes_the_speaker_unnamed() -> None:
    document = _draft(
        "Lucia, a tenant on the fourth floor, said the lift had been broken since May. She gave "
        "only her first name, saying she did not want trouble with the landlord."
    )
    [lucia] = [s for s in document["sources"] if s["kind"] == "person"]
    assert lucia["anonymity"] == "anonymous"
    assert lucia["anonymity_reason"] == (
        "gave only her first name, saying she did not want trouble with the landlord"
    )


def test_most_of_a_group_asked_for_anonymity() -> None:
    document = _draft(
        "Eleven drivers said the depot skipped brake checks. Most of the drivers spoke on "
        "condition of anonymity because they feared losing shifts."
    )
    [drivers] = [s for s in document["sources"] if s["kind"] == "person"]
    assert drivers["anonymity_reason"] == (
        "spoke on condition of anonymity because they feared losing shifts"
    )


def test_a_reason_is_not_given_to_the_holder_of_an_office_met_in_between() -> None:
    document = _draft(
        "A former nurse said she had logged the missed doses herself. In a memo last week, "
        "the hospital's director said no doses were missed. She asked that her name be "
        "withheld because she now works for a rival trust."
    )
    reasons = {s["label"]: s.get("anonymity_reason") for s in document["sources"]}
    assert reasons["A former nurse"] == (
        "asked that her name be withheld because she now works for a rival trust"
    )
    assert reasons["the hospital's director"] is None


def test_said_c1_but_that_c2_is_two_claims() -> None:
    document = _draft(
        "The ferry operator said the delay was regrettable but that the engines had been "
        "checked twice."
    )
    assert [c["quote"] for c in document["claims"]] == [
        "the delay was regrettable",
        "the engines had been checked twice",
    ]
    assert _origins(document) == [["The ferry operator"], ["The ferry operator"]]


def test_a_reason_given_as_one_ground_or_another_is_kept_whole() -> None:
    document = _draft(
        "Seven cleaners said the wards were not disinfected. Most of the cleaners spoke on "
        "condition that they not be named because they are on short contracts, or feared "
        "losing shifts."
    )
    [cleaners] = [s for s in document["sources"] if s["kind"] == "person"]
    assert cleaners["anonymity_reason"] == (
        "spoke on condition that they not be named because they are on short contracts, or "
        "feared losing shifts"
    )


# --- reasons for anonymity written as a condition, and given once for a group -------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "The rota was changed, the porter said. The porter, who works nights, spoke on "
            "condition that he was not named, for fear of losing shifts.",
            "spoke on condition that he was not named, for fear of losing shifts",
        ),
        (
            "A warden said the gates were locked. She would talk only if she was not "
            "identified because she is still on probation.",
            "talk only if she was not identified because she is still on probation",
        ),
        (
            "A clerk said the files were shredded. He did so on the understanding that he "
            "would not be named, as the inquiry is still open.",
            "did so on the understanding that he would not be named, as the inquiry is still open",
        ),
    ],
)
def test_a_reason_written_as_a_condition_of_speaking(text: str, reason: str) -> None:
    [source] = [s for s in _draft(text)["sources"] if s["anonymity"] == "anonymous"]
    assert source.get("anonymity_reason") == reason


@pytest.mark.parametrize(
    ("subject", "reached"),
    [
        ("All three", {"Two drivers", "A mechanic"}),  # two and one: three, counted one by one
        ("Both", {"Two drivers"}),  # the group of two, not the mechanic met after it
        ("Most of the drivers", {"Two drivers"}),  # the group of its noun
        ("Seven of them", {"Two drivers"}),  # "them": the last group, never all met since
    ],
)
def test_a_reason_given_for_a_group_reaches_those_the_text_ties_to_it(
    subject: str, reached: set[str]
) -> None:
    text = (
        "Two drivers said the brakes had been reported. A mechanic said the parts never came. "
        f"{subject} agreed to speak only if they were not named, because the depot has "
        "warned staff against talking to reporters."
    )
    reasons = {
        s["label"]: s.get("anonymity_reason")
        for s in _draft(text)["sources"]
        if s["anonymity"] == "anonymous"
    }
    expected = (
        "agreed to speak only if they were not named, because the depot has warned staff "
        "against talking to reporters"
    )
    assert {label for label, reason in reasons.items() if reason == expected} == reached
    assert all(reason is None for label, reason in reasons.items() if label not in reached)


# --- a subject with a long relative clause; lists in newsletter copy ---------------------------


@pytest.mark.parametrize(
    "subject",
    [
        "A pilot, who has flown the route for the airline since 2015,",
        "A pilot, who flew the route for a decade and asked not to be named because he "
        "still flies for the airline,",
    ],
)
def test_a_subject_with_a_relative_clause_is_no_inverted_content(subject: str) -> None:
    """ "X, who ..., said C": the words before the comma are the speaker, however long their
    clause, not the claim of a speaker after the verb ("C, said X")."""
    text = f"{subject} said the de-icing trucks arrived late every morning that week."
    assert _claims(text) == [
        ("the de-icing trucks arrived late every morning that week", ["A pilot"])
    ]


def test_each_line_of_a_list_is_its_own_sentence() -> None:
    """Newsletter copy sets its points out as lines that open with a dash: the line before a
    dash ends its sentence, and the dash is no word of the next one's speaker."""
    text = (
        "Context: the depot has missed its targets.\n\n"
        "- Two drivers said the fuel card limits were cut in May. Both asked not to be named.\n"
        "- A dispatcher, who has worked at the depot for nine years, said the routes were "
        "redrawn twice."
    )
    assert _claims(text) == [
        ("the fuel card limits were cut in May", ["Two drivers"]),
        ("the routes were redrawn twice", ["A dispatcher"]),
    ]
    reasons = {s["label"]: s.get("anonymity_reason") for s in _draft(text)["sources"]}
    assert reasons == {"Two drivers": "asked not to be named", "A dispatcher": None}


# --- what was said, set off by a comma after a time, a place or an aside ----------------------


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        (
            "The harbour authority said on Friday, four of the cranes had been idle since May.",
            "four of the cranes had been idle since May",
        ),
        (
            "The harbour authority reported in its annual review, the dredging had cost "
            "twice the estimate.",
            "the dredging had cost twice the estimate",
        ),
        (
            "The harbour authority said at a briefing after the storm, “The breakwater held, "
            "and the ferries will sail again tomorrow.”",
            "The breakwater held, and the ferries will sail again tomorrow",
        ),
        (
            "The harbour authority said, in reply to the auditors, the dredging contract "
            "had been put out to tender twice.",
            "the dredging contract had been put out to tender twice",
        ),
    ],
)
def test_what_was_said_after_a_comma_that_sets_off_a_time_place_or_aside(
    text: str, quote: str
) -> None:
    assert _claims(text) == [(quote, ["The harbour authority"])]


def test_a_comma_after_the_person_told_opens_no_claim_of_its_own() -> None:
    text = (
        "A pilot said the harbour master had told her, in front of two deckhands, that the "
        "berth would be closed."
    )
    assert [origins for _, origins in _claims(text)] == [["A pilot"]]


def test_and_that_inside_a_quotation_does_not_split_it() -> None:
    text = (
        "The harbour authority said, “We hope the berth reopens soon and that the ferries "
        "keep to their timetable.”"
    )
    [(quote, _)] = _claims(text)
    assert quote == "We hope the berth reopens soon and that the ferries keep to their timetable"
