"""The desk's ledger-wide pages, paged: every page together is the list the whole ledger gave.

The overview once judged every claim in Python and listed every flagged claim;
now the database counts and sorts and the desk loads one page. Walking every
page, in every sort order, must give the rows, numbers, flags and finding codes
that sorting the whole report gives (ties in ledger order); the figures and
the article rows must be the whole report's. Both engines.
"""

from __future__ import annotations

import pytest

pytest.importorskip("starlette.testclient", reason="the web view needs the starlette package")

from starlette.testclient import TestClient

from benchmarks import generate
from ledger.read.sources import list_sources
from ledger.report.model import build_report
from ledger.storage.database import Database
from ledger.vocab import Status
from ledger.web import overview
from ledger.web.app import create_app
from ledger.web.rows import ClaimRow, codes_by_claim, waived_by_claim

RANK = {Status.UNATTRIBUTED: 0, Status.SINGLE_SOURCE: 1, Status.CORROBORATED: 2}
WHOLE_SORTS = {
    "article": lambda row: row.view.article,
    "claim": lambda row: row.view.key,
    "status": lambda row: RANK[row.view.verdict.status],
    "flags": lambda row: len(row.flags),
    "findings": lambda row: len(row.codes),
}


def whole_overview(db: str) -> tuple[dict, list[dict], list[ClaimRow]]:
    """Figures, article rows and flagged rows as the overview gave them from the whole report."""
    database = Database.open(db)
    with database.read() as session:
        report = build_report(session, None, threshold=2)
        sources = [item.to_json() for item in list_sources(session)]
    database.dispose()
    codes, waived = codes_by_claim(report.findings), waived_by_claim(report.findings)
    numbers: dict[str, int] = {}
    rows = []
    for view in report.claims:
        numbers[view.article] = numbers.get(view.article, 0) + 1
        row = ClaimRow(
            numbers[view.article], view, codes.get(view.ref, []), waived=waived.get(view.ref, [])
        )
        if row.flags:
            rows.append(row)
    articles = [
        {"slug": item.article.slug, "figures": item.figures.to_json()} for item in report.articles
    ]
    return {"figures": report.figures.to_json(), "sources": sources}, articles, rows


def every_page(web: TestClient, path: str, key: str, paged: str, params: dict) -> list[dict]:
    """Every item of list `key`, page after page (`paged` names where the paging is said)."""
    name = "page" if paged in ("page", "flagged_page") else paged
    found, number = [], 1
    while True:
        data = web.get(path, params={**params, name: number, "format": "json"}).json()
        found += data[key]
        paging = data[paged]
        if paging["next"] is None:
            assert paging["total"] == len(found) and paging["pages"] == number
            return found
        number += 1


@pytest.fixture
def generated(cli, tmp_path, monkeypatch):
    path = tmp_path / "generated.jsonl"
    generate.write(path, 700, seed=5)
    cli.ok("import", str(path))
    cli.ok("waive", "LS202", next_uncorroborated(cli), "--reason", "the desk accepts it")
    monkeypatch.setattr(overview, "PAGE_SIZE", 9)
    monkeypatch.setattr(overview, "SOURCES_PAGE_SIZE", 25)
    return cli


def next_uncorroborated(cli) -> str:
    import json

    found = json.loads(cli("check", "--all", "--json", "--select", "LS202").stdout)
    return found[0]["subject"]


def test_every_page_of_the_overview_is_the_whole_reports_list(generated):
    whole, articles, rows = whole_overview(generated.db)
    web = TestClient(create_app(generated.db), base_url="http://127.0.0.1")
    first = web.get("/", params={"format": "json"}).json()
    assert first["figures"] == whole["figures"]
    shown = every_page(web, "/", "articles", "articles_page", {})
    assert [{"slug": a["slug"], "figures": a["figures"]} for a in shown] == articles
    for sort in overview.SORTS:
        for order in ("asc", "desc"):
            expected = sorted(rows, key=WHOLE_SORTS[sort], reverse=order == "desc")
            listed = every_page(web, "/", "flagged", "flagged_page", {"sort": sort, "order": order})
            assert listed == [row.to_json() for row in expected], (sort, order)
    assert any(item["waived"] for item in listed)
    sources = every_page(web, "/sources", "sources", "page", {})
    assert [{k: v for k, v in item.items() if k != "href"} for item in sources] == [
        {**item, "notes": None} if "notes" in item else item for item in whole["sources"]
    ]
    page = web.get("/", params={"page": 2}).text
    assert 'rel="prev" href="?page=1"' in page and "page 2 of" in page


def test_beyond_its_bound_the_findings_sort_gives_way_to_flags_and_says_so(generated, monkeypatch):
    """Sorting by findings checks every flagged claim; a ledger with more than the bound
    gets the flags order, the reason on the page, and no findings link to wait on."""
    web = TestClient(create_app(generated.db), base_url="http://127.0.0.1")
    asked = {"sort": "findings", "order": "desc"}
    by_findings = web.get("/", params={**asked, "format": "json"}).json()
    assert by_findings["sort"] == {"by": "findings", "order": "desc", "notice": None}
    monkeypatch.setattr(overview, "FINDINGS_SORT_MOST", by_findings["flagged_page"]["total"] - 1)
    given = web.get("/", params={**asked, "format": "json"}).json()
    by_flags = web.get("/", params={"sort": "flags", "order": "desc", "format": "json"}).json()
    assert given["flagged"] == by_flags["flagged"]
    assert given["sort"]["by"] == "flags" and "sorting by findings" in given["sort"]["notice"]
    page = web.get("/", params=asked).text
    assert "Sorted by flags: sorting by findings checks every flagged claim" in page
    assert ">Findings</th>" in page  # a heading, not a link to click and wait on
