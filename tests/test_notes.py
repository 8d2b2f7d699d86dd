"""C2SP signed notes and checkpoints match their published test vectors.

Vectors, by source:
- the example of c2sp.org/signed-note (github.com/C2SP/C2SP, signed-note.md at
  5ba5ee8): a verifier key and the note it verifies;
- golang.org/x/mod/sumdb/note, note_test.go (github.com/golang/mod at fe2ec04):
  the PeterNeumann signer and verifier keys, the exact note Sign writes with
  them, the EnochRoot key and signature (TestSign, TestOpen, TestNewVerifier);
- golang.org/x/mod/sumdb/tlog, note_test.go (same commit): TestFormatTree's
  checkpoint text for a tree of 123456789012 leaves whose root is the RFC 6962
  leaf hash of "hello world".
"""

from __future__ import annotations

import pytest

from ledger.audit import merkle, notes
from ledger.audit.checkpoint import Checkpoint

PETER_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VERIFIER = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotp"
    "RZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33"
    "WWd1RvMc+QQ=\n"
)
C2SP_VERIFIER = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
C2SP_NOTE = (
    "This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2O"
    "NncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)


def test_the_signer_key_gives_the_published_verifier_key():
    signer = notes.parse_signer_key(PETER_SIGNER)
    assert signer.verifier.text == PETER_VERIFIER
    assert signer.text == PETER_SIGNER


def test_signing_writes_the_published_note_byte_for_byte():
    # Ed25519 is deterministic, so the same key and text give the same signature.
    assert notes.sign(TEXT, notes.parse_signer_key(PETER_SIGNER)) == TEXT + "\n" + PETER_SIG


def test_the_c2sp_example_note_opens_with_its_verifier_key():
    text, key = notes.open_note(C2SP_NOTE, [notes.parse_verifier_key(C2SP_VERIFIER)])
    assert text == "This is an example message.\n" and key.name == "example.com/foo"


def test_signatures_by_unknown_keys_are_ignored_and_known_ones_must_verify():
    peter = notes.parse_verifier_key(PETER_VERIFIER)
    enoch = notes.parse_verifier_key(ENOCH_VERIFIER)
    both = TEXT + "\n" + PETER_SIG + ENOCH_SIG
    assert notes.open_note(both, [peter]) == (TEXT, peter)
    assert notes.open_note(both, [enoch]) == (TEXT, enoch)
    with pytest.raises(notes.UnknownSigner, match="PeterNeumann"):
        notes.open_note(TEXT + "\n" + PETER_SIG, [enoch])
    with pytest.raises(notes.BadSignature):
        notes.open_note(TEXT.replace("problem", "question") + "\n" + PETER_SIG, [peter])


@pytest.mark.parametrize(
    "key",
    [
        # golang.org/x/mod/sumdb/note TestNewVerifier: wrong length, unknown algorithm
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        PETER_VERIFIER.replace("c74f20a3", "c74f20a4"),  # a key ID that does not match
        PETER_VERIFIER.replace("PeterNeumann", "Peter Neumann"),
        PETER_VERIFIER[:-1],
    ],
)
def test_mangled_verifier_keys_are_refused(key):
    with pytest.raises(notes.NoteError):
        notes.parse_verifier_key(key)


def test_every_one_byte_change_of_the_signer_key_is_refused():
    for position in range(len(PETER_SIGNER)):
        changed = PETER_SIGNER[:position] + chr(ord(PETER_SIGNER[position]) + 1)
        changed += PETER_SIGNER[position + 1 :]
        with pytest.raises(notes.NoteError):
            notes.parse_signer_key(changed)


def test_the_checkpoint_body_is_the_tlog_checkpoint_form():
    # golang.org/x/mod/sumdb/tlog TestFormatTree / TestParseTree
    golden = "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n"
    root = merkle.leaf_hash(b"hello world")
    assert Checkpoint("go.sum database tree", 123456789012, root).text == golden
    assert Checkpoint.parse(golden) == Checkpoint("go.sum database tree", 123456789012, root)
    assert Checkpoint.parse(golden + "an extension line\n").size == 123456789012
    for bad in (
        "not-" + golden.replace("\n123456789012", "\n0123"),
        golden.replace("123456789012", "0xabcdef"),
        golden.replace("Bb0=", "BTOOBIG="),
        golden.replace("go.sum database tree\n", "\n"),
    ):
        with pytest.raises(notes.NoteError):
            Checkpoint.parse(bad)


def test_a_generated_key_signs_notes_its_verifier_key_opens():
    signer = notes.SignerKey.generate("example-news.org/ledger")
    verifier = notes.parse_verifier_key(signer.verifier.text)
    note = notes.sign("claim-ledger/abc\n3\n" + "A" * 43 + "=\n", signer)
    assert notes.open_note(note, [verifier])[1] == verifier
    assert notes.parse_signer_key(signer.text) == signer
    with pytest.raises(notes.NoteError):
        notes.SignerKey.generate("has space")
