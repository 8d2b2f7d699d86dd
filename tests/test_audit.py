"""The audit trail: every write is an event, the chain verifies, tampering is named."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.audit import states, trail
from tests.conftest import ROOT, SAMPLE_BUNDLE, Cli
from tests.test_cli_entry import assert_refused


def event_count(cli: Cli) -> int:
    return len(json.loads(cli.ok("log", "--json")))


def assert_verifies(cli: Cli) -> None:
    result = cli("verify", "--json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["intact"], report["problems"]


WRITES = [
    ("import", str(SAMPLE_BUNDLE)),
    ("article", "add", "other", "--title", "Another story"),
    ("article", "edit", "other", "--outlet", "Daily"),
    ("source", "add", "clerk", "--label", "the court clerk", "--anonymity", "named"),
    ("source", "edit", "clerk", "--description", "clerk of the district court"),
    ("claim", "add", "other/filed", "The suit was filed.", "--via", "clerk"),
    ("claim", "attribute", "other/filed", "--chain", "ap,clerk"),
    ("claim", "link", "other/filed", "refines", "rt-is-nusra-deal/deal"),
    ("claim", "edit", "other/filed", "--text", "The suit was filed on Monday."),
    ("claim", "retract", "other/filed", "--reason", "the clerk corrected the date"),
    ("import", "--replace", str(SAMPLE_BUNDLE)),
]


def test_every_write_path_records_events_and_verifies(cli):
    for command in WRITES:
        before = event_count(cli)
        cli.ok(*command, "--as", "alice")
        assert event_count(cli) > before, command
        assert_verifies(cli)
    actors = {event["actor"] for event in json.loads(cli.ok("log", "--json"))}
    assert actors == {"alice"}


def test_actor_defaults_to_ledger_user(cli, monkeypatch):
    monkeypatch.setenv("LEDGER_USER", "bob")
    cli.ok("import", str(SAMPLE_BUNDLE))
    assert {e["actor"] for e in json.loads(cli.ok("log", "--json"))} == {"bob"}


def test_refused_command_records_nothing(seeded):
    before = event_count(seeded)
    assert (
        seeded(
            "claim", "add", "rt-is-nusra-deal/x", "X.", "--via", "nobody", "--no-input"
        ).exit_code
        == 2
    )
    assert event_count(seeded) == before


def test_log_filters(seeded):
    seeded.ok("article", "add", "other", "--title", "Other", "--as", "carol")
    by_article = json.loads(seeded.ok("log", "--json", "--article", "other"))
    assert [e["action"] for e in by_article] == ["article.add"]
    assert json.loads(seeded.ok("log", "--json", "--actor", "carol")) == by_article
    assert json.loads(seeded.ok("log", "--json", "--since", "2999-01-01")) == []
    assert_refused(seeded("log", "--since", "last week"), "--since")


def test_history_keeps_every_version(seeded):
    seeded.ok(
        "claim", "edit", "rt-is-nusra-deal/atareb", "--text", "Held in Atareb.", "--as", "bob"
    )
    seeded.ok(
        "claim", "retract", "rt-is-nusra-deal/atareb", "--reason", "unconfirmed", "--as", "eve"
    )
    data = json.loads(seeded.ok("claim", "show", "rt-is-nusra-deal/atareb", "--history", "--json"))
    versions = [v for v in data["history"] if v["entity"] == "claim"]
    assert [v["action"] for v in versions] == ["import", "claim.edit", "claim.retract"]
    links = [v["key"] for v in data["history"] if v["entity"] == "link"]  # links at either end
    assert links == ["rt-is-nusra-deal/atareb refines rt-is-nusra-deal/meeting-nov2"]
    assert versions[1]["changes"] == [
        ["text", "The meeting took place in the town of Atareb, west of Aleppo.", "Held in Atareb."]
    ]
    assert versions[2]["actor"] == "eve" and versions[2]["state"]["retracted"] == "unconfirmed"
    human = seeded.ok("claim", "show", "rt-is-nusra-deal/atareb", "--history")
    assert "claim.retract" in human and "bob" in human


def test_retracted_claims_leave_queries_but_not_history(seeded):
    seeded.ok("claim", "retract", "rt-is-nusra-deal/musafer-aware", "--reason", "withdrawn by AP")
    keys = {row["key"] for row in json.loads(seeded.ok("claims", "--json"))}
    assert "musafer-aware" not in keys
    everything = json.loads(seeded.ok("claims", "--json", "--include-retracted"))
    assert {row["key"] for row in everything} == keys | {"musafer-aware"}
    # a retracted claim no longer corroborates anything
    meeting = json.loads(seeded.ok("claim", "show", "rt-is-nusra-deal/meeting-nov2", "--json"))
    assert meeting["independent_origins"] == ["ap"]
    assert_refused(
        seeded("claim", "retract", "rt-is-nusra-deal/musafer-aware", "--reason", "again"),
        "already retracted",
    )


# --- tampering, done with the sqlite3 module behind the ledger's back --------------------------


@pytest.fixture
def sqlite_ledger(tmp_path) -> tuple[Cli, Path]:
    from typer.testing import CliRunner

    path = tmp_path / "tamper.db"
    cli = Cli(str(path), CliRunner())
    cli.ok("init")
    cli.ok("import", str(SAMPLE_BUNDLE))
    cli.ok("claim", "edit", "rt-is-nusra-deal/deal", "--cue", "reportedly, citing")
    assert_verifies(cli)
    return cli, path


def tamper(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = OFF")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()


def problems(cli: Cli, *options: str) -> list[str]:
    result = cli("verify", *options)
    assert result.exit_code == 1, result.stdout
    return [line for line in result.stdout.splitlines() if line.startswith("✗")]


CLAIM_ID = (
    "(SELECT c.id FROM claims c JOIN articles a ON a.id = c.article_id WHERE c.key = '{key}')"
)

TAMPERINGS = {
    "edited event": (
        ["UPDATE events SET actor = 'mallory' WHERE seq = 5"],
        r"event 5: its hash does not match its content",
    ),
    "deleted event": (
        ["DELETE FROM events WHERE seq = 7"],
        r"event 7: event 7 is missing: event 6 is followed by event 8",
    ),
    "reordered events": (
        [
            "UPDATE events SET seq = 100000 WHERE seq = 10",
            "UPDATE events SET seq = 10 WHERE seq = 11",
            "UPDATE events SET seq = 11 WHERE seq = 100000",
        ],
        r"event 10: .*(does not follow event 9|hash does not match)",
    ),
    "claim text changed": (
        ["UPDATE claims SET text = 'IS and Nusra signed a treaty.' WHERE key = 'deal'"],
        r"claim rt-is-nusra-deal/deal: text differs from event \d+",
    ),
    "hop deleted": (
        [f"DELETE FROM hops WHERE claim_id = {CLAIM_ID.format(key='atareb')} AND position = 1"],
        r"claim rt-is-nusra-deal/atareb: chains differs from event \d+",
    ),
    "row inserted without event": (
        [
            "INSERT INTO sources (key, label, kind, anonymity, created_at) "
            "VALUES ('ghost', 'a ghost', 'person', 'named', '2026-01-01')"
        ],
        r"source ghost: is in the ledger but no event records it",
    ),
    "row deleted without event": (
        ["DELETE FROM links WHERE relation = 'corroborates'"],
        r"link rt-is-nusra-deal/musafer-aware corroborates rt-is-nusra-deal/meeting-nov2: recorded by event \d+ but missing",
    ),
    "article text changed": (
        ["UPDATE articles SET text = text || ' And more.'"],
        r"article rt-is-nusra-deal: (text_sha256 differs|its text does not match)",
    ),
}


@pytest.mark.parametrize("name", TAMPERINGS)
def test_tampering_is_detected_by_name(sqlite_ledger, name):
    cli, path = sqlite_ledger
    statements, expected = TAMPERINGS[name]
    tamper(path, *statements)
    found = problems(cli)
    assert any(re.search(expected, line) for line in found), found


@pytest.mark.parametrize("name", TAMPERINGS)
def test_workers_find_what_one_process_finds(sqlite_ledger, name, monkeypatch):
    """`--jobs 2` splits the chain into ranges checked apart and stitched: same findings, same order."""
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    cli, path = sqlite_ledger
    tamper(path, *TAMPERINGS[name][0])
    assert problems(cli, "--jobs", "2") == problems(cli, "--jobs", "1")


def test_workers_verify_an_intact_ledger(seeded, monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 4)  # three workers, whatever this machine has
    intact = json.loads(seeded.ok("verify", "--json", "--jobs", "3"))
    assert intact == json.loads(seeded.ok("verify", "--json", "--jobs", "1"))
    assert intact["intact"] and intact["events"] > 20


# --- concurrency and outside verification ------------------------------------------------------


def writer_bundle(directory: Path, writer: int, claims: int = 250) -> Path:
    sources = [
        {"key": "wire", "label": "the wire service", "kind": "outlet", "anonymity": "named"},
        {
            "key": "insider",
            "label": "an insider",
            "anonymity": "anonymous",
            "anonymity_reason": "fear of reprisal",
        },
        {"key": f"expert-{writer}", "label": f"expert {writer}", "anonymity": "named"},
    ]
    bundle = {
        "version": 1,
        "article": {"slug": f"story-{writer}", "title": f"Story {writer}"},
        "sources": sources,
        "claims": [
            {
                "key": f"c{i}",
                "text": f"Claim {i} of writer {writer}.",
                "attributions": [["wire", "insider"], [f"expert-{writer}"]]
                if i % 2
                else [["insider"]],
            }
            for i in range(claims)
        ],
        "links": [
            {"from": f"c{i}", "relation": "corroborates", "to": f"c{i - 1}"}
            for i in range(1, claims, 5)
        ],
    }
    path = directory / f"writer-{writer}.yaml"
    path.write_text(yaml.safe_dump(bundle, sort_keys=False), encoding="utf-8")
    return path


def test_four_concurrent_writers_leave_one_verified_chain_and_tree(cli, tmp_path, signing_key):
    before = tmp_path / "before.checkpoint"
    cli.ok("checkpoint", "--signing-key", str(signing_key), "-o", str(before))
    paths = [writer_bundle(tmp_path, writer) for writer in range(4)]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ledger",
                "import",
                str(path),
                "--db",
                cli.db,
                "--as",
                f"writer-{n}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for n, path in enumerate(paths)
    ]
    outcomes = [(*process.communicate(timeout=300), process.returncode) for process in processes]
    for _stdout, stderr, code in outcomes:
        assert code == 0, stderr
        assert "locked" not in stderr and "serializ" not in stderr
    rows = json.loads(cli.ok("claims", "--json"))
    assert len(rows) == 1000
    sources = json.loads(cli.ok("source", "list", "--json"))
    assert sorted(s["key"] for s in sources) == sorted(
        {"wire", "insider", *(f"expert-{n}" for n in range(4))}
    )
    events = json.loads(cli.ok("log", "--json"))
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert_verifies(cli)  # the stored Merkle tree included: its root is the events'
    after = tmp_path / "after.checkpoint"
    cli.ok("checkpoint", "--signing-key", str(signing_key), "-o", str(after))
    assert after.read_text().splitlines()[1] == str(len(events))
    checked = cli(
        "verify", "--checkpoint", str(before), "--checkpoint", str(after),
        "--verifier-key", f"{signing_key}.pub",
    )  # fmt: skip
    assert checked.exit_code == 0, checked.stdout


def readme_verify_script() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- verify-script -->\n```python\n(.*?)```", readme, re.DOTALL)
    assert match, "README.md lost its standalone verification script"
    return match.group(1)


def test_readme_script_verifies_an_export(seeded, tmp_path):
    seeded.ok("claim", "edit", "rt-is-nusra-deal/deal", "--text", "A deal — “reportedly”.")
    export = tmp_path / "events.jsonl"
    export.write_text(seeded.ok("log", "--format", "jsonl"), encoding="utf-8")
    script = tmp_path / "check_chain.py"
    script.write_text(readme_verify_script(), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-I", str(script), str(export)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    state = json.loads(seeded.ok("verify", "--json"))
    assert f"chain intact, head {state['head']['hash']}, root {state['root']}" in run.stdout

    lines = export.read_text(encoding="utf-8").splitlines()
    event = json.loads(lines[3])
    event["actor"] = "mallory"
    lines[3] = json.dumps(event, ensure_ascii=False)
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-I", str(script), str(export)], capture_output=True, text=True
    )
    assert run.returncode != 0 and "line 4" in run.stderr


# --- the fast forms used by writes and verify equal the reference definitions ----------------

free_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)  # no lone surrogates
maybe_text = st.none() | free_text
keys = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(
    article=keys,
    key=keys,
    text=free_text,
    quote=maybe_text,
    kind=st.sampled_from(["fact", "opinion"]),
    cue=maybe_text,
    chains=st.lists(st.lists(st.tuples(keys, maybe_text), min_size=1, max_size=3), max_size=3),
    retracted=maybe_text,
    notes=maybe_text,
)
def test_claim_state_text_is_the_canonical_claim_state(**fields):
    assert states.claim_state_text(**fields) == trail.canonical(states.claim_state(**fields))


@given(source_ref=free_text, relation=free_text, target_ref=free_text)
def test_link_state_text_is_the_canonical_link_state(source_ref, relation, target_ref):
    state = states.link_state(source_ref, relation, target_ref)
    assert states.link_state_text(source_ref, relation, target_ref) == trail.canonical(state)


@settings(max_examples=300, deadline=None)
@given(
    seq=st.integers(min_value=1, max_value=2**31 - 1),
    at=free_text,
    actor=free_text,
    action=free_text,
    entity=free_text,
    key=free_text,
    state=st.none() | st.dictionaries(free_text, maybe_text | st.integers(), max_size=4),
)
def test_stored_chain_hash_is_the_chain_hash(seq, at, actor, action, entity, key, state):
    event = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "key": key,
        "state": state,
    }
    state_text = None if state is None else trail.canonical(state)
    stored = trail.stored_chain_hash("ab" * 32, seq, at, actor, action, entity, key, state_text)
    assert stored == trail.chain_hash("ab" * 32, event)
