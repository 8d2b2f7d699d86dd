"""Making an export fit to leave the newsroom (`--public`).

Internal notes are dropped. Unnamed sources keep their published label and
description (public by nature) but lose their ledger key, which is replaced by
a pseudonym derived with a fresh random salt for every export: stable inside
one export, so its chains still read and its documents stay valid, but
different in the next, so two published exports cannot be joined to profile
one confidential source across stories.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Iterator

from ledger.model import Anonymity, Hop, Source
from ledger.write.bundle import Bundle


class Pseudonyms:
    """Maps the keys of unnamed sources to per-export pseudonyms."""

    def __init__(self, unnamed_keys: Iterable[str], salt: bytes | None = None) -> None:
        self._salt = salt if salt is not None else secrets.token_bytes(32)
        self._unnamed = set(unnamed_keys)

    def add(self, unnamed_keys: Iterable[str]) -> None:
        """More unnamed keys, met as a streamed export goes on (same salt)."""
        self._unnamed.update(unnamed_keys)

    def __call__(self, key: str) -> str:
        if key not in self._unnamed:
            return key
        digest = hmac.new(self._salt, key.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"unnamed-{digest[:12]}"


def public_bundles(bundles: list[Bundle]) -> list[Bundle]:
    """The bundles with notes dropped and unnamed sources pseudonymised (one salt for all)."""
    unnamed = {
        source.key
        for bundle in bundles
        for source in bundle.sources
        if source.anonymity is not Anonymity.NAMED
    }
    pseudonym = Pseudonyms(unnamed)
    return [_public(bundle, pseudonym) for bundle in bundles]


def public_bundle_stream(bundles: Iterable[Bundle]) -> Iterator[Bundle]:
    """`public_bundles`, a bundle at a time (one salt for the whole stream).

    A bundle defines every source its chains cite, so each bundle's unnamed keys
    are known before any of its chains is rewritten.
    """
    pseudonym = Pseudonyms(())
    for bundle in bundles:
        pseudonym.add(
            source.key for source in bundle.sources if source.anonymity is not Anonymity.NAMED
        )
        yield _public(bundle, pseudonym)


def _public(bundle: Bundle, pseudonym: Pseudonyms) -> Bundle:
    sources = [_public_source(source, pseudonym) for source in bundle.sources]
    claims = [
        claim.model_copy(
            update={
                "notes": None,
                "attributions": [
                    [
                        Hop(source=pseudonym(hop.source), cue=hop.cue)
                        if isinstance(hop, Hop)
                        else pseudonym(hop)
                        for hop in chain
                    ]
                    for chain in claim.attributions
                ],
            }
        )
        for claim in bundle.claims
    ]
    # Waivers are the newsroom's own decisions, with names: never in a public copy.
    return bundle.model_copy(update={"sources": sources, "claims": claims, "waivers": []})


def _public_source(source: Source, pseudonym: Pseudonyms) -> Source:
    """No notes, no aliases (the ledger's own bookkeeping), pseudonyms for unnamed keys."""
    return source.model_copy(
        update={
            "key": pseudonym(source.key),
            "notes": None,
            "aliases": None,
            "speaks_for": pseudonym(source.speaks_for) if source.speaks_for else None,
        }
    )


def public_claims_and_sources(views, summaries, known):  # type: ignore[no-untyped-def]
    """Report inputs fit to leave the newsroom: notes dropped, unnamed sources pseudonymised.

    Works on the judged claims before any renderer sees them, so every format
    (Markdown, HTML, JSON, CSV, PROV, DOT) and every finding uses the same
    pseudonyms, drawn with one fresh salt for this report.
    """
    from dataclasses import replace

    pseudonym = Pseudonyms(
        key for key, source in known.items() if source.anonymity is not Anonymity.NAMED
    )

    def rename(keys: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(pseudonym(key) for key in keys))

    public_views = [
        replace(
            view,
            notes=None,
            chains=tuple(
                tuple(
                    replace(
                        hop,
                        key=pseudonym(hop.key),
                        party=pseudonym(hop.party) if hop.party else None,
                    )
                    for hop in chain
                )
                for chain in view.chains
            ),
            verdict=replace(
                view.verdict,
                origins=rename(view.verdict.origins),
                independent_origins=rename(view.verdict.independent_origins),
                supporting=rename(view.verdict.supporting),
            ),
        )
        for view in views
    ]
    public_summaries = [
        replace(item, source=_public_source(item.source, pseudonym)) for item in summaries
    ]
    public_known = {
        pseudonym(key): _public_source(source, pseudonym) for key, source in known.items()
    }
    return public_views, public_summaries, public_known, pseudonym
