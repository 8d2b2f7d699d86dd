"""Sources: adding, reading, editing, merging and deleting them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ledger.api.base import LedgerBase

if TYPE_CHECKING:
    from ledger.model import Source
    from ledger.read.details import SourceDetail
    from ledger.read.sourcekeys import ProbableDuplicate
    from ledger.read.sources import SourceSummary
    from ledger.write.parties import MergeSummary


class Sourcing(LedgerBase):
    """Who said it: the sources the ledger holds, and the journalist's changes to them."""

    def add_source(self, source: Source) -> list[ProbableDuplicate]:
        """Add a source; returns the ledger's sources it is probably a duplicate of."""
        from ledger.read.sourcekeys import probable_duplicates
        from ledger.write.entries import add_source

        with self.database.write(self.actor) as session:
            add_source(session, source)
            return probable_duplicates(session, among=[source.key])

    def sources(self, *, article: str | None = None) -> list[SourceSummary]:
        """Every source (or those `article` cites) with the claims it originates and relays."""
        from ledger.read.sources import list_sources

        with self.reading() as reader:
            return list_sources(reader, article=article)

    def source(self, key: str, *, history: bool = False) -> SourceDetail:
        """A source (`key` may be an alias) with every claim that passes through it."""
        from ledger.read.details import source_detail

        with self.reading() as reader:
            return source_detail(reader, key, threshold=self.threshold, history=history)

    def deleted_source_history(self, key: str) -> list[dict[str, Any]]:
        """The recorded versions of a source that was deleted; empty if it exists or never did."""
        from ledger.audit.events import history

        with self.reading() as reader:
            versions = history(reader, "source", key)
        return versions if versions and versions[-1]["state"] is None else []

    def source_keys(self) -> list[str]:
        """Every key and alias the ledger knows, sorted."""
        from ledger.read.names import source_keys

        with self.reading() as reader:
            return source_keys(reader)

    def probable_duplicates(self, among: Iterable[str] | None = None) -> list[ProbableDuplicate]:
        """Pairs of sources that are probably one (`among`: pairs involving these keys)."""
        from ledger.read.sourcekeys import probable_duplicates

        with self.reading() as reader:
            return probable_duplicates(reader, among=among)

    def edit_source(self, key: str, changes: Mapping[str, object]) -> list[str]:
        """Change a source's fields; returns the names of those that changed."""
        from ledger.write.edits import edit_source

        with self.database.write(self.actor) as session:
            return edit_source(session, key, dict(changes))

    def merge_sources(self, duplicate: str, keep: str) -> MergeSummary:
        """Merge `duplicate` into `keep` in one audited change; `duplicate` becomes an alias."""
        from ledger.write.parties import merge_sources

        with self.database.write(self.actor) as session:
            return merge_sources(session, duplicate, keep)

    def delete_source(self, key: str) -> None:
        """Delete a source nothing uses; refused, naming where, if anything does."""
        from ledger.write.edits import delete_source

        with self.database.write(self.actor) as session:
            delete_source(session, key)
