"""`ledger suggest`: who a claim comes from when the sentence names it in a roundabout way.

Origins named by a group or body after a possessive or a role, a relaying
outlet's own reporter, verbs of characterising, and joint labels. Each case is
a sentence written for the test.
"""

from __future__ import annotations

import pytest

from ledger.suggest import suggest
from ledger.suggest.known import Known
from tests.drafts import claims_of as _claims
from tests.drafts import draft as _draft

# --- a group named after a possessive or a role --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        (
            "Norland's political opposition has called for the vote to be annulled, "
            "saying the count was marred by fraud.",
            "Norland's political opposition",
        ),
        (
            "Norland's opposition called for the vote to be annulled, saying the count was "
            "marred by fraud.",
            "Norland's opposition",
        ),
    ],
)
def test_a_possessive_owns_the_lowercase_head_after_it(text: str, origin: str) -> None:
    assert _claims(text) == [("the count was marred by fraud", [origin])]


# --- a joint label ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "joint", ["Kerr and Blake both described", "Both Kerr and Blake described"]
)
def test_names_joined_with_both_are_two_sources_who_then_speak_apart(joint: str) -> None:
    text = (
        "Dr. Ann Kerr of the Naval College said the hull was old. "
        "Tom Blake, a salvage expert, told reporters the ship was lost. "
        f"{joint} cracks in the hull as possible causes. "
        "Kerr said the crew may have left."
    )
    assert _claims(text)[2:] == [
        (
            "cracks in the hull as possible causes",
            ["Dr. Ann Kerr of the Naval College", "Tom Blake"],
        ),
        ("the crew may have left", ["Dr. Ann Kerr of the Naval College"]),
    ]


def test_a_firm_named_with_and_stays_one_source() -> None:
    assert _claims("Smith and Sons said the yard would close.") == [
        ("the yard would close", ["Smith and Sons"])
    ]


# --- sources cited after the content --------------------------------------------------------------


def test_sources_cited_after_the_content_are_its_origin() -> None:
    text = (
        "On Monday, several newspapers reported the minister to be ill citing sources within "
        "the Norland Ministry of Health. Per reports, the sources said he fell ill in May."
    )
    origin = "sources within the Norland Ministry of Health"
    assert _claims(text) == [("the minister to be ill", [origin]), ("he fell ill in May", [origin])]


def test_a_reason_cited_after_the_content_is_no_source() -> None:
    text = "The ministry said the school would close, citing safety concerns."
    assert _claims(text) == [("the school would close, citing safety concerns", ["The ministry"])]


def test_a_body_named_in_capitals_is_not_a_person_named_again() -> None:
    text = (
        "The Herald reported the ship had sunk, citing sources within the Norland Department "
        "of Transport. The Norland Port Department said the crew was safe."
    )
    assert _claims(text)[1] == ("the crew was safe", ["The Norland Port Department"])


# --- verbs of characterising --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        (
            "The five opposition candidates had also dismissed the vote as rigged on Friday.",
            [("the vote as rigged on Friday", ["The five opposition candidates"])],
        ),
        ("The court dismissed the appeal as the filing came too late.", []),
        (
            "Rights groups branded the verdict as a travesty.",
            [("the verdict as a travesty", ["Rights groups"])],
        ),
        (
            "The health agency declared the outbreak an epidemic on March 11.",
            [("the outbreak an epidemic on March 11", ["The health agency"])],
        ),
        ("The governor declared a state of emergency.", []),
        ("The rebels declared war on a rival faction.", []),
    ],
)
def test_what_a_thing_is_called_or_declared_to_be(
    text: str, claims: list[tuple[str, list[str]]]
) -> None:
    assert _claims(text) == claims


# --- the ledger's own sources, named in full or in short ----------------------------------------


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("The Harbour Safety Board (HSB)", "The Harbour Safety Board said the quay was safe."),
        ("The Harbour Safety Board (HSB)", "HSB said the quay was safe."),
        (
            "Norland's political opposition",
            "Norland's political opposition said the quay was safe.",
        ),
    ],
)
def test_a_ledger_body_is_reused_by_its_name_or_short_form(label: str, text: str) -> None:
    known = [Known("held", label, kind="organization", anonymity="named")]
    document = suggest(text, slug="test-article", title="Test", known_sources=known).document()
    assert document["sources"] == []
    assert document["claims"][0]["attributions"] == [["held"]]


# --- "C, said X" whatever the words before the comma read as ---------------------------------------


@pytest.mark.parametrize(
    ("text", "quote", "origin"),
    [
        (
            "The depot cut night shifts at Norbury from six crews to two in May, said a union "
            "official at the depot.",
            "The depot cut night shifts at Norbury from six crews to two in May",
            "a union official",
        ),
        (
            "The mill slashed wages for spinning staff in the spring, said the mill's owner, who "
            "has run it since 1990.",
            "The mill slashed wages for spinning staff in the spring",
            "the mill's owner",
        ),
    ],
)
def test_a_verb_after_a_comma_with_a_speaker_that_ends_the_sentence(
    text: str, quote: str, origin: str
) -> None:
    assert _claims(text) == [(quote, [origin])]


@pytest.mark.parametrize(
    ("text", "quote", "origin"),
    [
        (
            "Ruth Kaye, the harbour master, said the quay was closed.",
            "the quay was closed",
            "Ruth Kaye",
        ),
        (  # a name after the verb that is the subject of the next cue, not the speaker
            "That clerk, who asked not to be named, said Ortiz warned that the tills were short.",
            "the tills were short",
            "Ortiz",
        ),
        (
            "The pilot, Ana Costa, said she turned back.",
            "she turned back",
            "Ana Costa",
        ),
    ],
)
def test_a_subject_with_an_appositive_is_not_inverted(text: str, quote: str, origin: str) -> None:
    assert _claims(text) == [(quote, [origin])]


# --- the ledger's own sources, in fewer words -----------------------------------------------------


@pytest.mark.parametrize(
    ("known", "text"),
    [
        (  # determiners and what is said of it set aside
            Known(
                "underwriters",
                "Underwriters contacted by the Gazette",
                kind="organization",
                anonymity="anonymous",
            ),
            "Underwriters said they had not been told.",
        ),
        (
            Known(
                "memo", "an internal memo seen by the Gazette", kind="document", anonymity="unknown"
            ),
            "Bonuses were cut, according to an internal memo.",
        ),
        (  # the same label, though the draft reads it as unnamed people
            Known("tally", "a draft tally sheet", kind="document", anonymity="named"),
            "Turnout fell, according to a draft tally sheet.",
        ),
        (
            Known("analysts", "Market analysts", kind="organization", anonymity="anonymous"),
            "Market analysts said prices would fall.",
        ),
        (  # a statement named by who issued it
            Known("interior", "the interior ministry", kind="organization", anonymity="named"),
            "Two men were held, a statement from the interior ministry said.",
        ),
        (  # the one ministry the ledger holds, named in full in the article
            Known("interior", "the interior ministry", kind="organization", anonymity="named"),
            "Police raided the depot on orders of the interior ministry. The ministry said two "
            "men were held.",
        ),
        (  # a first name alone
            Known("marta", "her sister, Marta Ilic", kind="person", anonymity="named"),
            "“We waited all night,” said Marta.",
        ),
        (  # a description and the name the article gives it later
            Known("ivo", "A porter, Ivo Rask", kind="person", anonymity="named"),
            "A porter said the lights went out. “We ran,” said the man, Ivo Rask.",
        ),
    ],
)
def test_a_ledger_source_is_reused_in_fewer_words(known: Known, text: str) -> None:
    document = suggest(text, slug="t", known_sources=[known]).document()
    assert document["sources"] == []
    assert {chain[-1] for claim in document["claims"] for chain in claim["attributions"]} == {
        known.key
    }


@pytest.mark.parametrize(
    "text",
    [
        "The ministry said two men were held.",  # the article never names the ministry in full
        "A porter said the lights went out.",  # a description alone is not the named porter
    ],
)
def test_a_ledger_source_is_not_taken_on_too_few_words(text: str) -> None:
    known = [
        Known("interior", "the interior ministry", kind="organization", anonymity="named"),
        Known("ivo", "A porter, Ivo Rask", kind="person", anonymity="named"),
    ]
    document = suggest(text, slug="t", known_sources=known).document()
    assert [source["key"] for source in document["sources"]] != []


def test_a_head_shared_by_two_ledger_bodies_is_left_alone() -> None:
    known = [
        Known("interior", "the interior ministry", kind="organization", anonymity="named"),
        Known("defence", "the defence ministry", kind="organization", anonymity="named"),
    ]
    document = suggest(
        "The interior ministry and the defence ministry met. The ministry said talks went well.",
        slug="t",
        known_sources=known,
    ).document()
    assert document["claims"][0]["attributions"] not in ([["interior"]], [["defence"]])


# --- a short name the article gave in full before it was a source ---------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "A court jailed former harbour master Ivan Petrov for fraud. Petrov said he was "
            "innocent.",
            "Ivan Petrov",
        ),
        (
            "The European Rowing Federation banned the crew. The ERF said the ban was final.",
            "European Rowing Federation (ERF)",
        ),
        (
            "Agents of the Coastal Protection Service (CPS) boarded the ship. The CPS said the "
            "cargo was seized.",
            "Coastal Protection Service (CPS)",
        ),
    ],
)
def test_a_short_name_takes_the_full_name_given_before(text: str, label: str) -> None:
    [source] = suggest(text, slug="t").document()["sources"]
    assert source["label"] == label


def test_a_full_name_is_not_taken_across_a_sentence() -> None:
    document = suggest(
        "The inquiry was opened in the United States. Petrov said he was innocent.", slug="t"
    ).document()
    assert [source["label"] for source in document["sources"]] == ["Petrov"]


def test_a_short_name_given_in_full_keeps_the_ledger_key() -> None:
    known = [Known("erf", "The ERF", kind="organization", anonymity="named")]
    document = suggest(
        "The European Rowing Federation banned the crew. The ERF said the ban was final.",
        slug="t",
        known_sources=known,
    ).document()
    assert document["sources"] == []
    assert document["claims"][0]["attributions"] == [["erf"]]


def test_the_woman_is_the_last_unnamed_woman_met() -> None:
    text = "A nurse from the ward said she heard shots. “We hid under the beds,” said the woman."
    assert _claims(text) == [
        ("she heard shots", ["A nurse from the ward"]),
        ("We hid under the beds", ["A nurse from the ward"]),
    ]


def test_the_man_is_not_the_last_woman_met() -> None:
    text = "A nurse said she heard shots. A guard was hurt. “We hid,” said the man."
    assert _claims(text)[-1] != ("We hid", ["A nurse"])


def test_the_two_are_the_two_met_before() -> None:
    text = (
        "The mill will close, two people briefed on the plan said. The two, who spoke on "
        "condition of anonymity, said the staff had not been told."
    )
    assert _claims(text) == [
        ("The mill will close", ["two people briefed on the plan"]),
        ("the staff had not been told", ["two people briefed on the plan"]),
    ]


def test_a_short_name_is_the_source_met_under_a_longer_name() -> None:
    text = (
        "The U.N. Harbour Relief Agency said aid was blocked. Trucks waited at the border. "
        "The HRA said the drivers were unpaid."
    )
    assert [origins for _, origins in _claims(text)] == [
        ["The U.N. Harbour Relief Agency"],
        ["The U.N. Harbour Relief Agency"],
    ]


# --- a speaker carried across sentences -----------------------------------------------------------


def test_a_parenthetical_memory_verb_names_the_speaker_for_the_pronouns_after_it() -> None:
    claims = _claims(
        "The ice cracked at noon, Marta Kowal recalls, and the sledge went under.\n\n"
        '"We had ten seconds to get off," she says.'
    )
    assert [origins for _, origins in claims] == [["Marta Kowal"], ["Marta Kowal"]]


def test_the_owner_named_in_a_subject_is_the_he_of_the_next_sentence() -> None:
    claims = _claims(
        "Dmitri Lenko's sister, Vera, was on the ferry that night. The crew never came below, "
        "he says."
    )
    assert claims == [("The crew never came below", ["Dmitri Lenko"])]


def test_a_reply_in_writing_is_how_the_speaker_answered_not_who() -> None:
    claims = _claims(
        "The port's director, Ines Valle, said in a written reply that the cranes were inspected "
        "in June."
    )
    assert claims == [("the cranes were inspected in June", ["Ines Valle"])]


def test_someone_quoted_without_a_claim_is_the_description_met_later() -> None:
    claims = _claims(
        "The Lakeside Sentinel quoted a surveyor who mapped the dam in 2019; it did not name "
        "her, saying she feared losing contracts. According to the Sentinel, the surveyor said "
        "the spillway was undersized."
    )
    assert claims == [("the spillway was undersized", ["a surveyor"])]


def test_a_name_described_as_a_newspaper_is_an_outlet_and_its_short_name_the_same() -> None:
    document = _draft(
        "The Carrow Herald, the weekly paper of the valley, reported that the mill would close. "
        "The Herald said 40 jobs would go."
    )
    outlets = [(s["label"], s["kind"]) for s in document["sources"]]
    assert outlets == [("The Carrow Herald", "outlet")]
    assert [len(c["attributions"]) for c in document["claims"]] == [1, 1]


# --- a statement, a regulator and a role: the body or person behind them -------------------------


def test_a_statement_named_by_its_issuer_is_the_body_met_before() -> None:
    claims = _claims(
        "The Port Safety Authority (PSA) said the crane had been inspected. The regulator said "
        "it would publish its findings. A PSA statement said no cargo was lost.\n\n"
        "The harbour board said the pier was sound. A board statement said the ferries would run."
    )
    assert [origins for _, origins in claims] == [
        ["The Port Safety Authority"],
        ["The Port Safety Authority"],
        ["The Port Safety Authority"],
        ["The harbour board"],
        ["The harbour board"],
    ]


@pytest.mark.parametrize(
    ("held", "mention"),
    [
        (  # a title the ledger's label has and the article's lacks, and the reverse
            Known("osei", "Ghanaian President Amara Osei", anonymity="named"),
            "President Amara Osei said the border would reopen.",
        ),
        (
            Known("lind", "Prime Minister Nora Lind", anonymity="named"),
            "Prime Minister Lind said the border would reopen.",
        ),
        (  # a role the ledger holds a named person under
            Known("okoro", "its chief operating officer, Ada Okoro", anonymity="named"),
            "Its chief operating officer said the border would reopen.",
        ),
        (
            Known("vance", "the college's principal", anonymity="named"),
            "The college's principal, Dr. Helen Vance, said the border would reopen.",
        ),
        (  # a statement named by its issuer
            Known("psa", "The Port Safety Authority (PSA)", kind="organization", anonymity="named"),
            "A PSA statement said the border would reopen.",
        ),
        (  # a document or body the ledger holds with what is said of it
            Known(
                "review",
                "a review carried out in May by the audit committee",
                kind="document",
                anonymity="named",
            ),
            "The audit committee met in May. The review said the border would reopen.",
        ),
        (
            Known(
                "aid", "Aid agencies working in the valley", kind="organization", anonymity="named"
            ),
            "Aid agencies said the border would reopen.",
        ),
    ],
)
def test_the_ledger_s_source_under_another_title_role_or_tail_keeps_its_key(
    held: Known, mention: str
) -> None:
    document = _draft(mention, known_sources=[held])
    assert document["claims"][-1]["attributions"] == [[held.key]]


def test_sources_listed_after_according_to_at_the_end_are_each_a_chain() -> None:
    claims = _claims(
        "The depot skipped brake checks for two years, according to maintenance logs, payroll "
        "records and interviews with six drivers."
    )
    assert claims == [
        (
            "The depot skipped brake checks for two years",
            ["maintenance logs", "payroll records", "six drivers"],
        )
    ]


def test_a_fronted_according_to_is_not_a_list_of_what_follows() -> None:
    claims = _claims(
        "On Friday in Leeds, according to police, a man entered a bank, grabbed a bag and fled."
    )
    assert [origins for _, origins in claims] == [["police"]]


def test_the_statement_quoted_later_is_the_body_that_issued_it() -> None:
    claims = _claims(
        "The water board said in a statement on Monday that the leak had been found. "
        '"Supplies will be back to normal by Friday," the statement said.'
    )
    assert [origins for _, origins in claims] == [["The water board"], ["The water board"]]


def test_a_description_with_he_said_is_the_man_of_those_it_fits() -> None:
    claims = _claims(
        'One nurse said the tanks leaked. "We all knew," he said.\n\n'
        "A second nurse, who left last year, gave a similar account. She said the cracks "
        "were painted over.\n\n"
        "The nurse who still works at the yard said he had fixed the leaks twice."
    )
    assert claims[-1] == ("he had fixed the leaks twice", ["One nurse"])


# --- the unnamed people of a long article, met again by a description ---------------------------


def test_a_definite_description_with_new_modifiers_is_the_one_person_of_that_noun() -> None:
    text = (
        "The mayor said the bridge would reopen. "
        "A nurse who works in the clinic said supplies ran out. "
        "The clinic nurse said she had warned the council."
    )
    assert _claims(text) == [
        ("the bridge would reopen", ["The mayor"]),
        ("supplies ran out", ["A nurse"]),
        ("she had warned the council", ["A nurse"]),
    ]


def test_a_description_does_not_choose_between_two_people_of_that_noun() -> None:
    text = (
        "A teacher who has taught there for years said the roof leaked. "
        "A teacher on the second floor said the heating failed. "
        "The science teacher said nobody came."
    )
    assert [origin for _, origin in _claims(text)] == [
        ["A teacher"],
        ["A teacher on the second floor"],
        ["The science teacher"],
    ]


# --- the ledger's bodies, named inside a phrase ---------------------------------------------------

_BODIES = [
    Known("harbour", "the Harbour Authority of Port Elsby", kind="organization", anonymity="named"),
    Known("gazette", "The Harbour Gazette", kind="outlet", anonymity="named"),
    Known("tidewell", "Tidewell Partners", kind="organization", anonymity="named"),
]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Economists at Tidewell Partners said the quay lost money.", "tidewell"),
        ("The figures of Tidewell Partners show the quay lost money.", "tidewell"),
        ("Last Monday the Harbour Authority of Port Elsby said the quay would close.", "harbour"),
        ("According to these photographs and The Harbour Gazette, the quay flooded.", "gazette"),
    ],
)
def test_a_body_named_inside_a_phrase_is_the_ledger_s(text: str, key: str) -> None:
    document = _draft(text, known_sources=_BODIES)
    assert [claim["attributions"] for claim in document["claims"]] == [[[key]]]


def test_a_spokesman_for_a_ledger_body_is_not_the_body() -> None:
    text = "A spokesman for Tidewell Partners said the quay lost money."
    document = _draft(text, known_sources=_BODIES)
    assert document["claims"][0]["attributions"] != [["tidewell"]]


def test_a_key_of_digits_alone_is_given_a_word() -> None:
    text = "According to a 1989 report by the Safety Board, the aircraft was involved in a crash."
    keys = [source["key"] for source in _draft(text)["sources"]]
    assert all(not key[:1].isdigit() for key in keys)


def test_a_fronted_for_phrase_names_the_person_the_next_pronoun_stands_for() -> None:
    text = (
        "A nurse who works in the clinic said supplies ran out. "
        "The mayor said the bridge would reopen. "
        "For the clinic nurse, the worst came later. She said a patient died."
    )
    assert [origin for _, origin in _claims(text)][-1] == ["A nurse"]


# --- who is speaking across a long piece ---------------------------------------------------------


def test_one_of_a_group_is_she_in_the_sentences_after() -> None:
    claims = _claims(
        "Four porters spoke to the paper. One of the porters, who has carried bags at the "
        "station for a decade, said she was never paid for overtime. She kept her own "
        "timesheets, she said."
    )
    assert ("she was never paid for overtime", ["One of the porters"]) in claims
    assert ("She kept her own timesheets", ["One of the porters"]) in claims


def test_a_noun_of_an_agent_the_lexicon_lacks_is_he() -> None:
    """ "a night supervisor" is a person though no list names supervisors; "The memo" is not."""
    claims = _claims(
        "A night supervisor at the depot described the rota. The memo, also seen by the "
        "paper, says only: “Noted.” He said the rota had been cut twice."
    )
    assert ("the rota had been cut twice", ["A night supervisor"]) in claims


def test_a_group_s_reason_goes_to_a_member_met_later() -> None:
    document = _draft(
        "Six workers, four drivers and two porters, said the depot was unsafe. They spoke on "
        "condition that they not be named because the depot's owner has threatened to sue "
        "them.\n\n"
        "One of the drivers said the brakes had failed in May."
    )
    reasons = {s["label"]: s.get("anonymity_reason") for s in document["sources"]}
    assert "threatened to sue" in (reasons["One of the drivers"] or "")


def test_a_date_before_which_is_no_speaker() -> None:
    claims = _claims(
        "The clerk kept one of the invoices, dated March 4, which says the payment was made twice."
    )
    assert claims and all(origin != ["March 4"] for _, origin in claims)


def test_a_speaker_in_a_relative_clause_named_later_is_one_source() -> None:
    text = (
        "The clerk said she sat in a hearing at which a deputy director told the staff that "
        "\u201cspeed is all that counts.\u201d\n\n"
        "The deputy director named by the clerks, Ivo Brand, denied the account. "
        "\u201cThose were never my words,\u201d Brand said."
    )
    director = "a deputy director, Ivo Brand"
    assert _claims(text) == [
        ("speed is all that counts", [director]),
        ("the account", [director]),
        ("Those were never my words", [director]),
    ]


def test_a_speaker_in_an_aside_after_in_which_is_not_nested() -> None:
    text = (
        "The drivers said they feared for their jobs in a trade in which, one said, "
        "\u201cnobody forgets a name.\u201d"
    )
    origins = [origin for _, origin in _claims(text)]
    assert origins[-1] == ["one"]


def test_people_and_records_joined_by_and_are_two_sources() -> None:
    claims = _claims(
        "The depot skipped its checks, according to three current and former drivers and "
        "internal safety logs seen by this newspaper."
    )
    assert claims == [
        (
            "The depot skipped its checks",
            ["three current and former drivers", "internal safety logs"],
        )
    ]


def test_a_group_s_aside_names_its_members_for_its_reason() -> None:
    document = _draft(
        "The yard cut its crews, according to four current and former workers and internal "
        "rosters.\n\n"
        "The workers, three welders and a planner, asked not to be named because they "
        "fear losing their pensions.\n\n"
        "One of the welders said the night shift was halved.\n\n"
        "A welder at another yard said nothing had changed there."
    )
    reasons = {s["label"]: s.get("anonymity_reason") for s in document["sources"]}
    assert "losing their pensions" in (reasons["One of the welders"] or "")
    assert reasons["A welder at another yard"] is None


def test_a_reason_at_the_end_of_a_relative_clause_is_its_subject_s() -> None:
    document = _draft(
        "A pilot said the fuel was short. The other pilot, who now flies for a rival and spoke "
        "on background because his employer forbids interviews, gave a similar account. "
        "He said the gauge had been faulty for weeks."
    )
    reasons = {s["label"]: s.get("anonymity_reason") for s in document["sources"]}
    assert "employer forbids interviews" in (reasons.get("The other pilot") or "")


def test_a_group_s_reason_is_not_given_to_whom_the_reason_names() -> None:
    document = _draft(
        "\u201cThe pumps stopped at dawn,\u201d said a pilot who has worked the canal for years.\n\n"
        "He is one of six workers who spoke to the Gazette. Five of them agreed to speak only "
        "if they were not named, because the canal's operator, Westway Locks, has told staff "
        "that anyone speaking to the press would be dismissed."
    )
    reasons = {s["label"]: s.get("anonymity_reason") for s in document["sources"]}
    pilot = reasons["a pilot"] or ""
    assert "Westway Locks, has told staff" in pilot  # the name beside a noun ends no reason
    assert all(not reason for label, reason in reasons.items() if label != "a pilot")


# --- a body referred back to by its kind ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        (  # the airline opened a sentence as its subject, and spoke only as "the airline"
            "Skyreach Regional grounded six of its turboprops on Friday. Passengers waited for "
            "hours at the gate.\n\nThe airline said the aircraft would be back in service by "
            "the weekend.",
            "Skyreach Regional",
        ),
        (  # named beside the noun, then quoted by the noun alone
            "The company Teller Mills Ltd., which runs the plant, was fined last year.\n\n"
            "The company said the filters had been replaced.",
            "Teller Mills Ltd.",
        ),
    ],
)
def test_the_company_refers_back_to_the_body_named_before(text: str, origin: str) -> None:
    assert _claims(text)[-1][1] == [origin]


def test_a_capitalised_opening_word_is_no_body_to_refer_back_to() -> None:
    text = (
        "Neighbours complained about the noise for months. Several wrote to the council.\n\n"
        "The company said the new fans would be quieter."
    )
    assert _claims(text)[-1][1] == ["The company"]


# --- one member of a group --------------------------------------------------------------------


def test_one_of_them_is_a_speaker_of_its_own_when_another_member_speaks_later() -> None:
    group = "Two lifeguards at the lido said the pumps had failed twice in June. "
    one = "One of them said the filters were never replaced. "
    other = "The other said the manager knew about the leak. "
    reason = "Both asked not to be named because they still work there."
    assert _claims(group + one + other + reason)[1:] == [
        ("the filters were never replaced", ["One of them"]),
        ("the manager knew about the leak", ["The other"]),
    ]
    member = next(
        s for s in _draft(group + one + other + reason)["sources"] if s["label"] == "One of them"
    )
    assert member["anonymity_reason"] == "asked not to be named because they still work there"
    # with no other member counted off, the group spoke by one voice
    assert _claims(group + one)[1] == (
        "the filters were never replaced",
        ["Two lifeguards at the lido"],
    )


# --- a body referred back to by its kind --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "body"),
    [
        (
            "The Harwick Rivers Agency said nitrate levels had doubled since March. "
            "The agency said the testing would continue.",
            "The Harwick Rivers Agency",
        ),
        (
            "Derwent Police said two men had been arrested. "
            "The force said the testing would continue.",
            "Derwent Police",
        ),
        (  # a bare name, met speaking of itself as "it": a body, whatever its kind
            "Carreg Wen said on Monday that it had repaired 40 homes. "
            "The association said the testing would continue.",
            "Carreg Wen",
        ),
    ],
)
def test_the_agency_or_the_force_is_the_body_met_whose_name_agrees(text: str, body: str) -> None:
    assert _claims(text)[1] == ("the testing would continue", [body])
    assert {s["label"]: s["kind"] for s in _draft(text)["sources"]} == {body: "organization"}


def test_a_body_whose_name_says_another_kind_is_not_the_agency() -> None:
    text = (
        "Galen Brook Foods said the plant would close in May. "
        "The agency said no inspection had been booked."
    )
    assert _claims(text)[1] == ("no inspection had been booked", ["The agency"])


# --- one speaker described first, then named ----------------------------------------------------


@pytest.mark.parametrize(
    ("named", "label"),
    [
        (
            "The inspector, Dr Helen Marsh, a former county engineer, said repairs had "
            "been delayed twice.",
            "A bridge inspector, Dr Helen Marsh",
        ),
        (  # a first name alone stands beside the description too
            "The inspector, Helen, who did not want her surname used, said repairs had "
            "been delayed twice.",
            "A bridge inspector, Helen",
        ),
    ],
)
def test_a_description_named_later_beside_a_second_aside_is_one_source(
    named: str, label: str
) -> None:
    text = "A bridge inspector who examined the cables said the anchors were corroded. " + named
    assert _claims(text) == [
        ("the anchors were corroded", [label]),
        ("repairs had been delayed twice", [label]),
    ]


def test_a_speaker_who_gave_only_a_first_name_keeps_the_description_first_printed() -> None:
    text = (
        "A ferry worker who gave only his first name, Tomas, because he still works for "
        "the operator, said the late crossings were cancelled. "
        "Tomas said the captain had complained."
    )
    assert _claims(text) == [
        ("the late crossings were cancelled", ["A ferry worker, Tomas"]),
        ("the captain had complained", ["A ferry worker, Tomas"]),
    ]
    [worker] = _draft(text)["sources"]
    assert worker["anonymity"] == "anonymous"
    assert "because he still works for the operator" in worker["anonymity_reason"]
