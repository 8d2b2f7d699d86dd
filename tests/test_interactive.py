"""Interactive entry at a terminal, and shell completion from the ledger.

Every answer is checked as it is typed (a quote not in the text is asked for
again), choices take a unique prefix, unknown keys are answered with close
matches, no lock is held while a person answers, and nothing typed is lost.
"""

from __future__ import annotations

import json

import pytest

DEAL = "rt-is-nusra-deal"


@pytest.fixture
def at_terminal(monkeypatch):
    """Pretend stdin is a terminal, as for a journalist typing (CliRunner's is not)."""
    import ledger.cli._common
    import ledger.cli.claims
    import ledger.cli.sources

    for module in (ledger.cli.claims, ledger.cli.sources, ledger.cli._common):
        monkeypatch.setattr(module, "interactive", lambda no_input: not no_input)


def answer(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def claim(cli, ref: str) -> dict:
    return json.loads(cli.ok("claim", "show", ref, "--json"))


def sources(cli) -> dict[str, dict]:
    return {s["key"]: s for s in json.loads(cli.ok("source", "list", "--json"))}


def test_claim_add_asks_for_text_quote_cue_kind_and_chain(seeded, at_terminal):
    typed = answer(
        "The meeting lasted four hours.",  # what is claimed
        "until 4 a.m",  # a few words of the quote
        "1",  # the first sentence holding them
        "started at around midnight and lasted until 4 a.m.",  # trimmed quote
        "told",  # cue
        "",  # kind: fact, the default
        "ap,opposition-official",  # chain
        "",  # no more chains
    )
    out = seeded.ok("claim", "add", f"{DEAL}/duration", input=typed)
    assert f"added claim {DEAL}/duration with 1 chain" in out
    row = claim(seeded, f"{DEAL}/duration")
    assert row["text"] == "The meeting lasted four hours."
    assert row["quote"] == "started at around midnight and lasted until 4 a.m."
    assert (row["cue"], row["kind"]) == ("told", "fact")
    assert row["chains"] == [["ap", "opposition-official"]]


def test_a_quote_not_in_the_text_is_asked_for_again_at_once(seeded, at_terminal):
    typed = answer(
        "It was in Atareb.",
        "Atareb",
        "1",
        "the meeting happened in Atareb",  # not the article's words
        "which took place in the town of Atareb",  # asked again: the right words
        "",
        "fact",
        "ap,opposition-official",
        "",
    )
    result = seeded("claim", "add", f"{DEAL}/town", input=typed)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "quote not found in the article text; closest passage" in result.stdout
    assert claim(seeded, f"{DEAL}/town")["quote"] == "which took place in the town of Atareb"


def test_a_wrong_quote_option_is_asked_again_at_a_terminal(seeded, at_terminal):
    typed = answer("which took place in the town of Atareb", "", "", "ap", "")
    result = seeded(
        "claim", "add", f"{DEAL}/town", "Atareb.", "--quote", "in Atareb town", input=typed
    )
    assert result.exit_code == 0, result.stderr
    assert "--quote: quote not found" in result.stdout
    assert claim(seeded, f"{DEAL}/town")["quote"] == "which took place in the town of Atareb"


def test_new_sources_are_asked_for_when_typed_with_prefixes_for_choices(seeded, at_terminal):
    typed = answer(
        "A second meeting is planned.",
        "",  # no quote
        "",  # no cue
        "op",  # a prefix: opinion
        "reuters,diplomat",
        "",  # reuters: Enter makes it a new source
        "Reuters",
        "n",  # named
        "out",  # outlet
        "",  # diplomat: new as well
        "a Western diplomat",
        "anon",  # anonymous
        "",  # kind: person, the default
        "not authorised to speak",
        "",  # no more chains
    )
    result = seeded("claim", "add", f"{DEAL}/second", input=typed)
    assert result.exit_code == 0, result.stdout + result.stderr
    known = sources(seeded)
    assert (known["reuters"]["kind"], known["reuters"]["anonymity"]) == ("outlet", "named")
    assert known["diplomat"]["anonymity"] == "anonymous"
    assert known["diplomat"]["anonymity_reason"] == "not authorised to speak"
    assert claim(seeded, f"{DEAL}/second")["kind"] == "opinion"


def test_an_ambiguous_or_unknown_choice_is_asked_again(seeded, at_terminal):
    typed = answer("Opinion piece.", "", "", "x", "o", "opinion", "guardian", "")
    result = seeded("claim", "add", f"{DEAL}/view", input=typed)
    assert result.exit_code == 0, result.stderr
    assert "'x' is not one of fact, opinion" in result.stdout
    assert claim(seeded, f"{DEAL}/view")["kind"] == "opinion"


def test_a_mistyped_key_is_answered_with_close_matches(seeded, at_terminal):
    typed = answer("Talks were held.", "", "", "", "guardain", "1", "")
    result = seeded("claim", "add", f"{DEAL}/talks", input=typed)
    assert result.exit_code == 0, result.stderr
    assert "'guardain' is not in the ledger; did you mean 1. guardian" in result.stdout
    assert claim(seeded, f"{DEAL}/talks")["chains"] == [["guardian"]]
    assert "guardain" not in sources(seeded)


def test_no_chain_at_the_terminal_asks_whether_it_is_the_articles_own_voice(seeded, at_terminal):
    typed = answer("The war began in 2011.", "", "", "", "", "n", "guardian", "")
    seeded.ok("claim", "add", f"{DEAL}/war", input=typed)
    assert claim(seeded, f"{DEAL}/war")["chains"] == [["guardian"]]
    typed = answer("The war is long.", "", "", "", "", "y")
    out = seeded.ok("claim", "add", f"{DEAL}/long", input=typed)
    assert "no chain (unattributed: its own voice)" in out


def test_a_claim_needs_a_chain_or_unattributed(seeded):
    result = seeded("claim", "add", f"{DEAL}/bare", "Said by nobody.")
    assert result.exit_code == 2
    assert "--unattributed" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    out = seeded.ok("claim", "add", f"{DEAL}/bare", "Said by nobody.", "--unattributed")
    assert "no chain (unattributed: its own voice)" in out
    result = seeded("claim", "add", f"{DEAL}/both", "X.", "--via", "ap", "--unattributed")
    assert result.exit_code == 2 and "one or the other" in result.stderr


def test_ctrl_c_keeps_what_was_typed(seeded, at_terminal, monkeypatch):
    import ledger.cli.prompts

    real_ask = ledger.cli.prompts.ask
    asked = []

    def ask(label: str, default: str | None = None) -> str:
        asked.append(label)
        if label.startswith("chain"):
            raise KeyboardInterrupt
        return real_ask(label, default)

    monkeypatch.setattr(ledger.cli.prompts, "ask", ask)
    typed = answer("A claim worth keeping.", "", "said", "fact")
    result = seeded("claim", "add", f"{DEAL}/kept", input=typed)
    assert result.exit_code == 130
    assert "interrupted; nothing was written" in result.stderr
    assert (
        f"ledger claim add {DEAL}/kept 'A claim worth keeping.' --kind fact --cue said"
        in result.stdout
    )
    assert f"{DEAL}/kept" not in {
        f"{DEAL}/{c['key']}" for c in json.loads(seeded.ok("claims", "--json"))
    }


def test_a_failure_after_the_questions_keeps_what_was_typed(seeded, at_terminal):
    typed = answer("", "", "", "ap", "")  # no quote, no cue, kind fact, chain ap
    result = seeded("claim", "add", f"{DEAL}/deal", "Again.", input=typed)
    assert result.exit_code == 2 and "already in the ledger" in result.stderr
    assert f"ledger claim add {DEAL}/deal Again. --kind fact --chain ap" in result.stdout


def test_no_lock_is_held_while_the_journalist_answers(seeded, at_terminal, monkeypatch):
    import ledger.cli.prompts
    from ledger import Ledger

    real_ask = ledger.cli.prompts.ask

    def ask(label: str, default: str | None = None) -> str:
        if "label (as published)" in label:  # a colleague writes meanwhile: no lock to wait on
            with Ledger.open(seeded.db, actor="colleague") as book:
                book.import_data(
                    {
                        "version": 1,
                        "sources": [{"key": "afp", "label": "AFP", "anonymity": "named"}],
                    }
                )
        return real_ask(label, default)

    monkeypatch.setattr(ledger.cli.prompts, "ask", ask)
    typed = answer("Later.", "", "", "", "newcomer", "new", "a newcomer", "named", "", "")
    result = seeded("claim", "add", f"{DEAL}/later", input=typed)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert {"afp", "newcomer"} <= sources(seeded).keys()


def test_source_add_takes_a_prefix_for_anonymity(seeded, at_terminal):
    seeded.ok(
        "source", "add", "insider", input=answer("an insider", "anon", "asked not to be named")
    )
    row = sources(seeded)["insider"]
    assert (row["anonymity"], row["anonymity_reason"]) == ("anonymous", "asked not to be named")


def test_no_input_never_prompts(seeded, at_terminal):
    result = seeded("claim", "add", f"{DEAL}/x", "--no-input")
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
    assert complete_slug(context, "rt_") == []  # LIKE's wildcards are taken as written
    assert complete_claim(context, "rt-is-nusra-deal/%") == []
