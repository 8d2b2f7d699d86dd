"""Writing who speaks for whom, and merging a duplicate source into the one kept.

`speaks_for` makes a source's words another's (a spokeswoman's, her ministry's).
Every write that sets it goes through `check_speaks_for` (no unknown key, no
source speaking for itself directly or through a cycle) and ends with
`refresh_parties`, which keeps the derived `sources.party` column — the end of
each path, what the SQL form of the rules counts — equal to the graph.

`merge_sources` makes a duplicate an alias of the source kept, in the caller's
transaction, moving everything that pointed at the duplicate and recording
each change in the audit trail. It refuses, rather than lose anything, when
the two records disagree on a field both have, when the duplicate's identity is
sealed, or when a chain passes through both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from ledger.audit import states, trail
from ledger.audit.trail import Change
from ledger.errors import InvalidInput, NotFound
from ledger.model import SOURCE_PARTICULARS
from ledger.read.sourcekeys import party_of, resolve_aliases, speaks_for_graph
from ledger.storage.rows import source_from_row
from ledger.storage.schema import (
    ClearanceRow,
    HopRow,
    SealedIdentityRow,
    SourceAliasRow,
    SourceRow,
)
from ledger.wording import excerpt

# --- speaks_for --------------------------------------------------------------------------------


def check_speaks_for(
    graph: Mapping[str, str],
    key: str,
    target: str | None,
    *,
    place: str,
    exists: Callable[[str], bool],
) -> None:
    """Refuse `key` speaking for `target` when `target` is unknown, is `key`, or leads back
    to `key` through `graph` (the other sources' `speaks_for`)."""
    if target is None:
        return
    if target == key:
        raise InvalidInput(f"{place}: {excerpt(key)} cannot speak for itself")
    if not exists(target):
        raise NotFound(f"{place}: unknown source {excerpt(target)}")
    path, current = [key, target], target
    while current in graph:
        current = graph[current]
        path.append(current)
        if current == key:
            loop = " -> ".join(repr(step) for step in path)
            raise InvalidInput(f"{place}: {loop} would go round in a circle")
        if len(path) > len(graph) + 2:
            break  # a loop elsewhere, refused when it was written


def refresh_parties(session: Session) -> int:
    """Bring every source's derived `party` in line with the `speaks_for` graph.

    Touches only sources that speak for another or did; returns how many changed.
    """
    graph = speaks_for_graph(session)
    rows = session.execute(
        select(SourceRow.key, SourceRow.party).where(
            (SourceRow.speaks_for.is_not(None)) | (SourceRow.party.is_not(None))
        )
    ).all()
    changed = 0
    for key, stored in rows:
        wanted = party_of(graph, key) if key in graph else None
        if wanted == key:
            wanted = None
        if stored != wanted:
            session.execute(update(SourceRow).where(SourceRow.key == key).values(party=wanted))
            changed += 1
    return changed


# --- merge -------------------------------------------------------------------------------------

_MERGED_FIELDS = ("kind", "anonymity", *SOURCE_PARTICULARS, "speaks_for")


@dataclass
class MergeSummary:
    duplicate: str
    keep: str
    claims: int = 0
    filled: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    clearances: int = 0
    aliases: list[str] = field(default_factory=list)


def merge_sources(session: Session, duplicate: str, keep: str) -> MergeSummary:
    """Make `duplicate` an alias of `keep`; see the module's docstring for what moves."""
    kept_alias = resolve_aliases(session, [duplicate, keep])
    if duplicate in kept_alias:
        raise InvalidInput(
            f"{excerpt(duplicate)} is already an alias of {excerpt(kept_alias[duplicate])}"
        )
    keep = kept_alias.get(keep, keep)
    if duplicate == keep:
        raise InvalidInput(f"{excerpt(duplicate)} and {excerpt(keep)} are the same source")
    dup_row = session.scalar(select(SourceRow).where(SourceRow.key == duplicate))
    keep_row = session.scalar(select(SourceRow).where(SourceRow.key == keep))
    for key, row in ((duplicate, dup_row), (keep, keep_row)):
        if row is None:
            raise NotFound(f"no source {excerpt(key)} in the ledger")
    assert dup_row is not None and keep_row is not None
    summary = MergeSummary(duplicate, keep)

    _refuse_conflicts(dup_row, keep_row)
    _refuse_sealed_duplicate(session, dup_row, keep_row)
    _refuse_waived_duplicate(session, duplicate, keep)
    claim_ids = _refuse_shared_chains(session, dup_row.id, keep_row.id, duplicate, keep)

    # The kept record takes what only the duplicate knew.
    filled = {
        name: getattr(dup_row, name)
        for name in _MERGED_FIELDS
        if getattr(keep_row, name) is None
        and getattr(dup_row, name) is not None
        and not (name == "speaks_for" and getattr(dup_row, name) == keep)
    }
    if dup_row.notes:
        filled["notes"] = (
            f"{keep_row.notes}\n\n{dup_row.notes}" if keep_row.notes else dup_row.notes
        )
    summary.filled = sorted(filled)

    # Everything that pointed at the duplicate points at the source kept.
    session.execute(
        update(HopRow).where(HopRow.source_id == dup_row.id).values(source_id=keep_row.id)
    )
    summary.claims = len(claim_ids)
    changes: list[Change] = []
    changes.extend(_move_clearances(session, dup_row, keep_row, summary))
    speakers = list(
        session.scalars(
            select(SourceRow).where(SourceRow.speaks_for == duplicate).order_by(SourceRow.key)
        )
    )
    for speaker in speakers:
        if speaker.key == keep:
            continue
        speaker.speaks_for = keep
        summary.speakers.append(speaker.key)
    moved_aliases = list(
        session.scalars(select(SourceAliasRow).where(SourceAliasRow.source == duplicate))
    )
    for alias in moved_aliases:
        alias.source = keep
        summary.aliases.append(alias.key)
    session.flush()

    # No cycle: neither through the duplicate's party, which the kept source takes if it had
    # none, nor through the duplicate's speakers, who now speak for the kept source (one it
    # speaks for, directly or not, would then speak for it).
    # (The kept source speaking for the duplicate was refused above.)
    graph = speaks_for_graph(session)
    graph.pop(keep, None)
    graph.pop(duplicate, None)
    check_speaks_for(
        graph,
        keep,
        filled.get("speaks_for", keep_row.speaks_for),
        place=_cannot_merge(duplicate, keep),
        exists=lambda _key: True,
    )
    for name, value in filled.items():
        setattr(keep_row, name, value)
    session.delete(dup_row)
    session.flush()
    session.execute(
        insert(SourceAliasRow), [{"key": duplicate, "source": keep, "label": dup_row.label}]
    )
    refresh_parties(session)

    changes.append(Change("source.merge", "source", duplicate, None))
    changes.append(
        Change(
            "source.merge",
            "alias",
            duplicate,
            states.alias_state(duplicate, keep, dup_row.label),
        )
    )
    for alias in moved_aliases:
        changes.append(
            Change(
                "source.merge", "alias", alias.key, states.alias_state(alias.key, keep, alias.label)
            )
        )
    changes.append(
        Change("source.merge", "source", keep, states.source_state(source_from_row(keep_row)))
    )
    for speaker in speakers:
        if speaker.key != keep:
            changes.append(
                Change(
                    "source.merge",
                    "source",
                    speaker.key,
                    states.source_state(source_from_row(speaker)),
                )
            )
    changes.extend(
        Change("source.merge", "claim", ref, state, state["article"])
        for ref, state in states.claim_states(session, sorted(claim_ids)).values()
    )
    trail.record(session, changes)
    return summary


def _refuse_conflicts(dup_row: SourceRow, keep_row: SourceRow) -> None:
    conflicts = [
        f"{name} ({excerpt(getattr(dup_row, name))} vs {excerpt(getattr(keep_row, name))})"
        for name in _MERGED_FIELDS
        if getattr(dup_row, name) is not None
        and getattr(keep_row, name) is not None
        and getattr(dup_row, name) != getattr(keep_row, name)
        and not (name == "speaks_for" and getattr(dup_row, name) == keep_row.key)
    ]
    if keep_row.speaks_for == dup_row.key:
        conflicts.append(f"speaks_for ({excerpt(keep_row.key)} speaks for {excerpt(dup_row.key)})")
    if conflicts:
        raise InvalidInput(
            f"{_cannot_merge(dup_row.key, keep_row.key)}: they disagree on "
            f"{', '.join(conflicts)}; edit one so that they agree, then merge"
        )


def _refuse_sealed_duplicate(session: Session, dup_row: SourceRow, keep_row: SourceRow) -> None:
    sealed = set(
        session.scalars(
            select(SealedIdentityRow.source_id).where(
                SealedIdentityRow.source_id.in_([dup_row.id, keep_row.id])
            )
        )
    )
    if dup_row.id in sealed and keep_row.id in sealed:
        raise InvalidInput(
            f"{_cannot_merge(dup_row.key, keep_row.key)}: both have a sealed identity, "
            "and one of the two would be lost"
        )
    if dup_row.id in sealed:
        raise InvalidInput(
            f"{_cannot_merge(dup_row.key, keep_row.key)}: {excerpt(dup_row.key)} has a sealed "
            f"identity, bound to its key; merge the other way round to keep it"
        )


def _refuse_waived_duplicate(session: Session, duplicate: str, keep: str) -> None:
    """A waiver names its source by key: one on DUPLICATE would name nothing after the merge."""
    from ledger.storage.schema import WaiverRow

    named = list(
        session.execute(
            select(WaiverRow.code, WaiverRow.subject)
            .where(
                (WaiverRow.subject == duplicate)  # or one of LS401's two: DUPLICATE,KEEP
                | WaiverRow.subject.startswith(f"{duplicate},", autoescape=True)
                | WaiverRow.subject.endswith(f",{duplicate}", autoescape=True)
            )
            .order_by(WaiverRow.code)
        )
    )
    if named:
        found = "; ".join(f"{code} {subject}" for code, subject in named)
        raise InvalidInput(
            f"{_cannot_merge(duplicate, keep)}: findings on {excerpt(duplicate)} are waived "
            f"({found}); withdraw those waivers first"
        )


def _refuse_shared_chains(
    session: Session, dup_id: int, keep_id: int, duplicate: str, keep: str
) -> set[int]:
    """The claims whose chains pass through the duplicate; refuses a chain through both."""
    hops = session.execute(
        select(HopRow.claim_id, HopRow.chain, HopRow.source_id).where(
            HopRow.source_id.in_([dup_id, keep_id])
        )
    ).all()
    through: dict[tuple[int, int], set[int]] = {}
    for claim, chain, source in hops:
        through.setdefault((claim, chain), set()).add(source)
    for (claim, chain), sources in through.items():
        if len(sources) == 2:
            from ledger.audit.states import claim_states

            ref = claim_states(session, [claim])[claim][0]
            raise InvalidInput(
                f"{_cannot_merge(duplicate, keep)}: chain {chain + 1} of {ref} passes "
                "through both; remove one of them from that chain first"
            )
    return {claim for claim, _chain, source in hops if source == dup_id}


def _move_clearances(
    session: Session, dup_row: SourceRow, keep_row: SourceRow, summary: MergeSummary
) -> list[Change]:
    from ledger.protect.clearances import Clearance

    changes: list[Change] = []
    kept = {
        (row.kind, row.name)
        for row in session.scalars(
            select(ClearanceRow).where(ClearanceRow.source_id == keep_row.id)
        )
    }
    for row in list(
        session.scalars(select(ClearanceRow).where(ClearanceRow.source_id == dup_row.id))
    ):
        old = Clearance(dup_row.key, row.kind, row.name, row.role, row.on)
        changes.append(Change("source.merge", "clearance", old.key, None))
        if (row.kind, row.name) in kept:
            session.delete(row)
            continue
        row.source_id = keep_row.id
        new = Clearance(keep_row.key, row.kind, row.name, row.role, row.on)
        changes.append(Change("source.merge", "clearance", new.key, new.state()))
        summary.clearances += 1
    return changes


def _cannot_merge(duplicate: str, keep: str) -> str:
    """How each refusal of a merge begins."""
    return f"cannot merge {excerpt(duplicate)} into {excerpt(keep)}"
