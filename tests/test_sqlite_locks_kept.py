"""Opening a SQLite ledger again keeps the locks its open connections hold.

A process that already has connections to a ledger file (a library user's script, the
desk, the test suite's in-process commands) opens it again: the opening checks that the
file is an SQLite database. Read with a descriptor of its own and closed, that check
dropped every POSIX lock the process held on the file (closing any descriptor of a file
drops them all), SQLite's shared lock among them; another process closing its own
connection then took the file for unused, copied its write-ahead log back and deleted it
under the first process's connections, which went on reading a stale snapshot, or the
pages of another table where a table's were expected (`key rotate`'s retry once read a
source's anonymity as a sealed record's date: "Invalid isoformat string: 'anonymous'").
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from ledger.api import Ledger
from tests.conftest import ROOT, SAMPLE_BUNDLE

ANOTHER_PROCESS_ADDS = textwrap.dedent(
    """
    import sys
    from ledger.api import Ledger
    from ledger.model import Source

    with Ledger.open(sys.argv[1], actor="maria") as book:
        book.source_keys()
        book.add_source(Source(key="harbour-master", label="the harbour master", anonymity="named"))
    """
)


def test_an_open_connection_reads_what_another_process_wrote_after_the_ledger_is_opened_again(
    tmp_path: Path,
):
    path = tmp_path / "ledger.db"
    with Ledger.open(path, create=True, actor="editor") as book:
        book.import_file(SAMPLE_BUNDLE)
    held = sqlite3.connect(path, isolation_level=None)  # as a connection a pool keeps open
    before = held.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
    Ledger.open(path).close()  # the ledger opened again in this process

    added = subprocess.run(
        [sys.executable, "-c", ANOTHER_PROCESS_ADDS, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert added.returncode == 0, added.stderr

    assert held.execute("SELECT COUNT(*) FROM sources").fetchone()[0] == before + 1
    with Ledger.open(path) as book:
        assert "harbour-master" in book.source_keys()
    held.close()
