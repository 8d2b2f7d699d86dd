"""The desk's figures read in one pass (`ledger.read.desk`) are those of the tallies grouped
by article and of the claims numbered one by one. Both engines."""

from __future__ import annotations

import json

from benchmarks import generate
from ledger.api import Ledger
from ledger.read import desk, tallies, wide
from ledger.storage.database import Database


def test_the_desks_figures_are_the_tallies_and_numbers_read_the_long_way(cli, tmp_path):
    path = tmp_path / "generated.jsonl"
    generate.write(path, 400, seed=3)
    cli.ok("import", str(path))
    refs = [f"{item['article']}/{item['key']}" for item in json.loads(cli.ok("claims", "--json"))]
    with Ledger.open(cli.db, actor="editor") as book:  # numbers skip retracted claims
        book.retract_claim(refs[1], "withdrawn")
        book.retract_claim(refs[-3], "withdrawn")
    wanted = [*refs[:12], *refs[-8:], "no-such-article/c1", f"{refs[0].partition('/')[0]}/nope"]
    database = Database.open(cli.db)
    with database.read() as session:
        for threshold in (1, 2, 3):
            by_article = tallies.figure_counts(session, threshold)
            totals = tuple(sum(column) for column in zip(*by_article.values(), strict=True))
            flagged = tallies.count_flagged(session, threshold)
            assert desk.ledger_figures(session, threshold) == (totals, flagged)
            some = [*sorted(by_article)[::7], 10**9]
            assert desk.article_figures(session, threshold, some) == {
                article_id: by_article[article_id]
                for article_id in some
                if article_id in by_article
            }
        assert desk.claim_numbers(session, wanted) == wide.claim_numbers(session, wanted)
        assert desk.claim_numbers(session, wanted)[refs[2]] == 2  # its first claim's retracted
    database.dispose()
