"""The ledger as a library: open, import, query, check, report and export from Python.

The CLI is one client of the layers below; a newsroom script is another. This
module is the short path through them that such a script needs, in the
vocabulary of DESIGN.md, with no Typer, no Rich and no printing:

    from ledger import Ledger

    with Ledger.open("ledger.db", create=True) as book:
        book.import_file("samples/rt-is-nusra-deal.yaml")
        for claim in book.claims(uncorroborated=True):
            print(claim.ref, claim.verdict.status)
        markdown = book.report("rt-is-nusra-deal", format="md")

Every method runs in a transaction of its own: a write either commits whole or
leaves the ledger as it was, and raises a `ledger.errors.LedgerError` (with the
same one-line message the CLI prints) on bad input.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from ledger.checks import Finding, Waiver, select_checks
from ledger.claimview import ClaimView
from ledger.policy import Policy, default_threshold, find_policy
from ledger.storage.database import Database
from ledger.write.importer import ImportSummary


class Ledger:
    """One open ledger (a SQLite file or a SQLAlchemy URL) and the questions it answers."""

    def __init__(
        self,
        database: Database,
        *,
        actor: str | None = None,
        threshold: int | None = None,
        policy: Policy | str | Path | None = None,
    ) -> None:
        self.database = database
        self.actor = actor
        self.policy = policy if isinstance(policy, Policy) else find_policy(policy)
        self.threshold = threshold if threshold is not None else default_threshold(self.policy)

    @classmethod
    def open(
        cls,
        db: str | Path | None = None,
        *,
        create: bool = False,
        actor: str | None = None,
        threshold: int | None = None,
        policy: Policy | str | Path | None = None,
    ) -> Ledger:
        """Open the ledger `db` names (default `$LEDGER_DB`, else ledger.db here).

        With `create`, a missing database is created and an old one upgraded to the
        current schema, as `ledger init` does; otherwise it must already be current.
        `policy` is a newsroom policy file (default: `$LEDGER_POLICY`, else
        ledger.toml here if there is one): the threshold and each check's level.
        """
        name = str(db) if db is not None else None
        if create:
            from ledger.storage.migrations import upgrade

            database = Database.open(name, must_exist=False)
            upgrade(database)
        else:
            database = Database.open(name)
        return cls(database, actor=actor, threshold=threshold, policy=policy)

    # --- writing -------------------------------------------------------------------------

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

    # --- reading -------------------------------------------------------------------------

    def claims(
        self,
        *,
        article: str | None = None,
        source: str | None = None,
        uncorroborated: bool = False,
        anonymous_only: bool = False,
        contradicted: bool = False,
        include_retracted: bool = False,
    ) -> list[ClaimView]:
        """The editor's query: claims judged by the rules; the criteria combine."""
        from ledger.read.queries import ClaimFilter, claim_views

        criteria = ClaimFilter(
            article=article,
            source=source,
            uncorroborated=uncorroborated,
            anonymous_only=anonymous_only,
            contradicted=contradicted,
            include_retracted=include_retracted,
        )
        with self.database.read() as session:
            return claim_views(session, criteria, threshold=self.threshold)

    def claim(self, ref: str) -> ClaimView:
        """One claim, named `SLUG/KEY`."""
        from ledger.read.queries import claim_view

        with self.database.read() as session:
            return claim_view(session, ref, threshold=self.threshold)

    def check(
        self,
        slug: str | None = None,
        *,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
    ) -> list[Finding]:
        """Standards findings for one article, or the whole ledger when `slug` is None.

        Each finding carries its level under the policy and its waiver, if any;
        publication may go ahead when none is `blocking`.
        """
        wanted = {item.code for item in select_checks(select, ignore)}
        return [found for found in self._report(slug).findings if found.code in wanted]

    def waive(self, code: str, subject: str, reason: str) -> Waiver:
        """Accept today's finding `code` on `subject` (a claim SLUG/KEY or a source key)."""
        from ledger.errors import InvalidInput
        from ledger.report.model import findings_about
        from ledger.write.waivers import check_subject, waive

        with self.database.write(self.actor) as session:
            code = check_subject(session, code, subject)
            found = findings_about(session, subject, threshold=self.threshold, policy=self.policy)
            if not any(item.code == code for item in found):
                raise InvalidInput(f"no finding {code} on {subject} to waive")
            return waive(session, code, subject, reason)

    def unwaive(self, code: str, subject: str) -> Waiver:
        """Withdraw a waiver; returns what it was."""
        from ledger.write.waivers import unwaive

        with self.database.write(self.actor) as session:
            return unwaive(session, code, subject)

    def report(
        self,
        slug: str | None = None,
        *,
        format: str = "md",
        public: bool = False,
        proof: str | Path | None = None,
    ) -> str:
        """The sourcing report of one article (or the ledger) in a format of `ledger report`.

        `proof`: a checkpoint file whose inclusion proof of the article's events
        the report carries (json and html).
        """
        from ledger.audit.checkpoint import read_checkpoint_file
        from ledger.report import render

        note = None
        if proof is not None:
            file = read_checkpoint_file(Path(proof))
            note = (file.name, file.note)
        return render(self._report(slug, public=public, proof=note), format)

    def checkpoint(self, signing_key: str | Path) -> str:
        """A signed checkpoint of the audit trail (what `ledger checkpoint` writes)."""
        from ledger.audit import checkpoint

        signer = checkpoint.load_signing_key(Path(signing_key))
        with self.database.read() as session:
            return checkpoint.sign(checkpoint.current(session), signer)

    def verify(
        self, checkpoints: Sequence[str | Path] = (), verifier_keys: Sequence[str | Path] = ()
    ) -> Any:
        """`ledger verify`: a `Verification` whose `problems` are empty when all is well."""
        from ledger.audit.checkpoint import load_verifier_key, read_checkpoint_file
        from ledger.audit.verification import verify

        keys = [load_verifier_key(Path(path)) for path in verifier_keys]
        files = [read_checkpoint_file(Path(path)) for path in checkpoints]
        return verify(self.database, None, files, keys)

    def export(self, slug: str | None = None, *, format: str = "yaml", public: bool = False) -> str:
        """Bundles that `import_file` reads back into an identical ledger."""
        from ledger.write.bundle import dump
        from ledger.write.export import export_all, export_bundle

        with self.database.read() as session:
            bundles = [export_bundle(session, slug)] if slug else export_all(session)
        if public:
            from ledger.protect.public import public_bundles

            bundles = public_bundles(bundles)
        return dump(bundles, format)

    def _report(
        self, slug: str | None, *, public: bool = False, proof: tuple[str, str] | None = None
    ) -> Any:
        from ledger.report.model import build_report

        with self.database.read() as session:
            return build_report(
                session,
                slug,
                threshold=self.threshold,
                public=public,
                policy=self.policy,
                proof=proof,
            )

    # --- lifetime ------------------------------------------------------------------------

    def close(self) -> None:
        self.database.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
