"""Quote anchors: folding, exact re-anchoring of corrected texts, orphans, unclaimed sentences."""

from __future__ import annotations

import json

from ledger.text import anchoring
from tests.conftest import SAMPLES
from tests.test_audit import assert_verifies


def test_folding_ignores_line_breaks_quotes_and_dashes():
    text = "He said the West \u201cwill pay\nthe  heaviest price\u201d \u2013 soon."
    span = anchoring.find('the West "will pay the heaviest price" - soon', text)
    assert span is not None and text[span.start : span.end].startswith("the West")
    assert text[span.end - 4 : span.end] == "soon"


def test_sentences_respect_abbreviations_and_hard_wraps():
    text = "Mr. Smith left at 4 a.m. The U.S. envoy\narrived. \u201cNo,\u201d she said.\n\nNext."
    sentences = [text[s.start : s.end] for s in anchoring.sentence_spans(text)]
    assert sentences == [
        "Mr. Smith left at 4 a.m.",
        "The U.S. envoy\narrived.",
        "\u201cNo,\u201d she said.",
        "Next.",
    ]


def test_reanchor_never_takes_a_look_alike():
    old = anchoring.anchor_quote(
        "the bridge will reopen", "Officials said the bridge will reopen in May."
    )
    moved = anchoring.reanchor(
        "the bridge will reopen", old, "On Monday, officials said the bridge will reopen."
    )
    assert moved.outcome == "moved"
    lost = anchoring.reanchor(
        "the bridge will reopen", old, "Officials said the bridge might reopen in May."
    )
    assert lost.outcome == "orphaned" and lost.anchor is None
    assert lost.candidates[0].passage.startswith("the bridge might reopen")


def test_context_tells_repeated_quotes_apart_or_orphans():
    text = "A said the deal is off. Later B said the deal is off again."
    spans = anchoring.find_all("the deal is off", text)
    old = anchoring.anchor_at(spans[1], text)
    corrected = "Yes, A said the deal is off. Later B said the deal is off again."
    result = anchoring.reanchor("the deal is off", old, corrected)
    assert result.outcome == "moved"
    assert corrected[result.anchor.start - 7 : result.anchor.start] == "B said "
    undecidable = anchoring.reanchor("the deal is off", None, corrected)
    assert undecidable.outcome == "orphaned" and "2 places" in undecidable.reason


def test_import_stores_anchors(seeded):
    claim = json.loads(seeded.ok("claim", "show", "rt-is-nusra-deal/atareb", "--json"))
    text = (SAMPLES / "article.txt").read_text(encoding="utf-8")
    position = claim["anchor"]
    assert text[position["start"] : position["end"]] == claim["quote"]
    assert text[: position["start"]].endswith(position["prefix"])
    assert text[position["end"] :].startswith(position["suffix"])
    assert 0 < len(position["prefix"]) <= 32


def corrected_text(tmp_path, *replacements: tuple[str, str]):
    text = (SAMPLES / "article.txt").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "corrected.txt"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_correction_with_exact_quotes_moves_anchors_and_writes(seeded, tmp_path):
    path, text = corrected_text(
        tmp_path, ("The Islamic State has", "UPDATED: The Islamic State has")
    )
    report = json.loads(seeded.ok("article", "update", "rt-is-nusra-deal", str(path), "--json"))
    assert report["written"] is True and report["version"] == 2
    assert {c["outcome"] for c in report["claims"]} == {"moved"}
    claim = json.loads(seeded.ok("claim", "show", "rt-is-nusra-deal/atareb", "--json"))
    assert text[claim["anchor"]["start"] : claim["anchor"]["end"]] == claim["quote"]
    article = json.loads(seeded.ok("article", "show", "rt-is-nusra-deal", "--json"))["article"]
    assert article["text"] == text
    assert_verifies(seeded)


def test_orphaned_quote_blocks_the_update_until_accepted(seeded, tmp_path):
    path, _ = corrected_text(
        tmp_path, ("took place in the town of Atareb", "was held in the village of Atareb")
    )
    before = (seeded.ok("export"), seeded.ok("log", "--format", "jsonl"))
    result = seeded("article", "update", "rt-is-nusra-deal", str(path), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    orphan = next(c for c in report["claims"] if c["key"] == "atareb")
    assert orphan["outcome"] == "orphaned"
    assert (
        orphan["candidates"][0]["passage"]
        == "which was held in the village of Atareb, west of Aleppo"
    )
    assert (seeded.ok("export"), seeded.ok("log", "--format", "jsonl")) == before

    seeded.ok(
        "article", "update", "rt-is-nusra-deal", str(path), "--accept", "atareb=1", "--as", "ed"
    )
    claim = json.loads(seeded.ok("claim", "show", "rt-is-nusra-deal/atareb", "--json", "--history"))
    assert claim["quote"] == "which was held in the village of Atareb, west of Aleppo"
    assert claim["history"][-1]["action"] == "article.update"
    assert_verifies(seeded)


def test_bad_accept_is_refused(seeded, tmp_path):
    path, _ = corrected_text(tmp_path, ("took place in the town of Atareb", "was held in Atareb"))
    for value, message in (
        ("atareb", "KEY=N"),
        ("ghost=1", "no quoted claim"),
        ("atareb=9", "candidates"),
        ("deal=1", "nothing to choose"),
    ):
        result = seeded("article", "update", "rt-is-nusra-deal", str(path), "--accept", value)
        assert result.exit_code == 2 and message in result.stderr, (value, result.stderr)


def test_reimporting_the_same_text_is_unchanged(seeded):
    out = seeded.ok("article", "update", "rt-is-nusra-deal", str(SAMPLES / "article.txt"))
    assert "unchanged" in out


def test_unclaimed_sentences_are_shown(cli, tmp_path):
    text = tmp_path / "t.txt"
    text.write_text(
        "The mayor resigned. Nobody knows why. The council met on Monday.", encoding="utf-8"
    )
    cli.ok("article", "add", "m", "--title", "Mayor", "--text-file", str(text))
    cli.ok(
        "claim",
        "add",
        "m/resigned",
        "The mayor resigned.",
        "--quote",
        "The mayor resigned",
        "--unattributed",
    )
    out = " ".join(cli.ok("article", "show", "m", "--unclaimed").split())
    assert "2 of 3 sentences have no claim yet" in out
