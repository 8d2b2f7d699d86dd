"""The benchmarks on PostgreSQL: the ledger beside raw psycopg and `psql`, same server, same run.

    python -m benchmarks.run --engine postgresql \\
        --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/test --scales 100k

For each scale, in a schema of its own on the server (dropped afterwards unless `--keep`):
`ledger import FILE.jsonl --db URL` as a whole process, beside `benchmarks.raw_import`'s
rows written with psycopg COPY into a second fresh schema; the scoped queries of
`benchmarks.operations` in-process, beside `benchmarks.raw_sql` through psycopg; the
ledger-wide commands and `verify` as whole processes (first byte, total, peak memory, as
`benchmarks.wide_views` measures them), beside `psql` reading the same answers.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks import generate, operations, raw_import, raw_sql, wide_views
from benchmarks.measure import peak_mb

ROOT = operations.ROOT
COPY_TARGET = re.compile(r"INSERT INTO (\w+) \(([^)]*)\)")


def pg(sql: str) -> str:
    """`benchmarks.raw_sql`'s SQLite text as PostgreSQL reads it, with psycopg's parameters."""
    sql = re.sub(r"(?<!:):(\w+)", r"%(\1)s", sql).replace("?", "%s")
    sql = sql.replace("group_concat(", "string_agg(").replace("CROSS JOIN", "JOIN")
    sql = sql.replace(", 0) AS single_intermediary", ", false) AS single_intermediary")
    sql = sql.replace("GROUP BY s.chain))", "GROUP BY s.chain) AS g)")
    return re.sub(
        r"\n\) WHERE ", "\n) AS q WHERE ", re.sub(r"\n\) WHERE 1$", "\n) WHERE true", sql)
    )


class Raw:
    """A psycopg connection that takes the SQLite harness's SQL; `executemany` is COPY."""

    def __init__(self, url: str, autocommit: bool = True) -> None:
        import psycopg

        self.connection = psycopg.connect(libpq(url), autocommit=autocommit)

    def execute(self, sql: str, params: Any = None) -> Any:
        return self.connection.execute(pg(sql), params)

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        match = COPY_TARGET.match(sql)
        assert match, sql
        table, columns, extra = match[1], match[2], ()
        if table == "events":  # PostgreSQL's trail records the writing role (format 2)
            columns += ", format, db_role"
            extra = (2, self.connection.info.user)
        statement = f"COPY {table} ({columns}) FROM STDIN"
        with self.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row((*row, *extra))


def libpq(url: str) -> str:
    """The SQLAlchemy URL as libpq (psycopg, psql) reads it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def schema(base_url: str, name: str, keep: bool = False) -> Iterator[str]:
    """A fresh schema of its own, initialised by the ledger; yields its URL."""
    from sqlalchemy import create_engine, text

    from ledger.storage import migrations
    from ledger.storage.database import Database

    schema_name = f"ledger_bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema_name}"'))
    url = f"{base_url}{'&' if '?' in base_url else '?'}options=-csearch_path%3D{schema_name}"
    database = Database.open(url, must_exist=False)
    migrations.upgrade(database)
    database.dispose()
    try:
        yield url
    finally:
        if keep:
            print(f"kept schema {schema_name}: {url}")
        else:
            with admin.connect() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema_name}" CASCADE'))
        admin.dispose()


def process(
    command: list[str], limit: float = 0, allowed: tuple[int, ...] = (0,)
) -> dict[str, Any]:
    """One whole process, output read from a pipe: first byte, total, and its peak memory as
    `/usr/bin/time` sees it (a child of a small process: a child of this one would start from
    this process's resident set); stopped by `timeout` after `limit` seconds if that is set.
    An exit status outside `allowed` stops the run (`check` exits 1 when it finds something)."""
    stop = ["timeout", str(limit)] if limit else []
    with tempfile.NamedTemporaryFile("r") as peak:
        ttfb, total, _, _head = wide_views.run(
            ["/usr/bin/time", "-f", "%M", "-o", peak.name, *stop, *command]
        )
        report = peak.read()
    stopped = bool(limit) and total >= limit
    status = re.search(r"non-zero status (\d+)", report)
    if status and not stopped and int(status[1]) not in allowed:
        raise RuntimeError(f"failed: {' '.join(command)}\n{report}")
    peak_kb = int(report.split()[-1])
    return {"first": ttfb, "total": total, "peak_mb": peak_kb / 1024, "stopped": stopped}


def ledger(*args: str) -> list[str]:
    return [sys.executable, "-m", "ledger", *args]


def psql(url: str, *statements: str) -> list[str]:
    """`psql` running the statements, rows written as they are fetched (FETCH_COUNT)."""
    command = ["psql", libpq(url), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
    command += ["-v", "FETCH_COUNT=1000"]
    for statement in statements:
        command += ["-c", statement]
    return command


def literal(sql: str, **params: Any) -> str:
    """The statement with its parameters written in, for `psql -c`."""
    return re.sub(r"(?<!:):(\w+)", lambda m: str(params[m[1]]), sql)


def wide(url: str, limit: float) -> dict[str, dict[str, float]]:
    """The ledger-wide commands and `verify`, each beside psql reading the same answer."""
    threshold = operations.THRESHOLD
    flagged = pg(literal(raw_sql._SCOPED, threshold=threshold)).format(
        scope="true", flag="uncorroborated"
    )
    tables = ("sources", "articles", "claims", "hops", "links")
    commands = {
        "ledger claims --uncorroborated --json": ledger(
            "claims", "--uncorroborated", "--json", "--db", url
        ),
        "psql: every claim with its verdict, uncorroborated ones (raw_sql)": psql(url, flagged),
        "ledger export --format jsonl": ledger("export", "--format", "jsonl", "--db", url),
        "psql: COPY sources, articles, claims, hops, links TO STDOUT": psql(
            url, *(f"COPY {table} TO STDOUT" for table in tables)
        ),
        "ledger check --all --json": ledger("check", "--all", "--json", "--db", url),
        "ledger report --all -f json": ledger("report", "--all", "-f", "json", "--db", url),
        "psql: the ledger-wide figures and flagged count (wide_views SQL)": psql(
            url, *wide_views.raw_sql().rstrip(";").split(";\n")
        ),
        "ledger verify": ledger("verify", "--db", url),
        "psql: COPY events ORDER BY seq TO STDOUT (read only, no hashing)": psql(
            url, "COPY (SELECT * FROM events ORDER BY seq) TO STDOUT"
        ),
    }
    results = {}
    for name, command in commands.items():
        print(f"  {name} ...", flush=True)
        results[name] = process(command, limit, (0, 1) if "check" in command else (0,))
    return results


def run_scale(name: str, workdir: Path, args: Any) -> dict[str, Any]:
    """Import, queries, wide views and verify at one scale, in a schema of its own."""
    from ledger.storage.database import Database

    claims = generate.parse_scale(name)
    source = workdir / f"ledger-{name}-seed{args.seed}.jsonl"
    if not source.exists():
        print(f"[{name}] generating {source.name} ...", flush=True)
        generate.write(source, claims, args.seed)
    found: dict[str, Any] = {"name": name, "claims": claims}
    with schema(args.postgres_url, name, keep=args.keep) as url:
        print(f"[{name}] import: ledger import FILE.jsonl, then raw psycopg COPY ...", flush=True)
        found["import"] = process(ledger("import", str(source), "--db", url))
        with schema(args.postgres_url, f"raw_{name}") as raw_url:
            found["raw_import"] = process(
                [sys.executable, "-m", "benchmarks.postgres", "raw-import", raw_url, str(source)]
            )
        raw = Raw(url)
        found["analyze"] = analyze(raw)
        targets = pick_targets(raw)
        found["targets"] = targets
        print(f"[{name}] queries ...", flush=True)
        database = Database.open(url)
        found["queries"] = operations.timed(database, raw, targets, times=args.times)
        database.dispose()
        raw.connection.close()
        print(f"[{name}] ledger-wide commands and verify as processes ...", flush=True)
        found["wide"] = wide(url, args.process_timeout)
    return found


def analyze(raw: Raw) -> float:
    """ANALYZE the schema's tables, as autovacuum would soon after an import (the ledger's
    import does too now; kept so that runs compare with the earlier ones): seconds taken."""
    started = time.perf_counter()
    tables = raw.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    for (name,) in tables.fetchall():
        raw.execute(f'ANALYZE "{name}"')
    return time.perf_counter() - started


def pick_targets(raw: Raw) -> operations.Targets:
    """`operations.pick_targets`' choice, asked of PostgreSQL."""
    sizes = """SELECT a.slug, count(*) AS n FROM claims c JOIN articles a ON a.id = c.article_id
               GROUP BY a.id ORDER BY abs(count(*) - :n), a.id LIMIT 1"""
    article, claims = raw.execute(sizes, {"n": 100}).fetchone()
    report, _ = raw.execute(sizes, {"n": 200}).fetchone()
    source, cited = raw.execute(
        """SELECT s.key, count(DISTINCT h.claim_id) AS n FROM hops h
           JOIN sources s ON s.id = h.source_id
           WHERE s.anonymity = 'named' AND s.kind <> 'outlet'
           GROUP BY s.id ORDER BY abs(count(DISTINCT h.claim_id) - 100), s.id LIMIT 1"""
    ).fetchone()
    return operations.Targets(article, claims, report, source, cited)


# --- reporting ---------------------------------------------------------------------------------


def fmt(seconds: float | None) -> str:
    from benchmarks.run import fmt as run_fmt

    return run_fmt(seconds)


def rows(scale: dict[str, Any]) -> tuple[list[list[str]], list[list[str]]]:
    """(import and queries: ledger, raw psycopg, ratio), (processes: first byte, total, peak)."""
    ledger_import, raw = scale["import"], scale["raw_import"]
    rate = scale["claims"] / ledger_import["total"]
    table = [
        [
            "`ledger import FILE.jsonl` (whole process)",
            f"{fmt(ledger_import['total'])} ({rate:,.0f} claims/s)",
            f"{fmt(raw['total'])} (psycopg COPY, whole process)",
            f"{ledger_import['total'] / raw['total']:.2f}x",
        ],
        ["then ANALYZE of the schema's tables (by the benchmark)", fmt(scale["analyze"]), "", ""],
        [
            "import: peak memory",
            f"{ledger_import['peak_mb']:.0f} MB",
            f"{raw['peak_mb']:.0f} MB",
            "",
        ],
    ]
    for result in scale["queries"]:
        raw_seconds = result.raw.seconds if result.raw else None
        ratio = f"{result.ledger.seconds / raw_seconds:.2f}x" if raw_seconds else ""
        table.append([result.name, fmt(result.ledger.seconds), fmt(raw_seconds), ratio])
    processes = [
        [
            name,
            fmt(m["first"]),
            f"stopped at {fmt(m['total'])}" if m["stopped"] else fmt(m["total"]),
            f"{m['peak_mb']:.0f} MB",
        ]
        for name, m in scale["wide"].items()
    ]
    return table, processes


def markdown(scales: list[dict[str, Any]], info: list[tuple[str, str]], command: str) -> str:
    from benchmarks.run import table

    parts = [
        "## PostgreSQL",
        f"`{command}`: the ledger on PostgreSQL beside raw psycopg and `psql` on the same "
        "server, same data, same run (`benchmarks/postgres.py`). Each scale is imported into a "
        "fresh schema by `ledger import FILE.jsonl --db URL` (one process); the raw floor writes "
        "the same rows as `benchmarks/raw_import.py` (audit events and hash chain included) with "
        "psycopg COPY into another fresh schema, also one process (events with format 2 and the "
        "writing role, as the schema requires on PostgreSQL). The benchmark then ANALYZEs the "
        "ledger's tables again, as autovacuum would soon after an import (the import does too). "
        "Queries run in-process as in the SQLite tables, the raw side being "
        "`benchmarks/raw_sql.py` through psycopg (checked first to give the ledger's answers). "
        "Commands run as whole processes, output read from a pipe; peak memory is the "
        "command's maximum resident set as `/usr/bin/time` reports it; a command still running "
        "after `--process-timeout` seconds is stopped and shown so.",
        table(["", ""], [list(row) for row in info]),
    ]
    for scale in scales:
        targets = scale["targets"]
        queries, processes = rows(scale)
        parts += [
            f"### PostgreSQL at {scale['claims']:,} claims",
            f"Article of {targets.article_claims} claims `{targets.article}`; source "
            f"`{targets.source}` cited by {targets.source_claims} claims; report of "
            f"`{targets.report_article}`.",
            table(["operation", "ledger", "raw psycopg", "ledger ÷ raw"], queries),
            table(["process", "first byte", "total", "peak memory"], processes),
        ]
    return "\n\n".join(parts) + "\n"


def write_section(results: Path, section: str) -> None:
    """Put the PostgreSQL section in RESULTS.md, in place of the previous one if any."""
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    start = text.find("\n## PostgreSQL\n")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + (text[end:] if end >= 0 else "")
    results.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")


def main(args: Any) -> None:
    """`benchmarks.run --engine postgresql`."""
    import os
    import signal

    from benchmarks.run import machine

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: the schemas still go

    if not args.postgres_url:
        raise SystemExit("--engine postgresql needs --postgres-url postgresql+psycopg://...")
    args.workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    info = [row for row in machine() if row[0] != "SQLite"]
    info.insert(-1, ("PostgreSQL", server_version(args.postgres_url)))
    scales = [run_scale(name.strip(), args.workdir, args) for name in args.scales.split(",")]
    info.append(("load average at end", " ".join(f"{v:.2f}" for v in os.getloadavg())))
    info.append(("whole run", f"{(time.perf_counter() - started) / 60:.1f} minutes"))
    command = " ".join(["python -m benchmarks.run", *sys.argv[1:]])
    section = markdown(scales, info, command)
    print(section)
    if args.results:
        write_section(args.results, section)
        print(f"wrote {args.results}")


def server_version(url: str) -> str:
    raw = Raw(url)
    version = raw.connection.execute("SHOW server_version").fetchone()[0]
    raw.connection.close()
    return str(version)


def _raw_import(url: str, source: str) -> None:
    """Child process: the raw floor's rows written with COPY, in one transaction."""
    started = time.perf_counter()
    connection = Raw(url, autocommit=False)
    state = raw_import.RawImport(connection)
    claims = raw_import.load(state, Path(source))
    connection.connection.commit()
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "claims": claims,
                "insert_seconds": state.insert_seconds,
                "peak_mb": peak_mb(),
            }
        )
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["raw-import"]:
        _raw_import(*sys.argv[2:4])
