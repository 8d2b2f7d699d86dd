"""Source keys as the ledger resolves them: aliases, parties, probable duplicates.

After `ledger source merge DUPLICATE KEEP`, DUPLICATE is an alias: every place
that takes a key (command line, bundle chains, `speaks_for`, `--source`) asks
here which source it names. A source's party is the end of its `speaks_for`
path; the rules count parties, not keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ledger.read.names import no_source
from ledger.storage.reader import in_params, reader_of, scalar
from ledger.text.labels import fold_label, nearly_same, signatures

if TYPE_CHECKING:
    from ledger.storage.reader import Readable

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
    signature: what pairing sources needs, read once (the desk keeps it while the
    ledger does not change, and pairs one page's sources against it)."""

    records: dict[str, _Record]
    labels: dict[str, set[str]]
    meeting: dict[str, list[str]]
    blocks: dict[str, tuple[list[_Record], Block]] = field(default_factory=dict)
    """Each signature's block, built when first asked for (a desk pairs page after page)."""


def label_index(db: Readable) -> LabelIndex:
    reader = reader_of(db)
    columns = "key, label, kind, anonymity, affiliation, description, speaks_for"
    records: dict[str, _Record] = {}
    labels: dict[str, set[str]] = {}
    for order, (key, label, kind, *rest, speaks_for) in enumerate(
        reader.rows(f"SELECT {columns} FROM sources ORDER BY id")
    ):
        fields = (None if kind == "unknown" else kind, *rest)
        records[key] = _Record(order, key, fields, speaks_for)
        labels[key] = {fold_label(label)}
    for source, label in reader.rows(
        "SELECT source, label FROM source_aliases WHERE label IS NOT NULL"
    ):
        if source in labels and label:
            labels[source].add(fold_label(label))
    meeting: dict[str, list[str]] = defaultdict(list)
    for key, folded_labels in labels.items():
        for signature in {s for folded in folded_labels if folded for s in signatures(folded)}:
            meeting[signature].append(key)
    return LabelIndex(records, labels, dict(meeting))


def probable_duplicates(
    db: Readable, among: Iterable[str] | None = None, index: LabelIndex | None = None
) -> list[ProbableDuplicate]:
    """Pairs of sources whose folded labels are the same or nearly the same (or one's label
    is an alias label of the other) and whose records say nothing that sets them apart.

    `among` limits the answer to pairs with at least one of these keys (an article's
    sources); the other may be anywhere in the ledger. The older source is the one kept.
    Labels meet through their signatures (`ledger.text.labels.signatures`), never pair
    by pair across the ledger. `index`: the ledger's `label_index`, when already read.
    """
    index = index or label_index(db)
    records, labels, meeting = index.records, index.labels, index.meeting
    wanted = set(among) if among is not None else None
    groups: Iterable[str] = meeting.keys()
    if wanted is not None:  # only where a wanted source's labels meet others
        groups = sorted(
            {
                signature
                for key in wanted & labels.keys()
                for folded in labels[key]
                if folded
                for signature in signatures(folded)
            }
            & meeting.keys()
        )
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
        of = members if wanted is None else [records[key] for key in keys if key in wanted]
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
