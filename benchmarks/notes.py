"""The explanations printed under the benchmark tables in RESULTS.md."""

NOTES = """## How each figure is measured

**Data.** `benchmarks/generate.py` writes a synthetic ledger as JSON Lines, one bundle per
line: 3,000 recurring named sources and 40 outlets cited with a Zipf-like skew, one to four
one-off anonymous sources per article, articles of 10 to 200 claims (log-normal, median
about 40), chains of one to three hops, a fifth of the claims resting on unnamed sources
only, a tenth opinion, links between claims (a fifth of the claims link to another, a
third of those to an earlier article). The same seed gives the same ledger every run.

**Bulk import.** The ledger: `ledger.write.bulk.import_file`, the streaming JSON Lines importer
(every check `ledger import` makes, pydantic validation of each bundle, one transaction,
an audit event for every row through `ledger.audit.trail.record`), in a child process whose
peak resident memory is reported. Raw sqlite3 (`benchmarks/raw_import.py`): the same
file read line by line, the same rows built as plain tuples (sources, articles, claims,
hops, links, and the audit events with their canonical JSON and SHA-256 chain) and
written with `executemany` in batches of 5,000 claims, in one transaction, with the same
pragmas; it checks nothing, assigns ids itself and resolves links from a dictionary in
memory. "Raw time inside executemany" is the part of the raw import spent in
`executemany` alone, for scale. Each import runs `--import-rounds` times, ledger and raw
taking turns; the best of each is shown.

**Bundle files** (`benchmarks/bundle_files.py`; scales up to 100k): the same generator
writes articles of exactly 100 claims, one a file (each recurring source defined by the
first article that cites it), as YAML and as JSON. The ledger: one whole process, `ledger
import F1 ... FN --db DB` into a ledger made by `ledger init`, each file in a transaction
of its own (each file is atomic). Raw sqlite3: one whole process, `python -m
benchmarks.raw_import DB F1 ... FN`, reading the same files (libyaml's loader, or json)
and writing the same rows as above, in one transaction. Peak memory is each process's
maximum resident set as `/usr/bin/time` reports it; best of `--import-rounds`, taking turns.

**Queries** run in the benchmark's process on the database the ledger imported, a new
session per call, median of `--times` runs after one warm-up. The ledger side returns
what the command prints (`claim_views` and each claim's JSON; the report built and
rendered as Markdown). The raw side runs one hand-written SQL statement per operation
(`benchmarks/raw_sql.py`) computing the same verdicts, and fetches every row. Before
anything is timed, the raw SQL is checked to return the ledger's claims in the ledger's
order, and the same count. The report's raw floor runs its two queries (claims with
verdicts, sources with counts) without rendering. The per-article and per-source
targets are the same size at every scale (an article of about 100 claims, a named
source cited by about 100 claims), so their curve shows index use, not result size.

**Commands** run as whole processes, median of `--process-runs` runs taking turns after
one warm-up round, output to a pipe. "today" is `python -m ledger claims --article X`.
Every command goes through the Typer app; on a SQLite file the read commands read
through `sqlite3` (`ledger.storage.reader`), so `claims`, `claim show`, `article show`
and `log` load neither SQLAlchemy nor pydantic. The floor is
`sqlite-utils query FILE SQL` running `raw_sql.article_claims()` on the same file.

**The origin index** on `hops (claim_id, is_origin, source_id)` (migration 0006) makes
the per-claim support subqueries of the SQL rules index-only.

The machine is a shared two-core virtual machine; other work may have run at the same
time (see the load averages). Medians and best-of rounds damp that noise; they cannot
remove it.
"""
