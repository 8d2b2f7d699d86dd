"""A sourcing report's data, gathered once; every format renders this same value.

Building a report costs a fixed number of queries whatever the article's size:
the article (or the list of articles), the judged claims, and the sources with
their counts. Verdicts come from `ledger.read.scoped.claim_views`, which asks
`ledger.rules`; findings come from `ledger.checks`. Renderers only read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from ledger import checks
from ledger.claimview import ArticleView, ClaimView, SourceView
from ledger.policy import DEFAULT as DEFAULT_POLICY
from ledger.policy import Policy
from ledger.protect.records import clearances
from ledger.read.scoped import ClaimFilter, claim_views, get_article, list_articles
from ledger.read.sourcekeys import probable_duplicates
from ledger.read.sources import SourceSummary, list_sources, sources_by_key
from ledger.read.waivers import waivers
from ledger.storage.reader import reader_of, session_of
from ledger.vocab import ClaimKind, Status

if TYPE_CHECKING:
    from ledger.storage.reader import Readable


@dataclass(frozen=True, slots=True)
class Figures:
    """The summary figures an editor reads first."""

    claims: int
    facts: int
    opinion: int
    corroborated: int
    uncorroborated_facts: int
    anonymous_only: int
    contradicted: int
    unattributed_facts: int
    unnamed_share: float  # anonymous_only / claims, 0 when there is no claim

    @classmethod
    def of(cls, views: Sequence[ClaimView]) -> Figures:
        facts = [view for view in views if view.kind is ClaimKind.FACT]
        anonymous = sum(view.verdict.anonymous_only for view in views)
        return cls(
            claims=len(views),
            facts=len(facts),
            opinion=len(views) - len(facts),
            corroborated=sum(view.verdict.status is Status.CORROBORATED for view in views),
            uncorroborated_facts=sum(view.verdict.uncorroborated for view in views),
            anonymous_only=anonymous,
            contradicted=sum(view.verdict.contradicted for view in views),
            unattributed_facts=sum(view.verdict.status is Status.UNATTRIBUTED for view in facts),
            unnamed_share=anonymous / len(views) if views else 0.0,
        )

    def items(self) -> list[tuple[str, int | float]]:
        """(name, value) in the order reports show them."""
        return [(item.name, getattr(self, item.name)) for item in fields(self)]

    def to_json(self) -> dict[str, int | float]:
        return {name: round(value, 4) for name, value in self.items()}


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One article of the ledger-wide report, with its figures."""

    article: ArticleView
    figures: Figures


@dataclass(frozen=True)
class Report:
    """Everything a sourcing report shows, for one article or (`article` None) the whole ledger.

    `sources` are the sources cited by the report's claims, with their counts
    in that scope; `known_sources` adds those that only lend an origin through
    a corroborating claim of another article, so that they can be named.
    """

    article: ArticleView | None
    figures: Figures
    sources: tuple[SourceSummary, ...]
    claims: tuple[ClaimView, ...]
    findings: tuple[checks.Finding, ...]
    threshold: int
    articles: tuple[ArticleRow, ...] = ()
    known_sources: dict[str, SourceView] | None = None
    proof: dict[str, Any] | None = None  # `ledger.audit.proofs.article_proof`, when asked for

    @property
    def ledger_wide(self) -> bool:
        return self.article is None

    @property
    def title(self) -> str:
        return self.article.title if self.article else "All articles in the ledger"

    def findings_by_check(self) -> list[tuple[checks.Check, list[checks.Finding]]]:
        """Checks that found something, in code order, each with its findings."""
        grouped = [
            (item, [found for found in self.findings if found.code == item.code])
            for item in checks.CHECKS
        ]
        return [(item, found) for item, found in grouped if found]

    def findings_for(self, ref: str) -> list[checks.Finding]:
        return [found for found in self.findings if ref in found.claims]

    def source(self, key: str) -> SourceView | None:
        return (self.known_sources or {}).get(key)


def build_report(
    db: Readable,
    slug: str | None,
    *,
    threshold: int,
    public: bool = False,
    policy: Policy = DEFAULT_POLICY,
    proof: tuple[str, str] | None = None,
) -> Report:
    """The report of one article (`slug`), or of the whole ledger when `slug` is None.

    `public` makes it fit to leave the newsroom (see `ledger.protect.public`): no
    internal notes or waivers, and unnamed sources under per-report pseudonyms.
    `policy` sets each check's level (error, warning, off); editors' waivers are
    attached to the findings they accept. `proof`, (file name, signed checkpoint),
    adds the inclusion proof of the article's events in that checkpoint; it excludes
    `public`: a proof shows the events as recorded, internal notes and the keys of
    unnamed sources included.
    """
    from ledger.errors import InvalidInput

    if proof is not None and (public or slug is None):
        raise InvalidInput(
            "a proof covers one article's events as recorded, internal notes and the keys "
            "of unnamed sources included: it goes in an internal report of one article"
        )
    reader = reader_of(db)  # every question below is asked in this one read
    article = get_article(reader, slug) if slug is not None else None
    views = claim_views(reader, ClaimFilter(article=slug), threshold=threshold)
    summaries = list_sources(reader, article=slug)
    if slug is None:
        summaries = [item for item in summaries if item.originates or item.relays]
    known = {item.source.key: item.source for item in summaries}
    lent = {
        key
        for view in views
        for key in (*view.verdict.independent_origins, *view.verdict.supporting)
    } - known.keys()
    if lent:
        known.update(sources_by_key(reader, lent))
    wanted = {s.speaks_for for s in known.values() if s.speaks_for} - known.keys()
    while wanted:  # the parties cited sources speak for, for the delegation they show
        found = sources_by_key(reader, wanted)
        known.update(found)
        wanted = {s.speaks_for for s in found.values() if s.speaks_for} - known.keys()
    cleared: dict[str, list[tuple[str, str]]] = {}
    for item in clearances(reader, sorted(known)):
        cleared.setdefault(item.source, []).append((item.kind, item.role))
    duplicates: list[tuple[str, str, str]] = []
    judged, shown = known, None
    if public:
        from ledger.protect.public import public_claims_and_sources

        texts = (
            {article.slug: article.text}
            if article is not None
            else {item.article.slug: item.article.text for item in list_articles(reader)}
        )
        made = public_claims_and_sources(views, summaries, known, texts)
        views, summaries, known = made.views, made.summaries, made.known
        judged, shown = made.judged, made.known
        cleared = {made.pseudonym(key): value for key, value in cleared.items()}
    else:  # record keeping, and it would name unnamed sources' keys: not for publication
        among = None if slug is None else sorted(known)
        duplicates = [
            (item.duplicate, item.keep, item.why)
            for item in probable_duplicates(reader, among=among)
        ]
        named = {key for pair in duplicates for key in pair[:2]} - known.keys()
        known.update(sources_by_key(reader, named))
    findings = checks.run_checks(
        checks.Evidence(views, judged, threshold, cleared, duplicates, shown=shown)
    )
    accepted = {}
    if not public:  # waivers are the newsroom's own decisions: not for publication either
        subjects = None
        if slug is not None:
            pairs = [f"{duplicate},{keep}" for duplicate, keep, _why in duplicates]
            subjects = [view.ref for view in views] + sorted(known) + pairs
        accepted = waivers(reader, subjects)
    findings = checks.judge(findings, policy.levels(), accepted)
    rows: tuple[ArticleRow, ...] = ()
    if slug is None:
        by_article: dict[str, list[ClaimView]] = {}
        for view in views:
            by_article.setdefault(view.article, []).append(view)
        rows = tuple(
            ArticleRow(item.article, Figures.of(by_article.get(item.article.slug, [])))
            for item in list_articles(reader)
        )
    proven = None
    if proof is not None:
        from ledger.audit.proofs import article_proof

        assert slug is not None
        proven = article_proof(session_of(db), slug, *proof)
    return Report(
        article=article,
        figures=Figures.of(views),
        sources=tuple(summaries),
        claims=tuple(views),
        findings=tuple(findings),
        threshold=threshold,
        articles=rows,
        known_sources=known,
        proof=proven,
    )


def findings_about(
    db: Readable,
    subject: str,
    *,
    threshold: int,
    policy: Policy = DEFAULT_POLICY,
) -> list[checks.Finding]:
    """Today's findings about one claim (`SLUG/KEY`) or one source (its key), waivers attached.

    A claim is judged within its article, as `ledger check SLUG` judges it; a
    source, among the claims that cite it, which are all its checks look at (the
    pair `DUPLICATE,KEEP` of LS401, among the claims that cite either).
    """
    reader = reader_of(db)
    if "/" in subject:
        report = build_report(reader, subject.partition("/")[0], threshold=threshold, policy=policy)
        return [found for found in report.findings if found.subject == subject]
    named = subject.split(",")  # LS401 names two sources: DUPLICATE,KEEP
    views = list(
        {
            view.ref: view
            for key in named
            for view in claim_views(reader, ClaimFilter(source=key), threshold=threshold)
        }.values()
    )
    keys = {hop.key for view in views for chain in view.chains for hop in chain} | set(named)
    keys |= {key for view in views for key in view.verdict.independent_origins}
    known = {item.source.key: item.source for item in list_sources(reader, keys=sorted(keys))}
    cleared: dict[str, list[tuple[str, str]]] = {}
    for item in clearances(reader, named):
        cleared.setdefault(item.source, []).append((item.kind, item.role))
    duplicates = [
        (item.duplicate, item.keep, item.why) for item in probable_duplicates(reader, among=named)
    ]
    evidence = checks.Evidence(views, known, threshold, cleared, duplicates)
    judged = checks.judge(checks.run_checks(evidence), policy.levels(), waivers(reader, [subject]))
    return [item for item in judged if item.subject == subject and item.subject_kind == "source"]
