"""Source keys as the ledger resolves them: aliases, parties, probable duplicates.

After `ledger source merge DUPLICATE KEEP`, DUPLICATE is an alias: every place
that takes a key (command line, bundle chains, `speaks_for`, `--source`) asks
here which source it names. A source's party is the end of its `speaks_for`
path; the rules count parties, not keys.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ledger.read.label_signatures import meeting_sources
from ledger.read.names import no_source
from ledger.storage.reader import in_params, reader_of, scalar
from ledger.text.labels import fold_label, nearly_same, signatures

if TYPE_CHECKING:
    from ledger.storage.reader import Readable, Reader

CHUNK = 500


def resolve_aliases(db: Readable, keys: Iterable[str]) -> dict[str, str]:
    """alias -> the key of the source it was merged into, for those of `keys` that are aliases."""
    reader = reader_of(db)
    wanted = sorted(set(keys))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        condition, names = in_params("key", "k", chunk)
        statement = f"SELECT key, source FROM source_aliases WHERE {condition}"
        found.update((alias, kept) for alias, kept in reader.rows(statement, names))
    return found


def canonical_key(db: Readable, key: str) -> str:
    """The key of the source `key` names, itself or through an alias; NotFound otherwise."""
    reader = reader_of(db)
    if scalar(reader, "SELECT id FROM sources WHERE key = :key", {"key": key}) is not None:
        return key
    kept = scalar(reader, "SELECT source FROM source_aliases WHERE key = :key", {"key": key})
    if kept is None:
        raise no_source(reader, key)
    return str(kept)


def aliases_of(db: Readable, keys: Iterable[str] | None = None) -> dict[str, list[str]]:
    """source key -> its aliases, sorted (every source with aliases when `keys` is None)."""
    reader = reader_of(db)
    found: dict[str, list[str]] = defaultdict(list)
    if keys is None:
        chunks: list[list[str] | None] = [None]
    else:
        wanted = sorted(set(keys))
        chunks = [wanted[start : start + CHUNK] for start in range(0, len(wanted), CHUNK)]
    pairs: list[tuple[str, str]] = []
    for chunk in chunks:
        statement, names = "SELECT source, key FROM source_aliases", {}
        if chunk is not None:
            condition, names = in_params("source", "k", chunk)
            statement += f" WHERE {condition}"
        pairs += reader.rows(statement, names)
    for source, alias in sorted(pairs, key=lambda pair: pair[1]):
        found[source].append(alias)
    return dict(found)


def speaks_for_graph(db: Readable) -> dict[str, str]:
    """source key -> the key it speaks for, for every source that speaks for another."""
    statement = "SELECT key, speaks_for FROM sources WHERE speaks_for IS NOT NULL"
    return {key: party for key, party in reader_of(db).rows(statement)}


def party_of(graph: dict[str, str], key: str) -> str:
    """The end of `key`'s `speaks_for` path in `graph` (the key itself if it speaks for none)."""
    seen = {key}
    while key in graph:
        key = graph[key]
        if key in seen:  # refused on entry; never loop on a ledger written behind our back
            break
        seen.add(key)
    return key


# --- probable duplicates -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProbableDuplicate:
    """Two sources that probably name the same party: `duplicate` would merge into `keep`."""

    duplicate: str
    keep: str
    why: str

    @property
    def subject(self) -> str:
        return f"{self.duplicate},{self.keep}"


_DIFFERENCE_FIELDS = ("kind", "anonymity", "affiliation", "description")


@dataclass(frozen=True, slots=True)
class _Record:
    """What the duplicate pass needs of a source: no ORM object, so a ledger of many
    thousands of sources is compared in little memory."""

    order: int
    key: str
    fields: tuple[str | None, ...]  # _DIFFERENCE_FIELDS; an `unknown` kind counts as unset
    speaks_for: str | None


def _differ(a: _Record, b: _Record) -> bool:
    """Something recorded says they are not the same: a field both have and disagree on,
    or one speaks for the other (a spokeswoman is not her ministry)."""
    for first, second in zip(a.fields, b.fields, strict=True):
        if first is not None and second is not None and first != second:
            return True
    return a.speaks_for == b.key or b.speaks_for == a.key


Block = list[dict[str | None, list["_Record"]]]
"""A block's members by the value of each field that tells sources apart."""


def _block(members: list[_Record]) -> Block:
    by_value: Block = [{} for _ in _DIFFERENCE_FIELDS]
    for member in members:
        for index, value in enumerate(member.fields):
            by_value[index].setdefault(value, []).append(member)
    return by_value


def _partners(
    members: list[_Record], of: Iterable[_Record], by_value: Block
) -> Iterator[tuple[_Record, list[_Record]]]:
    """Each of `of` with the members of its block that nothing recorded sets apart from it.

    A member with a field set can only match members with the same value there or
    none: of its set fields, the one with the fewest such members gives the
    candidates, so a block of many sources under one label (every "a senior
    official") is not compared pair by pair when their descriptions tell them apart.
    """
    for member in of:
        best: list[_Record] | None = None
        for index, value in enumerate(member.fields):
            if value is None:
                continue
            same, unset = by_value[index].get(value, []), by_value[index].get(None, [])
            if best is None or len(same) + len(unset) < len(best):
                best = same + unset
        candidates = members if best is None else best
        yield member, [other for other in candidates if not _differ(member, other)]


@dataclass(frozen=True)
class LabelIndex:
    """Every source's record and folded labels, and the sources that meet at each label
    signature: what pairing sources needs, read once (the desk keeps it, brings it up to
    date with the sources changed since, and pairs one page's sources against it).

    A source's `order` is its row id, so an index brought up to date (`updated`) is
    equal, field for field, to one read afresh; each `meeting` list is in that order.
    """

    records: dict[str, _Record]
    labels: dict[str, set[str]]
    meeting: dict[str, list[str]]
    blocks: dict[str, tuple[list[_Record], Block]] = field(default_factory=dict)
    """Each signature's block, built when first asked for (a desk pairs page after page)."""
    alias_owner: dict[str, str] = field(default_factory=dict)
    """alias key -> the source it names, for the aliases with a label (those that give
    their source a label to meet others at)."""

    def updated(self, db: Readable, sources: Iterable[str], aliases: Iterable[str]) -> LabelIndex:
        """This index as a fresh `label_index` would read it now, when only `sources` and
        `aliases` (keys, as the audit trail names them) were added, changed or removed
        since it was read: those sources are read again, and the sources an alias named
        before and names now; the rest is shared with this index (which stays as it was)."""
        reader = reader_of(db)
        keys = set(sources)
        moved = set(aliases)
        keys.update(self.alias_owner[alias] for alias in moved if alias in self.alias_owner)
        for chunk in _chunks(moved):
            condition, names = in_params("key", "k", chunk)
            statement = f"SELECT source FROM source_aliases WHERE label IS NOT NULL AND {condition}"
            keys.update(source for (source,) in reader.rows(statement, names))
        fresh_records, fresh_labels, owners = _read_sources(reader, sorted(keys))

        alias_owner = {
            alias: source
            for alias, source in self.alias_owner.items()
            if source not in keys and alias not in moved
        }
        alias_owner.update(owners)
        gone: dict[str, list[_Record]] = defaultdict(list)  # signature -> records leaving it
        come: dict[str, list[_Record]] = defaultdict(list)  # signature -> records joining it
        for key in keys & self.labels.keys():
            for signature in _signatures_of(self.labels[key]):
                gone[signature].append(self.records[key])
        for key, folded_labels in fresh_labels.items():
            for signature in _signatures_of(folded_labels):
                come[signature].append(fresh_records[key])
        records, labels = dict(self.records), dict(self.labels)
        for key in keys:
            records.pop(key, None)
            labels.pop(key, None)
        records.update(fresh_records)
        labels.update(fresh_labels)
        meeting, blocks = dict(self.meeting), dict(self.blocks)
        for signature in gone.keys() | come.keys():
            leaving, joining = gone.get(signature, []), come.get(signature, [])
            members = _moved(
                meeting.get(signature, []),
                [record.key for record in leaving],
                [record.key for record in joining],
                lambda key: (self.records if key in self.records else records)[key].order,
                lambda key: records[key].order,
            )
            if members:
                meeting[signature] = members
            else:
                meeting.pop(signature, None)
            kept = blocks.pop(signature, None)
            if kept is not None and members:
                blocks[signature] = _moved_block(kept, leaving, joining)
        return LabelIndex(records, labels, meeting, blocks, alias_owner)


def _moved(
    items: list[Any],
    leaving: list[Any],
    joining: list[Any],
    order_before: Callable[[Any], int],
    order_now: Callable[[Any], int],
) -> list[Any]:
    """A copy of `items` (in order of `order_before`) without `leaving` and with `joining`,
    in order of `order_now`: a few bisections, however long the list (a ledger's thousands
    of sources under one label)."""
    items = list(items)
    for item in leaving:
        order = order_before(item)
        at = bisect.bisect_left(items, order, key=order_before)
        if at < len(items) and order_before(items[at]) == order:
            del items[at]
    for item in joining:
        bisect.insort(items, item, key=order_now)
    return items


def _by_order(record: _Record) -> int:
    return record.order


def _moved_block(
    block: tuple[list[_Record], Block], leaving: list[_Record], joining: list[_Record]
) -> tuple[list[_Record], Block]:
    """A kept block with `leaving` records taken out and `joining` ones put in: what
    `_block` gives the signature's members now, without going over every member."""
    members, by_value = block
    members = _moved(members, leaving, joining, _by_order, _by_order)
    by_value = [dict(values) for values in by_value]
    for index, values in enumerate(by_value):
        changed = {record.fields[index] for record in (*leaving, *joining)}
        for value in changed:
            found = _moved(
                values.get(value, []),
                [record for record in leaving if record.fields[index] == value],
                [record for record in joining if record.fields[index] == value],
                _by_order,
                _by_order,
            )
            if found:
                values[value] = found
            else:
                values.pop(value, None)
    return members, by_value


def _chunks(keys: Iterable[str]) -> list[list[str]]:
    wanted = sorted(set(keys))
    return [wanted[start : start + CHUNK] for start in range(0, len(wanted), CHUNK)]


def _signatures_of(folded_labels: set[str]) -> set[str]:
    return {signature for folded in folded_labels if folded for signature in signatures(folded)}


_SOURCE_COLUMNS = "id, key, label, kind, anonymity, affiliation, description, speaks_for"


def _record(row: Sequence[Any]) -> tuple[_Record, str]:
    source_id, key, label, kind, *rest, speaks_for = row
    fields = (None if kind == "unknown" else kind, *rest)
    return _Record(source_id, key, fields, speaks_for), fold_label(label)


def _read_sources(
    reader: Reader, keys: list[str]
) -> tuple[dict[str, _Record], dict[str, set[str]], dict[str, str]]:
    """The records and folded labels of the sources of `keys` that exist, with the aliases
    that give them a label (alias -> source)."""
    records: dict[str, _Record] = {}
    labels: dict[str, set[str]] = {}
    owners: dict[str, str] = {}
    for chunk in _chunks(keys):
        condition, names = in_params("key", "k", chunk)
        statement = f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE {condition}"
        for row in reader.rows(statement, names):
            record, folded = _record(row)
            records[record.key], labels[record.key] = record, {folded}
        condition, names = in_params("source", "k", chunk)
        statement = (
            f"SELECT key, source, label FROM source_aliases WHERE label IS NOT NULL AND {condition}"
        )
        for alias, source, label in reader.rows(statement, names):
            if source in labels and label:
                labels[source].add(fold_label(label))
                owners[alias] = source
    return records, labels, owners


def label_index(db: Readable) -> LabelIndex:
    """Every source of the ledger read for pairing."""
    reader = reader_of(db)
    records: dict[str, _Record] = {}
    labels: dict[str, set[str]] = {}
    for row in reader.rows(f"SELECT {_SOURCE_COLUMNS} FROM sources ORDER BY id"):
        record, folded = _record(row)
        records[record.key], labels[record.key] = record, {folded}
    owners: dict[str, str] = {}
    for alias, source, label in reader.rows(
        "SELECT key, source, label FROM source_aliases WHERE label IS NOT NULL"
    ):
        if source in labels and label:
            labels[source].add(fold_label(label))
            owners[alias] = source
    meeting: dict[str, list[str]] = defaultdict(list)
    for key, folded_labels in labels.items():
        for signature in _signatures_of(folded_labels):
            meeting[signature].append(key)
    return LabelIndex(records, labels, dict(meeting), alias_owner=owners)


def label_index_around(db: Readable, keys: Iterable[str]) -> LabelIndex:
    """The sources whose labels meet those of the sources `keys` (`label_signatures` keeps
    where every label meets), read for pairing: all `probable_duplicates` needs to pair
    `keys` with any source of the ledger, without reading every label."""
    reader = reader_of(db)
    records, labels, owners = _read_sources(reader, meeting_sources(reader, keys))
    meeting: dict[str, list[str]] = defaultdict(list)
    for record in sorted(records.values(), key=_by_order):
        for signature in _signatures_of(labels[record.key]):
            meeting[signature].append(record.key)
    return LabelIndex(records, labels, dict(meeting), alias_owner=owners)


def source_changes_since(db: Readable, head: int) -> tuple[set[str], set[str]] | None:
    """(source keys, alias keys) the audit trail says were added, changed or removed after
    event `head`; None when the trail is shorter than `head` (another ledger, or one
    restored from a copy: nothing said since `head` can be trusted)."""
    reader = reader_of(db)
    if int(scalar(reader, "SELECT max(seq) FROM events") or 0) < head:
        return None
    sources: set[str] = set()
    aliases: set[str] = set()
    statement = (
        "SELECT entity, entity_key FROM events WHERE seq > :head AND entity IN ('source', 'alias')"
    )
    for entity, key in reader.rows(statement, {"head": head}):
        (sources if entity == "source" else aliases).add(key)
    return sources, aliases


def probable_duplicates(
    db: Readable, among: Iterable[str] | None = None, index: LabelIndex | None = None
) -> list[ProbableDuplicate]:
    """Pairs of sources whose folded labels are the same or nearly the same (or one's label
    is an alias label of the other) and whose records say nothing that sets them apart.

    `among` limits the answer to pairs with at least one of these keys (an article's
    sources); the other may be anywhere in the ledger. The older source is the one kept.
    Labels meet through their signatures (`ledger.text.labels.signatures`), never pair
    by pair across the ledger. `index`: the ledger's `label_index`, when already read;
    without it, a question about a few sources reads only the sources meeting theirs.
    """
    among = None if among is None else list(among)
    if index is None:
        index = label_index(db) if among is None else label_index_around(db, among)
    records, labels, meeting = index.records, index.labels, index.meeting
    wanted = set(among) if among is not None else None
    groups: Iterable[str] = meeting.keys()
    wanted_at: dict[str, list[str]] = defaultdict(list)  # signature -> the wanted keys there
    if wanted is not None:  # only where a wanted source's labels meet others
        for key in wanted & labels.keys():
            for signature in _signatures_of(labels[key]):
                wanted_at[signature].append(key)
        groups = sorted(wanted_at.keys() & meeting.keys())
    pairs: dict[tuple[str, str], ProbableDuplicate] = {}
    for signature in groups:
        keys = meeting[signature]
        if len(keys) < 2:
            continue
        kept = index.blocks.get(signature)
        if kept is None:
            members = [records[key] for key in keys]
            kept = members, _block(members)
            if wanted is not None:  # worth keeping only for the next page's questions
                index.blocks[signature] = kept
        members, by_value = kept
        of = members
        if wanted is not None:  # in the block's order, without going over the whole block
            of = sorted((records[key] for key in wanted_at[signature]), key=_by_order)
        for member, others in _partners(members, of, by_value):
            for other in others:
                first, second = (member, other) if member.order < other.order else (other, member)
                if first is second:
                    continue
                if wanted is not None and first.key not in wanted and second.key not in wanted:
                    continue
                pair = (second.key, first.key)  # the newer source merges into the older
                if pair in pairs:
                    continue
                why = _why(labels[first.key], labels[second.key])
                if why is not None:
                    pairs[pair] = ProbableDuplicate(second.key, first.key, why)
    return sorted(pairs.values(), key=lambda item: (item.keep, item.duplicate))


def _why(first_labels: set[str], second_labels: set[str]) -> str | None:
    same = sorted(first_labels & second_labels)
    if same:
        return f"both labels read {same[0]!r} once case and punctuation are folded"
    for a in sorted(first_labels):
        for b in sorted(second_labels):
            if nearly_same(a, b):
                return f"the labels {a!r} and {b!r} differ by one typing slip"
    return None
