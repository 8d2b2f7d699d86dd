"""The write lock: a writer waits a bounded time, says who holds it, and an import's checks
leave it free (issue 15, item 4).

A thread holds the lock through `Database.write()`, as another `ledger` process
would; the writer under test is given LEDGER_LOCK_TIMEOUT=1, so that "gave up"
is what the command says, not what a timer measures.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ledger.model import Anonymity, Source
from ledger.storage import migrations, process
from ledger.storage.database import Database, WriterBusy
from ledger.write import checked as checked_module
from ledger.write import importer
from ledger.write.entries import add_source
from tests.conftest import SAMPLE_BUNDLE
from tests.test_conventions import assert_refused


@contextmanager
def lock_held(url: str, actor: str = "maria") -> Iterator[None]:
    """Another writer, in a thread, holding the write lock until the block ends."""
    taken, release = threading.Event(), threading.Event()
    failed: list[BaseException] = []

    def hold() -> None:
        database = Database.open(url)
        try:
            with database.write(actor):
                taken.set()
                release.wait()
        except BaseException as exc:  # reported by the main thread
            failed.append(exc)
            taken.set()
        finally:
            database.dispose()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    taken.wait()
    assert not failed, failed
    try:
        yield
    finally:
        release.set()
        thread.join()


def source_keys(cli) -> set[str]:  # type: ignore[no-untyped-def]
    return {row["key"] for row in json.loads(cli.ok("source", "list", "--json"))}


@pytest.mark.parametrize(
    "command",
    [
        ("source", "add", "reuters", "--label", "Reuters", "--anonymity", "named"),
        ("import", str(SAMPLE_BUNDLE)),
    ],
    ids=["source add", "import"],
)
def test_a_blocked_writer_gives_up_in_one_line_and_writes_nothing(cli, monkeypatch, command):
    monkeypatch.setenv("LEDGER_LOCK_TIMEOUT", "1")
    monkeypatch.setattr(process, "_program", "ledger article update")
    before = source_keys(cli)
    with lock_held(cli.db, actor="maria"):
        result = cli(*command)
    assert_refused(result, "is busy", "gave up after 1 s", "nothing written", "LEDGER_LOCK_TIMEOUT")
    if "://" in cli.db:  # PostgreSQL names the holder: program, actor, pid, since when
        assert "ledger article update (maria)" in result.stderr
        assert "pid " in result.stderr and "since " in result.stderr
    else:
        assert "another process is writing" in result.stderr
    assert source_keys(cli) == before
    cli.ok(*command)  # the lock released, the same command goes through


def test_a_writer_waits_for_the_lock_within_the_timeout(cli, monkeypatch):
    """The holder finishing before the timeout: the waiting writer goes on."""
    monkeypatch.setenv("LEDGER_LOCK_TIMEOUT", "60")
    database = Database.open(cli.db)
    released = threading.Event()
    with lock_held(cli.db):
        waiter = threading.Thread(target=lambda: (add_reuters(database), released.set()))
        waiter.start()
    waiter.join()
    database.dispose()
    assert released.is_set()
    assert "reuters" in source_keys(cli)


def add_reuters(database: Database) -> None:
    with database.write("ahmed") as session:
        add_source(session, Source(key="reuters", label="Reuters", anonymity=Anonymity.NAMED))


def test_ledgers_in_two_schemas_of_one_database_do_not_wait_for_each_other(cli, monkeypatch):
    """On PostgreSQL the write lock is the ledger's (its schema's), not the database's."""
    if "://" not in cli.db:
        pytest.skip("a SQLite ledger is a file of its own")
    from tests.conftest import POSTGRES_URL, postgres_schema_url

    monkeypatch.setenv("LEDGER_LOCK_TIMEOUT", "1")
    for other_url in postgres_schema_url(POSTGRES_URL):
        other = Database.open(other_url, must_exist=False)
        migrations.upgrade(other)
        try:
            with lock_held(cli.db):
                add_reuters(other)  # not "busy": the held lock is the other ledger's
                with pytest.raises(WriterBusy, match="maria"):  # this one's still waits
                    add_reuters(Database.open(cli.db))
        finally:
            other.dispose()


@pytest.mark.parametrize("value", ["soon", "0", "-3", "1e9"])
def test_a_bad_lock_timeout_is_one_line(cli, monkeypatch, value):
    monkeypatch.setenv("LEDGER_LOCK_TIMEOUT", value)
    result = cli("source", "add", "reuters", "--label", "Reuters", "--anonymity", "named")
    assert_refused(result, "$LEDGER_LOCK_TIMEOUT", "seconds")


def test_write_raises_writer_busy_for_library_callers(cli, monkeypatch):
    monkeypatch.setenv("LEDGER_LOCK_TIMEOUT", "1")
    database = Database.open(cli.db)
    try:
        with lock_held(cli.db), pytest.raises(WriterBusy, match="busy"):
            add_reuters(database)
    finally:
        database.dispose()


def _colleague(cli, monkeypatch, written: list[str]):  # type: ignore[no-untyped-def]
    """A second writer on the same ledger: its writes fail within a second if the lock is held."""
    monkeypatch.setenv("LEDGER_LOCK_TIMEOUT", "1")
    other = Database.open(cli.db)

    def writes(key: str) -> None:
        with other.write("colleague") as session:
            add_source(session, Source(key=key, label=key, anonymity=Anonymity.NAMED))
        written.append(key)

    return other, writes


def test_an_import_matches_its_quotes_with_the_lock_free(cli, monkeypatch):
    """While `ledger import` matches quotes (no database), another writer gets the lock at
    once; the files are then checked against the ledger and written under it."""
    written: list[str] = []
    other, colleague_writes = _colleague(cli, monkeypatch, written)
    anchor_values = checked_module.anchor_values

    def matching_quotes(quote, text):  # type: ignore[no-untyped-def]
        if "during-quotes" not in written:
            colleague_writes("during-quotes")
        return anchor_values(quote, text)

    monkeypatch.setattr(checked_module, "anchor_values", matching_quotes)
    try:
        cli.ok("import", str(SAMPLE_BUNDLE))
    finally:
        other.dispose()
    assert written == ["during-quotes"]
    assert "during-quotes" in source_keys(cli)
    assert "rt-is-nusra-deal" in cli.ok("article", "list")


def test_a_single_files_checks_against_the_ledger_leave_the_lock_free(cli, monkeypatch):
    """`Ledger.import_file` checks the bundle against the ledger in a read transaction: another
    writer gets the lock meanwhile, and the checks are made again under it."""
    from ledger import Ledger

    written: list[str] = []
    other, colleague_writes = _colleague(cli, monkeypatch, written)
    prepare = importer.check_against_ledger

    def checking_against_ledger(session, *args, **kwargs):  # type: ignore[no-untyped-def]
        if "during-checks" not in written:  # the first run: the read transaction
            colleague_writes("during-checks")
        return prepare(session, *args, **kwargs)

    monkeypatch.setattr(importer, "check_against_ledger", checking_against_ledger)
    try:
        with Ledger.open(cli.db, actor="editor") as book:
            book.import_file(SAMPLE_BUNDLE)
    finally:
        other.dispose()
    assert written == ["during-checks"]
    assert "during-checks" in source_keys(cli)
    assert "rt-is-nusra-deal" in cli.ok("article", "list")


def test_a_fault_found_before_the_lock_writes_nothing(cli, tmp_path: Path):
    (tmp_path / "quote.yaml").write_text(
        "version: 1\n"
        "article: {slug: tiny, title: Tiny, text: 'AP said one thing.'}\n"
        "sources: [{key: ap, label: AP, anonymity: named}]\n"
        "claims:\n"
        "  - {key: c1, text: one, quote: 'AP said another thing', attributions: [[ap]]}\n",
        encoding="utf-8",
    )
    result = cli("import", str(tmp_path / "quote.yaml"))
    assert_refused(result, "claims[0].quote", "quote not found")
    assert source_keys(cli) == set()


def test_replace_of_a_bundle_linking_two_claims_of_another_article(cli, tmp_path: Path):
    """Such a link belongs to the other article once written; replacing the bundle that
    brought it keeps it, once, and writes no duplicate."""
    (tmp_path / "a.yaml").write_text(
        "version: 1\n"
        "article: {slug: a, title: A, text: 'AP said one. AP said two.'}\n"
        "sources: [{key: ap, label: AP, anonymity: named}]\n"
        "claims:\n"
        "  - {key: a1, text: one, quote: AP said one, attributions: [[ap]]}\n"
        "  - {key: a2, text: two, quote: AP said two, attributions: [[ap]]}\n",
        encoding="utf-8",
    )
    (tmp_path / "b.yaml").write_text(
        "version: 1\n"
        "article: {slug: b, title: B, text: 'AP said three.'}\n"
        "claims:\n"
        "  - {key: b1, text: three, quote: AP said three, attributions: [[ap]]}\n"
        "links:\n"
        "  - {from: a/a1, relation: corroborates, to: a/a2}\n"
        "  - {from: a/a2, relation: contradicts, to: b1}\n",
        encoding="utf-8",
    )
    cli.ok("import", str(tmp_path / "a.yaml"))
    cli.ok("import", str(tmp_path / "b.yaml"))
    for _ in range(2):
        cli.ok("import", "--replace", "--yes", str(tmp_path / "b.yaml"))
    links = json.loads(cli.ok("claim", "show", "a/a1", "--json"))["links"]
    assert links == [{"relation": "corroborates", "to": "a/a2"}]
    cli.ok("verify")
