"""Signed checkpoints: what an insider who can write the database cannot hide from them.

Each attack is the issue's, tried on both engines: a history rewritten with
every later hash recomputed (with and without the Merkle tree rebuilt too),
the newest events deleted, an older copy restored. Each passes the chain and
the replay, and each fails `ledger verify --checkpoint`, exit 1, with one line.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ledger.audit import merkle, notes
from ledger.cli import app
from tests.conftest import SAMPLE_BUNDLE, Cli, initialise
from tests.insider import delete_events, execute, rewrite_claim_text
from tests.test_audit import assert_verifies
from tests.test_cli_entry import assert_refused

ATAREB = "The meeting took place in the town of Atareb, west of Aleppo."
IDLIB = "The meeting took place in the town of Idlib."


def checkpoint(cli: Cli, key: Path, path: Path) -> Path:
    cli.ok("checkpoint", "--signing-key", str(key), "-o", str(path))
    return path


def verify_against(cli: Cli, key: Path, *checkpoints: Path):
    options = [item for path in checkpoints for item in ("--checkpoint", str(path))]
    return cli("verify", *options, "--verifier-key", f"{key}.pub")


def problem_lines(result) -> list[str]:
    assert result.exit_code == 1, result.stdout + result.stderr
    return [line for line in result.stdout.splitlines() if line.startswith("✗")]


def events(cli: Cli) -> list[dict]:
    return json.loads(cli.ok("log", "--json"))


# --- keys --------------------------------------------------------------------------------------


def test_signing_key_init_writes_a_private_key_and_its_verifier_key(signing_key):
    assert stat.S_IMODE(os.stat(signing_key).st_mode) == 0o600
    private = signing_key.read_text()
    public = Path(f"{signing_key}.pub").read_text()
    assert private.startswith("PRIVATE+KEY+example.org/desk+")
    verifier = notes.parse_verifier_key(public)
    assert verifier == notes.parse_signer_key(private).verifier
    assert public.strip() == verifier.text and verifier.name == "example.org/desk"


def test_signing_key_init_never_overwrites(signing_key):
    before = signing_key.read_text()
    again = CliRunner().invoke(app, ["key", "init", "--signing", "--key-file", str(signing_key)])
    assert_refused(again, str(signing_key), "refusing to overwrite")
    assert signing_key.read_text() == before
    signing_key.unlink()  # the .pub alone still stops it: the pair would no longer match
    again = CliRunner().invoke(app, ["key", "init", "--signing", "--key-file", str(signing_key)])
    assert_refused(again, f"{signing_key}.pub", "refusing to overwrite")
    assert not signing_key.exists()


def test_signing_key_init_needs_a_place_and_a_valid_name(tmp_path):
    assert_refused(CliRunner().invoke(app, ["key", "init", "--signing"]), "--key-file")
    bad = ["key", "init", "--signing", "--key-file", str(tmp_path / "k"), "--name", "a+b"]
    assert_refused(CliRunner().invoke(app, bad), "key name")
    assert not (tmp_path / "k").exists()


# --- checkpoints of an intact ledger -----------------------------------------------------------


def test_a_checkpoint_is_a_signed_tlog_checkpoint_of_the_whole_log(seeded, signing_key, tmp_path):
    path = checkpoint(seeded, signing_key, tmp_path / "c.checkpoint")
    text, key = notes.open_note(
        path.read_text(), [notes.parse_verifier_key(Path(f"{signing_key}.pub").read_text())]
    )
    origin, size, root = text.splitlines()
    state = json.loads(seeded.ok("verify", "--json"))
    assert origin == state["origin"] and origin.startswith("claim-ledger/")
    assert int(size) == state["events"] == state["head"]["seq"] == len(events(seeded))
    expected = merkle.CompactRange()
    for event in events(seeded):
        expected.add(merkle.leaf_hash(bytes.fromhex(event["hash"])))
    assert root == state["root"] == base64.b64encode(expected.root()).decode()
    assert key.name == "example.org/desk"
    on_stdout = seeded.ok("checkpoint", "--signing-key", str(signing_key))
    assert on_stdout == path.read_text()  # Ed25519 is deterministic: same log, same note
    machine = json.loads(seeded.ok("checkpoint", "--signing-key", str(signing_key), "--json"))
    assert machine["checkpoint"] == on_stdout and machine["size"] == int(size)


def test_the_log_extends_every_checkpoint_as_it_grows(seeded, signing_key, tmp_path):
    first = checkpoint(seeded, signing_key, tmp_path / "1.checkpoint")
    seeded.ok("claim", "edit", "rt-is-nusra-deal/atareb", "--cue", "said", "--as", "bob")
    second = checkpoint(seeded, signing_key, tmp_path / "2.checkpoint")
    seeded.ok("article", "add", "other", "--title", "Another story")
    result = verify_against(seeded, signing_key, first, second)
    assert result.exit_code == 0, result.stdout
    assert "extends checkpoint" in result.stdout and f"{first}" in result.stdout
    report = json.loads(
        seeded.ok(
            "verify", "--json", "--checkpoint", str(first), "--checkpoint", str(second),
            "--verifier-key", f"{signing_key}.pub",
        )
    )  # fmt: skip
    assert [item["extended"] for item in report["checkpoints"]] == [True, True]


def test_verify_prints_the_chain_head(seeded):
    last = events(seeded)[-1]
    output = seeded.ok("verify")
    assert f"head: event {last['seq']}, hash {last['hash']}" in output
    head = json.loads(seeded.ok("verify", "--json"))["head"]
    assert head == {"seq": last["seq"], "hash": last["hash"]}


def test_an_empty_ledger_has_a_checkpoint_too(cli, signing_key, tmp_path):
    empty = checkpoint(cli, signing_key, tmp_path / "0.checkpoint")
    assert empty.read_text().splitlines()[1:3] == [
        "0",
        base64.b64encode(merkle.EMPTY_ROOT).decode(),
    ]
    cli.ok("import", str(SAMPLE_BUNDLE))
    assert verify_against(cli, signing_key, empty).exit_code == 0


# --- the insider's attacks ---------------------------------------------------------------------


def test_a_consistent_rewrite_names_the_first_event_that_differs(seeded, signing_key, tmp_path):
    saved = checkpoint(seeded, signing_key, tmp_path / "c.checkpoint")
    first = rewrite_claim_text(seeded.db, ATAREB, IDLIB)
    assert first < len(events(seeded))
    # the chain holds, and the Merkle tree kept beside it, which the insider forgot, does not
    plain = problem_lines(seeded("verify"))
    assert plain == [
        f"✗ event {first}: its hash differs from its leaf in the Merkle tree: "
        "the event or the tree was changed outside the ledger"
    ]
    lines = problem_lines(verify_against(seeded, signing_key, saved))
    assert f"✗ checkpoint {saved}: event {first} differs from the one checkpointed" in lines
    assert len(lines) == 2


def test_a_rewrite_with_the_tree_rebuilt_passes_the_chain_but_not_a_checkpoint(
    seeded, signing_key, tmp_path
):
    saved = checkpoint(seeded, signing_key, tmp_path / "c.checkpoint")
    size = len(events(seeded))
    rewrite_claim_text(seeded.db, ATAREB, IDLIB, with_tree=True)
    assert_verifies(seeded)  # what the issue found: a consistent rewrite passes plain verify
    lines = problem_lines(verify_against(seeded, signing_key, saved))
    assert lines == [
        f"✗ checkpoint {saved}: the log differs from the checkpointed one from an event between "
        f"1 and {size}: history was rewritten with its Merkle tree (an earlier checkpoint narrows it)"
    ]


def test_checkpoints_kept_often_narrow_a_rewrite_down(seeded, signing_key, tmp_path):
    monday = checkpoint(seeded, signing_key, tmp_path / "monday.checkpoint")
    seeded.ok("claim", "edit", "rt-is-nusra-deal/atareb", "--cue", "said")
    seeded.ok("source", "add", "clerk", "--label", "the court clerk", "--anonymity", "named")
    tuesday = checkpoint(seeded, signing_key, tmp_path / "tuesday.checkpoint")
    size = len(events(seeded))
    monday_size = int(monday.read_text().splitlines()[1])
    rewrite_claim_text(seeded.db, ATAREB, IDLIB, from_seq=monday_size + 1, with_tree=True)
    result = verify_against(seeded, signing_key, monday, tuesday)
    assert problem_lines(result) == [
        f"✗ checkpoint {tuesday}: the log differs from the checkpointed one from an event between "
        f"{monday_size + 1} and {size}: history was rewritten with its Merkle tree "
        "(an earlier checkpoint narrows it)"
    ]
    assert f"extends checkpoint {monday}" in result.stdout


def test_deleting_the_newest_reveals_is_caught(seeded, signing_key, key_file, tmp_path):
    seeded.ok("source", "seal", "opposition-official", "--stdin", "--key-file", str(key_file),
              input="real_name: Jane Roe\n")  # fmt: skip
    for who in ("alice", "bob"):
        seeded.ok(
            "source", "reveal", "opposition-official", "--key-file", str(key_file), "--as", who
        )
    saved = checkpoint(seeded, signing_key, tmp_path / "c.checkpoint")
    last = len(events(seeded))
    delete_events(seeded.db, "entity = 'access'")  # who revealed the identity: gone
    assert_verifies(seeded)
    lines = problem_lines(verify_against(seeded, signing_key, saved))
    assert lines == [f"✗ checkpoint {saved}: 2 events missing after seq {last - 2}"]


def test_truncation_the_insider_forgot_in_the_tree_is_caught_without_a_checkpoint(seeded):
    last = len(events(seeded))
    delete_events(seeded.db, f"seq > {last - 3}", with_tree=False)
    assert (
        f"✗ event {last - 2}: the Merkle tree holds 3 event(s) after event {last - 3} that the "
        "log does not: events were deleted outside the ledger"
    ) in problem_lines(seeded("verify"))
    # and the ledger refuses to write on a fork rather than extend it
    assert_refused(
        seeded("article", "add", "other", "--title", "Other"), "Merkle tree holds 3 event(s)"
    )


def test_restoring_an_older_copy_is_caught(seeded, signing_key, tmp_path, request):
    older = snapshot(seeded, tmp_path, request)
    seeded.ok("claim", "retract", "rt-is-nusra-deal/atareb", "--reason", "the official recanted")
    seeded.ok("claim", "edit", "rt-is-nusra-deal/deal", "--cue", "reported")
    saved = checkpoint(seeded, signing_key, tmp_path / "c.checkpoint")
    restored = Cli(older, CliRunner())
    assert_verifies(restored)
    size = len(events(restored))
    lines = problem_lines(verify_against(restored, signing_key, saved))
    assert lines == [f"✗ checkpoint {saved}: 2 events missing after seq {size}"]


def snapshot(cli: Cli, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A copy of the ledger as it is now, as yesterday's backup would be."""
    if "://" not in cli.db:  # SQLite's online backup, as the README advises: WAL included
        target = tmp_path / "yesterday.db"
        source, copy = sqlite3.connect(cli.db), sqlite3.connect(target)
        source.backup(copy)
        source.close()
        copy.close()
        return str(target)
    from contextlib import contextmanager

    from ledger.storage.database import Database
    from tests.conftest import POSTGRES_URL, postgres_schema_url

    assert POSTGRES_URL
    manager = contextmanager(postgres_schema_url)(POSTGRES_URL)
    url = manager.__enter__()
    request.addfinalizer(lambda: manager.__exit__(None, None, None))
    initialise(url, request)
    copy_everything(Database.open(cli.db), Database.open(url))
    return url


def copy_everything(source, target) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select, text

    from ledger.storage.schema import Base

    with source.engine.connect() as reader, target.engine.begin() as writer:
        writer.execute(text("SET LOCAL session_replication_role = replica"))
        for table in Base.metadata.sorted_tables:
            writer.execute(table.delete())
            rows = [dict(row._mapping) for row in reader.execute(select(table))]
            if rows:
                writer.execute(table.insert(), rows)
    source.dispose()
    target.dispose()


# --- forged checkpoints, wrong keys, other ledgers ---------------------------------------------


def test_a_forged_checkpoint_is_rejected(seeded, signing_key, tmp_path):
    saved = checkpoint(seeded, signing_key, tmp_path / "c.checkpoint")
    origin, size, root, *rest = saved.read_text().split("\n")
    forged = tmp_path / "forged.checkpoint"
    forged.write_text("\n".join([origin, str(int(size) - 5), root, *rest]))
    assert problem_lines(verify_against(seeded, signing_key, forged)) == [
        f"✗ checkpoint {forged}: bad signature: altered or forged"
    ]


def test_a_checkpoint_signed_by_another_key_is_rejected(seeded, signing_key, tmp_path):
    other = tmp_path / "other.key"
    assert (
        CliRunner().invoke(app, ["key", "init", "--signing", "--key-file", str(other)]).exit_code
        == 0
    )
    saved = checkpoint(seeded, other, tmp_path / "c.checkpoint")
    [line] = problem_lines(verify_against(seeded, signing_key, saved))
    assert line.startswith(f"✗ checkpoint {saved}: wrong key: signed by claim-ledger+")
    assert line.endswith("not by the key given")


def test_a_checkpoint_of_another_ledger_is_rejected(seeded, signing_key, tmp_path):
    other = Cli(str(tmp_path / "other.db"), CliRunner())
    other.ok("init")
    other.ok("import", str(SAMPLE_BUNDLE))
    saved = checkpoint(other, signing_key, tmp_path / "other.checkpoint")
    [line] = problem_lines(verify_against(seeded, signing_key, saved))
    assert line.startswith(f"✗ checkpoint {saved}: a checkpoint of another ledger (claim-ledger/")


def test_refused_requests_exit_2_with_one_line(seeded, signing_key, tmp_path):
    saved = checkpoint(seeded, signing_key, tmp_path / "c.checkpoint")
    assert_refused(seeded("verify", "--checkpoint", str(saved)), "--verifier-key")
    assert_refused(seeded("verify", "--verifier-key", f"{signing_key}.pub"), "--checkpoint")
    assert_refused(
        seeded("verify", "--checkpoint", str(tmp_path / "nope"), "--verifier-key", f"{signing_key}.pub"),
        "nope", "no such checkpoint file",
    )  # fmt: skip
    not_a_note = tmp_path / "notes.txt"
    not_a_note.write_text("hello\n")
    assert_refused(verify_against(seeded, signing_key, not_a_note), str(not_a_note), "not a signed")
    assert_refused(
        seeded("verify", "--checkpoint", str(saved), "--verifier-key", str(signing_key)),
        str(signing_key), "not a verifier key",
    )  # fmt: skip
    assert_refused(seeded("checkpoint", "--signing-key", f"{signing_key}.pub"), "not a signing key")
    assert_refused(
        seeded("checkpoint", "--signing-key", str(signing_key), "-o", str(saved)),
        str(saved), "never replaces",
    )  # fmt: skip


# --- every column is covered -------------------------------------------------------------------


@pytest.mark.parametrize(
    "change", ["article = NULL", "db_role = 'someone'", "format = 1", "prev_hash = hash"]
)
def test_every_column_of_an_event_is_covered(seeded, change):
    event = next(e for e in events(seeded) if e["article"] is not None)
    execute(seeded.db, f"UPDATE events SET {change} WHERE seq = {event['seq']}")
    lines = problem_lines(seeded("verify"))
    assert any(line.startswith(f"✗ event {event['seq']}: ") for line in lines), lines


def test_events_written_before_schema_0009_have_their_article_derived(db_url, seeded, tmp_path):
    """Format 1 did not hash `article`: verify requires what the key says, and no `db_role`."""
    from contextlib import ExitStack, contextmanager

    from ledger.storage.database import Database
    from ledger.storage.migrations import upgrade
    from tests.conftest import POSTGRES_URL, postgres_schema_url
    from tests.test_durability import copy_rows

    with ExitStack() as stack:
        if "://" in db_url:
            old_url = stack.enter_context(contextmanager(postgres_schema_url)(POSTGRES_URL))
        else:
            old_url = str(tmp_path / "at-0007.db")
        old = Database.open(old_url, must_exist=False)
        upgrade(old, "0007")
        copy_rows(Database.open(seeded.db), old)
        old.dispose()
        upgraded = Cli(old_url, CliRunner())
        upgraded.ok("init")
        assert_verifies(upgraded)
        assert {event["format"] for event in events(upgraded)} == {1}
        claim = next(e for e in events(upgraded) if e["entity"] == "claim")
        execute(old_url, f"UPDATE events SET article = NULL WHERE seq = {claim['seq']}")
        assert problem_lines(upgraded("verify")) == [
            f"✗ event {claim['seq']}: its article or database role is not what the event says "
            "(format 1 does not hash them, but derives the one and leaves the other empty): "
            "changed outside the ledger"
        ]
        upgraded.ok("claim", "edit", "rt-is-nusra-deal/deal", "--cue", "reported")
        assert events(upgraded)[-1]["format"] == 2
