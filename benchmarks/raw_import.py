"""The raw-sqlite3 floor for bulk import: the same rows, written by hand-rolled executemany.

Reads the same JSON Lines file and writes exactly the rows the ledger writes
(sources, articles, claims, hops, links, and one audit event per entity with
its canonical state and SHA-256 chain hash) into a database made by `ledger
init`, with the same pragmas and one transaction. It checks nothing, builds
plain tuples, assigns ids itself and resolves links from a dictionary held in
memory: the least work that produces the same database, i.e. the floor.

It does not import the ledger, so the floor owes nothing to the code it judges.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BATCH_CLAIMS = 5_000
SOURCE_FIELDS = [
    "key",
    "label",
    "kind",
    "anonymity",
    "anonymity_reason",
    "description",
    "affiliation",
    "knowledge",
    "motive",
    "ground_rules",
    "notes",
]
ARTICLE_FIELDS = ("slug", "title", "outlet", "url", "published", "byline")


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass
class RawImport:
    """State of one raw import: the connection, next ids, the chain head, pending rows."""

    connection: Any  # sqlite3, or benchmarks.postgres.Raw
    actor: str = "bench"
    seq: int = 0
    head: str = "0" * 64
    next_claim: int = 1
    next_article: int = 1
    refs: dict[tuple[str, str], int] = field(default_factory=dict)
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    insert_seconds: float = 0.0

    def event(
        self, action: str, entity: str, key: str, state: dict[str, Any], article: Any
    ) -> None:
        self.seq += 1
        at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        body = {
            "seq": self.seq,
            "at": at,
            "actor": self.actor,
            "action": action,
            "entity": entity,
            "key": key,
            "state": state,
        }
        state_json = canonical(state)
        digest = hashlib.sha256((self.head + canonical(body)).encode()).hexdigest()
        self.rows.setdefault("events", []).append(
            (self.seq, at, self.actor, action, entity, key, state_json, article, self.head, digest)
        )
        self.head = digest

    def flush(self) -> None:
        statements = {
            "sources": "INSERT INTO sources (key, label, kind, anonymity, anonymity_reason, "
            "description, affiliation, knowledge, motive, ground_rules, notes, created_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            "articles": "INSERT INTO articles (id, slug, title, outlet, url, published, byline, "
            "created_at) VALUES (?,?,?,?,?,?,?,?)",
            "claims": "INSERT INTO claims (id, article_id, key, text, quote, kind, cue, notes, "
            "created_at) VALUES (?,?,?,?,?,?,?,?,?)",
            "hops": "INSERT INTO hops (claim_id, chain, position, source_id, is_origin, cue) "
            "VALUES (?,?,?,?,?,?)",
            "links": "INSERT INTO links (from_claim_id, relation, to_claim_id) VALUES (?,?,?)",
            "events": "INSERT INTO events (seq, at, actor, action, entity, entity_key, state, "
            "article, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
        }
        started = time.perf_counter()
        for table, sql in statements.items():
            if self.rows.get(table):
                self.connection.executemany(sql, self.rows[table])
        self.insert_seconds += time.perf_counter() - started
        self.rows.clear()


def _source_ids(raw: RawImport, keys: set[str]) -> dict[str, int]:
    wanted = sorted(keys)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            raw.connection.execute(f"SELECT key, id FROM sources WHERE key IN ({marks})", chunk)
        )
    return found


def _bundle(raw: RawImport, bundle: dict[str, Any], now: str) -> list[tuple[str, str, str]]:
    """Queue the rows of one bundle; returns its links as (from ref, relation, to ref)."""
    for source in bundle.get("sources", []):
        values = {name: source.get(name) for name in SOURCE_FIELDS}
        values["kind"] = values["kind"] or "person"
        raw.rows.setdefault("sources", []).append((*values.values(), now))
        state = {name: value for name, value in values.items() if name != "notes" or value}
        raw.event("import", "source", source["key"], state, None)
    article = bundle.get("article")
    if article is None:
        return []
    slug = article["slug"]
    article_id = raw.next_article
    raw.next_article += 1
    values = {name: article.get(name) for name in ARTICLE_FIELDS}
    raw.rows.setdefault("articles", []).append((article_id, *values.values(), now))
    raw.event("import", "article", slug, {**values, "text_sha256": None}, slug)
    for claim in bundle.get("claims", []):
        claim_id = raw.next_claim
        raw.next_claim += 1
        raw.refs[slug, claim["key"]] = claim_id
        chains = claim.get("attributions", [])
        raw.rows.setdefault("claims", []).append(
            (
                claim_id,
                article_id,
                claim["key"],
                claim["text"],
                claim.get("quote"),
                claim.get("kind", "fact"),
                claim.get("cue"),
                claim.get("notes"),
                now,
            )
        )
        raw.rows.setdefault("hop_keys", []).append((claim_id, chains))
        state = {
            "article": slug,
            "key": claim["key"],
            "text": claim["text"],
            "quote": claim.get("quote"),
            "kind": claim.get("kind", "fact"),
            "cue": claim.get("cue"),
            "chains": [[[hop, None] for hop in chain] for chain in chains],
            "retracted": None,
        }
        raw.event("import", "claim", f"{slug}/{claim['key']}", state, slug)
    links = []
    for spec in bundle.get("links", []):
        ends = [ref if "/" in ref else f"{slug}/{ref}" for ref in (spec["from"], spec["to"])]
        links.append((ends[0], spec["relation"], ends[1]))
    return links


def _queue_hops(raw: RawImport) -> None:
    """Turn (claim id, chains of keys) into hop rows, now that every source has its id."""
    pending = raw.rows.pop("hop_keys", [])
    keys = {hop for _, chains in pending for chain in chains for hop in chain}
    ids = _source_ids(raw, keys)
    raw.rows["hops"] = [
        (claim_id, number, position, ids[hop], position == len(chain) - 1, None)
        for claim_id, chains in pending
        for number, chain in enumerate(chains)
        for position, hop in enumerate(chain)
    ]


def _connect(db_path: Path) -> sqlite3.Connection:
    """A connection with the ledger's pragmas, transactions left to the caller."""
    connection = sqlite3.connect(db_path, isolation_level=None)
    for pragma in ("busy_timeout = 30000", "foreign_keys = ON", "journal_mode = WAL"):
        connection.execute(f"PRAGMA {pragma}")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def run(db_path: Path, jsonl: Path) -> tuple[int, float]:
    """Import `jsonl` into the (initialised, empty) database; returns (claims, seconds in inserts)."""
    connection = _connect(db_path)
    raw = RawImport(connection)
    connection.execute("BEGIN IMMEDIATE")
    claims = load(raw, jsonl)
    connection.execute("COMMIT")
    connection.close()
    return claims, raw.insert_seconds


def load(raw: RawImport, jsonl: Path) -> int:
    """Queue and write every bundle of `jsonl` in batches (any connection); returns the claims."""
    with jsonl.open("rb") as handle:
        return load_bundles(raw, (json.loads(line) for line in handle if line.strip()))


def load_bundles(raw: RawImport, bundles: Iterable[dict[str, Any]]) -> int:
    """Queue and write `bundles` in batches of about `BATCH_CLAIMS` claims; returns the claims."""
    batch: list[dict[str, Any]] = []
    claims = count = 0
    for bundle in bundles:
        batch.append(bundle)
        count += len(bundle.get("claims", []))
        if count >= BATCH_CLAIMS:
            _write(raw, batch)
            claims += count
            batch, count = [], 0
    if batch:
        _write(raw, batch)
        claims += count
    return claims


def read_file(path: Path) -> dict[str, Any]:
    """One bundle file, YAML (libyaml's loader when PyYAML has it) or JSON."""
    content = path.read_bytes()
    if path.suffix.lower() == ".json":
        return json.loads(content)  # type: ignore[no-any-return]
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(content, Loader=loader)  # type: ignore[no-any-return]


def run_files(db_path: Path, files: Sequence[Path]) -> tuple[int, float]:
    """`run` for bundle files, one bundle each, read in turn: the floor of `ledger import F...`."""
    connection = _connect(db_path)
    raw = RawImport(connection)
    connection.execute("BEGIN IMMEDIATE")
    claims = load_bundles(raw, (read_file(path) for path in files))
    connection.execute("COMMIT")
    connection.close()
    return claims, raw.insert_seconds


def _write(raw: RawImport, bundles: list[dict[str, Any]]) -> None:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    links = [link for bundle in bundles for link in _bundle(raw, bundle, now)]
    hop_keys = raw.rows.pop("hop_keys", [])
    raw.flush()  # sources, articles and claims first: hops need the sources' ids
    raw.rows["hop_keys"] = hop_keys
    _queue_hops(raw)
    for from_ref, relation, to_ref in links:
        from_slug, from_key = from_ref.split("/", 1)
        to_slug, to_key = to_ref.split("/", 1)
        raw.rows.setdefault("links", []).append(
            (raw.refs[from_slug, from_key], relation, raw.refs[to_slug, to_key])
        )
        raw.event(
            "import",
            "link",
            f"{from_ref} {relation} {to_ref}",
            {"from": from_ref, "relation": relation, "to": to_ref},
            from_slug,
        )
    raw.flush()


def main() -> None:
    """`python -m benchmarks.raw_import DB FILE...`: the floor as a whole process, as the
    ledger's `ledger import FILE... --db DB` runs; prints claims and seconds as JSON."""
    import sys

    started = time.perf_counter()
    db, *files = map(Path, sys.argv[1:])
    if len(files) == 1 and files[0].suffix.lower() == ".jsonl":
        claims, inserting = run(db, files[0])
    else:
        claims, inserting = run_files(db, files)
    seconds = time.perf_counter() - started
    print(json.dumps({"claims": claims, "seconds": seconds, "insert_seconds": inserting}))


if __name__ == "__main__":
    main()
