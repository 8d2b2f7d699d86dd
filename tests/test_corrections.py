"""Every mistake correctable with one audited command: remove a chain, a link, an unused source."""

from __future__ import annotations

import json

from tests.test_conventions import assert_refused

SLUG = "rt-is-nusra-deal"
DEAL = f"{SLUG}/deal"


def show(cli, ref: str) -> dict:
    return json.loads(cli.ok("claim", "show", ref, "--json"))


def last_events(cli, count: int) -> list[dict]:
    return json.loads(cli.ok("log", "--json"))[-count:]


def assert_verified(cli) -> None:
    result = cli("verify", "--json")
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["intact"]


def test_unattribute_removes_the_chain_as_show_numbers_it(seeded):
    seeded.ok("claim", "attribute", DEAL, "--via", "guardian", "--via", "nusra-senior-source")
    assert show(seeded, DEAL)["chains"] == [
        ["ap", "opposition-official"],
        ["ap", "abu-musafer"],
        ["guardian", "nusra-senior-source"],
    ]
    out = seeded.ok("claim", "unattribute", DEAL, "--chain", "2", "--as", "ann")
    assert out.strip() == f"removed chain 2 (ap ← abu-musafer) from {DEAL}; it has 2 chains"
    assert show(seeded, DEAL)["chains"] == [
        ["ap", "opposition-official"],
        ["guardian", "nusra-senior-source"],
    ]
    text = seeded.ok("claim", "show", DEAL)
    assert "chain 2       the Guardian ← a senior Al-Nusra Front source" in text
    [event] = last_events(seeded, 1)
    assert (event["action"], event["actor"], event["key"]) == ("claim.unattribute", "ann", DEAL)
    history = show_history(seeded, DEAL)
    assert history[-1]["action"] == "claim.unattribute"
    assert [name for name, _old, _new in history[-1]["changes"]] == ["chains"]
    assert_verified(seeded)
    seeded.ok("claim", "attribute", DEAL, "--via", "ap", "--via", "abu-musafer")  # numbering holds
    assert show(seeded, DEAL)["chains"][-1] == ["ap", "abu-musafer"]
    assert_verified(seeded)


def show_history(cli, ref: str) -> list[dict]:
    return json.loads(cli.ok("claim", "show", ref, "--history", "--json"))["history"]


def test_unattributing_the_last_chain_says_so(seeded):
    ref = f"{SLUG}/atareb"
    out = seeded.ok("claim", "unattribute", ref, "--chain", "1")
    assert "it has no chain: the article's own voice" in out
    assert show(seeded, ref)["status"] == "unattributed"
    assert_refused(seeded("claim", "unattribute", ref, "--chain", "1"), "has no chain")
    assert_refused(
        seeded("claim", "unattribute", DEAL, "--chain", "3"), "has 2 chains", "no chain 3"
    )
    assert_refused(seeded("claim", "unattribute", f"{SLUG}/atarbe", "--chain", "1"), "did you mean")
    assert_verified(seeded)


def test_unlink_removes_one_link_and_both_claims_remember_it(seeded):
    source, target = f"{SLUG}/musafer-aware", f"{SLUG}/meeting-nov2"
    assert show(seeded, target)["status"] == "corroborated"
    out = seeded.ok("claim", "unlink", source, "corroborates", target)
    assert out.strip() == f"unlinked: {source} no longer corroborates {target}"
    assert show(seeded, target)["status"] == "single-source"
    assert {"relation": "corroborates", "from": source} not in show(seeded, target)["linked_from"]
    [event] = last_events(seeded, 1)
    assert (event["action"], event["entity"], event["state"]) == ("link.remove", "link", None)
    for ref in (source, target):
        assert show_history(seeded, ref)[-1]["action"] == "link.remove"
    assert "link removed: " in seeded.ok("claim", "show", target, "--history")
    assert_verified(seeded)
    assert_refused(
        seeded("claim", "unlink", f"{SLUG}/atareb", "corroborates", target),
        "does not corroborate",
        "(it refines it)",
    )
    seeded.ok("claim", "link", source, "corroborates", target)  # and back again
    assert show(seeded, target)["status"] == "corroborated"
    assert_verified(seeded)


def test_an_unused_source_can_be_deleted_and_its_history_stays(seeded):
    seeded.ok("source", "add", "moh", "--label", "the ministry", "--anonymity", "named")
    out = seeded.ok("source", "delete", "moh", "--as", "ann")
    assert out.startswith("deleted source moh")
    keys = {row["key"] for row in json.loads(seeded.ok("source", "list", "--json"))}
    assert "moh" not in keys
    [event] = last_events(seeded, 1)
    assert (event["action"], event["actor"], event["state"]) == ("source.delete", "ann", None)
    history = json.loads(seeded.ok("source", "show", "moh", "--history", "--json"))
    assert history["deleted"] and [v["action"] for v in history["history"]] == [
        "source.add",
        "source.delete",
    ]
    assert "source moh was deleted" in seeded.ok("source", "show", "moh", "--history")
    assert_verified(seeded)
    seeded.ok("source", "add", "moh", "--label", "Ministry of Health", "--anonymity", "named")
    assert_verified(seeded)


def test_a_source_in_use_is_not_deleted_and_the_refusal_says_where(seeded):
    before = seeded.ok("export")
    assert_refused(seeded("source", "delete", "ap"), "'ap' is in use", "13 claims cite it", DEAL)
    assert seeded.ok("export") == before
    seeded.ok("source", "add", "aide", "--label", "an aide", "--anonymity", "anonymous")
    seeded.ok("source", "knows", "aide", "--name", "Jane Doe", "--role", "editor")
    assert_refused(seeded("source", "delete", "aide"), "1 clearance name it")
    seeded.ok(
        "waive",
        "LS101",
        "nusra-senior-source",
        "--reason",
        "the Guardian's",
    )
    assert_refused(seeded("source", "delete", "nusra-senior-source"), "cite it", "waived (LS101)")
    assert_refused(seeded("source", "delete", "guardain"), "did you mean 'guardian'")
    assert "aide" in seeded.ok("export")
