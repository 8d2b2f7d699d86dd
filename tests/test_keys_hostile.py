"""Keys and output files under hostile conditions (issue 15, item 7): a key file others can
read, a `key rotate` killed at any point, an output path that cannot be written."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from ledger.errors import LedgerError
from tests.conftest import ROOT, SAMPLE_BUNDLE
from tests.test_conventions import assert_refused
from tests.test_protection import CANARY_NAME, assert_only_the_new_key_opens, seal_canary

# --- key files open to others ---------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_newsroom_key_open_to_others_is_refused_with_the_fix(seeded, key_file, mode):
    seal_canary(seeded, key_file)
    os.chmod(key_file, mode)
    events = seeded.ok("log", "--json")
    result = seeded("source", "reveal", "opposition-official", "--key-file", str(key_file))
    assert_refused(result, str(key_file), f"chmod 600 {key_file}")
    assert CANARY_NAME not in result.stdout + result.stderr
    assert seeded.ok("log", "--json") == events  # no reveal recorded
    os.chmod(key_file, 0o600)
    seeded.ok("source", "reveal", "opposition-official", "--key-file", str(key_file))


def test_a_signing_key_open_to_others_is_refused(seeded, signing_key, tmp_path):
    os.chmod(signing_key, 0o644)
    output = tmp_path / "c.checkpoint"
    result = seeded("checkpoint", "--signing-key", str(signing_key), "-o", str(output))
    assert_refused(result, f"chmod 600 {signing_key}")
    assert not output.exists()
    os.chmod(signing_key, 0o600)
    seeded.ok("checkpoint", "--signing-key", str(signing_key), "-o", str(output))


def test_new_key_files_are_private_whatever_the_umask(cli, tmp_path):
    old = os.umask(0o000)
    try:
        assert cli("key", "init", "--key-file", str(tmp_path / "k.key"), db=False).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "k.key").st_mode) == 0o600


# --- key rotate killed part way -------------------------------------------------------------

# The rotating process dies (os._exit: no cleanup, no rollback sent) at a named point.
KILLED_ROTATION = """
import os, sys
import ledger.protect.sealing as sealing

point = sys.argv[1]
if point == "key written":  # the new key on disk, nothing re-encrypted
    sealing.rotate = lambda *args, **kwargs: os._exit(9)
elif point == "before commit":  # every record re-encrypted, the commit not sent
    original = sealing.rotate
    def rotate(*args, **kwargs):
        original(*args, **kwargs)
        os._exit(9)
    sealing.rotate = rotate
elif point == "after commit":  # committed, the key file not yet renamed into place
    os.rename = lambda *args, **kwargs: os._exit(9)
sys.argv = ["ledger", *sys.argv[2:]]
from ledger.cli import main
main()
"""


@pytest.mark.parametrize("point", ["key written", "before commit", "after commit"])
def test_a_rotation_killed_part_way_is_finished_by_running_it_again(
    seeded, key_file, tmp_path, point
):
    seal_canary(seeded, key_file)
    seal_canary(seeded, key_file, source="abu-musafer")
    new_key = tmp_path / "new.key"
    args = ["key", "rotate", "--key-file", str(key_file), "--new-key-file", str(new_key)]
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_ROTATION, point, *args, "--db", seeded.db],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "LEDGER_LOCK_TIMEOUT": "5"},
    )
    assert killed.returncode == 9, killed.stderr
    assert not new_key.exists()
    pending = tmp_path / "new.key.pending"
    assert pending.exists()  # the key that may already seal records is never lost
    assert stat.S_IMODE(os.stat(pending).st_mode) == 0o600

    seeded.ok(*args)  # the retry finishes the rotation

    assert new_key.exists() and not pending.exists()
    assert_only_the_new_key_opens(seeded, new_key, key_file)


# --- -o/--output ----------------------------------------------------------------------------

OUTPUT_COMMANDS = {
    "export": ["export"],
    "export jsonl": ["export", "--format", "jsonl"],
    "report": ["report", "rt-is-nusra-deal"],
    "suggest": ["suggest", str(SAMPLE_BUNDLE.with_name("article.txt"))],
    "checkpoint": ["checkpoint", "--signing-key", "SIGNING_KEY"],
}


@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
@pytest.mark.parametrize("where", ["missing folder", "a folder"])
def test_every_output_option_refuses_an_unwritable_path_in_one_line(
    seeded, signing_key, tmp_path, command, where
):
    target = tmp_path / "nonexistent" / "dir" / "x.out" if where == "missing folder" else tmp_path
    args = [str(signing_key) if arg == "SIGNING_KEY" else arg for arg in OUTPUT_COMMANDS[command]]
    result = seeded(*args, "-o", str(target))
    assert_refused(result, str(target))
    assert not (tmp_path / "nonexistent").exists()


def test_a_failed_export_leaves_the_previous_file_whole(seeded, tmp_path, monkeypatch):
    import ledger.write.export as export

    output = tmp_path / "ledger.yaml"
    seeded.ok("export", "-o", str(output))
    before = output.read_bytes()
    real = export.iter_bundles

    def failing(session):  # type: ignore[no-untyped-def]
        yield from real(session)
        raise LedgerError("the database went away")

    monkeypatch.setattr(export, "iter_bundles", failing)
    result = seeded("export", "-o", str(output))
    assert_refused(result, "went away")
    assert output.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == []


def test_export_replaces_a_file_with_the_whole_new_export(seeded, tmp_path):
    output = tmp_path / "ledger.yaml"
    output.write_text("stale\n" * 10_000, encoding="utf-8")
    seeded.ok("export", "-o", str(output))
    assert output.read_text(encoding="utf-8") == seeded.ok("export")
