"""Entering: bundles, articles, claims, their chains and links, and corrections to them."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ledger.api.base import LedgerBase

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ledger.model import Article, Hop, Source
    from ledger.vocab import Relation
    from ledger.write.bulk import BulkSummary
    from ledger.write.changes import ArticleChanges
    from ledger.write.checked import Checked
    from ledger.write.corrections import TextUpdate
    from ledger.write.entries import ClaimInput
    from ledger.write.importer import ImportSummary


GROUP_SECONDS = 0.5
GROUP_CLAIMS = 5_000
GROUP_FILES = 100
"""How long, and for how many claims and files at most, a many-file import goes on reading
files for one transaction (`import_files`). A group pays a commit once, and each commit
writes again every index page its group touched (the events' hashes and the hops' sources
take rows in no order): groups of 5,000 claims, a JSON Lines batch's worth, write half the
bytes of groups of twenty files of a hundred claims, and hold a bounded group in memory."""


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
        bundles = self.check_file(path)
        if dry_run:
            return self.rehearse_imports([bundles], replace=replace, merge=merge)[0]
        return self.import_checked(bundles, replace=replace, merge=merge)

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
        from ledger.write.checked import check_bundles

        bundles = check_bundles([validate(data, origin=origin, base_dir=Path(base_dir))])
        if dry_run:
            return self.rehearse_imports([bundles], replace=replace, merge=merge)[0]
        return self.import_checked(bundles, replace=replace, merge=merge)

    @staticmethod
    def check_file(path: str | Path) -> list[Checked]:
        """A bundle file read and given every check that needs no ledger (quotes included)."""
        from ledger.write.bundle import load_file
        from ledger.write.checked import check_bundles

        return check_bundles(load_file(Path(path)))

    def import_checked(
        self,
        bundles: Sequence[Checked],
        *,
        replace: bool = False,
        merge: bool = False,
        expected: Sequence[ArticleChanges] | None = None,
    ) -> ImportSummary:
        """Import one file's checked bundles: checked against the ledger, then written.

        The checks that ask the ledger run first in a read transaction, so a
        fault is found without keeping other writers waiting; the write
        transaction makes them again if the ledger has changed in between (an
        audit event appended: every change appends one), and writes. With
        `expected` (from `rehearse_imports`), the changes to articles already
        in the ledger must be exactly those, or nothing is written
        (`ChangedMeanwhile`).
        """
        from ledger.audit import trail
        from ledger.write.importer import import_bundles, prepare_bundles

        with self.database.read() as session:
            seen = trail.last_event(session)  # first: the checks see this ledger or a later one
            batch = prepare_bundles(session, bundles, replace=replace, merge=merge)
        with self.database.write(self.actor) as session:
            unchanged = trail.writer_head(session) == seen
            return import_bundles(
                session,
                bundles,
                replace=replace,
                merge=merge,
                expected=expected,
                prepared=batch if unchanged else None,
            )

    def import_files(
        self,
        files: Iterable[str | Path],
        *,
        replace: bool = False,
        merge: bool = False,
        checked: Mapping[Path, Sequence[Checked]] | None = None,
        expected: Mapping[Path, Sequence[ArticleChanges]] | None = None,
    ) -> Iterator[tuple[Path, ImportSummary]]:
        """Import bundle files in turn, each atomic; yield each file's summary once it is in.

        Files are written in groups: as many as are read and checked on their
        own (parsed, every quote matched) within `GROUP_SECONDS` (at most
        `GROUP_CLAIMS` claims and `GROUP_FILES` files), before the write lock is taken, are then written in
        one transaction, each in a savepoint of its own. What a transaction
        costs (its commit, reading the audit trail's head) is so paid once for
        many files of a large import, and another writer waits for one group's
        writes at most. A group of new articles is first tried as one batch
        (`ledger.write.importer.import_group`: a statement a table for the
        whole group), and written file by file only if that fails. A file that
        fails leaves nothing of itself; the files before it are committed, then
        its error is raised. A summary is yielded only once its file is
        committed. `checked` gives files already read and checked, and
        `expected` (from `rehearse_imports`) the changes each file must make to
        articles already in the ledger (`ChangedMeanwhile` otherwise).
        """
        from ledger.write.importer import import_bundles

        remaining = iter(Path(file) for file in files)
        together = not (replace or merge or expected)
        while True:
            group, failure = self._read_group(remaining, checked or {})
            committed: list[tuple[Path, ImportSummary]] = []
            if group:
                with self.database.write(self.actor) as session:
                    if together and len(group) > 1:
                        committed = self._write_together(session, group)
                    for path, bundles in group[len(committed) :]:
                        try:
                            with session.begin_nested():
                                summary = import_bundles(
                                    session,
                                    bundles,
                                    replace=replace,
                                    merge=merge,
                                    expected=(expected or {}).get(path),
                                )
                        except Exception as exc:  # the files before it are committed first
                            failure = exc
                            break
                        committed.append((path, summary))
            yield from committed
            if failure is not None:
                raise failure
            if not group:
                return

    @staticmethod
    def _write_together(
        session: Session, group: list[tuple[Path, Sequence[Checked]]]
    ) -> list[tuple[Path, ImportSummary]]:
        """The group's files written as one batch (`ledger.write.importer.import_group`), in a
        savepoint; none if they are not such a group, or if one of them fails (the savepoint
        rolled back: the files are then written one by one, to name it)."""
        from ledger.write.importer import import_group

        try:
            with session.begin_nested():
                summaries = import_group(session, [bundles for _path, bundles in group])
        except Exception:  # one file's fault, found again when each file is written alone
            return []
        if summaries is None:
            return []
        return [(path, summary) for (path, _bundles), summary in zip(group, summaries, strict=True)]

    def _read_group(
        self, files: Iterator[Path], checked: Mapping[Path, Sequence[Checked]]
    ) -> tuple[list[tuple[Path, Sequence[Checked]]], Exception | None]:
        """The next files read and checked on their own, for up to `GROUP_SECONDS`,
        `GROUP_CLAIMS` or `GROUP_FILES`; and the error of the file that failed, if one did (the group then ends
        before it)."""
        group: list[tuple[Path, Sequence[Checked]]] = []
        started, claims = time.monotonic(), 0
        for path in files:
            try:
                group.append((path, checked[path] if path in checked else self.check_file(path)))
            except Exception as exc:
                return group, exc
            claims += sum(len(item.loaded.bundle.claims) for item in group[-1][1])
            if (
                claims >= GROUP_CLAIMS
                or len(group) >= GROUP_FILES
                or time.monotonic() - started >= GROUP_SECONDS
            ):
                break
        return group, None

    def rehearse_imports(
        self, files: Sequence[Sequence[Checked]], *, replace: bool = False, merge: bool = False
    ) -> list[ImportSummary]:
        """What importing each file in turn would do, in one transaction rolled back."""
        from ledger.write.importer import import_bundles

        with self.database.rehearse(self.actor) as session:
            return [
                import_bundles(session, bundles, replace=replace, merge=merge) for bundles in files
            ]

    def import_jsonl(self, path: str | Path, *, show_progress: bool | None = None) -> BulkSummary:
        """A JSON Lines file (one bundle per line) streamed in one transaction, in flat memory."""
        from ledger.write.bulk import import_file

        return import_file(self.database, Path(path), actor=self.actor, show_progress=show_progress)

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
