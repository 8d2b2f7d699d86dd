"""Entering: bundles, articles, claims, their chains and links, and corrections to them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger.api.base import LedgerBase

if TYPE_CHECKING:
    from ledger.model import Article, Hop, Source
    from ledger.vocab import Relation
    from ledger.write.corrections import TextUpdate
    from ledger.write.entries import ClaimInput
    from ledger.write.importer import ImportSummary


class Entering(LedgerBase):
    """A journalist's writes; each one transaction that commits whole or leaves nothing."""

    def import_file(
        self,
        path: str | Path,
        *,
        replace: bool = False,
        merge: bool = False,
        dry_run: bool = False,
    ) -> ImportSummary:
        """Import one bundle file (YAML or JSON), atomically: on any error nothing is written.

        `replace` makes an article already in the ledger what the bundle says;
        `merge` adds to it what is new. The summary's `changes` name what was
        removed, changed and added; with `dry_run` they say what would be, and
        nothing is written (look before replacing: `summary.loses`).
        """
        from ledger.write.bundle import load_file

        return self._import(load_file(Path(path)), replace=replace, merge=merge, dry_run=dry_run)

    def import_data(
        self,
        data: dict[str, Any],
        *,
        replace: bool = False,
        merge: bool = False,
        dry_run: bool = False,
        origin: str = "<data>",
        base_dir: str | Path = ".",
    ) -> ImportSummary:
        """Import one bundle given as a dict (the structure a bundle file holds)."""
        from ledger.write.bundle import validate

        loaded = validate(data, origin=origin, base_dir=Path(base_dir))
        return self._import([loaded], replace=replace, merge=merge, dry_run=dry_run)

    def _import(
        self, bundles: Sequence[Any], *, replace: bool, merge: bool, dry_run: bool
    ) -> ImportSummary:
        from ledger.write.importer import import_bundles

        transaction = self.database.rehearse if dry_run else self.database.write
        with transaction(self.actor) as session:
            return import_bundles(session, bundles, replace=replace, merge=merge)

    def add_article(self, article: Article) -> None:
        from ledger.write.entries import add_article

        with self.database.write(self.actor) as session:
            add_article(session, article)

    def edit_article(self, slug: str, changes: Mapping[str, object]) -> list[str]:
        """Change an article's fields; returns the names of those that changed."""
        from ledger.write.edits import edit_article

        with self.database.write(self.actor) as session:
            return edit_article(session, slug, dict(changes))

    def update_text(self, slug: str, text: str, accepted: Mapping[str, int]) -> TextUpdate:
        """A corrected text: every quote re-anchored; nothing written while a claim is orphaned.

        `accepted` maps an orphaned claim's key to the candidate passage (from 1) chosen for it.
        """
        from ledger.write.corrections import update_text

        with self.database.write(self.actor) as session:
            return update_text(session, slug, text, dict(accepted))

    def add_claim(
        self, slug: str, claim: ClaimInput, new_sources: Mapping[str, Source] | None = None
    ) -> None:
        """Add a claim with its chains; `new_sources` defines sources the chains need inline."""
        from ledger.write.entries import add_claim, ensure_sources

        with self.database.write(self.actor) as session:
            ensure_sources(session, claim.chains, new_sources or {})
            add_claim(session, slug, claim)

    def attribute(
        self,
        ref: str,
        chains: Sequence[Sequence[Hop]],
        new_sources: Mapping[str, Source] | None = None,
    ) -> list[int]:
        """Add chains to a claim; returns their numbers (from 0) in the claim's order."""
        from ledger.write.entries import attribute, ensure_sources

        with self.database.write(self.actor) as session:
            ensure_sources(session, chains, new_sources or {})
            return [attribute(session, ref, hops) for hops in chains]

    def unattribute(self, ref: str, chain: int) -> tuple[list[str], int]:
        """Remove chain number `chain` (from 1); returns its keys and how many chains are left."""
        from ledger.write.edits import unattribute

        with self.database.write(self.actor) as session:
            return unattribute(session, ref, chain)

    def link(self, source_ref: str, relation: Relation, target_ref: str) -> None:
        """Link two claims: `source_ref` corroborates, contradicts or refines `target_ref`."""
        from ledger.write.entries import link

        with self.database.write(self.actor) as session:
            link(session, source_ref, relation, target_ref)

    def unlink(self, source_ref: str, relation: Relation, target_ref: str) -> None:
        from ledger.write.edits import unlink

        with self.database.write(self.actor) as session:
            unlink(session, source_ref, relation, target_ref)

    def edit_claim(self, ref: str, changes: Mapping[str, object]) -> list[str]:
        """Change a claim's text, quote, kind, cue or notes; returns the fields that changed."""
        from ledger.write.edits import edit_claim

        with self.database.write(self.actor) as session:
            return edit_claim(session, ref, dict(changes))

    def retract_claim(self, ref: str, reason: str) -> None:
        """Withdraw a claim: it leaves queries and reports, and keeps its history."""
        from ledger.write.edits import retract_claim

        with self.database.write(self.actor) as session:
            retract_claim(session, ref, reason)
