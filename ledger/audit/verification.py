"""`ledger verify`: recompute the audit chain, then replay it against the rows.

Two checks, both streamed, so memory stays flat however large the ledger:

- the chain: events read in order, checking numbering, links and hashes;
- the replay (`ledger.audit.replay`): each row read with its last recorded state and
  compared with it, then what the events leave alive counted against the rows,
  to find deletions.

Both split into independent parts: the chain into ranges of events, each
checked on its own and stitched to its neighbours at the edges; the replay
into ranges of claims plus everything else. A large ledger's parts run in
worker processes, one per core (`jobs`); a small one's run in this process.
The parts and their order are the same either way, and so are the findings.

As the chain is read, the events' hashes are folded into their RFC 6962 tree,
each range apart and joined at the end: the stored tree must have the same
root, and each checkpoint given must be extended by today's log
(`ledger.audit.consistency`).
"""

from __future__ import annotations

import base64
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.audit import consistency, events, replay, trail
from ledger.audit.checkpoint import CheckpointFile, origin
from ledger.audit.consistency import EventsTree, Outcome
from ledger.audit.merkle import CompactRange, leaf_hash
from ledger.audit.notes import VerifierKey
from ledger.audit.problems import Problem
from ledger.audit.tree import TreeMismatch
from ledger.errors import InvalidInput
from ledger.storage.database import Database, sqlite_path
from ledger.storage.reader import LAST_ID
from ledger.storage.schema import ArticleRow, EventRow

PARALLEL_FROM = 200_000  # events; below this, starting workers costs more than it saves
PARTS_PER_JOB = 3  # smaller parts even out the work between workers
EVENT_ONLY_ENTITIES = frozenset({"access"})  # a reveal is an act, not a row to compare with


@dataclass
class Verification:
    events: int = 0
    entities: int = 0
    problems: list[Problem] = field(default_factory=list)
    head: tuple[int, str] = (0, trail.GENESIS_HASH)  # the last event's (seq, hash)
    root: bytes | None = None  # the RFC 6962 root over every event's hash
    origin: str = ""
    checkpoints: list[Outcome] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        """`ledger verify --json`: the verdict, the chain head to write down, each checkpoint."""
        return {
            "intact": self.intact,
            "events": self.events,
            "entities": self.entities,
            "head": {"seq": self.head[0], "hash": self.head[1]},
            "origin": self.origin,
            "root": None if self.root is None else base64.b64encode(self.root).decode(),
            "checkpoints": [
                {
                    "file": item.file,
                    "size": item.checkpoint.size if item.checkpoint else None,
                    "signer": item.signer,
                    "extended": item.problem is None,
                }
                for item in self.checkpoints
            ],
            "problems": [{"subject": p.subject, "message": p.message} for p in self.problems],
        }


@dataclass
class PartResult:
    """What one part found; chain parts also report their first and last event."""

    events: int = 0
    entities: int = 0
    problems: list[Problem] = field(default_factory=list)
    matched: Counter[str] = field(default_factory=Counter)  # rows with a live event, by kind
    alive: dict[str, int] = field(default_factory=dict)  # keys the events leave alive, by kind
    first: tuple[int, str] | None = None  # (seq, prev_hash) of the part's first event
    last: tuple[int, str] | None = None  # (seq, hash) of its last event
    leaves: CompactRange | None = None  # the tree of its events; None past a gap in numbering


Part = tuple[str, int, int]
"""("chain", first seq, last seq), ("claims", first id, last id), ("tallies", first article
id, last article id), ("rest", 0, 0) or ("alive", 0, 0)."""
COST_ORDER = ("tallies", "rest", "alive", "claims", "chain")  # the longest parts start first


def verify(
    database: Database,
    jobs: int | None = None,
    checkpoints: Sequence[CheckpointFile] = (),
    keys: Sequence[VerifierKey] = (),
) -> Verification:
    """Check the whole ledger, and that it extends each checkpoint signed by one of `keys`.

    `jobs`: worker processes (default: one per core for a large ledger), at most
    one per core (`check_jobs`).
    """
    check_jobs(jobs)
    with database.read() as session:
        last_seq = session.scalar(select(func.max(EventRow.seq))) or 0
        first_claim, last_claim = replay.claim_id_range(session)
        first_article, last_article = _article_id_range(session)
        try:
            name = origin(session)
        except TreeMismatch:
            name = ""  # reported with the other findings
    opened = consistency.open_checkpoints(checkpoints, keys, name)
    workers = _workers(database, last_seq, jobs)
    parts = _parts(
        last_seq, (first_claim, last_claim), (first_article, last_article), max(workers, 1)
    )
    if workers <= 1:  # one snapshot for every part
        with database.read() as session:
            results = [run_part(session, part) for part in parts]
            return _combine(session, parts, results, name, opened)
    # Each worker reads in a snapshot of its own; each part is consistent in itself, and
    # deletions are named in this process's snapshot, so concurrent writes raise no false alarm.
    database.dispose()  # no open connection may cross a fork
    results = _run_in_workers(database.url, parts, workers)
    with database.read() as session:
        return _combine(session, parts, results, name, opened)


def check_jobs(jobs: int | None) -> None:
    """Refuse a number of workers below one or above the cores: each worker is a process
    with a database connection and its own memory, and `--jobs 100000` once started
    processes until the machine's memory was gone."""
    if jobs is None:
        return
    cores = os.cpu_count() or 1
    if jobs < 1:
        raise InvalidInput(f"give at least 1 worker process, not {jobs}", field="jobs")
    if jobs > cores:
        raise InvalidInput(
            f"at most {cores} worker processes (one per core of this machine), not {jobs}",
            field="jobs",
        )


def _workers(database: Database, events: int, jobs: int | None) -> int:
    if jobs is not None:
        return jobs
    in_memory = database.dialect == "sqlite" and sqlite_path(database.url) is None
    if in_memory or events < PARALLEL_FROM:
        return 1
    return min(os.cpu_count() or 1, 8)


def _parts(
    last_seq: int, claim_ids: tuple[int, int], article_ids: tuple[int, int], workers: int
) -> list[Part]:
    count = 1 if workers == 1 else workers * PARTS_PER_JOB
    chain = [("chain", low, high) for low, high in _ranges(1, last_seq, count)]
    claims = [("claims", low, high) for low, high in _ranges(*claim_ids, count)]
    tallies = [("tallies", low, high) for low, high in _ranges(*article_ids, count)]
    return [*chain, *claims, *tallies, ("rest", 0, 0), ("alive", 0, 0)]


def _article_id_range(session: Session) -> tuple[int, int]:
    low, high = session.execute(select(func.min(ArticleRow.id), func.max(ArticleRow.id))).one()
    return (low or 0, high or 0)


def _ranges(low: int, high: int, count: int) -> list[tuple[int, int]]:
    """`count` contiguous ranges covering [low, high]; the last runs to the end of the table."""
    if high < low:
        return [(low, high)]
    step = -(-(high - low + 1) // count)
    bounds = [(start, min(start + step - 1, high)) for start in range(low, high + 1, step)]
    bounds[-1] = (bounds[-1][0], LAST_ID)  # rows added since the ranges were drawn still count
    return bounds


def run_part(session: Session, part: Part) -> PartResult:
    kind, low, high = part
    result = PartResult()
    if kind == "chain":
        _check_chain(session, low, high, result)
    elif kind == "claims":
        _compare(replay.claim_pairs(session, low, high), session, result)
    elif kind == "tallies":
        _check_article_tallies(session, low, high, result)
    elif kind == "rest":
        _compare(replay.other_pairs(session), session, result)
        _check_text_hashes(session, result)
        _check_ledger_tallies(session, result)
        _check_label_signatures(session, result)
    else:
        result.alive = replay.live_counts(session)
    return result


# --- in worker processes -----------------------------------------------------------------------

_worker_database: Database | None = None


def _start_worker(url: str) -> None:
    global _worker_database
    _worker_database = Database(url)


def _run_in_worker(part: Part) -> PartResult:
    assert _worker_database is not None
    with _worker_database.read() as session:
        return run_part(session, part)


def _run_in_workers(url: str, parts: list[Part], workers: int) -> list[PartResult]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Forking spares each worker re-importing the ledger; elsewhere, spawn.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(url,)
    ) as pool:
        order = sorted(range(len(parts)), key=lambda i: COST_ORDER.index(parts[i][0]))
        futures = {i: pool.submit(_run_in_worker, parts[i]) for i in order}
        return [futures[i].result() for i in range(len(parts))]


# --- the chain ---------------------------------------------------------------------------------


def _check_chain(session: Session, low: int, high: int, result: PartResult) -> None:
    """Check numbering, links, hashes and derived columns of the events numbered `low` to `high`."""
    statement = (
        select(
            EventRow.seq,
            EventRow.at,
            EventRow.actor,
            EventRow.action,
            EventRow.entity,
            EventRow.entity_key,
            EventRow.state,
            EventRow.prev_hash,
            EventRow.hash,
            EventRow.article,
            EventRow.db_role,
            EventRow.format,
        )
        .where(EventRow.seq.between(low, high))
        .order_by(EventRow.seq)
    )
    rehash, rehash_v2 = trail.stored_chain_hash, trail.stored_chain_hash_v2
    problems = result.problems
    previous: tuple[int, str] | None = None
    leaves: CompactRange | None = None
    count = 0
    for (
        seq,
        at,
        actor,
        action,
        entity,
        key,
        state,
        prev_hash,
        stored_hash,
        article,
        db_role,
        version,
    ) in replay.stream(session.connection(), statement):
        count += 1
        if previous is None:
            result.first = (seq, prev_hash)
            leaves = CompactRange(seq - 1)
        elif seq != previous[0] + 1 or prev_hash != previous[1]:
            problems.append(_broken_link(previous, seq, prev_hash))
            if seq != previous[0] + 1:
                leaves = None  # no single tree over a numbering with a gap
        if version == 2:
            digest = rehash_v2(
                prev_hash, seq, at, actor, action, entity, key, state, article, db_role
            )
        else:
            digest = rehash(prev_hash, seq, at, actor, action, entity, key, state)
            if version != 1 or article != trail.derived_article(entity, key) or db_role is not None:
                problems.append(_unhashed_columns(seq, version))
        if digest != stored_hash:
            problems.append(
                Problem(
                    f"event {seq}",
                    "its hash does not match its content: the event was edited or moved",
                )
            )
        if leaves is not None:
            leaves.add(leaf_hash(bytes.fromhex(stored_hash)))
        previous = (seq, stored_hash)
    result.events, result.last, result.leaves = count, previous, leaves


def _unhashed_columns(seq: int, version: int) -> Problem:
    if version != 1:
        return Problem(
            f"event {seq}", f"unknown event format {version}: changed outside the ledger"
        )
    return Problem(
        f"event {seq}",
        "its article or database role is not what the event says "
        "(format 1 does not hash them, but derives the one and leaves the other empty): "
        "changed outside the ledger",
    )


def _broken_link(previous: tuple[int, str], seq: int, prev_hash: str) -> Problem:
    """Event `seq` does not follow `previous` (seq, hash): a gap, or a link to another hash."""
    previous_seq = previous[0]
    if seq != previous_seq + 1:
        missing = previous_seq + 1
        span = f"events {missing} to {seq - 1} are" if seq - 1 > missing else f"event {missing} is"
        return Problem(
            f"event {missing}", f"{span} missing: event {previous_seq} is followed by event {seq}"
        )
    return Problem(
        f"event {seq}",
        f"does not follow event {previous_seq} in the chain: "
        "an event was edited, removed or reordered",
    )


def _stitch(chain_results: Iterable[PartResult]) -> list[Problem]:
    """Each part's findings, preceded by the link between it and the part before."""
    problems: list[Problem] = []
    previous: tuple[int, str] = (0, trail.GENESIS_HASH)
    for part in chain_results:
        if part.first is not None:
            seq, prev_hash = part.first
            if seq != previous[0] + 1 or prev_hash != previous[1]:
                problems.append(_broken_link(previous, seq, prev_hash))
        problems += part.problems
        if part.last is not None:
            previous = part.last
    return problems


# --- the replay --------------------------------------------------------------------------------


def _compare(pairs: Iterable[replay.Pair], session: Session, result: PartResult) -> None:
    for entity, key, current, recorded in pairs:
        result.entities += 1
        if recorded is None:
            result.problems.append(
                Problem(
                    f"{entity} {key}",
                    "is in the ledger but no event records it (inserted outside the ledger)",
                )
            )
            continue
        result.matched[entity] += 1
        if current != recorded:
            changes = events.field_changes(json.loads(recorded), json.loads(current))
            fields = [name for name, _old, _new in changes]
            seq = replay.last_event_seq(session, entity, key)
            result.problems.append(
                Problem(
                    f"{entity} {key}",
                    f"{', '.join(fields) or 'its state'} {'differs' if len(fields) == 1 else 'differ'} "
                    f"from event {seq}, its last recorded change: changed outside the ledger",
                )
            )


def _vanished(session: Session, alive: dict[str, int], matched: Counter[str]) -> list[Problem]:
    """Rows the events leave alive that the replay did not meet: deleted behind the ledger's back."""
    problems = []
    for entity, count in sorted(alive.items()):
        if entity not in EVENT_ONLY_ENTITIES and count != matched[entity]:
            for key, seq in replay.vanished(session, entity):
                problems.append(
                    Problem(
                        f"{entity} {key}",
                        f"recorded by event {seq} but missing from the ledger (deleted outside it)",
                    )
                )
    return problems


def _combine(
    session: Session,
    parts: list[Part],
    results: list[PartResult],
    name: str,
    opened: list[Outcome],
) -> Verification:
    by_kind: dict[str, list[PartResult]] = {kind: [] for kind in COST_ORDER}
    for (kind, _low, _high), result in zip(parts, results, strict=True):
        by_kind[kind].append(result)
    rows = by_kind["claims"] + by_kind["rest"] + by_kind["tallies"]
    matched: Counter[str] = Counter()
    for result in rows:
        matched += result.matched
    [alive] = by_kind["alive"]
    head = max(
        (part.last for part in by_kind["chain"] if part.last is not None),
        default=(0, trail.GENESIS_HASH),
    )
    events = EventsTree(head[0], _join_leaves(by_kind["chain"]))
    outcomes = consistency.check_checkpoints(session, opened, events)
    return Verification(
        events=sum(result.events for result in by_kind["chain"]),
        entities=sum(result.entities for result in rows),
        problems=[
            *_stitch(by_kind["chain"]),
            *[problem for result in rows for problem in result.problems],
            *_vanished(session, alive.alive, matched),
            *consistency.check_tree(session, events),
            *([] if name else [Problem("ledger", "its origin was removed outside the ledger")]),
            *[item.problem for item in outcomes if item.problem is not None],
        ],
        head=head,
        root=events.root,
        origin=name,
        checkpoints=outcomes,
    )


def _join_leaves(chain_results: Iterable[PartResult]) -> bytes | None:
    """The root over all events from each range's tree, or None past a gap in numbering."""
    whole = CompactRange()
    for part in chain_results:
        if part.events == 0:
            continue
        if part.leaves is None or part.leaves.begin != whole.end:
            return None
        whole.extend(part.leaves)
    return whole.root()


def _check_text_hashes(session: Session, result: PartResult) -> None:
    from ledger.storage.rows import text_sha256

    statement = select(ArticleRow.slug, ArticleRow.text, ArticleRow.text_sha256).execution_options(
        yield_per=200
    )
    for slug, text, stored in session.execute(statement):
        if text is not None and text_sha256(text) != stored:
            result.problems.append(
                Problem(f"article {slug}", "its text does not match its stored SHA-256")
            )


def _check_label_signatures(session: Session, result: PartResult) -> None:
    """The kept label signatures (how an article's sources find their probable duplicates)
    against the labels."""
    from ledger.read.label_signatures import disagreeing_holders

    for holder in disagreeing_holders(session):
        result.problems.append(
            Problem(
                f"source {holder}",
                "its label's kept signatures (where probable duplicates meet) disagree with "
                "its label: run `ledger init --recount`",
            )
        )


def _check_ledger_tallies(session: Session, result: PartResult) -> None:
    """The kept ledger-wide tallies against the sum of the articles'."""
    from ledger.read.tallies import ledger_tallies_disagree

    if ledger_tallies_disagree(session):
        result.problems.append(
            Problem(
                "ledger",
                "its claim tallies (the ledger-wide figures) are not the sum of its articles': "
                "run `ledger init --recount`",
            )
        )


def _check_article_tallies(session: Session, first: int, last: int, result: PartResult) -> None:
    """The kept claim shapes and tallies (the desk's and `report --all`'s figures) of the
    articles with ids from `first` to `last` against their claims shaped now."""
    from ledger.read.tallies import disagreeing_articles

    ids = disagreeing_articles(session, first, last)
    if not ids:
        return
    slugs = dict(
        session.execute(select(ArticleRow.id, ArticleRow.slug).where(ArticleRow.id.in_(ids))).all()
    )
    for article_id in ids:
        subject = f"article {slugs.get(article_id, article_id)}"
        result.problems.append(
            Problem(
                subject,
                "its claim tallies (the ledger-wide figures) disagree with its claims: "
                "run `ledger init --recount`",
            )
        )
