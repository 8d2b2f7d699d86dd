"""The checks of a bundle file that need no database, made before any transaction opens.

An import holds the ledger's write lock while it writes, and other writers wait
for it (`ledger source add` from a colleague, the web desk). Reading the
article text, matching every quote in it (the costly part of a large
article), and checking keys and link references depend on the file alone: they
run here first, without the database, so the lock is held only for the checks
that ask the ledger (fast queries) and for the writes. The anchors found here
are the ones written, so no quote is matched twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ledger.errors import BundleError
from ledger.model import split_claim_ref
from ledger.write.bundle import LoadedBundle, read_article_text
from ledger.write.entries import anchor_values, quote_problem


@dataclass(frozen=True)
class Checked:
    """A bundle whose own content is checked: its text read, its quotes anchored in it."""

    loaded: LoadedBundle
    text: str | None
    anchors: dict[str, dict[str, object]] = field(default_factory=dict)
    """Claim key -> anchor columns, for each claim with a quote, against `text`."""
    quote_fault: str | None = None
    """The first quote not in `text`, as its message; raised once the ledger is asked
    whether it keeps another text (a merge: then that is the fault to name)."""


def check_bundles(bundles: Sequence[LoadedBundle], seen: set[str] | None = None) -> list[Checked]:
    """Every check of the file's bundles that needs no database; the first fault raises
    (but for a quote not in the text: see `Checked.quote_fault`).

    `seen` holds the article slugs of the file's earlier bundles (a streaming import
    checks a batch at a time); the batch's own are added to it.
    """
    checked = [check_bundle(loaded) for loaded in bundles]
    seen = set() if seen is None else seen
    for item in checked:
        article = item.loaded.bundle.article
        if article is None:
            continue
        if article.slug in seen:
            raise BundleError(
                f"{item.loaded.where('article.slug')}: article {article.slug!r} "
                "appears twice in the file"
            )
        seen.add(article.slug)
    return checked


def check_bundle(loaded: LoadedBundle) -> Checked:
    """Unique keys, well-formed link ends, and every quote found in the article's text."""
    bundle = loaded.bundle
    where = loaded.where
    sources: set[str] = set()
    for index, source in enumerate(bundle.sources):
        if source.key in sources:
            raise BundleError(
                f"{where(f'sources[{index}].key')}: duplicate source key {source.key!r}"
            )
        sources.add(source.key)
    text = read_article_text(loaded)
    anchors: dict[str, dict[str, object]] = {}
    claims: set[str] = set()
    fault = None
    for index, claim in enumerate(bundle.claims):
        if claim.key in claims:
            raise BundleError(f"{where(f'claims[{index}].key')}: duplicate claim key {claim.key!r}")
        claims.add(claim.key)
        if not claim.quote or text is None or fault is not None:
            continue
        anchor = anchor_values(claim.quote, text)
        if anchor["quote_start"] is None:
            problem = quote_problem(claim.quote, text) or "quote not found in the article text"
            fault = f"{where(f'claims[{index}].quote')}: {problem}"
        anchors[claim.key] = anchor
    slug = bundle.article.slug if bundle.article is not None else None
    if slug is not None:
        for index, link in enumerate(bundle.links):
            for side, ref in (("from", link.source_claim), ("to", link.target_claim)):
                try:
                    split_claim_ref(ref, default_article=slug)
                except ValueError as exc:
                    raise BundleError(f"{where(f'links[{index}].{side}')}: {exc}") from None
    return Checked(loaded, text, anchors, fault)
