"""The canary: a sealed identity and an internal note must not leak through any output.

A sealed identity may appear nowhere but in `ledger source reveal` (and never
in the database file). An internal note may appear in the ledger's own views,
never in an output made with `--public`. Every command is accounted for, so a
new one cannot escape this test unnoticed.
"""

from __future__ import annotations

import itertools

import pytest
import typer.main

from ledger.cli import app
from tests.test_protection import CANARY_CONTACT, CANARY_NAME, CANARY_NOTE, seal_canary

REPORT_FORMATS = ["md", "html", "json", "csv", "prov-json", "prov-n", "dot"]
SLUG = "rt-is-nusra-deal"

READS = [
    ["claims"],
    ["claims", "--json"],
    ["claims", "--json", "--include-retracted"],
    ["claim", "show", f"{SLUG}/deal"],
    ["claim", "show", f"{SLUG}/deal", "--json", "--history"],
    ["source", "list"],
    ["source", "list", "--json"],
    ["source", "show", "opposition-official"],
    ["source", "show", "opposition-official", "--json", "--history"],
    ["article", "list"],
    ["article", "list", "--json"],
    ["article", "show", SLUG],
    ["article", "show", SLUG, "--json", "--history", "--unclaimed"],
    ["log"],
    ["log", "--json"],
    ["log", "--format", "jsonl"],
    ["verify"],
    ["verify", "--json"],
    ["verify", "--checkpoint", "canary.checkpoint", "--verifier-key", "canary.key.pub"],
    ["checkpoint", "--signing-key", "canary.key"],
    ["check", SLUG],
    ["check", "--all", "--json"],
    ["export"],
    ["export", "--format", "json"],
    ["suggest", SLUG],
    ["claims", "--csv"],
    ["source", "list", "--tsv"],
    ["article", "list", "--csv"],
    ["log", "--csv"],
    ["check", "--all", "--csv"],
    ["check", "--explain", "LS101"],
]
PUBLIC = [
    ["export", "--public"],
    ["export", "--public", "--format", "json"],
    *(
        ["report", scope, "--public", "--format", fmt]
        for scope, fmt in itertools.product([SLUG, "--all"], REPORT_FORMATS)
    ),
]
INTERNAL_REPORTS = [
    *(
        ["report", scope, "--format", fmt]
        for scope, fmt in itertools.product([SLUG, "--all"], REPORT_FORMATS)
    ),
    *(
        ["report", SLUG, "--format", fmt, "--proof", "canary.checkpoint"]
        for fmt in ("json", "html")
    ),
]
# Commands that only write, or need the key on purpose, and are exercised elsewhere.
EXEMPT = {
    "serve",  # a server: tests/test_web.py fetches every page type for the canary
    "init",
    "import",
    "demo",
    "key init",
    "key rotate",
    "article add",
    "article edit",
    "article update",
    "source add",
    "source edit",
    "source merge",  # a write: prints keys and counts, never a sealed or internal field
    "source seal",
    "source reveal",
    "source knows",
    "source approve",
    "claim add",
    "claim edit",
    "claim attribute",
    "claim link",
    "claim retract",
    "claim unattribute",  # writes: print keys, chain numbers and counts
    "claim unlink",
    "source delete",
    "waive",  # prints the code, the subject and the editor's reason
}


def command_paths() -> set[str]:
    def walk(command, prefix: str) -> set[str]:
        commands = getattr(command, "commands", None)
        if not commands:
            return {prefix.strip()}
        return set().union(*(walk(sub, f"{prefix} {name}") for name, sub in commands.items()))

    return walk(typer.main.get_command(app), "")


def covered(argv_lists: list[list[str]]) -> set[str]:
    paths = command_paths()
    found = set()
    for argv in argv_lists:
        for size in (2, 1):
            if " ".join(argv[:size]) in paths:
                found.add(" ".join(argv[:size]))
                break
    return found


def test_every_command_is_covered_or_exempt():
    everything = covered(READS + PUBLIC + INTERNAL_REPORTS) | EXEMPT
    assert command_paths() - everything == set()


@pytest.fixture
def canary_ledger(seeded, key_file):
    seal_canary(seeded, key_file)
    seeded.ok("source", "edit", "opposition-official", "--notes", CANARY_NOTE)
    seeded.ok("claim", "edit", f"{SLUG}/deal", "--notes", CANARY_NOTE)
    seeded.ok("source", "reveal", "opposition-official", "--key-file", str(key_file))
    # a checkpoint of all that, in the working directory the READS name it in
    seeded.ok("key", "init", "--signing", "--key-file", "canary.key")
    seeded.ok("checkpoint", "--signing-key", "canary.key", "-o", "canary.checkpoint")
    return seeded


def output_of(cli, argv: list[str]) -> str:
    result = cli(*argv)
    assert result.exit_code in (0, 1), (argv, result.stderr)
    return result.stdout + result.stderr


def test_sealed_identity_appears_in_no_output(canary_ledger):
    for argv in READS + PUBLIC + INTERNAL_REPORTS:
        text = output_of(canary_ledger, argv)
        assert CANARY_NAME not in text and CANARY_CONTACT not in text, argv


def test_internal_notes_stay_out_of_public_outputs(canary_ledger):
    assert CANARY_NOTE in output_of(
        canary_ledger, ["source", "show", "opposition-official", "--json"]
    )
    for argv in PUBLIC:
        assert CANARY_NOTE not in output_of(canary_ledger, argv), argv
