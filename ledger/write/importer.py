"""Importing bundles: every check first, then one write, so a bad file leaves nothing behind.

The caller owns the transaction (`Database.write()`); everything that can be
checked before writing is checked in `_prepare`, and every fault is reported at
its place in the file (`claims[12].attributions[0][1]`).

An article already in the ledger is refused unless the import replaces it or
merges into it:

- `replace`: the article becomes what the bundle says. Before anything is
  written, `_prepare` works out (`ledger.write.changes`) what that removes and changes (claims, chains,
  links, notes, waivers, the article's own fields) as `ArticleChanges`, so that
  a person can be shown it and asked; `expected` lets the caller insist that
  the write does exactly what was shown, and nothing else.
- `merge`: what is new in the bundle is added (claims, links, waivers), and
  what is already there is left alone. A claim, an article field or a waiver
  that the bundle defines differently from the ledger is an error: merging
  adds, it never changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, aliased

from ledger.audit import states, trail
from ledger.audit.trail import Change
from ledger.checks import Waiver
from ledger.errors import BundleError, LedgerError
from ledger.model import Article, Source, chain_problem, split_claim_ref
from ledger.read.waivers import waivers, waivers_of_article
from ledger.storage.rows import article_values
from ledger.storage.schema import ArticleRow, ClaimRow, LinkRow, WaiverRow
from ledger.wording import excerpt
from ledger.write.bundle import Bundle, LoadedBundle
from ledger.write.changes import (
    ArticleChanges,
    Prepared,
    check_waivers,
    merger,
    replacement,
    same_text,
    waiver_value,
)
from ledger.write.checked import Checked, check_bundles
from ledger.write.entries import (
    ClaimInput,
    add_article,
    article_change,
    claim_ids,
    insert_claims,
    link_change,
    quote_problem,
    record_text_version,
    source_ids,
)
from ledger.write.sourcedefs import Definition, plan_sources, write_sources
from ledger.write.waivers import waiver_change


class ArticleInLedger(BundleError):
    """A bundle's article is in the ledger already, and the import neither replaces nor merges."""

    def __init__(self, place: str, slug: str) -> None:
        self.place, self.slug = place, slug
        super().__init__(
            f"{place}: article {slug!r} is already in the ledger: "
            "an import may replace it or merge into it"
        )


class ChangedMeanwhile(LedgerError):
    """The ledger changed between showing what an import would do and doing it."""


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


def import_bundles(
    session: Session,
    bundles: Sequence[LoadedBundle | Checked],
    *,
    replace: bool = False,
    merge: bool = False,
    expected: Sequence[ArticleChanges] | None = None,
) -> ImportSummary:
    """Import bundles read from one file, in the caller's transaction.

    Articles, sources and claims of every bundle go in first, then the links
    and waivers, so a link may name a claim of any bundle in the same file, and
    a bundle may cite a source an earlier bundle of the file defines. The
    caller rolls the whole file back if anything here raises. With `expected`,
    the changes to articles already in the ledger must be exactly those.

    Bundles given as `Checked` (`ledger.write.checked.check_bundles`, run before
    the transaction opened) are not checked again on their own; only what
    depends on the ledger is, here, where it cannot change before the commit.
    """
    prepared = prepare_bundles(session, bundles, replace=replace, merge=merge)
    summary = ImportSummary()
    summary.changes = [item.changes for item in prepared if item.changes is not None]
    if expected is not None and list(expected) != summary.changes:
        raise ChangedMeanwhile(
            "the ledger changed while the import waited for an answer: nothing written; "
            "run the import again to see what it would do now"
        )
    for item in prepared:
        _write_bundle(session, item, summary)
    for item in prepared:
        _write_links(session, item, summary)
    for item in prepared:
        _write_waivers(session, item, summary)
    return summary


def prepare_bundles(
    session: Session,
    bundles: Sequence[LoadedBundle | Checked],
    *,
    replace: bool = False,
    merge: bool = False,
) -> list[Prepared]:
    """Every check of the file against the ledger; reads only, so any session will do.

    Run in a read session first, it finds a fault without keeping other writers
    waiting; the write transaction runs it again (fast queries), since the
    ledger may have changed in between.
    """
    if replace and merge:
        raise BundleError("an import either replaces articles or merges into them, not both")
    checked = [item if isinstance(item, Checked) else None for item in bundles]
    if any(item is None for item in checked):
        checked = check_bundles([_loaded(item) for item in bundles])
    earlier: dict[str, Source] = {}  # sources defined by the file's earlier bundles
    prepared = []
    for item in checked:
        assert item is not None
        prepared.append(_prepare(session, item, replace=replace, merge=merge, earlier=earlier))
        earlier.update((source.key, source) for source in item.loaded.bundle.sources)
    return prepared


def _loaded(item: LoadedBundle | Checked) -> LoadedBundle:
    return item.loaded if isinstance(item, Checked) else item


def _prepare(
    session: Session,
    checked: Checked,
    *,
    replace: bool,
    merge: bool,
    earlier: dict[str, Source],
) -> Prepared:
    """Check what depends on the ledger before writing this bundle (the rest is checked)."""
    loaded = checked.loaded
    bundle = loaded.bundle
    where = loaded.where
    text = checked.text
    existing_article = None
    mode = "new"
    if bundle.article is not None:
        existing_article = session.scalar(
            select(ArticleRow.id).where(ArticleRow.slug == bundle.article.slug)
        )
        if existing_article is not None:
            if not (replace or merge):
                raise ArticleInLedger(where("article.slug"), bundle.article.slug)
            mode = "replace" if replace else "merge"
    cited = {hop.source for claim in bundle.claims for chain in claim.chains() for hop in chain}
    sources = plan_sources(
        session,
        [Definition(loaded, index, source) for index, source in enumerate(bundle.sources)],
        cited=cited,
        earlier=earlier,
    )
    known = {source.key for source in bundle.sources} | earlier.keys()
    known |= source_ids(session, {sources.resolve(key) for key in cited}).keys()
    unchecked_quotes = False
    if mode == "merge":  # the ledger's text stays; quotes are checked against it
        stored = session.execute(
            select(ArticleRow.text, ArticleRow.text_sha256).where(ArticleRow.id == existing_article)
        ).one()
        same_text(loaded, text, stored.text_sha256)
        unchecked_quotes = text is None  # the bundle gave no text: its quotes meet the ledger's
        text = stored.text
    if checked.quote_fault is not None:
        raise BundleError(checked.quote_fault)
    for index, claim in enumerate(bundle.claims):
        for chain_no, chain in enumerate(claim.chains()):
            for position, hop in enumerate(chain):
                if sources.resolve(hop.source) not in known:
                    place = f"claims[{index}].attributions[{chain_no}][{position}]"
                    raise BundleError(f"{where(place)}: unknown source {hop.source!r}")
            if problem := chain_problem([sources.resolve(hop.source) for hop in chain]):
                place = f"claims[{index}].attributions[{chain_no}]"
                raise BundleError(f"{where(place)}: {problem}, once by an alias")
        if (
            unchecked_quotes
            and claim.quote
            and text is not None
            and (problem := quote_problem(claim.quote, text))
        ):
            raise BundleError(f"{where(f'claims[{index}].quote')}: {problem}")
    item = Prepared(loaded, text, sources, existing_article, mode, anchors=checked.anchors)
    item.waivers = check_waivers(session, loaded, known)
    if mode == "replace":
        item.changes = replacement(session, item)
    elif mode == "merge":
        item.changes = merger(session, item)
    return item


# --- writing ------------------------------------------------------------------------------------


def _write_bundle(session: Session, item: Prepared, summary: ImportSummary) -> None:
    bundle = item.loaded.bundle
    summary.new_sources += write_sources(session, item.sources)
    summary.new_source_keys.extend(source.key for source in item.sources.new)
    if bundle.article is None:
        return
    article = Article.model_validate(
        {**bundle.article.model_dump(exclude={"text_file", "text"}), "text": item.text}
    )
    incoming: list[tuple[int, str, str]] = []
    if item.mode == "new":
        article_row_id = add_article(session, article, action="import")
        summary.articles.append(article.slug)
    elif item.mode == "replace":
        assert item.existing_article is not None
        article_row_id = item.existing_article
        incoming = _clear_article(session, item.loaded, article_row_id)
        values = article_values(article)
        session.execute(update(ArticleRow).where(ArticleRow.id == article_row_id).values(values))
        record_text_version(session, article_row_id, values["text_sha256"])
        trail.record(session, [article_change("import.replace", article)])
        summary.replaced.append(article.slug)
    else:
        assert item.existing_article is not None
        article_row_id = item.existing_article
        summary.merged.append(article.slug)
    resolve = item.sources.resolve
    claims = [
        ClaimInput(
            c.key,
            c.text,
            c.quote,
            c.kind,
            c.cue,
            [
                [hop.model_copy(update={"source": resolve(hop.source)}) for hop in chain]
                for chain in c.chains()
            ],
            c.notes,
        )
        for c in bundle.claims
        if c.key not in item.skip_claims
    ]
    ids = source_ids(
        session, {hop.source for claim in claims for chain in claim.chains for hop in chain}
    )
    action = {"new": "import", "replace": "import.replace", "merge": "import.merge"}[item.mode]
    new_ids = insert_claims(
        session,
        article_row_id,
        article.slug,
        claims,
        ids,
        action=action,
        text=item.text,
        anchors=item.anchors,
    )
    summary.claims += len(claims)
    if incoming:
        session.execute(
            insert(LinkRow),
            [
                {"from_claim_id": from_id, "relation": relation, "to_claim_id": new_ids[key]}
                for from_id, relation, key in incoming
            ],
        )


def _clear_article(
    session: Session, loaded: LoadedBundle, article: int
) -> list[tuple[int, str, str]]:
    """Remove an article's claims before --replace re-enters them.

    Links from other articles to this one survive the replacement: they are
    returned as (from claim id, relation, target key) to be re-made once the
    claims are back. A claim that another article links to must therefore keep
    its key in the new bundle, or that link would be lost without anyone deciding so.
    """
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
                f"{loaded.where('claims')}: claim {key!r} is linked from article {other_slug!r}; "
                "keep it in the bundle or remove that link first"
            )
    _record_clearing(session, loaded, article, keep)
    session.execute(delete(ClaimRow).where(ClaimRow.article_id == article))
    return [(from_id, relation, key) for from_id, relation, key, _slug in incoming]


def _record_clearing(session: Session, loaded: LoadedBundle, article: int, keep: set[str]) -> None:
    """Events for what --replace removes: outgoing links, and claims the new bundle drops."""
    assert loaded.bundle.article is not None
    slug = loaded.bundle.article.slug
    outgoing = states.iter_link_states(session, from_article_id=article)
    changes = [
        Change("import.replace", "link", key, None, slug)
        for _entity, key, _state, _slug in outgoing
    ]
    dropped = session.scalars(
        select(ClaimRow.key).where(
            ClaimRow.article_id == article, ClaimRow.key.not_in(keep or {""})
        )
    )
    changes += [Change("import.replace", "claim", f"{slug}/{key}", None, slug) for key in dropped]
    trail.record(session, changes)


def _write_links(session: Session, item: Prepared, summary: ImportSummary) -> None:
    bundle: Bundle = item.loaded.bundle
    if bundle.article is None or not bundle.links:
        return
    slug = bundle.article.slug
    ends: list[tuple[tuple[str, str], tuple[str, str]]] = []
    for index, link_spec in enumerate(bundle.links):
        pair = []
        for side, ref in (("from", link_spec.source_claim), ("to", link_spec.target_claim)):
            try:
                pair.append(split_claim_ref(ref, default_article=slug))
            except ValueError as exc:
                raise BundleError(f"{item.loaded.where(f'links[{index}].{side}')}: {exc}") from None
        ends.append((pair[0], pair[1]))
    ids = claim_ids(session, {end for pair in ends for end in pair})
    seen: set[tuple[int, str, int]] = set()
    rows = []
    made = []
    for index, (link_spec, pair) in enumerate(zip(bundle.links, ends, strict=True)):
        for side, end, ref in zip(
            ("from", "to"), pair, (link_spec.source_claim, link_spec.target_claim), strict=True
        ):
            if end not in ids:
                raise BundleError(
                    f"{item.loaded.where(f'links[{index}].{side}')}: unknown claim {excerpt(ref)}"
                )
        key = (ids[pair[0]], link_spec.relation.value, ids[pair[1]])
        if key[0] == key[2]:
            raise BundleError(
                f"{item.loaded.where(f'links[{index}]')}: a claim cannot be linked to itself"
            )
        if key in seen:
            raise BundleError(f"{item.loaded.where(f'links[{index}]')}: duplicate link")
        seen.add(key)
        rows.append({"from_claim_id": key[0], "relation": key[1], "to_claim_id": key[2]})
        made.append((link_spec, pair))
    present = _present_links(session, rows)
    fresh = [
        (row, spec_pair)
        for row, spec_pair in zip(rows, made, strict=True)
        if (row["from_claim_id"], row["relation"], row["to_claim_id"]) not in present
    ]
    if not fresh:
        return
    session.execute(insert(LinkRow), [row for row, _ in fresh])
    action = "import.merge" if item.mode == "merge" else "import"
    trail.record(
        session,
        [
            link_change(action, "/".join(source), spec.relation.value, "/".join(target))
            for _row, (spec, (source, target)) in fresh
        ],
    )
    summary.links += len(fresh)


def _present_links(session: Session, rows: list[dict[str, Any]]) -> set[tuple[int, str, int]]:
    """Those of the links that the ledger holds already (kept across a replace, or merged)."""
    claims = sorted({row["from_claim_id"] for row in rows})
    found: set[tuple[int, str, int]] = set()
    for start in range(0, len(claims), 500):
        chunk = claims[start : start + 500]
        rows = session.execute(
            select(LinkRow.from_claim_id, LinkRow.relation, LinkRow.to_claim_id).where(
                LinkRow.from_claim_id.in_(chunk)
            )
        )
        found.update((from_id, relation, to_id) for from_id, relation, to_id in rows)
    return found


def _write_waivers(session: Session, item: Prepared, summary: ImportSummary) -> None:
    """The bundle's waivers; a replace first removes the article's waivers it does not list."""
    bundle = item.loaded.bundle
    action = {"new": "import", "replace": "import.replace", "merge": "import.merge"}[item.mode]
    held: dict[tuple[str, str], Waiver] = {}
    if bundle.article is not None and item.mode != "new":
        held = waivers_of_article(session, bundle.article.slug)
    listed = {(code, subject): waiver for code, subject, waiver in item.waivers}
    changes = []
    gone: set[tuple[str, str]] = set()
    if item.mode == "replace":
        for (code, subject), waiver in held.items():
            new = listed.get((code, subject))
            if new is None or new.reason != waiver.reason:
                session.execute(
                    delete(WaiverRow).where(WaiverRow.code == code, WaiverRow.subject == subject)
                )
                changes.append(waiver_change(action, code, subject, None))
                gone.add((code, subject))
    held = {key: value for key, value in held.items() if key not in gone}
    stored_sources = waivers(
        session, [subject for _code, subject, _w in item.waivers if "/" not in subject]
    )
    rows = []
    for code, subject, given in item.waivers:
        if (code, subject) in held or (code, subject) in stored_sources:
            continue  # already there, as the bundle says (checked in _prepare)
        waiver = waiver_value(given, session)
        rows.append(
            {
                "code": code,
                "subject": subject,
                "reason": waiver.reason,
                "waived_by": waiver.by,
                "waived_at": waiver.at,
            }
        )
        changes.append(waiver_change(action, code, subject, waiver))
    if rows:
        session.execute(insert(WaiverRow), rows)
    trail.record(session, changes)
    summary.waivers += len(rows)
