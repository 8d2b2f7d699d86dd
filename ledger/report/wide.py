"""The ledger-wide report and checks, as streams: what `build_report(session, None)` says,
in bounded memory, whatever the ledger's size.

`build_report` holds every claim, source and finding of the ledger at once,
which a newsroom ledger of a million claims cannot afford. `WideReport` gives
the same parts one at a time: the figures counted in SQL, the articles and
sources a batch at a time, the claims a few articles at a time, and the
findings check by check, in `run_checks` order: a claim check sees only the
claims it can find something about (`ledger.read.wide.CLAIM_CANDIDATES`), each
chunk judged with the sources it names; a source check sees a batch of sources
at a time with the claims that use them (`ledger.read.wide.source_uses`).
Nothing is judged differently: the checks are `ledger.checks`'s own functions
and tests/test_wide.py holds every part equal to `build_report`'s.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import IO, TYPE_CHECKING, Any

from ledger import checks
from ledger.policy import DEFAULT as DEFAULT_POLICY
from ledger.policy import Policy
from ledger.protect.records import clearances
from ledger.read import queries, tallies, wide
from ledger.read.sourcekeys import LabelIndex, probable_duplicates
from ledger.read.sources import SourceSummary
from ledger.read.waivers import waivers
from ledger.report.model import ArticleRow, Figures

if TYPE_CHECKING:
    from ledger.storage.reader import Readable

Pair = tuple[str, str, str]  # (duplicate, keep, why)


def figures_of(counts: Sequence[int]) -> Figures:
    """`Figures` from the counts of `ledger.read.wide.FIGURE_NAMES`, as `Figures.of` gives them."""
    claims, facts, corroborated, uncorroborated, anonymous, contradicted, unattributed = counts
    return Figures(
        claims=claims,
        facts=facts,
        opinion=claims - facts,
        corroborated=corroborated,
        uncorroborated_facts=uncorroborated,
        anonymous_only=anonymous,
        contradicted=contradicted,
        unattributed_facts=unattributed,
        unnamed_share=anonymous / claims if claims else 0.0,
    )


@dataclass(frozen=True, slots=True)
class Found:
    """A judged finding, with the text of its claim when it is about one (the ledger-wide
    Markdown and HTML quote it under the finding)."""

    finding: checks.Finding
    text: str = ""


@dataclass
class WideReport:
    """The report of the whole ledger, read from `db` part by part, on demand.

    The reader (or session) must stay open while the parts are read; each part may be
    read more than once (it is read again from the database).
    """

    db: Readable
    threshold: int
    policy: Policy = DEFAULT_POLICY
    _counts: dict[int, tuple[int, ...]] | None = field(default=None, repr=False)
    pairs: list[Pair] | None = field(default=None, repr=False)
    """The probable duplicates, when already known."""
    index: LabelIndex | None = field(default=None, repr=False)
    """The ledger's sources read for pairing, when already read (the desk keeps it while the
    ledger does not change)."""

    title = "All articles in the ledger"
    article = None
    ledger_wide = True

    # --- figures and articles, counted in SQL --------------------------------------------------

    @property
    def counts(self) -> dict[int, tuple[int, ...]]:
        if self._counts is None:
            self._counts = tallies.figure_counts(self.db, self.threshold)
        return self._counts

    @cached_property
    def figures(self) -> Figures:
        totals = [sum(column) for column in zip(*self.counts.values(), strict=True)]
        return figures_of(totals or [0] * len(wide.FIGURE_NAMES))

    def articles(self) -> Iterator[ArticleRow]:
        """Every article in slug order with its figures (without its text, which no
        ledger-wide format shows)."""
        empty = (0,) * len(wide.FIGURE_NAMES)
        for article_id, article in wide.iter_articles(self.db):
            yield ArticleRow(article, figures_of(self.counts.get(article_id, empty)))

    # --- sources and claims, a batch at a time -------------------------------------------------

    def sources(self) -> Iterator[SourceSummary]:
        """The sources some chain cites, with their counts, in key order."""
        return wide.iter_cited_sources(self.db)

    def claim_chunks(self, code: str | None = None) -> Iterator[list[queries.ClaimView]]:
        return wide.claim_chunks(self.db, code, self.threshold)

    def claims(self) -> Iterator[queries.ClaimView]:
        """Every live claim, judged, in ledger order (article slug, then entry)."""
        for chunk in self.claim_chunks():
            yield from chunk

    # --- findings ------------------------------------------------------------------------------

    @cached_property
    def levels(self) -> dict[str, str]:
        return self.policy.levels()

    @cached_property
    def waivers(self) -> dict[tuple[str, str], checks.Waiver]:
        return waivers(self.db)

    @property
    def duplicates(self) -> list[Pair]:
        """Probable duplicate sources across the ledger, as `build_report` lists them."""
        self.pair_every_source()
        assert self.pairs is not None
        return self.pairs

    def pair_every_source(self) -> None:
        """Work out the ledger-wide probable duplicates now, before every chunk asks."""
        if self.pairs is None:
            found = probable_duplicates(self.db, index=self.index)
            self.pairs = [(item.duplicate, item.keep, item.why) for item in found]

    def _pairs_among(self, keys: set[str]) -> list[Pair]:
        """The probable duplicates involving `keys`: from the ledger-wide list when it is
        known, else asked for these sources alone (one page of the desk need not pair
        every source of a million-claim ledger)."""
        if self.pairs is None:
            found = probable_duplicates(self.db, among=sorted(keys), index=self.index)
            return [(item.duplicate, item.keep, item.why) for item in found]
        return [pair for pair in self.pairs if pair[0] in keys or pair[1] in keys]

    def running(self, chosen: Sequence[checks.Check] | None = None) -> list[checks.Check]:
        """The checks to run: those chosen (default: all) that the policy does not turn off."""
        return [
            item
            for item in (checks.CHECKS if chosen is None else chosen)
            if self.levels.get(item.code, "error") != "off"
        ]

    def findings(self, chosen: Sequence[checks.Check] | None = None) -> Iterator[Found]:
        """Every finding of the chosen checks, judged, in `run_checks` order."""
        for item in self.running(chosen):
            yield from self.findings_of(item)

    def findings_of(self, item: checks.Check) -> Iterator[Found]:
        """One check's findings over the whole ledger, in the order it gives them."""
        if item.about == "claim":
            for chunk in self.claim_chunks(item.code):
                texts = {view.ref: view.text for view in chunk}
                sources = wide.claim_sources(self.db, chunk)
                evidence = checks.Evidence(chunk, sources, self.threshold)
                for found in self._judge(item.run(evidence)):
                    yield Found(found, texts.get(found.subject, ""))
        elif item.code == "LS401":
            for pairs in wide.batches(self.duplicates, 200):
                keys = sorted({key for pair in pairs for key in pair[:2]})
                evidence = checks.Evidence(
                    (),
                    wide.sources_with_parties(self.db, keys),
                    self.threshold,
                    duplicates=pairs,
                    given=wide.source_uses(self.db, keys),
                )
                yield from (Found(found) for found in self._judge(item.run(evidence)))
        else:
            for keys in wide.batches(wide.candidate_sources(self.db, item.code)):
                uses = wide.source_uses(self.db, keys)
                named = set(uses.cited) | set(uses.own_unnamed) | set(uses.granted)
                if not named:
                    continue
                evidence = checks.Evidence(
                    (),
                    wide.sources_with_parties(self.db, named),
                    self.threshold,
                    self._clearances(named),
                    given=uses,
                )
                yield from (Found(found) for found in self._judge(item.run(evidence)))

    def _judge(self, findings: Iterator[checks.Finding]) -> list[checks.Finding]:
        return checks.judge(findings, self.levels, self.waivers)

    def _clearances(self, keys: Sequence[str] | set[str]) -> dict[str, list[tuple[str, str]]]:
        cleared: dict[str, list[tuple[str, str]]] = {}
        for item in clearances(self.db, sorted(keys)):
            cleared.setdefault(item.source, []).append((item.kind, item.role))
        return cleared

    def chunk_findings(self, chunk: Sequence[queries.ClaimView]) -> list[checks.Finding]:
        """The judged findings that concern these claims, as the whole ledger's do.

        Claim findings are the ledger's own; a source finding is here with these
        claims among its `claims` whenever the ledger-wide one names them (its
        counts and other claims are those of this chunk only): what a claim's row
        needs to say which checks found something about it.
        """
        sources = wide.claim_sources(self.db, chunk)
        keys = {hop.key for view in chunk for chain in view.chains for hop in chain}
        pairs = self._pairs_among(keys)
        evidence = checks.Evidence(chunk, sources, self.threshold, self._clearances(keys), pairs)
        chosen = self.running()
        return self._judge(iter(checks.run_checks(evidence, chosen)))


def codes_for(findings: Sequence[checks.Finding], ref: str) -> list[str]:
    """The codes of the findings about claim `ref`, in code order, once each."""
    return list(dict.fromkeys(found.code for found in findings if ref in found.claims))


class Spool:
    """Items written to a temporary file and read back in order: a group's count is known
    before its items are written out, in little memory."""

    def __init__(self) -> None:
        self.file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (read back later)
        self.count = 0

    def add(self, item: Any) -> None:
        pickle.dump(item, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def __iter__(self) -> Iterator[Any]:
        self.file.seek(0)
        for _ in range(self.count):
            yield pickle.load(self.file)
        self.file.close()


def grouped_findings(
    report: WideReport, chosen: Sequence[checks.Check] | None = None
) -> Iterator[tuple[checks.Check, Spool]]:
    """(check, its findings spooled) for each check that found something, in code order."""
    for item in report.running(chosen):
        spool = Spool()
        for found in report.findings_of(item):
            spool.add(found)
        if spool.count:
            yield item, spool
        else:
            spool.file.close()
