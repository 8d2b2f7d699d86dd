"""C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, as golang.org/x/mod/sumdb/note writes them.

A note is text ending in a newline, a blank line, then one line per signature:
"— <key name> <base64(4-byte key ID ‖ signature)>". The key ID is the first four
bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key). A verifier key is the
text "<name>+<hex key ID>+<base64(0x01 ‖ public key)>"; a signer key, in Go's
form, "PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ 32-byte seed)>", so a key
made here signs with Go's tools and the other way round.

Opening a note follows the spec: signatures by unknown keys are ignored, a
known key's signature that fails rejects the note, and a note with no
signature by a known key is rejected too. Each case raises its own error,
because `verify` reports a forged checkpoint and a checkpoint signed by
another key differently.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass

ED25519 = 0x01
DASH = "\u2014"
MAX_SIGNATURES = 100


class NoteError(ValueError):
    """Text that is not a well-formed signed note, key or signature."""


class BadSignature(NoteError):
    """A signature by a known key does not verify: the note was altered or forged."""


class UnknownSigner(NoteError):
    """No signature on the note is by any of the keys given."""


def _valid_name(name: str) -> bool:
    return bool(name) and not any(ch.isspace() or ch == "+" for ch in name)


def key_id(name: str, public_key: bytes) -> int:
    digest = hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([ED25519]) + public_key).digest()
    return struct.unpack(">I", digest[:4])[0]


def _decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise NoteError("not base64") from None


@dataclass(frozen=True)
class VerifierKey:
    """A public Ed25519 key and the name it signs under."""

    name: str
    key_id: int
    public_key: bytes

    @property
    def text(self) -> str:
        encoded = base64.b64encode(bytes([ED25519]) + self.public_key).decode()
        return f"{self.name}+{self.key_id:08x}+{encoded}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class SignerKey:
    """A private Ed25519 key (its 32-byte seed) and the name it signs under."""

    name: str
    seed: bytes

    @classmethod
    def generate(cls, name: str) -> SignerKey:
        import secrets

        if not _valid_name(name):
            raise NoteError(f"a key name must be non-empty, without spaces or '+': {name!r}")
        return cls(name, secrets.token_bytes(32))

    def _private(self):  # type: ignore[no-untyped-def]
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @property
    def verifier(self) -> VerifierKey:
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        public = self._private().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return VerifierKey(self.name, key_id(self.name, public), public)

    @property
    def text(self) -> str:
        encoded = base64.b64encode(bytes([ED25519]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.key_id:08x}+{encoded}"

    def sign(self, message: bytes) -> bytes:
        return self._private().sign(message)


def _key_parts(text: str, count: int) -> list[str]:
    """The fields before the key material, then the material (base64, which may hold '+')."""
    parts = text.split("+", count - 1)
    if len(parts) != count:
        raise NoteError(f"expected {count} fields separated by '+', found {len(parts)}")
    return parts


def _key_material(name: str, hex_id: str, encoded: str, size: int) -> tuple[int, bytes]:
    if not _valid_name(name):
        raise NoteError(f"bad key name {name!r}")
    if len(hex_id) != 8 or hex_id.lower() != hex_id:
        raise NoteError("the key ID must be 8 lowercase hex digits")
    try:
        identifier = int(hex_id, 16)
    except ValueError:
        raise NoteError("the key ID must be 8 lowercase hex digits") from None
    material = _decode(encoded)
    if len(material) != 1 + size or material[0] != ED25519:
        raise NoteError("not an Ed25519 key (type 0x01, 32 bytes)")
    return identifier, material[1:]


def parse_verifier_key(text: str) -> VerifierKey:
    """A verifier key "<name>+<hex key ID>+<base64(0x01 ‖ public key)>"; its ID must match."""
    name, hex_id, encoded = _key_parts(text.strip(), 3)
    identifier, public = _key_material(name, hex_id, encoded, 32)
    if key_id(name, public) != identifier:
        raise NoteError("the key ID does not match the name and key")
    return VerifierKey(name, identifier, public)


def parse_signer_key(text: str) -> SignerKey:
    """A signer key "PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ seed)>"; its ID must match."""
    private, key, name, hex_id, encoded = _key_parts(text.strip(), 5)
    if (private, key) != ("PRIVATE", "KEY"):
        raise NoteError("a signing key starts with PRIVATE+KEY+")
    identifier, seed = _key_material(name, hex_id, encoded, 32)
    signer = SignerKey(name, seed)
    if signer.verifier.key_id != identifier:
        raise NoteError("the key ID does not match the name and key")
    return signer


@dataclass(frozen=True)
class Signature:
    name: str
    key_id: int
    signature: bytes


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("the note text must end with a newline")
    if any(ord(ch) < 0x20 and ch != "\n" for ch in text):
        raise NoteError("a note may hold no control character but newline")


def sign(text: str, signer: SignerKey) -> str:
    """The signed note: `text`, a blank line, and the signer's signature line."""
    _check_text(text)
    signature = struct.pack(">I", signer.verifier.key_id) + signer.sign(text.encode("utf-8"))
    return f"{text}\n{DASH} {signer.name} {base64.b64encode(signature).decode()}\n"


def parse(note: str) -> tuple[str, list[Signature]]:
    """Split a signed note into its text and its signatures, checking only their form."""
    _check_text(note)
    split = note.rfind("\n\n")
    if split < 0:
        raise NoteError("no blank line before the signatures")
    text, lines = note[: split + 1], note[split + 2 :].splitlines()
    if not lines or len(lines) > MAX_SIGNATURES:
        raise NoteError("no signature line" if not lines else "too many signatures")
    signatures = []
    for line in lines:
        dash, _, rest = line.partition(" ")
        name, _, encoded = rest.partition(" ")
        if dash != DASH or not _valid_name(name) or not encoded or " " in encoded:
            raise NoteError(f"not a signature line: {line[:60]!r}")
        raw = _decode(encoded)
        if len(raw) < 5:
            raise NoteError("a signature too short to carry a key ID")
        signatures.append(Signature(name, struct.unpack(">I", raw[:4])[0], raw[4:]))
    return text, signatures


def open_note(note: str, keys: Sequence[VerifierKey]) -> tuple[str, VerifierKey]:
    """The note's text and the key that signed it; raises unless a known key's signature verifies."""
    text, signatures = parse(note)
    known = {(key.name, key.key_id): key for key in keys}
    verified = None
    for signature in signatures:
        key = known.get((signature.name, signature.key_id))
        if key is None:
            continue
        if not key.verify(text.encode("utf-8"), signature.signature):
            raise BadSignature(f"the signature by {key.name} does not verify")
        verified = verified or key
    if verified is None:
        signers = ", ".join(sorted({f"{s.name}+{s.key_id:08x}" for s in signatures}))
        raise UnknownSigner(f"signed by {signers}, not by the key given")
    return text, verified
