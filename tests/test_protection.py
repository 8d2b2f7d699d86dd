"""Source protection: sealed identities, keys, reveals, clearances, public exports."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.protect.sealing import NewsroomKey, SealedDetails, WrongKey, decrypt, encrypt
from tests.conftest import Cli
from tests.test_audit import assert_verifies
from tests.test_cli_entry import assert_refused

CANARY_NAME = "Canary Qzx Identity 7741"
CANARY_CONTACT = "canary-contact-5519@example.org"
CANARY_NOTE = "canary-note-internal-8830"


def seal_canary(cli: Cli, key_file: Path, source: str = "opposition-official") -> None:
    details = (
        f"real_name: {CANARY_NAME}\ncontact: {CANARY_CONTACT}\nverification: met twice in person\n"
    )
    result = cli("source", "seal", source, "--stdin", "--key-file", str(key_file), input=details)
    assert result.exit_code == 0, result.stderr


def test_key_file_is_private_and_never_overwritten(key_file, seeded):
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    before = key_file.read_bytes()
    assert_refused(
        seeded("key", "init", "--key-file", str(key_file), db=False), "refusing to overwrite"
    )
    assert key_file.read_bytes() == before


def test_seal_and_reveal_and_the_reveal_is_in_the_log(seeded, key_file):
    seal_canary(seeded, key_file)
    shown = json.loads(seeded.ok("source", "show", "opposition-official", "--json"))
    assert shown["sealed_identity"] == "[sealed]"
    revealed = json.loads(
        seeded.ok(
            "source",
            "reveal",
            "opposition-official",
            "--key-file",
            str(key_file),
            "--json",
            "--as",
            "editor-ann",
        )
    )
    assert revealed["real_name"] == CANARY_NAME and revealed["contact"] == CANARY_CONTACT
    log = seeded.ok("log", "--format", "jsonl")
    reveals = [json.loads(line) for line in log.splitlines() if '"source.reveal"' in line]
    assert [(e["actor"], e["key"]) for e in reveals] == [("editor-ann", "opposition-official")]
    assert CANARY_NAME not in log and CANARY_CONTACT not in log
    assert_verifies(seeded)


def test_without_a_key_everything_works_and_details_stay_sealed(seeded, key_file):
    seal_canary(seeded, key_file)
    assert "[sealed]" in seeded.ok("source", "show", "opposition-official")
    seeded.ok("claims", "--source", "opposition-official")
    assert_refused(seeded("source", "reveal", "opposition-official"), "needs the newsroom key")


def test_wrong_key_is_one_line_and_changes_nothing(seeded, key_file, tmp_path):
    seal_canary(seeded, key_file)
    other = tmp_path / "other.key"
    seeded.ok("key", "init", "--key-file", str(other))
    events = seeded.ok("log", "--format", "jsonl")
    assert_refused(
        seeded("source", "reveal", "opposition-official", "--key-file", str(other)),
        "sealed with key",
    )
    assert_refused(
        seal_result := seeded(
            "source",
            "seal",
            "abu-musafer",
            "--stdin",
            "--key-file",
            str(other),
            input="real_name: X\n",
        ),
        "use that key file",
    )
    assert seal_result.exit_code == 2
    assert seeded.ok("log", "--format", "jsonl") == events


def test_rotation_keeps_records_readable_with_the_new_key_only(seeded, key_file, tmp_path):
    seal_canary(seeded, key_file)
    seal_canary(seeded, key_file, source="abu-musafer")
    new_key = tmp_path / "new.key"
    seeded.ok("key", "rotate", "--key-file", str(key_file), "--new-key-file", str(new_key))
    assert_only_the_new_key_opens(seeded, new_key, key_file)


def assert_only_the_new_key_opens(seeded, new_key, old_key) -> None:  # type: ignore[no-untyped-def]
    """Both canaries reveal with the rotated key, neither with the old one; the trail verifies."""
    for source in ("opposition-official", "abu-musafer"):
        revealed = json.loads(
            seeded.ok("source", "reveal", source, "--key-file", str(new_key), "--json")
        )
        assert revealed["real_name"] == CANARY_NAME
        assert_refused(
            seeded("source", "reveal", source, "--key-file", str(old_key)), "sealed with key"
        )
    assert_verifies(seeded)


def test_rotation_with_the_wrong_key_writes_no_key_and_changes_nothing(seeded, key_file, tmp_path):
    seal_canary(seeded, key_file)
    wrong = tmp_path / "wrong.key"
    seeded.ok("key", "init", "--key-file", str(wrong))
    target = tmp_path / "never.key"
    assert_refused(
        seeded("key", "rotate", "--key-file", str(wrong), "--new-key-file", str(target)),
        "sealed with key",
    )
    assert sorted(path.name for path in tmp_path.glob("never.key*")) == []  # nor a pending one
    seeded.ok("source", "reveal", "opposition-official", "--key-file", str(key_file))


def test_clearances_are_recorded_and_audited(seeded):
    seeded.ok(
        "source",
        "knows",
        "opposition-official",
        "--name",
        "Jane Doe",
        "--role",
        "managing editor",
        "--on",
        "2026-11-02",
    )
    seeded.ok(
        "source",
        "approve",
        "opposition-official",
        "--name",
        "Sam Roe",
        "--role",
        "standards editor",
    )
    data = json.loads(seeded.ok("source", "show", "opposition-official", "--json"))
    assert [(c["kind"], c["name"]) for c in data["clearances"]] == [
        ("approved", "Sam Roe"),
        ("knows", "Jane Doe"),
    ]
    actions = [e["action"] for e in json.loads(seeded.ok("log", "--json"))]
    assert actions[-2:] == ["source.knows", "source.approved"]
    assert_refused(
        seeded("source", "knows", "opposition-official", "--name", "Jane Doe", "--role", "x"),
        "already recorded",
    )
    assert_verifies(seeded)


def test_public_export_drops_notes_and_uses_unlinkable_pseudonyms(seeded):
    seeded.ok("source", "edit", "opposition-official", "--notes", CANARY_NOTE)
    seeded.ok("claim", "edit", "rt-is-nusra-deal/atareb", "--notes", CANARY_NOTE)
    assert CANARY_NOTE in seeded.ok("export")
    first = json.loads(seeded.ok("export", "--public", "--format", "json"))
    second = json.loads(seeded.ok("export", "--public", "--format", "json"))
    assert CANARY_NOTE not in json.dumps(first)

    def unnamed_keys(bundle):
        return {s["label"]: s["key"] for s in bundle["sources"] if s["anonymity"] != "named"}

    one, two = unnamed_keys(first), unnamed_keys(second)
    assert one.keys() == two.keys() and all(one[label] != two[label] for label in one)
    assert "opposition-official" not in json.dumps(first)
    official = one["a prominent Syrian opposition official"]
    deal = next(c for c in first["claims"] if c["key"] == "deal")
    assert deal["attributions"][0] == ["ap", official]  # stable within one export
    assert next(s for s in first["sources"] if s["key"] == "ap")["anonymity"] == "named"


def test_database_file_holds_no_sealed_detail(tmp_path, key_file):
    from typer.testing import CliRunner

    from tests.conftest import SAMPLE_BUNDLE

    path = tmp_path / "canary.db"
    cli = Cli(str(path), CliRunner())
    cli.ok("init")
    cli.ok("import", str(SAMPLE_BUNDLE))
    seal_canary(cli, key_file)
    seal_canary(cli, key_file, source="abu-musafer")
    cli.ok("source", "reveal", "abu-musafer", "--key-file", str(key_file))
    for name in (path.name, path.name + "-wal", path.name + "-shm", path.name + "-journal"):
        candidate = path.parent / name
        if candidate.exists():
            data = candidate.read_bytes()
            for secret in (CANARY_NAME, CANARY_CONTACT):
                assert secret.encode() not in data, name


@settings(max_examples=60, deadline=None)
@given(
    plaintext=st.text(min_size=1, max_size=200),
    source=st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True),
    forge_key_id=st.booleans(),
)
def test_another_key_never_decrypts(plaintext, source, forge_key_id):
    right, wrong = NewsroomKey.generate(), NewsroomKey.generate()
    nonce, ciphertext = encrypt(right, source, SealedDetails(real_name=plaintext))
    stored_id = wrong.key_id if forge_key_id else right.key_id  # forged id: GCM must still refuse
    with pytest.raises(WrongKey):
        decrypt(wrong, source, stored_id, nonce, ciphertext)
    assert decrypt(right, source, right.key_id, nonce, ciphertext).real_name == plaintext
    with pytest.raises(WrongKey):  # a record moved to another source does not open either
        decrypt(right, source + "-x", right.key_id, nonce, ciphertext)


def test_standards_check_flags_own_unnamed_sources_until_cleared(cli, tmp_path):
    bundle = tmp_path / "own.yaml"
    bundle.write_text(
        "version: 1\n"
        "article: {slug: own, title: Our scoop}\n"
        "sources:\n"
        "  - {key: insider, label: a ministry insider, anonymity: anonymous, anonymity_reason: fear of dismissal}\n"
        "  - {key: wire, label: the wire, kind: outlet, anonymity: named}\n"
        "  - {key: wire-source, label: a wire's source, anonymity: anonymous, anonymity_reason: not authorised}\n"
        "claims:\n"
        "  - {key: plan, text: The plan exists., attributions: [[insider], [wire, wire-source]]}\n",
        encoding="utf-8",
    )
    cli.ok("import", str(bundle))
    result = cli("check", "own", "--select", "LS107,LS108", "--json")
    assert result.exit_code == 1
    found = {(f["code"], f["subject"]) for f in json.loads(result.stdout)}
    assert found == {("LS107", "insider"), ("LS108", "insider")}  # the wire's source is LS105's
    cli.ok("source", "knows", "insider", "--name", "Jane Doe", "--role", "news editor")
    cli.ok("source", "approve", "insider", "--name", "Sam Roe", "--role", "managing editor")
    assert cli("check", "own", "--select", "LS107,LS108").exit_code == 0
