"""Names a person typed that the ledger does not hold, answered with the names it does.

Every lookup that fails (an article slug, a source key, a claim) raises the
`NotFound` built here, so every command says it the same way and offers the
same close matches (`ledger.wording.close_matches`): `no source 'guardain' in
the ledger (did you mean 'guardian'?)`.

A ledger may hold a million names; only those sharing the typed name's first
character are compared, at most `CANDIDATES` of them, which keeps a mistyped
key as cheap to report as a correct one is to find.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.errors import NotFound
from ledger.model import split_claim_ref
from ledger.storage.schema import ArticleRow, ClaimRow, SourceAliasRow, SourceRow
from ledger.wording import close_matches, did_you_mean

CANDIDATES = 5000


def _candidates(session: Session, column: Any, typed: str, *where: Any) -> list[str]:
    statement = select(column).where(*where)
    if typed:
        statement = statement.where(column.startswith(typed[0].lower(), autoescape=True))
    return list(session.scalars(statement.order_by(column).limit(CANDIDATES)))


def source_keys_near(session: Session, key: str) -> list[str]:
    """Source keys (merged keys included) that look like `key` mistyped, closest first."""
    near = _candidates(session, SourceRow.key, key) + _candidates(session, SourceAliasRow.key, key)
    return close_matches(key.lower(), near)


def no_source(session: Session, key: str) -> NotFound:
    """`no source 'guardain' in the ledger (did you mean 'guardian'?)`; merged keys count."""
    near = _candidates(session, SourceRow.key, key) + _candidates(session, SourceAliasRow.key, key)
    return NotFound(f"no source {key!r} in the ledger{did_you_mean(key, near)}")


def no_article(session: Session, slug: str) -> NotFound:
    near = _candidates(session, ArticleRow.slug, slug)
    return NotFound(f"no article {slug!r} in the ledger{did_you_mean(slug, near)}")


def no_claim(session: Session, ref: str) -> NotFound:
    """A missing claim: its article is named first if that is what is missing."""
    try:
        slug, key = split_claim_ref(ref)
    except ValueError as exc:
        return NotFound(str(exc))
    article = session.scalar(select(ArticleRow.id).where(ArticleRow.slug == slug))
    if article is None:
        near = _candidates(session, ArticleRow.slug, slug)
        hint = did_you_mean(slug, near)
        return NotFound(f"no claim {ref!r} in the ledger: no article {slug!r}{hint}")
    keys = _candidates(session, ClaimRow.key, key, ClaimRow.article_id == article)
    found = [f"{slug}/{near}" for near in close_matches(key, keys)]
    hint = did_you_mean(ref, found) if found else ""
    return NotFound(f"no claim {ref!r} in the ledger{hint}")


def source_keys(session: Session) -> list[str]:
    """Every key that names a source (merged keys too), sorted: what a person at a terminal
    may choose among (Tab, typos)."""
    keys = set(session.scalars(select(SourceRow.key)))
    keys |= set(session.scalars(select(SourceAliasRow.key)))
    return sorted(keys)
