"""Sources as the ledger holds them, with their place in it: SQL text run by a `Reader`.

`source show`, `check` and `report` ask these on every run, so they are read
like the scoped questions (`ledger.read.scoped`): through `sqlite3` on a SQLite
file, without SQLAlchemy or pydantic. Each source comes back as a `SourceView`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ledger.claimview import SOURCE_FIELDS, SourceView
from ledger.read.names import no_source
from ledger.read.scoped import article_id
from ledger.read.sourcekeys import CHUNK, aliases_of, canonical_key
from ledger.storage.reader import in_ids, in_params, reader_of
from ledger.vocab import Anonymity, GroundRules, Knowledge, SourceKind

if TYPE_CHECKING:
    from ledger.storage.reader import Readable, Reader

COLUMNS = tuple(name for name in SOURCE_FIELDS if name != "aliases")
"""The fields a source row holds; aliases live in their own table (`source_aliases`)."""


@dataclass(frozen=True)
class SourceSummary:
    """A source and its place in the ledger: claims it originates, claims it relays."""

    source: SourceView
    originates: int
    relays: int

    def to_json(self) -> dict[str, Any]:
        return {
            **self.source.model_dump(mode="json"),
            "originates": self.originates,
            "relays": self.relays,
        }


def source_view(row: Sequence[Any], aliases: list[str] | None = None) -> SourceView:
    """A `SourceView` from a row of `COLUMNS` (SQLite hands JSON back as text)."""
    values = dict(zip(COLUMNS, row, strict=True))
    publishable = values["publishable"]
    if isinstance(publishable, str):
        publishable = json.loads(publishable)
    return SourceView(
        **{
            **values,
            "kind": SourceKind(values["kind"]),
            "anonymity": Anonymity(values["anonymity"]),
            "knowledge": Knowledge(values["knowledge"]) if values["knowledge"] else None,
            "ground_rules": GroundRules(values["ground_rules"]) if values["ground_rules"] else None,
            "publishable": tuple(publishable) if publishable else None,
            "aliases": tuple(aliases) if aliases else None,
        }
    )


def sources_by_key(db: Readable, keys: Iterable[str]) -> dict[str, SourceView]:
    """The sources of `keys` found in the ledger, with their aliases; no claim counts,
    which cost a scan of a busy source's hops (export needs the records only)."""
    reader = reader_of(db)
    wanted = sorted(set(keys))
    found: dict[str, SourceView] = {}
    columns = ", ".join(COLUMNS)
    for start in range(0, len(wanted), CHUNK):
        condition, params = in_params("key", "k", wanted[start : start + CHUNK])
        rows = list(reader.rows(f"SELECT {columns} FROM sources WHERE {condition}", params))
        aliases = aliases_of(reader, [row[0] for row in rows]) if rows else {}
        found.update((row[0], source_view(row, aliases.get(row[0]))) for row in rows)
    return found


def get_source(db: Readable, key: str) -> SourceSummary:
    """One source, named by its key or by an alias merged into it."""
    reader = reader_of(db)
    summaries = list_sources(reader, keys=[canonical_key(reader, key)])
    if not summaries:
        raise no_source(reader, key)
    return summaries[0]


def list_sources(
    db: Readable, *, keys: list[str] | None = None, article: str | None = None
) -> list[SourceSummary]:
    """Sources with counts; `article` limits both the sources and the counts to one article."""
    reader = reader_of(db)
    params: dict[str, Any] = {}
    hop_where: list[str] = []
    outer_where: list[str] = []
    hop_from = "hops h"
    if keys is not None:  # count the hops of those sources only, not of the whole ledger
        condition, names = in_params("key", "k", keys)
        params |= names
        # their ids written out: asked through a subquery, PostgreSQL's planner read every
        # hop of the ledger for a page of sources (0.55 s at a million claims)
        ids = [row[0] for row in reader.rows(f"SELECT id FROM sources WHERE {condition}", names)]
        hop_where.append(in_ids("h.source_id", ids))
        outer_where.append(f"s.{condition}")
    if article is not None:
        hop_from += " JOIN claims c ON h.claim_id = c.id"
        hop_where.append("c.article_id = :article")
        params["article"] = article_id(reader, article)
        outer_where.append("n.source_id IS NOT NULL")
    counts = (
        "SELECT h.source_id,"
        " COUNT(DISTINCT CASE WHEN h.is_origin THEN h.claim_id END) AS originates,"
        " COUNT(DISTINCT CASE WHEN NOT h.is_origin THEN h.claim_id END) AS relays"
        f" FROM {hop_from}"
        + (f" WHERE {' AND '.join(hop_where)}" if hop_where else "")
        + " GROUP BY h.source_id"
    )
    columns = ", ".join(f"s.{name}" for name in COLUMNS)
    statement = (
        f"SELECT {columns}, COALESCE(n.originates, 0), COALESCE(n.relays, 0)"
        f" FROM sources s LEFT JOIN ({counts}) n ON n.source_id = s.id"
        + (f" WHERE {' AND '.join(outer_where)}" if outer_where else "")
        + " ORDER BY s.key"
    )
    rows = list(reader.rows(statement, params))
    aliases = aliases_of(reader, [row[0] for row in rows]) if rows else {}
    return [
        SourceSummary(source_view(row[:-2], aliases.get(row[0])), int(row[-2]), int(row[-1]))
        for row in rows
    ]


def sources_where(reader: Reader, condition: str, params: dict[str, Any]) -> list[SourceView]:
    """The sources meeting a condition on `sources s`, by key, without their aliases."""
    columns = ", ".join(f"s.{name}" for name in COLUMNS)
    statement = f"SELECT {columns} FROM sources s WHERE {condition} ORDER BY s.key"
    return [source_view(row) for row in reader.rows(statement, params)]
