"""Every key the ledger accepts for a source, with the label it stands under.

`ledger suggest` reads these so that a draft reuses the ledger's key for a
source it already holds and never takes a key that names another: a source's
own key and label, and each alias with the label the duplicate was entered
under (`ledger source merge` keeps it), resolved to the source it now names.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.storage.schema import SourceAliasRow, SourceRow


@dataclass(frozen=True, slots=True)
class KnownLabel:
    """A key, its label, the source it resolves to (itself unless an alias), and that
    source's kind and anonymity."""

    key: str
    label: str
    source: str
    kind: str
    anonymity: str


def known_labels(session: Session) -> list[KnownLabel]:
    """Sources and aliases, ordered by key."""
    sources = session.execute(
        select(SourceRow.key, SourceRow.label, SourceRow.kind, SourceRow.anonymity).order_by(
            SourceRow.key
        )
    ).all()
    found = [
        KnownLabel(key, label, key, kind, anonymity) for key, label, kind, anonymity in sources
    ]
    aliases = session.execute(
        select(
            SourceAliasRow.key,
            SourceAliasRow.label,
            SourceRow.label,
            SourceRow.key,
            SourceRow.kind,
            SourceRow.anonymity,
        )
        .join(SourceRow, SourceRow.key == SourceAliasRow.source)
        .order_by(SourceAliasRow.key)
    ).all()
    found += [
        KnownLabel(alias, alias_label or label, key, kind, anonymity)
        for alias, alias_label, label, key, kind, anonymity in aliases
    ]
    return found
