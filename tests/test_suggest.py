"""`ledger suggest`: rules on small cases, drafts that import, and measured quality.

The measured quality compares the suggester with hand annotations of openly
licensed and project-written articles (tests/data/suggest, whose README says
where each text comes from and how it was annotated), with the scoring of
`benchmarks/suggest_eval.py`. Only the development split is read here:
`pytest tests/test_suggest.py -k quality -s` prints its table. The held-out
split was measured once by `python -m benchmarks.suggest_eval --split
heldout`, with the rules frozen (benchmarks/SUGGEST.md); the second to
thirteenth held-out splits, each measured once the same way and then spent,
joined the development split. The suite only checks that the annotations are sound.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from benchmarks.suggest_eval import SPLITS, group_of, report, same_origin, total
from ledger.suggest import suggest
from ledger.suggest.known import Known
from ledger.text import anchoring
from ledger.text.sentences import split
from ledger.write.bundle import load_file, read_article_text, validate

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DEVELOPMENT = SPLITS["dev"]()
# Floors for the development split, below the figures it reaches: a rule change
# that loses ground fails here rather than in the next measurement.
TARGET_CUE_RECALL = 0.8
TARGET_ORIGIN_RECALL = 0.7


def _draft(text: str, **kwargs: object) -> dict:
    return suggest(text, slug="test-article", title="Test", **kwargs).document()


def _claims(text: str, **kwargs: object) -> list[dict]:
    return _draft(text, **kwargs)["claims"]


def _labels(document: dict) -> dict[str, dict]:
    return {source["key"]: source for source in document["sources"]}


# --- rules on small cases -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Mr. Smith met the U.S. President on Jan. 5. He left.", 2),
        ("The meeting lasted until 4 a.m. The official said so.", 2),
        ("Apple Inc. said it would. Shares rose.", 2),
        ("“It is over. We lost,” he said. She agreed.", 2),
        ("The U.S.-led coalition paid $3.5 billion, officials said.", 1),
        ("A line that wraps\nin the middle. Next one.\n\nNew paragraph", 3),
        ("READ MORE: Markets rally\nThe minister said taxes would rise.", 2),
        (
            "Officials said the plan, which the two governments had agreed on\nTuesday, would stand.",
            1,
        ),
    ],
)
def test_sentence_splitting(text: str, count: int) -> None:
    assert len(split(text)) == count


@pytest.mark.parametrize(
    ("text", "quote", "origin"),
    [
        ("The plan failed, a senior official said.", "The plan failed", "a senior official"),
        ("The plan failed, said Jane Doe, the minister.", "The plan failed", "Jane Doe"),
        ("“We will win,” said the spokesman.", "We will win", "the spokesman"),
        ("Jane Doe said the plan had failed.", "the plan had failed", "Jane Doe"),
        ("The mayor said on Tuesday that taxes would rise.", "taxes would rise", "The mayor"),
        ("According to police, two people died.", "two people died", "police"),
        ("Two people died, according to the ministry.", "Two people died", "the ministry"),
        (
            "The spokesman dismissed the allegations as baseless.",
            "The spokesman dismissed the allegations as baseless",
            "The spokesman",
        ),
        (
            "Diplomats cast doubt on the report.",
            "Diplomats cast doubt on the report",
            "Diplomats",
        ),
        (
            "Television footage showed police wearing vests.",
            "police wearing vests",
            "Television footage",
        ),
        ("The mayor has made it clear that taxes will rise.", "taxes will rise", "The mayor"),
        (
            "The army's spokesman, Maj. Gen. Jan Kowal, said the unit had withdrawn.",
            "the unit had withdrawn",
            "Maj. Gen. Jan Kowal",
        ),
        (
            "Five died, according to U.S. and NATO officials.",
            "Five died",
            "U.S. and NATO officials",
        ),
        (
            "They cautioned, however, that other issues remained.",
            "other issues remained",
            "They",
        ),
        (
            "The mayor assured council members on Wednesday that the budget would hold.",
            "the budget would hold",
            "The mayor",
        ),
        ("As Reuters reported last week, the firm is for sale.", "the firm is for sale", "Reuters"),
        (
            "A study in the journal Nature found that the drug worked.",
            "the drug worked",
            "A study in the journal Nature",
        ),
        (
            "“We will wait,” Bach wrote in an email to the city attorney.",
            "We will wait",
            "Bach",
        ),
        (
            "Some officials expressed concerns about his control.",
            "Some officials expressed concerns about his control",
            "Some officials",
        ),
        ("He denied any wrongdoing.", "any wrongdoing", "He"),
        (
            "Cases rose to 14, reports the Bangor Daily News, all in one ward.",
            "Cases rose to 14",
            "the Bangor Daily News",
        ),
        ("“It is open,” said Dr. Jane Roe, the director.", "It is open", "Dr. Jane Roe"),
        (
            "Police described the gunman as a man in his 40s.",
            "the gunman as a man in his 40s",
            "Police",
        ),
        (
            "The appeals court ruled that the players can sue.",
            "the players can sue",
            "The appeals court",
        ),
        (
            "Two sources indicated on Sunday that the league would wait.",
            "the league would wait",
            "Two sources",
        ),
        ("In Quetta, witnesses said people fled.", "people fled", "witnesses"),
        (
            "He admitted in a guilty plea in November 2005 that he defrauded clients.",
            "he defrauded clients",
            "He",
        ),
        (
            "Faculty called the step an “unconscionable exploitation” of the crisis.",
            "the step an “unconscionable exploitation” of the crisis",
            "Faculty",
        ),
        (
            "“They grew apart,” a source told the Springfield Gazette.",
            "They grew apart",
            "a source",
        ),
        (
            "“The dam will not hold,” the engineer continued.",
            "The dam will not hold",
            "the engineer",
        ),
    ],
)
def test_cue_shapes(text: str, quote: str, origin: str) -> None:
    document = _draft(text)
    [claim] = document["claims"]
    assert claim["quote"] == quote
    assert _labels(document)[claim["attributions"][0][-1]]["label"] == origin


@pytest.mark.parametrize(
    "text",
    [
        "The court rejected the appeal on Monday.",
        "The judge denied bail.",
        "He was dismissed from his job.",
        "He showed courage under fire.",
        "The talks suggested a deal was near.",
        "The court denied the motion to dismiss and set a trial date.",
        "Researchers found the bones in a cave in 2019.",
        "The novel describes a family in crisis.",
        "The strike continued into a third week.",
    ],
)
def test_acts_are_not_attributions(text: str) -> None:
    assert _claims(text) == []


def test_an_outlet_named_in_the_circumstances_is_a_hop() -> None:
    document = _draft(
        "Rapp claimed in a BuzzFeed News report published Sunday that he was harassed."
    )
    [claim] = document["claims"]
    labels = _labels(document)
    assert [labels[key]["label"] for key in claim["attributions"][0]] == ["BuzzFeed News", "Rapp"]


def test_a_named_recipient_institution_is_a_hop() -> None:
    document = _draft("“They grew apart,” a source told the Springfield Gazette.")
    [claim] = document["claims"]
    labels = _labels(document)
    assert [labels[key]["label"] for key in claim["attributions"][0]] == [
        "the Springfield Gazette",
        "a source",
    ]


def test_a_phrase_that_is_no_speaker_is_flagged() -> None:
    document = _draft("Two years ago, the couple said they were happy.")
    labels = {source["label"] for source in document["sources"]}
    assert "Two years" not in labels


def test_a_one_word_name_that_reports_is_an_outlet_it_refers_back_to() -> None:
    document = _draft(
        "Malaysiakini reported that 40 staff were infected. It said the ward was closed. "
        "The news portal added that patients had tested negative."
    )
    origins = {claim["attributions"][0][-1] for claim in document["claims"]}
    [source] = [_labels(document)[key] for key in origins]
    assert (source["label"], source["kind"]) == ("Malaysiakini", "outlet")


def test_a_clause_opener_is_no_part_of_the_speaker() -> None:
    document = _draft(
        "Party spokesman Terence Manirambona spoke on Monday. "
        'He said the party was "stunned" to hear what he says are false numbers.'
    )
    labels = {source["label"] for source in document["sources"]}
    assert not any(label.lower().startswith("what") for label in labels)
    origins = {_labels(document)[c["attributions"][0][-1]]["label"] for c in document["claims"]}
    assert origins == {"Party spokesman Terence Manirambona"}


def test_whose_husband_does_not_make_a_woman_he() -> None:
    document = _draft(
        "Judge Maria Sandoval wrote that the case could go to trial. "
        "One of the plaintiffs, Linda Marsh, whose husband died in 2020, said she had cried. "
        '"We just want the truth," she said.'
    )
    last = document["claims"][-1]
    assert _labels(document)[last["attributions"][0][-1]]["label"] == "Linda Marsh"


def test_a_plural_description_is_the_group_not_its_last_member() -> None:
    document = _draft(
        "The app sold location data, according to two former engineers. "
        "The second former engineer said she had objected. "
        "The engineers said the company's denial was not accurate."
    )
    last = document["claims"][-1]
    assert _labels(document)[last["attributions"][0][-1]]["label"] == "two former engineers"


def test_coordinated_sources_are_separate_chains() -> None:
    document = _draft("Three people died, according to police and media reports.")
    [claim] = document["claims"]
    labels = _labels(document)
    assert [labels[chain[-1]]["label"] for chain in claim["attributions"]] == [
        "police",
        "media reports",
    ]


def test_relay_chains() -> None:
    text = (
        "The deal is done, AP reported, citing two diplomats. "
        "A company spokesman told the Guardian that talks had stalled. "
        "Citing people familiar with the matter, the newspaper said prices would rise."
    )
    chains = [claim["attributions"] for claim in _claims(text)]
    assert chains == [
        [["ap", "two-diplomats"]],
        [["guardian", "company-spokesman"]],
        [["guardian", "people-familiar-with-the-matter"]],
    ]


def test_publisher_is_implicit() -> None:
    text = "WASHINGTON (Reuters) - Prices rose, two officials told Reuters on Friday."
    [claim] = _claims(text)
    assert claim["attributions"] == [["two-officials"]]


def test_coreference_and_anonymity() -> None:
    text = (
        "A senior official, who spoke on condition of anonymity because he was not authorized "
        "to speak publicly, said the talks had failed. The official said a new round was planned. "
        "He added that nobody was hurt. A rebel commander known as Abu Omar said the town fell. "
        "Police spokeswoman Jane Roe denied that anyone was arrested."
    )
    document = _draft(text)
    sources = _labels(document)
    origins = [claim["attributions"][0][-1] for claim in document["claims"]]
    assert origins[0] == origins[1] == origins[2]
    official = sources[origins[0]]
    assert official["anonymity"] == "anonymous"
    assert "condition of anonymity" in official["anonymity_reason"]
    assert sources[origins[3]] | {} == sources[origins[3]]
    assert sources[origins[3]]["label"] == "Abu Omar"
    assert sources[origins[3]]["anonymity"] == "pseudonym"
    assert sources[origins[4]]["anonymity"] == "named"
    assert document["claims"][4]["text"].startswith("Denied:")


def test_pseudonyms_relays_and_running_quotes() -> None:
    text = (
        "Maria (not her real name) said she fled in May. "
        "The Times reported that two aides said the plan was dropped.\n\n"
        "“We won,” the coach said. “It was hard.”"
    )
    document = _draft(text)
    sources = _labels(document)
    chains = [claim["attributions"] for claim in document["claims"]]
    assert sources[chains[0][0][-1]] | {} == sources["maria"]
    assert sources["maria"]["anonymity"] == "pseudonym"
    assert chains[1] == [["the-times", "two-aides"]]
    assert chains[2] == chains[3] == [["coach"]]
    assert document["claims"][3]["quote"] == "It was hard."


def test_outlet_kinds() -> None:
    text = (
        "The rebels retreated, the BBC reported. Prices rose, a local newspaper said. "
        "Talks resumed, state media said."
    )
    document = _draft(text)
    kinds = {source["label"]: source["kind"] for source in document["sources"]}
    assert kinds == {"the BBC": "outlet", "a local newspaper": "outlet", "state media": "outlet"}


def test_no_claim_inside_quotes_or_for_non_statements() -> None:
    text = (
        "“They said it was fine, and I told them no,” the farmer said. "
        "The company declined to say whether it would comment. Sales added 200 jobs."
    )
    claims = _claims(text)
    assert [claim["cue"] for claim in claims] == ["said"]


# --- every speaker ----------------------------------------------------------------------------


def _origin(document: dict, claim: dict, chain: int = 0) -> dict:
    return _labels(document)[claim["attributions"][chain][-1]]


def test_a_denial_of_something_said_is_a_claim() -> None:
    document = _draft(
        "The ministry's spokeswoman, Dana Levi, denied that report. "
        "Officials told VOA that militants breached the base, but the governor denies this."
    )
    quotes = [claim["quote"] for claim in document["claims"]]
    assert quotes == [
        "The ministry's spokeswoman, Dana Levi, denied that report",
        "militants breached the base",
        "the governor denies this",
    ]
    assert _origin(document, document["claims"][0])["label"] == "Dana Levi"


def test_a_document_seen_by_another_outlet_reaches_us_through_it() -> None:
    document = _draft(
        "The ministry misled parliament, according to a leaked internal memo seen by the "
        "Guardian. Prices rose, according to documents obtained by The Tribune.",
        outlet="The Tribune",
    )
    chains = [claim["attributions"] for claim in document["claims"]]
    assert chains == [[["guardian", "leaked-internal-memo"]], [["documents"]]]


@pytest.mark.parametrize(
    ("text", "chain"),
    [
        (
            "A diplomat told the Times that a minister had said the deal was dead.",
            ["times", "diplomat", "minister"],
        ),
        ("The captain said the owner told him the weather was fine.", ["captain", "owner"]),
        (
            "The foreman said he had heard the superintendent tell a meeting that the company "
            "could not afford delays.",
            ["foreman", "superintendent"],
        ),
        (
            "A local police commander told a regional newspaper, the Nordblatt, that villagers "
            "had reported armed men in the area.",
            ["nordblatt", "local-police-commander", "villagers"],
        ),
    ],
)
def test_nested_attribution_keeps_every_link(text: str, chain: list[str]) -> None:
    [claim] = _claims(text)
    assert claim["attributions"] == [chain]


def test_a_description_named_later_is_one_source() -> None:
    document = _draft(
        "A senior official said the talks had failed. "
        "The official, John Smith, said a new round was planned."
    )
    first, second = document["claims"]
    assert first["attributions"] == second["attributions"] == [["john-smith"]]
    source = _origin(document, first)
    assert (source["label"], source["anonymity"]) == ("A senior official, John Smith", "named")


def test_a_quotation_over_several_sentences_is_one_claim() -> None:
    [claim] = _claims("“We are not asking for state secrets. We want the papers,” Brandt said.")
    assert claim["quote"] == "We are not asking for state secrets. We want the papers"


@pytest.mark.parametrize(
    ("label", "key"),
    [
        ("Officials at the Ministry of Health", "ministry-officials"),
        ("Pentagon spokesman Captain Jeff Davis", "jeff-davis"),
        ("People familiar with the matter", "people-familiar-with-the-matter"),
        ("A high-ranking security official in Kismayo", "high-ranking-security-official"),
    ],
)
def test_keys_read_as_names(label: str, key: str) -> None:
    [claim] = _claims(f"The plan failed, {label} said.")
    assert claim["attributions"] == [[key]]


# --- why anonymity, and what they knew ---------------------------------------------------------


def test_the_reason_for_anonymity_keeps_its_because() -> None:
    document = _draft(
        "A senior official, who spoke on condition of anonymity because he was not authorized "
        "to discuss the talks, said they had failed. A nurse said the ward was full. "
        "She asked not to be named because staff are forbidden to speak to reporters."
    )
    official, nurse = (_origin(document, claim) for claim in document["claims"])
    assert official["anonymity_reason"] == (
        "spoke on condition of anonymity because he was not authorized to discuss the talks"
    )
    assert nurse["anonymity_reason"] == (
        "asked not to be named because staff are forbidden to speak to reporters"
    )


@pytest.mark.parametrize(
    ("speaker", "knowledge"),
    [
        ("An officer who was in the room", "direct"),
        ("A guard who saw the attack", "direct"),
        ("A banker involved in the loan", "direct"),
        ("An official briefed on the talks", "secondhand"),
        ("People familiar with the matter", "secondhand"),
        ("A senior official", None),
    ],
)
def test_knowledge_is_drafted_from_how_the_source_knows(
    speaker: str, knowledge: str | None
) -> None:
    document = _draft(f"{speaker} said the deal was off.")
    assert _origin(document, document["claims"][0]).get("knowledge") == knowledge


def test_the_evidence_for_each_guess_is_in_a_comment() -> None:
    text = suggest(
        "An officer who was in the room, speaking on condition of anonymity because he was "
        "not authorized to speak, said the general was overruled.",
        slug="t",
        title="T",
    ).to_yaml()
    assert "# knowledge direct: “who was in the room”" in text
    assert "reason as stated: “speaking on condition of anonymity because" in text


# --- the ledger's own sources -----------------------------------------------------------------


def test_spokespeople_press_offices_and_statements_speak_for_their_party() -> None:
    document = _draft(
        "A spokeswoman for the Ministry of Health, Dana Levi, said the outbreak was contained. "
        "The embassy's press office said the diplomats had done nothing wrong. "
        "According to a statement from Africa Command, the strike killed two militants."
    )
    sources = _labels(document)
    speakers = [_origin(document, claim) for claim in document["claims"]]
    parties = [sources[speaker["speaks_for"]]["label"] for speaker in speakers]
    assert parties == ["the Ministry of Health", "The embassy", "Africa Command"]


def test_working_somewhere_is_not_speaking_for_it() -> None:
    document = _draft("A doctor at the hospital said the ward was full.")
    assert "speaks_for" not in _origin(document, document["claims"][0])


def test_the_ledger_keys_and_aliases_are_reused_never_redefined() -> None:
    known = [
        Known("moh", "the Ministry of Health", kind="organization", anonymity="named"),
        Known("levi", "Dana Levi", anonymity="named"),
        Known("who-org", "World Health Organisation", "who", "organization", "named"),
        Known("senior-official", "a senior official", anonymity="anonymous"),
    ]
    document = _draft(
        "The Ministry of Health said the outbreak was contained. Dana Levi said no one died. "
        "The World Health Organisation said it was watching. "
        "A senior official said the numbers were higher.",
        known_sources=known,
    )
    chains = [claim["attributions"][0][-1] for claim in document["claims"]]
    assert chains[:3] == ["moh", "levi", "who"]
    assert chains[3] not in {"senior-official", "moh", "levi", "who", "who-org"}
    defined = {source["key"] for source in document["sources"]}
    assert defined == {chains[3]}  # the unnamed official is new; nothing known is redefined


def test_a_spokesperson_speaks_for_the_ledger_s_own_party() -> None:
    known = [Known("moh", "the Ministry of Health", kind="organization", anonymity="named")]
    document = _draft(
        "A spokeswoman for the Ministry of Health, Dana Levi, said the outbreak was contained.",
        known_sources=known,
    )
    [levi] = document["sources"]
    assert (levi["key"], levi["speaks_for"]) == ("dana-levi", "moh")


# --- drafts that load and import ---------------------------------------------------------------


@pytest.mark.parametrize("bundle_path", SPLITS["all"](), ids=lambda p: p.stem)
def test_draft_is_a_valid_bundle(bundle_path: Path, tmp_path: Path) -> None:
    [loaded] = load_file(bundle_path)
    text = read_article_text(loaded)
    assert text is not None
    draft = suggest(text, text_file="article.txt")
    (tmp_path / "article.txt").write_text(text, encoding="utf-8")
    (tmp_path / "draft.yaml").write_text(draft.to_yaml(), encoding="utf-8")
    [reloaded] = load_file(tmp_path / "draft.yaml")
    assert reloaded.bundle.claims
    assert yaml.safe_load(draft.to_yaml()) == draft.document()
    validate(draft.document(), origin="draft", base_dir=tmp_path)
    for claim in reloaded.bundle.claims:
        assert anchoring.find(claim.quote or "", text) is not None, claim.quote


def test_cli_suggest_then_import(cli, tmp_path: Path) -> None:
    article = tmp_path / "story.txt"
    article.write_text((SAMPLES / "article.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "drafts" / "story.yaml"
    out.parent.mkdir()
    cli.ok("suggest", str(article), "-o", str(out), "--title", "IS and Nusra")
    # The text is not inside the draft's directory, so import could not read it
    # from there: the draft carries it inline.
    assert "text_file" not in out.read_text(encoding="utf-8")
    assert "text: |" in out.read_text(encoding="utf-8")
    imported = cli.ok("import", str(out))
    assert "imported is-and-nusra" in imported  # the slug comes from the title
    listed = cli.ok("claims", "--article", "is-and-nusra", "--json")
    assert '"single-source"' in listed or '"corroborated"' in listed


def test_cli_suggest_stdout(cli, tmp_path: Path) -> None:
    article = tmp_path / "story.txt"
    article.write_text("Prices will rise, the minister said.", encoding="utf-8")
    output = cli.ok("suggest", str(article), "--slug", "prices", "--outlet", "Reuters")
    document = yaml.safe_load(output)
    assert document["article"]["slug"] == "prices"
    assert document["claims"][0]["attributions"] == [["minister"]]


def test_cli_suggest_from_slug(seeded, tmp_path: Path) -> None:
    output = seeded.ok("suggest", "rt-is-nusra-deal")
    draft = tmp_path / "draft.yaml"
    draft.write_text(output, encoding="utf-8")
    listed = re.search(r"# already in the ledger: (.*)", output)
    assert listed and "ap" in listed.group(1).split(", ")
    assert "only what no claim covers yet" in output and "`ledger import --merge`" in output
    entered = {c["key"] for c in json.loads(seeded.ok("claims", "--json"))}
    imported = seeded.ok("import", "--merge", str(draft))
    assert "rt-is-nusra-deal (merged)" in imported
    after = {c["key"] for c in json.loads(seeded.ok("claims", "--json"))}
    assert entered <= after  # nothing entered before is lost


def test_cli_suggest_reuses_the_ledger_s_sources(seeded, tmp_path: Path) -> None:
    article = tmp_path / "relay.txt"
    article.write_text(
        "The groups met in Atareb, the Associated Press reported, citing a prominent Syrian "
        "opposition official. Abu Musafer said the deal held.",
        encoding="utf-8",
    )
    draft = tmp_path / "relay.yaml"
    seeded.ok("suggest", str(article), "-o", str(draft), "--title", "Relay")
    document = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert [claim["attributions"] for claim in document["claims"]][1] == [["abu-musafer"]]
    assert document["claims"][0]["attributions"][0][0] == "ap"
    defined = {source["key"] for source in document["sources"]}
    assert not defined & {"ap", "abu-musafer"}
    text = draft.read_text(encoding="utf-8")
    assert "already in the ledger: ap, abu-musafer" in text
    assert "the ledger has “a prominent Syrian opposition official” (opposition-official)" in text
    seeded.ok("import", str(draft))


def test_cli_suggest_resolves_a_merged_alias(cli, tmp_path: Path) -> None:
    cli.ok(
        "source",
        "add",
        "who",
        "--label",
        "the World Health Organization",
        "--kind",
        "organization",
        "--anonymity",
        "named",
        "--no-input",
    )
    cli.ok(
        "source",
        "add",
        "who-org",
        "--label",
        "World Health Organisation",
        "--kind",
        "organization",
        "--anonymity",
        "named",
        "--no-input",
    )
    cli.ok("source", "merge", "who-org", "who")
    article = tmp_path / "who.txt"
    article.write_text(
        "A spokesman for the World Health Organisation, Christian Lindmeier, said three died.",
        encoding="utf-8",
    )
    document = yaml.safe_load(cli.ok("suggest", str(article), "--title", "WHO"))
    [lindmeier] = document["sources"]
    assert lindmeier["speaks_for"] == "who"


def test_cli_suggest_without_a_ledger_says_so(cli, tmp_path: Path) -> None:
    article = tmp_path / "story.txt"
    article.write_text("Prices will rise, the minister said.", encoding="utf-8")
    result = cli("suggest", str(article), "--db", str(tmp_path / "missing.db"), db=False)
    assert result.exit_code == 0, result.stderr
    output = result.stdout
    assert "# No ledger at" in output
    assert yaml.safe_load(output)["claims"][0]["attributions"] == [["minister"]]
    assert not (tmp_path / "missing.db").exists()


def test_cli_suggest_refuses_unknown_input(cli, tmp_path: Path) -> None:
    for name in ("no-such-article", str(tmp_path / "missing.txt")):
        result = cli("suggest", name)
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "no-such-article" in result.stderr or "missing.txt" in result.stderr


# --- measured quality -------------------------------------------------------------------------


def test_measured_quality(capsys: pytest.CaptureFixture[str]) -> None:
    text, results = report("dev")
    with capsys.disabled():
        print("\nledger suggest, measured on the development split:\n" + text)
    ratios = total(results, "dev").score.ratios()
    assert ratios["cue_recall"] >= TARGET_CUE_RECALL
    assert ratios["origin_recall"] >= TARGET_ORIGIN_RECALL


@pytest.mark.parametrize("split_name", ["dev", "heldout", "heldout20"])
def test_eval_annotations_are_sound(split_name: str) -> None:
    """Every annotated quote is in its article; every article has some sourcing to find."""
    for path in SPLITS[split_name]():
        [loaded] = load_file(path)
        text = read_article_text(loaded)
        assert text is not None
        attributed = [c for c in loaded.bundle.claims if c.attributions]
        assert len(attributed) >= 3, path
        for claim in loaded.bundle.claims:
            assert re.sub(r"\s+", " ", claim.quote or "") and anchoring.find(
                claim.quote or "", text
            )


def test_a_wordless_member_label_is_found_only_when_drafted_as_written() -> None:
    """ "One" and "The other" share no content word with anything: the scorer counts them
    found when drafted as the same words, and never for a near label or a label two
    sources of the article share."""
    labels = ["Two ferry deckhands", "One", "The other", "Captain Ilse Varga"]
    assert same_origin("one", "One", labels)
    assert same_origin("The  other.", "The other", labels)
    assert not same_origin("One of them", "One", labels)
    assert not same_origin("The other", "One", labels)
    assert not same_origin("Two ferry deckhands", "The other", labels)
    assert not same_origin("One", "One", [*labels, "one"])
    assert same_origin("Captain Varga", "Captain Ilse Varga", labels)  # content words, as before


def test_every_dev_article_has_a_writer_group() -> None:
    """Figures per writer group only guard against fitting one writer if no article is lost."""
    assert group_of("own-blind10-x") != group_of("own-blind-x") != group_of("own-wire-x")
    names = [path.stem for path in SPLITS["dev"]()]
    assert sum(group_of(name) == name for name in names) == 1  # the seed sample alone
