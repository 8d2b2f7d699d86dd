"""The import pipeline: a batch of bundles checked against the ledger, then written.

Both importers go through here. `ledger import` hands over one file's bundles
(checked first without the database: `ledger.write.checked`), with `replace`
or `merge` for articles the ledger holds; the JSON Lines importer hands over
a batch of lines at a time, every article new. A batch is checked whole
(`check_against_ledger`: reads only, so it can run before the write lock is
taken, and again inside the write), then written whole (`write_batch`): its
sources, articles, claims and hops each in one statement, then its links and
waivers. A bundle may cite or speak for a source that the same or an earlier
bundle of the batch defines, never a later one; a link may name any claim of
the batch, and (streaming) a claim of a later batch.

The audit events come bundle by bundle (its sources, its article, its claims),
then the batch's links and waivers, as they did when each bundle was written
on its own.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, aliased

from ledger.audit import states, trail
from ledger.audit.trail import Change
from ledger.errors import BundleError
from ledger.model import Article, Hop, chain_problem
from ledger.storage.rows import article_values
from ledger.storage.schema import ArticleRow, ClaimRow, LinkRow
from ledger.wording import excerpt
from ledger.write.bundle import BundleClaim
from ledger.write.changes import (
    ArticleChanges,
    Prepared,
    check_waivers,
    merger,
    replacement,
    same_text,
)
from ledger.write.checked import Checked
from ledger.write.entries import (
    ClaimEntry,
    HopPair,
    anchor_values,
    article_change,
    claim_change,
    quote_problem,
    record_text_version,
    source_ids,
    write_claims,
)
from ledger.write.links import PendingLink, article_ids, link_specs, write_links
from ledger.write.shapes import shape_new_claims
from ledger.write.sourcedefs import Definition, SourcePlan, plan_sources, write_sources
from ledger.write.waivers import IMPORT_ACTIONS, write_waivers

NO_ANCHOR = anchor_values(None, None)


class ArticleInLedger(BundleError):
    """A bundle's article is in the ledger already, and the import neither replaces nor merges."""

    def __init__(self, place: str, slug: str) -> None:
        self.place, self.slug = place, slug
        super().__init__(
            f"{place}: article {excerpt(slug)} is already in the ledger: "
            "an import may replace it or merge into it"
        )


@dataclass
class ImportSummary:
    """What an import wrote (or, rehearsed, would write), for the confirmation line."""

    articles: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    new_sources: int = 0
    claims: int = 0
    links: int = 0
    waivers: int = 0
    changes: list[ArticleChanges] = field(default_factory=list)
    new_source_keys: list[str] = field(default_factory=list)

    @property
    def loses(self) -> bool:
        return any(item.loses for item in self.changes)


@dataclass
class Batch:
    """Bundles checked against the ledger, ready to write."""

    items: list[Prepared]
    plan: SourcePlan
    in_ledger: dict[str, int]  # key -> id of the cited sources the ledger held when checked


# --- checking -----------------------------------------------------------------------------------


def check_against_ledger(
    session: Session,
    checked: Sequence[Checked],
    *,
    replace: bool = False,
    merge: bool = False,
    with_waivers: bool = True,
) -> Batch:
    """Every check of the batch that asks the ledger; reads only, so any session will do.

    Without `with_waivers` the bundles' waivers are left for the caller to check
    (a streaming import checks them at the end, once every line is in).
    """
    if replace and merge:
        raise BundleError("an import either replaces articles or merges into them, not both")
    slugs = [item.loaded.bundle.article.slug for item in checked if item.loaded.bundle.article]
    existing = article_ids(session, slugs)
    modes = []
    for item in checked:
        article = item.loaded.bundle.article
        mode = "new"
        if article is not None and article.slug in existing:
            if not (replace or merge):
                raise ArticleInLedger(item.loaded.where("article.slug"), article.slug)
            mode = "replace" if replace else "merge"
        modes.append(mode)
    cited = {
        hop.source if isinstance(hop, Hop) else hop
        for item in checked
        for claim in item.loaded.bundle.claims
        for chain in claim.attributions
        for hop in chain
    }
    definitions = [
        Definition(item.loaded, index, source, line)
        for line, item in enumerate(checked)
        for index, source in enumerate(item.loaded.bundle.sources)
    ]
    plan = plan_sources(session, definitions, cited=cited)
    batch = Batch([], plan, source_ids(session, {plan.resolve(key) for key in cited}))
    defined: set[str] = set()  # the keys the batch defines up to this bundle
    for line, (item, mode) in enumerate(zip(checked, modes, strict=True)):
        article = item.loaded.bundle.article
        found = existing.get(article.slug) if article is not None else None
        batch.items.append(_check_bundle(session, item, batch, line, mode, found))
        defined |= {source.key for source in item.loaded.bundle.sources}
        if with_waivers:
            batch.items[-1].waivers = check_waivers(session, item.loaded, defined)
        if mode == "replace":
            batch.items[-1].changes = replacement(session, batch.items[-1])
        elif mode == "merge":
            batch.items[-1].changes = merger(session, batch.items[-1])
    return batch


def _check_bundle(
    session: Session, checked: Checked, batch: Batch, line: int, mode: str, existing: int | None
) -> Prepared:
    """Every cited source known by this bundle's line, every chain sound; for a merge, the
    text the ledger's and the quotes in it."""
    loaded = checked.loaded
    where = loaded.where
    text = checked.text
    unchecked_quotes = False
    if mode == "merge":  # the ledger's text stays; quotes are checked against it
        stored = session.execute(
            select(ArticleRow.text, ArticleRow.text_sha256).where(ArticleRow.id == existing)
        ).one()
        same_text(loaded, text, stored.text_sha256)
        unchecked_quotes = text is None  # the bundle gave no text: its quotes meet the ledger's
        text = stored.text
    if checked.quote_fault is not None:
        raise BundleError(checked.quote_fault)
    plan, claims = batch.plan, loaded.bundle.claims
    chains = [_chains(claim, plan) for claim in claims]
    cited = {hop.source for resolved in chains for hops in resolved for hop in hops}
    unknown = {  # neither in the ledger nor defined by this bundle or an earlier one
        key
        for key in cited
        if key not in batch.in_ledger and plan.defined_on.get(key, line + 1) > line
    }
    if not unknown and not plan.merged_into and not unchecked_quotes:
        # The bundle model has checked each chain as written; an alias changes nothing here.
        return Prepared(loaded, text, plan, existing, mode, anchors=checked.anchors, chains=chains)
    for index, (claim, resolved) in enumerate(zip(claims, chains, strict=True)):
        for chain_no, hops in enumerate(resolved):
            for position, hop in enumerate(hops):
                if hop.source in unknown:
                    place = f"claims[{index}].attributions[{chain_no}][{position}]"
                    given = claim.attributions[chain_no][position]
                    key = given.source if isinstance(given, Hop) else given
                    raise BundleError(f"{where(place)}: unknown source {excerpt(key)}")
            if problem := chain_problem([hop.source for hop in hops]):
                place = f"claims[{index}].attributions[{chain_no}]"
                raise BundleError(f"{where(place)}: {problem}, once by an alias")
        if (
            unchecked_quotes
            and claim.quote
            and text is not None
            and (problem := quote_problem(claim.quote, text))
        ):
            raise BundleError(f"{where(f'claims[{index}].quote')}: {problem}")
    return Prepared(loaded, text, plan, existing, mode, anchors=checked.anchors, chains=chains)


def _chains(claim: BundleClaim, plan: SourcePlan) -> list[list[HopPair]]:
    """`claim.chains()` with aliases resolved, cheaply: the bundle model has checked every key."""
    merged = plan.merged_into.get  # `plan.resolve`, without a call of its own for each hop
    return [
        [
            HopPair(merged(hop.source, hop.source), hop.cue)
            if isinstance(hop, Hop)
            else HopPair(merged(hop, hop))
            for hop in chain
        ]
        for chain in claim.attributions
    ]


# --- writing ------------------------------------------------------------------------------------


@dataclass
class Written:
    """What a batch wrote: the summary, its claims' ids, the links still waiting for a claim;
    and the summary of each part (`write_batch`)."""

    summary: ImportSummary
    claims: dict[tuple[str, str], int]
    pending: list[PendingLink]
    parts: list[ImportSummary] = field(default_factory=list)


def write_batch(
    session: Session,
    batch: Batch,
    *,
    known_claims: Mapping[tuple[str, str], int] | None = None,
    final: bool = True,
    parts: Sequence[int] = (0,),
) -> Written:
    """Write a checked batch: sources, articles, claims with hops, then links and waivers.

    `known_claims` holds (slug, key) -> id of claims written earlier (a streaming
    import's recent batches). Unless `final`, a link naming a claim not yet in
    the ledger is returned as pending, for a later batch to write.

    `parts` are the lines at which the files of a batch begin (the first at 0), when
    it holds several (`ledger.write.importer.import_group`): each file's events are then
    its bundles' and then its links', as if it had been written alone after the file
    before it, and `Written.parts` says what each file wrote. A batch of several files
    carries no waivers (their events come last: `import_group` writes no such batch).
    """
    if len(parts) > 1 and any(item.waivers for item in batch.items):
        raise ValueError("a batch of several files is written only when none has waivers")
    summary = ImportSummary()
    part_of = [bisect_right(parts, line) - 1 for line in range(len(batch.items))]
    shares = [ImportSummary() for _ in parts]
    events: list[list[Change]] = [[] for _ in batch.items]
    for line, change in write_sources(session, batch.plan):
        events[line].append(change)
    summary.new_sources += len(batch.plan.new)
    summary.new_source_keys.extend(source.key for source in batch.plan.new)
    for source in batch.plan.new:
        share = shares[part_of[batch.plan.defined_on[source.key]]]
        share.new_sources += 1
        share.new_source_keys.append(source.key)
    article_ids, incoming = _write_articles(session, batch.items, events)
    new_keys = {source.key for source in batch.plan.new}
    hop_ids = {**batch.in_ledger, **source_ids(session, new_keys)} if new_keys else batch.in_ledger
    entries = []
    for line, item in enumerate(batch.items):
        article_id = article_ids.get(line)
        if article_id is None:
            continue
        slug, action, found = item.slug, IMPORT_ACTIONS[item.mode], item.anchors
        for claim, chains in zip(item.loaded.bundle.claims, item.chains, strict=True):
            if claim.key in item.skip_claims:
                continue
            anchor = found.get(claim.key) or (
                anchor_values(claim.quote, item.text) if claim.quote and item.text else NO_ANCHOR
            )
            entries.append(ClaimEntry(article_id, claim, chains, anchor))
            events[line].append(claim_change(action, slug, claim, chains))
            shares[part_of[line]].claims += 1
    ids = write_claims(session, entries, hop_ids)
    summary.claims += len(entries)
    if incoming:
        session.execute(
            insert(LinkRow),
            [
                {"from_claim_id": from_id, "relation": relation, "to_claim_id": ids[article, key]}
                for from_id, relation, article, key in incoming
            ],
        )
    slugs = {
        article_ids[line]: item.slug for line, item in enumerate(batch.items) if line in article_ids
    }
    claims = {(slugs[article], key): claim for (article, key), claim in ids.items()}
    local = {**known_claims, **claims} if known_claims else claims
    specs, line_of = [], {}
    for line, item in enumerate(batch.items):
        line_of[id(item.loaded)] = line
        specs += link_specs(item.loaded, _link_action(item))
    fresh = {ids[entry.article_id, entry.claim.key] for entry in entries}
    link_events: list[tuple[PendingLink, Change]] = []
    links, pending = write_links(
        session, specs, local, final=final, fresh=fresh, events=link_events
    )
    # The batch's events in one append, file by file: its bundles' (sources, article,
    # claims), then its links.
    part_links: list[list[Change]] = [[] for _ in parts]
    for spec, change in link_events:
        part_links[part_of[line_of[id(spec.loaded)]]].append(change)
    by_part: list[list[Change]] = [[] for _ in parts]
    for line, changes in enumerate(events):
        by_part[part_of[line]] += changes
    trail.record(
        session,
        [
            change
            for own, linked in zip(by_part, part_links, strict=True)
            for change in (*own, *linked)
        ],
    )
    shape_new_claims(
        session,
        entries,
        ids,
        {
            article_ids[line]: item.slug
            for line, item in enumerate(batch.items)
            if item.mode == "new" and line in article_ids
        },
        [
            (local.get(spec.ends[0]), spec.relation, local.get(spec.ends[1]))
            for spec, _change in link_events
        ],
    )
    summary.links += links
    for share, linked in zip(shares, part_links, strict=True):
        share.links += len(linked)
    summary.waivers += write_waivers(
        session, [(item.loaded, item.mode, item.waivers) for item in batch.items if item.waivers]
    )
    for line, item in enumerate(batch.items):
        share = shares[part_of[line]]
        if item.mode == "new" and line in article_ids:
            summary.articles.append(item.slug)
            share.articles.append(item.slug)
        elif item.mode != "new":
            (summary.replaced if item.mode == "replace" else summary.merged).append(item.slug)
            (share.replaced if item.mode == "replace" else share.merged).append(item.slug)
        if item.changes is not None:
            summary.changes.append(item.changes)
            share.changes.append(item.changes)
    if len(parts) == 1:
        shares = [summary]
    return Written(summary, claims, pending, shares)


def _link_action(item: Prepared) -> str:
    return "import.merge" if item.mode == "merge" else "import"


def _write_articles(
    session: Session, items: Sequence[Prepared], events: list[list[Change]]
) -> tuple[dict[int, int], list[tuple[int, str, int, str]]]:
    """Insert the new articles in one statement, update those replaced (their claims
    cleared); returns line -> article id, and the links into replaced articles to re-make
    (from claim id, relation, article id, key)."""
    new = [
        (line, _article(item))
        for line, item in enumerate(items)
        if item.mode == "new" and item.slug
    ]
    ids: dict[int, int] = {}
    if new:
        values = [article_values(article) for _line, article in new]
        table = ArticleRow.__table__
        returned = session.execute(insert(table).returning(table.c.slug, table.c.id), values)
        by_slug = {slug: id_ for slug, id_ in returned}
        for (line, article), value in zip(new, values, strict=True):
            ids[line] = by_slug[article.slug]
            record_text_version(session, ids[line], value["text_sha256"])  # type: ignore[arg-type]
            events[line].append(article_change("import", article))
    incoming: list[tuple[int, str, int, str]] = []
    for line, item in enumerate(items):
        if item.existing_article is None:
            continue
        ids[line] = item.existing_article
        if item.mode != "replace":
            continue
        article = _article(item)
        incoming += _clear_article(session, item, events[line])
        values = article_values(article)
        session.execute(update(ArticleRow).where(ArticleRow.id == ids[line]).values(values))
        record_text_version(session, ids[line], values["text_sha256"])
        events[line].append(article_change("import.replace", article))
    return ids, incoming


def _article(item: Prepared) -> Article:
    article = item.loaded.bundle.article
    assert article is not None
    return Article.model_validate(
        {**article.model_dump(exclude={"text_file", "text"}), "text": item.text}
    )


def _clear_article(
    session: Session, item: Prepared, events: list[Change]
) -> list[tuple[int, str, int, str]]:
    """Remove an article's claims before --replace re-enters them.

    Links from other articles to this one survive the replacement: they are
    returned as (from claim id, relation, article id, target key) to be re-made once
    the claims are back. A claim that another article links to must therefore keep
    its key in the new bundle, or that link would be lost without anyone deciding so.
    """
    loaded, article = item.loaded, item.existing_article
    target, origin = aliased(ClaimRow), aliased(ClaimRow)
    incoming = session.execute(
        select(LinkRow.from_claim_id, LinkRow.relation, target.key, ArticleRow.slug)
        .join(target, LinkRow.to_claim_id == target.id)
        .join(origin, LinkRow.from_claim_id == origin.id)
        .join(ArticleRow, ArticleRow.id == origin.article_id)
        .where(target.article_id == article, origin.article_id != article)
    ).all()
    keep = {claim.key for claim in loaded.bundle.claims}
    for _from_id, _relation, key, other_slug in incoming:
        if key not in keep:
            raise BundleError(
                f"{loaded.where('claims')}: claim {excerpt(key)} is linked from article {excerpt(other_slug)}; "
                "keep it in the bundle or remove that link first"
            )
    outgoing = states.iter_link_states(session, from_article_id=article)
    events += [
        Change("import.replace", "link", key, None, item.slug) for _e, key, _s, _a in outgoing
    ]
    dropped = session.scalars(
        select(ClaimRow.key).where(
            ClaimRow.article_id == article, ClaimRow.key.not_in(keep or {""})
        )
    )
    events += [
        Change("import.replace", "claim", f"{item.slug}/{key}", None, item.slug) for key in dropped
    ]
    session.execute(delete(ClaimRow).where(ClaimRow.article_id == article))
    assert article is not None
    return [(from_id, relation, article, key) for from_id, relation, key, _slug in incoming]
