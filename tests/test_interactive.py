"""Interactive entry at a terminal, and shell completion from the ledger."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def at_terminal(monkeypatch):
    """Pretend stdin is a terminal, as for a journalist typing (CliRunner's is not)."""
    import ledger.cli.claims

    monkeypatch.setattr(ledger.cli.claims, "interactive", lambda no_input: not no_input)


def test_claim_add_asks_for_text_quote_and_chain(seeded, at_terminal):
    answers = "\n".join(
        [
            "The meeting lasted four hours.",  # what is claimed
            "until 4 a.m",  # a few words of the quote
            "1",  # the first sentence holding them
            "started at around midnight and lasted until 4 a.m.",  # trimmed quote
            "ap,opposition-official",  # chain
            "",  # no more chains
        ]
    )
    seeded.ok("claim", "add", "rt-is-nusra-deal/duration", input=answers + "\n")
    claim = json.loads(seeded.ok("claim", "show", "rt-is-nusra-deal/duration", "--json"))
    assert claim["text"] == "The meeting lasted four hours."
    assert claim["quote"] == "started at around midnight and lasted until 4 a.m."
    assert claim["chains"] == [["ap", "opposition-official"]]


def test_new_source_is_created_on_the_spot(seeded, at_terminal):
    answers = [
        "A second meeting is planned.",
        "",
        "reuters,diplomat",
        "",
        # new sources are asked for in key order: diplomat, then reuters
        "a Western diplomat",
        "anonymous",
        "person",
        "not authorised to speak",
        "Reuters",
        "named",
        "outlet",
    ]
    seeded.ok("claim", "add", "rt-is-nusra-deal/second", input="\n".join(answers) + "\n")
    sources = {s["key"]: s for s in json.loads(seeded.ok("source", "list", "--json"))}
    assert sources["reuters"]["kind"] == "outlet"
    assert sources["diplomat"]["anonymity_reason"] == "not authorised to speak"


def test_no_input_never_prompts(seeded, at_terminal):
    result = seeded("claim", "add", "rt-is-nusra-deal/x", "--no-input")
    assert result.exit_code == 2 and "TEXT" in result.stderr


def test_completion_offers_keys_from_the_ledger(seeded, monkeypatch):
    import typer

    from ledger.cli.completion import complete_claim, complete_slug, complete_source

    monkeypatch.setenv("LEDGER_DB", seeded.db)
    context = typer.Context(typer.main.get_command(__import__("ledger.cli").cli.app))
    assert complete_slug(context, "rt") == ["rt-is-nusra-deal"]
    assert complete_source(context, "ab") == ["abu-musafer"]
    assert "rt-is-nusra-deal/atareb" in complete_claim(context, "rt-is-nusra-deal/at")
    assert complete_claim(context, "rt") == ["rt-is-nusra-deal/"]
