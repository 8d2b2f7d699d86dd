"""Standards: checks and waivers, sourcing reports, exports, checkpoints and verification."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ledger.api.base import LedgerBase

if TYPE_CHECKING:
    from ledger.audit.checkpoint import Checkpoint
    from ledger.audit.verification import Verification
    from ledger.checks import Finding, Waiver
    from ledger.report.model import Report
    from ledger.storage.reader import Readable
    from ledger.write.bundle import Bundle


class Standards(LedgerBase):
    """What an editor asks before publication, and what leaves the newsroom."""

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
        from ledger.checks import select_checks

        if slug is None:
            return list(self.iter_findings(select=select, ignore=ignore))
        wanted = {item.code for item in select_checks(select, ignore)}
        return [found for found in self.report_model(slug).findings if found.code in wanted]

    def iter_findings(
        self,
        *,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
    ) -> Iterator[Finding]:
        """`check()` of the whole ledger as it is found, check by check, in bounded memory.

        The read transaction lasts as long as the iteration: consume it promptly.
        """
        from ledger.checks import select_checks
        from ledger.report.wide import WideReport

        chosen = select_checks(select, ignore)
        with self.reading() as reader:
            report = WideReport(reader, self.threshold, self.policy)
            for found in report.findings(chosen):
                yield found.finding

    def waive(self, code: str, subject: str, reason: str) -> Waiver:
        """Accept today's finding `code` on `subject` (a claim SLUG/KEY or a source key)."""
        from ledger.errors import InvalidInput
        from ledger.report.model import findings_about
        from ledger.write.waivers import check_subject, waive

        with self.database.write(self.actor) as session:
            code = check_subject(session, code, subject)
            found = findings_about(session, subject, threshold=self.threshold, policy=self.policy)
            if not any(item.code == code for item in found):
                raise InvalidInput(
                    f"no finding {code} on {subject} to waive: the checks do not find it "
                    "(fixed already, or off in the policy)"
                )
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
        return "".join(self.report_chunks(slug, format=format, public=public, proof=proof))

    def report_chunks(
        self,
        slug: str | None = None,
        *,
        format: str = "md",
        public: bool = False,
        proof: str | Path | tuple[str, str] | None = None,
    ) -> Iterator[str]:
        """`report` as it is written. The internal report of the whole ledger in md, html,
        json or csv is read and written a part at a time, in bounded memory; the others are
        built whole first. `proof` may also be (file name, signed note), already read.
        """
        from ledger.report import STREAMED, render, render_wide

        if slug is None and not public and proof is None and format in STREAMED:
            from ledger.report.wide import WideReport

            with self.reading() as reader:
                yield from render_wide(WideReport(reader, self.threshold, self.policy), format)
            return
        note = proof if isinstance(proof, tuple) else None
        if proof is not None and not isinstance(proof, tuple):
            from ledger.audit.checkpoint import read_checkpoint_file

            file = read_checkpoint_file(Path(proof))
            note = (file.name, file.note)
        yield render(self.report_model(slug, public=public, proof=note), format)

    def recount_tallies(self) -> None:
        """Derive again what the ledger keeps beside its records: the claim tallies behind the
        ledger-wide figures, from the claims, and the label signatures, from the labels."""
        from ledger.read import label_signatures, tallies

        with self.database.write(self.actor) as session:
            tallies.rebuild(session)
            label_signatures.rebuild(session)

    def checkpoint(self, signing_key: str | Path) -> str:
        """A signed checkpoint of the audit trail (what `ledger checkpoint` writes)."""
        from ledger.audit import checkpoint

        signer = checkpoint.load_signing_key(Path(signing_key))
        with self.database.read() as session:
            return checkpoint.sign(checkpoint.current(session), signer)

    def verify(
        self,
        checkpoints: Sequence[str | Path] = (),
        verifier_keys: Sequence[str | Path] = (),
        *,
        jobs: int | None = None,
    ) -> Verification:
        """`ledger verify`: a `Verification` whose `problems` are empty when all is well.

        `checkpoints` are signed checkpoint files, each to be signed with one of
        `verifier_keys`; `jobs` are worker processes (default: one per core for a large ledger).
        """
        from ledger.audit.checkpoint import load_verifier_key, read_checkpoint_file
        from ledger.audit.verification import verify

        keys = [load_verifier_key(Path(path)) for path in verifier_keys]
        files = [read_checkpoint_file(Path(path)) for path in checkpoints]
        return verify(self.database, jobs, files, keys)

    def tree_head(self) -> Checkpoint:
        """The audit trail's Merkle tree head now: what a checkpoint signs."""
        from ledger.audit import checkpoint

        with self.database.read() as session:
            return checkpoint.current(session)

    def export(self, slug: str | None = None, *, format: str = "yaml", public: bool = False) -> str:
        """Bundles that `import_file` reads back into an identical ledger."""
        return "".join(self.export_chunks(slug, format=format, public=public))

    def export_chunks(
        self, slug: str | None = None, *, format: str = "yaml", public: bool = False
    ) -> Iterator[str]:
        """`export` as it is written, an article at a time: the whole ledger in flat memory."""
        from ledger.write.bundle import dump_chunks

        return dump_chunks(self.iter_bundles(slug, public=public), format)

    def iter_bundles(self, slug: str | None = None, *, public: bool = False) -> Iterator[Bundle]:
        """The bundles `export` writes, one article at a time (all articles when `slug` is None).

        The read transaction lasts as long as the iteration: consume it promptly.
        """
        from ledger.write.export import export_bundle, iter_bundles

        with self.database.read() as session:
            bundles = iter([export_bundle(session, slug)]) if slug else iter_bundles(session)
            if public:
                from ledger.protect.public import public_bundle_stream

                bundles = public_bundle_stream(bundles)
            yield from bundles

    def report_model(
        self, slug: str | None, *, public: bool = False, proof: tuple[str, str] | None = None
    ) -> Report:
        """The sourcing report as values (figures, claims, findings), before any format."""
        from ledger.report.model import build_report

        def build(db: Readable) -> Report:
            return build_report(
                db, slug, threshold=self.threshold, public=public, policy=self.policy, proof=proof
            )

        if proof is not None:  # the proof is read through the ORM's Merkle tree
            from ledger.storage.session_reader import SessionReader

            with self.database.read() as session:
                return build(SessionReader(session))
        with self.reading() as reader:
            return build(reader)
