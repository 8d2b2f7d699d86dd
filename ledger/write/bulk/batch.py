"""Writing one batch of bundles: every check first, then sources, articles, claims, hops.

The rows and audit states are those `ledger import` writes (`entries.insert_claims`,
`entries.article_change`, ...); here each statement carries the rows of many
articles, and on SQLite the largest go straight to the driver's executemany.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Set
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from ledger.audit import states, trail
from ledger.audit.trail import Change
from ledger.errors import BundleError
from ledger.model import Article, Hop, chain_problem
from ledger.storage.rows import article_values
from ledger.storage.schema import ArticleRow, ClaimRow, HopRow, SourceRow, utcnow
from ledger.write import entries
from ledger.write.bulk.links import link_specs, write_links
from ledger.write.bulk.state import CHUNK, State
from ledger.write.bundle import BundleClaim, LoadedBundle, read_article_text
from ledger.write.sourcedefs import Definition, SourcePlan, plan_sources, write_sources


def write_batch(session: Session, batch: Sequence[LoadedBundle], state: State) -> None:
    """Check, then write, a batch of bundles: sources, articles, claims with hops, links."""
    _check_articles(session, batch, state)
    cited = {
        hop.source if isinstance(hop, Hop) else hop
        for loaded in batch
        for claim in loaded.bundle.claims
        for chain in claim.attributions
        for hop in chain
    }
    defined_on, plan = _write_sources(session, batch, state, cited)
    chains = [[_chains(claim, plan.resolve) for claim in loaded.bundle.claims] for loaded in batch]
    known = entries.source_ids(
        session, {hop.source for bundle in chains for claim in bundle for ch in claim for hop in ch}
    )
    texts = []
    for line, (loaded, claim_chains) in enumerate(zip(batch, chains, strict=True)):
        later = {key for key, first in defined_on.items() if first > line}
        texts.append(_check_claims(loaded, claim_chains, known.keys() - later))
    articles = [
        (loaded, claim_chains, Article.model_validate({**_article_fields(loaded), "text": text}))
        for loaded, claim_chains, text in zip(batch, chains, texts, strict=True)
        if loaded.bundle.article is not None
    ]
    if not articles:
        return
    article_ids = _write_articles(session, [article for _, _, article in articles])
    state.summary.articles += len(articles)
    local = _write_claims(
        session, [(loaded, c, a, article_ids[a.slug]) for loaded, c, a in articles], known
    )
    state.summary.claims += sum(len(loaded.bundle.claims) for loaded, _, _ in articles)
    links = [spec for loaded, _, a in articles for spec in link_specs(loaded, a.slug)]
    state.recent.append(local)
    write_links(session, links, state, final=False, local=state.known_ids())


def _write_articles(session: Session, articles: Sequence[Article]) -> dict[str, int]:
    """Insert the articles with their text versions and events; returns slug -> id."""
    values = [article_values(article) for article in articles]
    table = ArticleRow.__table__
    ids = dict(session.execute(insert(table).returning(table.c.slug, table.c.id), values).all())
    for value in values:
        if value["text_sha256"] is not None:
            entries.record_text_version(session, ids[value["slug"]], value["text_sha256"])  # type: ignore[arg-type]
    trail.record(
        session,
        [entries.article_change("import", article) for article in articles],
    )
    return ids


def _write_claims(
    session: Session,
    articles: Sequence[tuple[LoadedBundle, list[list[list[Hop]]], Article, int]],
    known: dict[str, int],
) -> dict[tuple[str, str], int]:
    """Insert every claim of the batch in one statement, then their hops, then their events.

    The rows and states are those of `entries.insert_claims`, which writes one
    article at a time; here a statement carries the claims of many articles.
    """
    no_anchor = entries.anchor_values(None, None)
    now = utcnow()
    rows = [
        {
            **(entries.anchor_values(claim.quote, article.text) if article.text else no_anchor),
            "created_at": now,
            "article_id": article_id,
            "key": claim.key,
            "text": claim.text,
            "quote": claim.quote,
            "kind": claim.kind.value,
            "cue": claim.cue,
            "notes": claim.notes,
        }
        for loaded, _, article, article_id in articles
        for claim in loaded.bundle.claims
    ]
    if not rows:
        return {}
    insert_rows(session, ClaimRow.__table__, rows)
    # The articles are new to the ledger, so every claim they have is one just written.
    written = select(ClaimRow.article_id, ClaimRow.key, ClaimRow.id).where(
        ClaimRow.article_id.in_(sorted({article_id for *_, article_id in articles}))
    )
    ids = {(article_id, key): claim_id for article_id, key, claim_id in session.execute(written)}
    hop_rows = [
        row
        for loaded, claim_chains, _, article_id in articles
        for claim, chains in zip(loaded.bundle.claims, claim_chains, strict=True)
        for row in entries._hop_rows(ids[article_id, claim.key], chains, known, first_chain=0)
    ]
    insert_rows(session, HopRow.__table__, hop_rows)
    trail.record(
        session,
        [
            Change(
                "import",
                "claim",
                f"{article.slug}/{claim.key}",
                states.claim_state(
                    article=article.slug,
                    key=claim.key,
                    text=claim.text,
                    quote=claim.quote,
                    kind=claim.kind.value,
                    cue=claim.cue,
                    chains=[[(hop.source, hop.cue) for hop in chain] for chain in chains],
                    notes=claim.notes,
                ),
                article.slug,
            )
            for loaded, claim_chains, article, _ in articles
            for claim, chains in zip(loaded.bundle.claims, claim_chains, strict=True)
        ],
    )
    slugs = {article_id: article.slug for _, _, article, article_id in articles}
    return {(slugs[article_id], key): claim for (article_id, key), claim in ids.items()}


class _Hop(NamedTuple):
    """A hop written as a bare key: what `Hop` holds, without validating the key again."""

    source: str
    cue: str | None = None


def _chains(claim: BundleClaim, resolve: Callable[[str], str]) -> list[list[Hop]]:
    """`claim.chains()` with aliases resolved, cheaply: the bundle model has already checked
    every key."""
    return [
        [
            _Hop(resolve(hop.source), hop.cue)  # type: ignore[misc]
            if isinstance(hop, Hop)
            else _Hop(resolve(hop))  # type: ignore[misc]
            for hop in chain
        ]
        for chain in claim.attributions
    ]


def _article_fields(loaded: LoadedBundle) -> dict[str, object]:
    assert loaded.bundle.article is not None
    return loaded.bundle.article.model_dump(exclude={"text_file", "text"})


def _check_articles(session: Session, batch: Sequence[LoadedBundle], state: State) -> None:
    """Every article is new: to the file, and to the ledger."""
    slugs = {}
    for loaded in batch:
        article = loaded.bundle.article
        if article is None:
            continue
        if article.slug in state.slugs or article.slug in slugs:
            raise BundleError(
                f"{loaded.where('article.slug')}: article {article.slug!r} appears twice in the file"
            )
        slugs[article.slug] = loaded
    state.slugs |= slugs.keys()
    wanted = sorted(slugs)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for slug in session.scalars(select(ArticleRow.slug).where(ArticleRow.slug.in_(chunk))):
            raise BundleError(
                f"{slugs[slug].where('article.slug')}: article {slug!r} is already in the ledger "
                "(a streaming import does not replace articles: use `ledger import --replace`)"
            )


def _write_sources(
    session: Session, batch: Sequence[LoadedBundle], state: State, cited: set[str]
) -> tuple[dict[str, int], SourcePlan]:
    """Insert the sources the batch defines that are new (checked by `plan_sources`).

    Returns, for each new source, the batch position of the line that first defines
    it (a line may cite a source defined on that line or before, never after), and
    the plan, whose `resolve` turns aliases in chains into the sources kept.
    """
    definitions = []
    for loaded in batch:
        seen: set[str] = set()
        for index, source in enumerate(loaded.bundle.sources):
            if source.key in seen:
                raise BundleError(
                    f"{loaded.where(f'sources[{index}].key')}: duplicate source key {source.key!r}"
                )
            seen.add(source.key)
            definitions.append(Definition(loaded, index, source))
    plan = plan_sources(session, definitions, cited=cited)
    new_keys = {source.key for source in plan.new}
    defined_on: dict[str, int] = {}
    for line, loaded in enumerate(batch):
        for source in loaded.bundle.sources:
            if source.key in new_keys:
                defined_on.setdefault(source.key, line)
    now = utcnow()
    state.summary.new_sources += write_sources(
        session,
        plan,
        insert_rows=lambda rows: insert_rows(
            session, SourceRow.__table__, [{**row, "created_at": now} for row in rows]
        ),
    )
    return defined_on, plan


def _check_claims(
    loaded: LoadedBundle, chains: list[list[list[Hop]]], known: Set[str]
) -> str | None:
    """Claim keys unique, every cited source known, every quote in the text; returns the text."""
    text = read_article_text(loaded)
    seen: set[str] = set()
    where = loaded.where
    for index, claim in enumerate(loaded.bundle.claims):
        if claim.key in seen:
            raise BundleError(f"{where(f'claims[{index}].key')}: duplicate claim key {claim.key!r}")
        seen.add(claim.key)
        for chain_no, chain in enumerate(chains[index]):
            for position, hop in enumerate(chain):
                if hop.source not in known:
                    place = f"claims[{index}].attributions[{chain_no}][{position}]"
                    raise BundleError(f"{where(place)}: unknown source {hop.source!r}")
            if problem := chain_problem([hop.source for hop in chain]):
                place = f"claims[{index}].attributions[{chain_no}]"
                raise BundleError(f"{where(place)}: {problem}, once by an alias")
        if (
            claim.quote
            and text is not None
            and (problem := entries.quote_problem(claim.quote, text))
        ):
            raise BundleError(f"{where(f'claims[{index}].quote')}: {problem}")
    return text


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows (each with the same columns) as one executemany.

    On SQLite the rows go straight to the driver's executemany, each value
    converted by its column type's own bind processor (dates to text, as
    SQLAlchemy stores them): SQLAlchemy's per-row parameter handling costs a few
    microseconds a row, and a million claims bring millions of rows. On
    PostgreSQL SQLAlchemy's multi-row INSERT is the faster path, so it is used.
    """
    if not rows:
        return
    dialect = session.get_bind().dialect
    if dialect.name != "sqlite":
        session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    processors = [
        (index, processor)
        for index, name in enumerate(columns)
        if (processor := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
    ]
    pick = itemgetter(*columns)
    values = [list(pick(row)) for row in rows]
    for row in values:
        for index, processor in processors:
            row[index] = processor(row[index])
    session.connection().exec_driver_sql(sql, [tuple(row) for row in values])
