"""Where source labels meet, kept by the writes: every label's signatures in a table.

Two sources are probable duplicates only if their folded labels (a source's own, or an
alias's) share a signature (`ledger.text.labels.signatures`) and nothing recorded sets them
apart. Asking that of an article's few sources meant reading and folding every label of
the ledger first: 0.67 s for 55,000 sources, in every report of one article. So each label
holder, a source or an alias, keeps its signatures in `label_signatures`, written again
before the transaction commits for every source and alias it recorded a change to (added,
edited, merged, aliased, deleted: each is an event of the audit trail, so none is missed),
and a question about a few sources reads only the sources that may pair with theirs
(`meeting_sources`).

Each row carries its source's description too. A newsroom's many sources under one label
("a senior official", thousands of them) are told apart by what the description says of
each, and two sources whose descriptions differ are never duplicates: so the sources that
may pair with one described source are those at its signatures with the same description
or none, found through an index rather than by reading the whole crowd.

Both the signature and the description are kept as digests (`digest`): only their
equality is asked, and PostgreSQL indexes no row of more than about 2,700 bytes (a
description of a few hundred words).

Derived data, like the claim tallies: `ledger verify` holds it to the labels, `ledger init
--recount` writes it again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ledger.storage.pending import asked, kept, taken
from ledger.storage.reader import in_params, reader_of
from ledger.text.labels import fold_label, signatures

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ledger.storage.reader import Readable, Reader

CHUNK = 500
PAIRS = 100
"""(signature, description) pairs asked in one statement."""
PENDING = "ledger_label_changes"
"""`session.info` key: the keys of the sources and aliases the transaction recorded a
change to (their labels or descriptions may have changed, appeared or gone)."""
_SOURCES = "SELECT key, label, description FROM sources"
_ALIAS_ROWS = (
    "SELECT {key}, a.label, s.description FROM source_aliases a JOIN sources s ON s.key = a.source"
)
"""Every alias, labelled or not, its source's description, and `{key}`: the alias's own
key (`a.key`) or its source's (`s.key`)."""
_ALIAS_LABELS = _ALIAS_ROWS + " WHERE a.label IS NOT NULL"
"""The aliases with a label."""
_ALIASES = _ALIAS_LABELS.format(key="a.key")
"""Every label holder with its label and its source's description: a source's own label,
and each alias that has one (an alias keeps the label of the source merged away, so it
still meets that source's duplicates)."""
_KEPT = "SELECT signature_digest, holder, description_digest FROM label_signatures"
_SOURCES_AFTER = (
    "SELECT id, key, label, description FROM sources WHERE id > :after ORDER BY id LIMIT :most"
)
"""A chunk of sources in id order, after the id `:after`."""

Row = tuple[str, str, str | None]
"""(signature digest, holder, description digest): a row of `label_signatures`."""


def digest(value: str) -> str:
    """A fixed-size stand-in for a signature or a description, equal only for equal values."""
    return hashlib.blake2b(value.encode(), digest_size=16).hexdigest()


def label_signatures(label: str | None) -> set[str]:
    """The signatures one label meets others at (none for a label that folds to nothing)."""
    folded = fold_label(label) if label else ""
    return set(signatures(folded)) if folded else set()


def note(session: Session, changes: Iterable[Any]) -> None:
    """Remember the sources and aliases a write changed (`ledger.audit.trail.record` calls
    this for each batch of changes)."""
    pending: set[str] = kept(session, PENDING, set)
    pending.update(change.key for change in changes if change.entity in ("source", "alias"))


def refresh_pending(session: Session) -> None:
    """Write again the rows of every holder the transaction changed, and of the aliases of
    the sources it changed (they carry their source's description), from the ledger as it
    now is (before commit: `ledger.audit.trail` listens with this). A holder that is gone
    (deleted, merged away, a part of the write undone) keeps none. A savepoint released
    waits for the commit of the transaction around it (`ledger.storage.pending`)."""
    _write_pending(session, taken(session, PENDING))


def _write_pending(session: Session, pending: set[str] | None) -> None:
    """Write the rows of the holders `pending` names now."""
    if not pending:
        return
    session.flush()
    reader = reader_of(session)
    holders = set(pending)
    for chunk in _chunks(sorted(pending)):
        condition, names = in_params("source", "k", chunk)
        statement = f"SELECT key FROM source_aliases WHERE {condition}"
        holders.update(key for (key,) in reader.rows(statement, names))
    for chunk in _chunks(sorted(holders)):
        _delete(session, chunk)
        _insert(session, _holder_rows(reader, chunk))


def rebuild(session: Session) -> None:
    """Write every holder's rows again (after the upgrade that brought the table, or
    `ledger init --recount`)."""
    session.connection().exec_driver_sql("DELETE FROM label_signatures")
    reader = reader_of(session)
    rows = sorted(_rows(reader.rows(_SOURCES)) | _rows(reader.rows(_ALIASES)))
    for start in range(0, len(rows), CHUNK * 20):
        _insert(session, rows[start : start + CHUNK * 20])


def meeting_sources(db: Readable, keys: Iterable[str]) -> list[str]:
    """The keys of the sources that may pair with one of the sources `keys`: those whose
    labels (their own or an alias's) share a signature with one of theirs, with the same
    description or none (or any, at a signature where one of `keys` has none)."""
    reader = reader_of(db)
    session = getattr(reader, "session", None)
    if session is not None:  # asked inside a write: its own changes first
        _write_pending(session, asked(session, PENDING))
    wanted = _wanted(reader, sorted(set(keys)))
    anywhere = sorted({signature for signature, _key, _description in wanted})
    undescribed = sorted(
        {signature for signature, _key, description in wanted if description is None}
    )
    described = sorted({(s, d) for s, _key, d in wanted if d is not None})
    holders: set[str] = set()
    for chunk in _chunks(anywhere):  # those without a description may pair with any
        condition, names = in_params("signature_digest", "k", chunk)
        holders.update(_column(reader, f"{condition} AND description_digest IS NULL", names))
    for chunk in _chunks(undescribed):  # and a source without one with any there
        condition, names = in_params("signature_digest", "k", chunk)
        holders.update(_column(reader, condition, names))
    for start in range(0, len(described), PAIRS):
        pairs = described[start : start + PAIRS]
        condition = " OR ".join(
            f"(signature_digest = :s{index} AND description_digest = :d{index})"
            for index in range(len(pairs))
        )
        names = {
            f"{name}{index}": value
            for index, pair in enumerate(pairs)
            for name, value in zip("sd", pair, strict=True)
        }
        holders.update(_column(reader, condition, names))
    owners: dict[str, str] = {}
    for chunk in _chunks(sorted(holders)):
        condition, names = in_params("key", "k", chunk)
        statement = f"SELECT key, source FROM source_aliases WHERE {condition}"
        owners.update((alias, source) for alias, source in reader.rows(statement, names))
    return sorted({owners.get(holder, holder) for holder in holders})


def disagreeing_holders(db: Readable) -> list[str]:
    """The sources and aliases whose kept rows are not what their labels and descriptions
    give (`ledger verify`: no write leaves them so; an edit past the ledger may).

    Compared a chunk of sources at a time (with their aliases), then the rows kept for a
    holder that is no longer there: memory stays flat however many sources the ledger has."""
    reader = reader_of(db)
    found: set[str] = set()
    after = 0
    while chunk := list(reader.rows(_SOURCES_AFTER, {"after": after, "most": CHUNK})):
        after = chunk[-1][0]
        keys = [key for _id, key, _label, _description in chunk]
        condition, names = in_params("s.key", "k", keys)
        statement = f"{_ALIAS_ROWS.format(key='a.key')} WHERE {condition}"
        aliases = list(reader.rows(statement, names))
        now = _rows(row[1:] for row in chunk)
        now |= _rows(alias for alias in aliases if alias[1] is not None)
        held = _kept_rows(reader, [*keys, *(alias[0] for alias in aliases)])
        found.update(holder for _signature, holder, _description in now ^ held)
    gone = (
        "NOT EXISTS (SELECT 1 FROM sources s WHERE s.key = label_signatures.holder)"
        " AND NOT EXISTS (SELECT 1 FROM source_aliases a WHERE a.key = label_signatures.holder)"
    )
    found.update(_column(reader, gone, {}))
    return sorted(found)


def _kept_rows(reader: Reader, holders: Sequence[str]) -> set[Row]:
    """The rows kept for these holders."""
    found: set[Row] = set()
    for chunk in _chunks(holders):
        condition, names = in_params("holder", "h", chunk)
        statement = f"{_KEPT} WHERE {condition}"
        found.update(
            (signature, holder, described)
            for signature, holder, described in reader.rows(statement, names)
        )
    return found


def _wanted(reader: Reader, keys: Sequence[str]) -> set[Row]:
    """The rows the sources `keys` would have, their aliases' labels under their own key."""
    found: set[Row] = set()
    for chunk in _chunks(keys):
        condition, names = in_params("key", "k", chunk)
        found |= _rows(reader.rows(f"{_SOURCES} WHERE {condition}", names))
        condition, names = in_params("s.key", "k", chunk)
        statement = f"{_ALIAS_LABELS.format(key='s.key')} AND {condition}"
        found |= _rows(reader.rows(statement, names))
    return found


def _holder_rows(reader: Reader, keys: Sequence[str]) -> list[Row]:
    condition, names = in_params("key", "k", keys)
    rows = _rows(reader.rows(f"{_SOURCES} WHERE {condition}", names))
    condition, names = in_params("a.key", "k", keys)
    return sorted(rows | _rows(reader.rows(f"{_ALIASES} AND {condition}", names)))


def _rows(holders: Iterable[Sequence[Any]]) -> set[Row]:
    """The rows of (key, label, description) holders."""
    found: set[Row] = set()
    for key, label, description in holders:
        described = None if description is None else digest(description)
        found.update((digest(signature), key, described) for signature in label_signatures(label))
    return found


def _column(reader: Reader, condition: str, names: dict[str, Any]) -> list[str]:
    statement = f"SELECT holder FROM label_signatures WHERE {condition}"
    return [holder for (holder,) in reader.rows(statement, names)]


def _delete(session: Session, keys: Sequence[str]) -> None:
    from sqlalchemy import delete

    from ledger.storage.schema import LabelSignatureRow

    session.execute(delete(LabelSignatureRow).where(LabelSignatureRow.holder.in_(keys)))


def _insert(session: Session, rows: Sequence[Row]) -> None:
    from ledger.storage.driver import insert_rows
    from ledger.storage.schema import LabelSignatureRow

    columns = ("signature_digest", "holder", "description_digest")
    named = [dict(zip(columns, row, strict=True)) for row in rows]
    insert_rows(session, LabelSignatureRow.__table__, named)


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]
