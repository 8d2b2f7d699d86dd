"""The sources a bundle defines, checked against the ledger: the one place both importers ask.

A bundle may define a source the ledger already holds only as the ledger holds
it; it may name a key that is now an alias (it then means the source kept, and
a definition under it must match that source); it may say that a source speaks
for another (which must exist, here or in the ledger, and never lead back to
itself); and it may list aliases (keys merged into a source, as export writes
them). `plan_sources` checks all of that before anything is written and says
what to write; `write_sources` writes it and returns its audit events.

A file (or a batch of JSON Lines) is planned at once; each definition knows
its bundle's position in it (`line`), since a bundle may speak for, or cite, a
source that the same or an earlier bundle defines, never a later one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ledger.audit import states
from ledger.audit.trail import Change
from ledger.errors import BundleError
from ledger.model import Source
from ledger.read.sourcekeys import resolve_aliases, speaks_for_graph
from ledger.storage.driver import insert_rows
from ledger.storage.rows import source_from_row, source_values
from ledger.storage.schema import SourceAliasRow, SourceRow, utcnow
from ledger.wording import excerpt
from ledger.write.bundle import LoadedBundle
from ledger.write.parties import check_speaks_for, refresh_parties

CHUNK = 500
_IGNORED_ON_ALIAS = {"key", "label", "aliases", "notes"}


@dataclass(frozen=True)
class Definition:
    """One entry of a bundle's `sources:`, with where it stands."""

    loaded: LoadedBundle
    index: int
    source: Source
    line: int = 0  # the bundle's position in its file or batch

    def where(self, name: str) -> str:
        return self.loaded.where(f"sources[{self.index}].{name}")


@dataclass
class SourcePlan:
    """What the definitions of a file (or a batch) add, once every check has passed."""

    new: list[Source] = field(default_factory=list)  # in an order that writes targets first
    aliases: list[tuple[str, str]] = field(default_factory=list)  # (alias, source) to add
    merged_into: dict[str, str] = field(default_factory=dict)  # alias -> source, for chains
    defined_on: dict[str, int] = field(default_factory=dict)  # new key or alias -> first line

    def resolve(self, key: str) -> str:
        return self.merged_into.get(key, key)


def differing_field(
    stored: Source, given: Source, ignore: Iterable[str] = ("aliases",)
) -> str | None:
    """The first field on which `given` says something other than `stored`, if any."""
    skip = set(ignore)
    return next(
        (
            name
            for name in Source.model_fields
            if name not in skip and getattr(stored, name) != getattr(given, name)
        ),
        None,
    )


def redefinition(place: str, key: str, stored: Source, given: Source, name: str) -> BundleError:
    return BundleError(
        f"{place}: source {excerpt(key)} is already in the ledger with {name} "
        f"{excerpt(getattr(stored, name))}, not {excerpt(getattr(given, name))} (leave it out to use the ledger's)"
    )


def plan_sources(
    session: Session,
    definitions: Sequence[Definition],
    *,
    cited: Iterable[str] = (),
) -> SourcePlan:
    """Check the definitions (in file order) against the ledger and one another.

    `cited` are the keys the claims name, so that aliases among them resolve too.
    """
    named = {d.source.key for d in definitions}
    named |= {d.source.speaks_for for d in definitions if d.source.speaks_for}
    named |= {alias for d in definitions for alias in d.source.aliases or ()}
    plan = SourcePlan(merged_into=resolve_aliases(session, named | set(cited)))
    # Whole records only for what a definition is compared with: a cited key needs
    # no more than its alias (resolved above) and its id (the caller's `source_ids`).
    stored = _stored_sources(session, named | set(plan.merged_into.values()))
    planned: dict[str, Source] = {}
    for definition in definitions:
        source = definition.source
        key = source.key
        if key in plan.merged_into:
            _check_against_kept(definition, plan.merged_into[key], stored, planned)
            continue
        given = source
        if source.speaks_for is not None:
            given = source.model_copy(update={"speaks_for": plan.resolve(source.speaks_for)})
        known = stored.get(key) or planned.get(key)
        if known is not None:
            name = differing_field(known, given)
            if name is not None:
                raise redefinition(definition.where(name), key, known, given, name)
        else:
            planned[key] = given
            plan.defined_on[key] = definition.line
        _plan_aliases(definition, plan, stored, planned)
    _check_parties(session, definitions, plan, stored, planned)
    by_line: dict[int, list[Source]] = {}
    for source in planned.values():
        by_line.setdefault(plan.defined_on[source.key], []).append(source)
    plan.new = [s for line in sorted(by_line) for s in _targets_first(by_line[line])]
    return plan


def _stored_sources(session: Session, keys: Iterable[str]) -> dict[str, Source]:
    wanted = sorted(keys)
    found: dict[str, Source] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = session.scalars(select(SourceRow).where(SourceRow.key.in_(chunk)))
        found.update((row.key, source_from_row(row)) for row in rows)
    return found


def _check_against_kept(
    definition: Definition, keep: str, stored: dict[str, Source], planned: dict[str, Source]
) -> None:
    """A definition under a key merged into `keep` must describe `keep` (its label may be
    the one the duplicate was entered under)."""
    kept = stored.get(keep) or planned[keep]
    name = differing_field(kept, definition.source, ignore=_IGNORED_ON_ALIAS)
    if name is not None:
        raise BundleError(
            f"{definition.where(name)}: {excerpt(definition.source.key)} was merged into {excerpt(keep)}, "
            f"which has {name} {excerpt(getattr(kept, name))}, not {excerpt(getattr(definition.source, name))}"
        )


def _plan_aliases(
    definition: Definition,
    plan: SourcePlan,
    stored: dict[str, Source],
    planned: dict[str, Source],
) -> None:
    key = definition.source.key
    for position, alias in enumerate(definition.source.aliases or ()):
        place = definition.where(f"aliases[{position}]")
        owner = plan.merged_into.get(alias)
        if owner == key:
            continue
        if owner is not None:
            raise BundleError(f"{place}: {excerpt(alias)} is already an alias of {excerpt(owner)}")
        if alias == key or alias in stored or alias in planned:
            raise BundleError(
                f"{place}: {excerpt(alias)} is a source of its own; merge it into {excerpt(key)} instead"
            )
        plan.aliases.append((alias, key))
        plan.merged_into[alias] = key
        plan.defined_on[alias] = definition.line


def _check_parties(
    session: Session,
    definitions: Sequence[Definition],
    plan: SourcePlan,
    stored: dict[str, Source],
    planned: dict[str, Source],
) -> None:
    """Every new `speaks_for` names a source known by its line and leads back to no one."""
    speaking = [d for d in definitions if d.source.key in planned and d.source.speaks_for]
    if not speaking:
        return
    graph = speaks_for_graph(session)
    graph.update((key, source.speaks_for) for key, source in planned.items() if source.speaks_for)
    for definition in speaking:
        key = definition.source.key
        target = planned[key].speaks_for
        others = {k: v for k, v in graph.items() if k != key}
        exists = _exists(session, stored, plan.defined_on, definition.line)
        check_speaks_for(others, key, target, place=definition.where("speaks_for"), exists=exists)


def _exists(
    session: Session, stored: dict[str, Source], defined_on: dict[str, int], line: int
) -> Callable[[str], bool]:
    def exists(key: str) -> bool:
        if key in stored or defined_on.get(key, line + 1) <= line:
            return True
        return session.scalar(select(SourceRow.id).where(SourceRow.key == key)) is not None

    return exists


def _targets_first(sources: list[Source]) -> list[Source]:
    """Sources ordered so that each comes after the source it speaks for (foreign keys)."""
    keys = {source.key for source in sources}
    ordered: list[Source] = []
    placed: set[str] = set()
    pending = list(sources)
    while pending:
        remaining = []
        for source in pending:
            target = source.speaks_for
            if target is None or target not in keys or target in placed:
                ordered.append(source)
                placed.add(source.key)
            else:
                remaining.append(source)
        if len(remaining) == len(pending):  # cannot happen after the cycle check
            ordered.extend(remaining)
            break
        pending = remaining
    return ordered


def write_sources(session: Session, plan: SourcePlan) -> list[tuple[int, Change]]:
    """Insert the plan's new sources and aliases; returns their events, each with the line
    of the bundle that defines it (the caller records them in its order)."""
    if plan.new:
        now = utcnow()
        rows = [{**source_values(source), "created_at": now} for source in plan.new]
        insert_rows(session, SourceRow.__table__, rows)
    if plan.aliases:
        session.execute(
            insert(SourceAliasRow),
            [{"key": alias, "source": source, "label": None} for alias, source in plan.aliases],
        )
    if any(source.speaks_for for source in plan.new):
        refresh_parties(session)
    changes = [
        (plan.defined_on[s.key], Change("import", "source", s.key, states.source_state(s)))
        for s in plan.new
    ]
    changes += [
        (
            plan.defined_on[alias],
            Change("import", "alias", alias, states.alias_state(alias, source, None)),
        )
        for alias, source in plan.aliases
    ]
    return changes
