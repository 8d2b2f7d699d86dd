"""Export: the bundles that re-create the ledger, article by article.

Export is the inverse of import (`ledger.write.importer`): importing what it
writes re-creates an identical ledger, and exporting again gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.claimview import SourceView
from ledger.model import STORED, Source
from ledger.read.scoped import ClaimFilter, claim_views, get_article
from ledger.read.sources import list_sources, sources_by_key
from ledger.read.waivers import waivers
from ledger.storage.schema import ArticleRow
from ledger.write.bundle import Bundle, BundleArticle, BundleClaim, BundleLink, BundleWaiver


def export_bundle(session: Session, slug: str) -> Bundle:
    """The bundle that re-creates this article: its claims, the sources they cite, its links."""
    article = get_article(session, slug)
    views = claim_views(session, ClaimFilter(article=slug))
    keys: list[str] = []
    for view in views:
        for chain in view.chains:
            for hop in chain:
                if hop.key not in keys:
                    keys.append(hop.key)
    sources = sources_by_key(session, keys)
    wanted = [
        s.speaks_for for s in sources.values() if s.speaks_for and s.speaks_for not in sources
    ]
    while wanted:  # the parties the cited sources speak for travel with them
        keys.extend(key for key in dict.fromkeys(wanted) if key not in keys)
        found = sources_by_key(session, wanted)
        sources.update(found)
        wanted = [
            s.speaks_for for s in found.values() if s.speaks_for and s.speaks_for not in sources
        ]
    claims = [
        BundleClaim.model_validate(
            {
                "key": view.key,
                "text": view.text,
                "quote": view.quote,
                "kind": view.kind,
                "cue": view.cue,
                "notes": view.notes,
                "attributions": [
                    [{"source": hop.key, "cue": hop.cue} if hop.cue else hop.key for hop in chain]
                    for chain in view.chains
                ],
            },
            context=STORED,  # as the ledger holds it, even a chain entered before the limits
        )
        for view in views
    ]
    links = [
        BundleLink.model_validate(
            {"from": view.key, "relation": link.relation, "to": _local(link.other, slug)}
        )
        for view in views
        for link in view.links_out
    ]
    bundle_article = BundleArticle.model_validate(
        {
            name: value
            for name, value in article.to_json().items()
            if value is not None and name != "text_sha256"
        },
        context=STORED,
    )
    return Bundle(
        version=1,
        article=bundle_article,
        sources=[_record(sources[key]) for key in keys],  # first cited first, then their parties
        claims=claims,
        links=links,
        waivers=_waivers(session, slug, [view.ref for view in views], keys),
    )


def _waivers(
    session: Session, slug: str, refs: list[str], source_keys: list[str]
) -> list[BundleWaiver]:
    """The waivers on the article's claims (named by bare key) and on the sources it cites."""
    found = waivers(session, [*refs, *source_keys])
    return [
        BundleWaiver(
            code=code,
            subject=_local(subject, slug),
            reason=waiver.reason,
            by=waiver.by,
            at=waiver.at,
        )
        for (code, subject), waiver in sorted(found.items())
    ]


def _local(ref: str, slug: str) -> str:
    """A bare key for a claim of the same article, `SLUG/KEY` for another article's."""
    prefix = f"{slug}/"
    return ref[len(prefix) :] if ref.startswith(prefix) else ref


def export_all(session: Session) -> list[Bundle]:
    """Every article's bundle, then one for sources no claim cites (so nothing is left out)."""
    return list(iter_bundles(session))


def iter_bundles(session: Session) -> Iterator[Bundle]:
    """`export_all`, one bundle at a time: the whole ledger in bounded memory."""
    slugs = session.scalars(select(ArticleRow.slug).order_by(ArticleRow.slug)).all()
    for slug in slugs:
        yield export_bundle(session, slug)
        session.expunge_all()
    unused = [
        _record(summary.source)
        for summary in list_sources(session)
        if summary.originates == 0 and summary.relays == 0
    ]
    if unused:
        yield Bundle(version=1, sources=unused)


def _record(source: SourceView) -> Source:
    """The source as a bundle carries it: the model, as the ledger holds it."""
    return Source.model_validate(source.model_dump(), context=STORED)
