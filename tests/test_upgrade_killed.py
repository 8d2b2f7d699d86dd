"""An upgrade killed part-way leaves no derived table empty.

The claim tallies and shapes and the label signatures are derived from the ledger's
records when an upgrade brings them empty. A process killed after the migration but
before they were derived must not leave a ledger at the current schema whose desk
figures and duplicate pairs read empty tables: the next open gives the right answers
and `verify` finds nothing. Both engines; the kill is a real SIGKILL of a child process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from alembic import command
from typer.testing import CliRunner

from ledger.api import Ledger
from ledger.cli import app
from ledger.model import Source
from ledger.storage import migrations
from ledger.storage.database import Database
from ledger.storage.migrations import SCHEMA_REVISION
from tests.conftest import ROOT, SAMPLES
from tests.test_tallies import assert_tallies_hold

KILLED_WHILE_DERIVING = textwrap.dedent(
    """
    import os, signal, sys
    from ledger.api import Ledger
    from ledger.read import {module}

    def killed(session):
        os.kill(os.getpid(), signal.SIGKILL)

    {module}.rebuild = killed
    Ledger.open(sys.argv[1], create=True)
    """
)


@pytest.mark.parametrize(
    ("revision", "module"),
    [("0010", "tallies"), ("0010", "label_signatures"), ("0014", "label_signatures")],
)
def test_an_upgrade_killed_while_deriving_leaves_the_next_open_right(db_url, revision, module):
    with Ledger.open(db_url, create=True, actor="editor") as book:
        book.import_file(SAMPLES / "outbreak.yaml")
        book.import_file(SAMPLES / "rt-is-nusra-deal.yaml")
        for key, label in (("envoy", "a senior official"), ("envoy-2", "A Senior Oficial")):
            book.add_source(Source(key=key, label=label, anonymity="anonymous"))
        expected = book.probable_duplicates(["envoy"])  # through the kept signatures
    assert [(pair.duplicate, pair.keep) for pair in expected] == [("envoy-2", "envoy")]
    database = Database.open(db_url)
    with database.engine.begin() as connection:
        command.downgrade(migrations.alembic_config(connection), revision)
    database.dispose()

    child = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_DERIVING.format(module=module), db_url],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr

    with Ledger.open(db_url, create=True) as book:  # `ledger init` again, or any later open
        assert book.upgraded is not None and book.upgraded[1] == SCHEMA_REVISION
        assert book.probable_duplicates(["envoy"]) == expected
    assert_tallies_hold(db_url)
    verified = CliRunner().invoke(app, ["verify", "--db", db_url])
    assert verified.exit_code == 0, verified.output
