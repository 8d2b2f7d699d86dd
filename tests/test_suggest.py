"""`ledger suggest`: rules on small cases, drafts that import, and measured quality.

The quality test compares the suggester with hand annotations (tests/data/suggest/
and the seed sample), each written before the suggester read the article. A
suggested claim matches an annotated one when their quotes overlap by at least
half of the shorter (one-to-one); a suggested chain's origin matches when its
label shares more words with the annotated origin than with any other source of
that article. Run `pytest tests/test_suggest.py -k quality` to see the figures.

History of the held-out checks, for honesty about what "development" means
here: round2/ was first measured as held out (cue recall 0.67, origin recall
0.46), then used to improve the rules; round3/ likewise (0.63, 0.61); round4/
likewise (0.79, 0.70); round5/, annotated by someone who never read the rules,
likewise (0.72, 0.55); round6/, by the same hand, likewise (0.72, 0.53);
round7/ likewise (0.65, 0.56); round8/, 10 articles of ordinary news by the
same hand, likewise (0.76, 0.62). heldout/, 10 more such articles, was measured
once with the rules frozen (0.82, 0.75) and has not been used since.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from ledger.suggest import suggest
from ledger.suggest.heads import content_words
from ledger.text import anchoring
from ledger.text.sentences import split
from ledger.write.bundle import load_file, read_article_text, validate

DATA = Path(__file__).resolve().parent / "data" / "suggest"
SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# Development: the articles the rules were written and corrected against (round2 to round8
# were each held out first, then used). Held out: measured once, never tuned on.
DEVELOPMENT = [
    SAMPLES / "rt-is-nusra-deal.yaml",
    *sorted(DATA.glob("*.yaml")),
    *sorted((DATA / "round2").glob("*.yaml")),
    *sorted((DATA / "round3").glob("*.yaml")),
    *sorted((DATA / "round4").glob("*.yaml")),
    *sorted((DATA / "round5").glob("*.yaml")),
    *sorted((DATA / "round6").glob("*.yaml")),
    *sorted((DATA / "round7").glob("*.yaml")),
    *sorted((DATA / "round8").glob("*.yaml")),
]
HELD_OUT = sorted((DATA / "heldout").glob("*.yaml"))
EVAL_SET = DEVELOPMENT + HELD_OUT
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


# --- drafts that load and import ---------------------------------------------------------------


@pytest.mark.parametrize("bundle_path", EVAL_SET, ids=lambda p: p.stem)
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
    assert "already in the ledger: ap" in output
    assert "only what no claim covers yet" in output and "`ledger import --merge`" in output
    entered = {c["key"] for c in json.loads(seeded.ok("claims", "--json"))}
    imported = seeded.ok("import", "--merge", str(draft))
    assert "rt-is-nusra-deal (merged)" in imported
    after = {c["key"] for c in json.loads(seeded.ok("claims", "--json"))}
    assert entered < after  # nothing entered before is lost, something was added


def test_cli_suggest_refuses_unknown_input(cli, tmp_path: Path) -> None:
    for name in ("no-such-article", str(tmp_path / "missing.txt")):
        result = cli("suggest", name)
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "no-such-article" in result.stderr or "missing.txt" in result.stderr


# --- measured quality -------------------------------------------------------------------------


@dataclass
class Score:
    annotated: int = 0
    suggested: int = 0
    matched: int = 0
    chains: int = 0
    chains_found: int = 0
    suggested_chains: int = 0
    suggested_chains_right: int = 0

    def add(self, other: Score) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def ratios(self) -> tuple[float, float, float, float]:
        def ratio(a: int, b: int) -> float:
            return a / b if b else 1.0

        return (
            ratio(self.matched, self.annotated),
            ratio(self.matched, self.suggested),
            ratio(self.chains_found, self.chains),
            ratio(self.suggested_chains_right, self.suggested_chains),
        )


Spans = list[tuple[int, int]]


def _spans(quote: str, text: str) -> Spans:
    """Every place of a quote: the same words may stand twice in an article."""
    spans = [(span.start, span.end) for span in anchoring.find_all(quote, text)]
    assert spans, quote
    return spans


def _overlap(gold: Spans, found: tuple[int, int]) -> int:
    best = 0
    for a in gold:
        shared = min(a[1], found[1]) - max(a[0], found[0])
        if shared > 0 and shared >= 0.5 * min(a[1] - a[0], found[1] - found[0]):
            best = max(best, shared)
    return best


def _match(gold: list[Spans], found: list[tuple[int, int]]) -> dict[int, int]:
    """Maximum one-to-one matching of overlapping spans (Kuhn), larger overlaps tried first."""
    edges = {
        g: sorted(
            (f for f in range(len(found)) if _overlap(gold[g], found[f])),
            key=lambda f: -_overlap(gold[g], found[f]),
        )
        for g in range(len(gold))
    }
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for f in edges[g]:
            if f not in seen:
                seen.add(f)
                if f not in owner or augment(owner[f], seen):
                    owner[f] = g
                    return True
        return False

    for g in range(len(gold)):
        augment(g, set())
    return {g: f for f, g in owner.items()}


def _same_origin(label: str, gold_label: str, gold_labels: list[str]) -> bool:
    def similarity(a: str, b: str) -> float:
        wa, wb = content_words(a.lower()), content_words(b.lower())
        return len(wa & wb) / len(wa | wb) if wa | wb else 0.0

    best = max(similarity(label, other) for other in gold_labels)
    return best > 0 and similarity(label, gold_label) == best


def _score(bundle_path: Path) -> Score:
    [loaded] = load_file(bundle_path)
    bundle = loaded.bundle
    text = read_article_text(loaded)
    assert text is not None and bundle.article is not None
    gold_sources = {source.key: source.label for source in bundle.sources}
    gold = [claim for claim in bundle.claims if claim.attributions]
    draft = suggest(
        text, slug=bundle.article.slug, title=bundle.article.title, outlet=bundle.article.outlet
    )
    labels = {source.key: source.label for source in draft.sources}
    found = draft.claims
    pairs = _match([_spans(c.quote or "", text) for c in gold], [(c.start, c.end) for c in found])
    score = Score(len(gold), len(found), len(pairs))
    for index, claim in enumerate(gold):
        gold_origins = [gold_sources[chain[-1].source] for chain in claim.chains()]
        score.chains += len(gold_origins)
        suggestion = found[pairs[index]] if index in pairs else None
        origins = [labels[chain[-1]] for chain in suggestion.chains] if suggestion else []
        score.chains_found += sum(
            any(_same_origin(o, g, list(gold_sources.values())) for o in origins)
            for g in gold_origins
        )
    for index, claim in enumerate(found):
        score.suggested_chains += len(claim.chains)
        gold_index = next((g for g, f in pairs.items() if f == index), None)
        if gold_index is None:
            continue
        gold_origins = [gold_sources[chain[-1].source] for chain in gold[gold_index].chains()]
        score.suggested_chains_right += sum(
            any(
                _same_origin(labels[chain[-1]], g, list(gold_sources.values()))
                for g in gold_origins
            )
            for chain in claim.chains
        )
    return score


def test_measured_quality(capsys: pytest.CaptureFixture[str]) -> None:
    total, development, held_out = Score(), Score(), Score()
    rows = []
    for path in EVAL_SET:
        score = _score(path)
        total.add(score)
        (held_out if path in HELD_OUT else development).add(score)
        rows.append((("held out: " if path in HELD_OUT else "") + path.stem, score))
    rows += [("development set", development), ("held-out set", held_out), ("overall", total)]
    lines = [f"{'article':46} {'gold':>4} {'sugg':>4} {'match':>5}  cue-R  cue-P  orig-R  orig-P"]
    for name, score in rows:
        recall, precision, origin_recall, origin_precision = score.ratios()
        lines.append(
            f"{name:46} {score.annotated:4} {score.suggested:4} {score.matched:5}  "
            f"{recall:5.2f}  {precision:5.2f}  {origin_recall:6.2f}  {origin_precision:6.2f}"
        )
    with capsys.disabled():
        print("\nledger suggest, measured on the evaluation set:\n" + "\n".join(lines))
    recall, _, origin_recall, _ = total.ratios()
    assert recall >= TARGET_CUE_RECALL
    assert origin_recall >= TARGET_ORIGIN_RECALL


def test_eval_annotations_are_sound() -> None:
    """Every annotated quote is in its article; every article has rich sourcing."""
    for path in EVAL_SET:
        [loaded] = load_file(path)
        text = read_article_text(loaded)
        assert text is not None
        attributed = [c for c in loaded.bundle.claims if c.attributions]
        assert len(attributed) >= 3, path
        for claim in loaded.bundle.claims:
            assert re.sub(r"\s+", " ", claim.quote or "") and anchoring.find(claim.quote or "", text)
