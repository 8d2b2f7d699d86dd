"""The editor's desk in a real browser: `ledger serve` on a free loopback port, headless Chromium.

Playwright drives Debian's Chromium (Playwright's own browser download is not
used). The tests open the seed article, click the uncorroborated filter, check
which claims remain, follow a chain to its source, and save screenshots to a
temporary folder, or to $LEDGER_TEST_ARTIFACTS when it is set. Without
Chromium or the playwright package they are skipped with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_web import SLUG, hostile_bundle, start_server

CHROMIUM = next(
    (
        found
        for name in (os.environ.get("LEDGER_TEST_CHROMIUM"), "chromium", "chromium-browser")
        if name and (found := shutil.which(name))
    ),
    None,
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="needs headless Chromium (Debian: apt-get install chromium)"
)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="needs the playwright package (pip install playwright)"
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def ledger_db(seeded) -> str:
    if "postgresql" in seeded.db:
        pytest.skip("the browser sees the same pages on both engines; driven once, on SQLite")
    return seeded.db


@pytest.fixture
def server(ledger_db) -> Iterator[str]:
    """The real command, `ledger serve --port 0`, in a process of its own; yields its address."""
    process, url = start_server(ledger_db)
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("LEDGER_TEST_ARTIFACTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def new_page(browser, **options):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # a script that ran would have opened one
    return page


def shown_keys(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("#claims-table tr.claim-row").evaluate_all(
        "rows => rows.map(row => row.dataset.key)"
    )


def test_editor_filters_the_seed_article_and_follows_a_chain_to_its_source(
    browser, server, seeded, shots
):
    expected = [
        item["key"]
        for item in json.loads(seeded.ok("claims", "--article", SLUG, "--uncorroborated", "--json"))
    ]
    page = new_page(browser)
    page.goto(server)
    page.screenshot(path=shots / "overview.png", full_page=True)
    page.get_by_role("link", name="Islamic State and Al-Nusra Front reportedly agree").click()
    page.wait_for_url(f"**/articles/{SLUG}")
    assert len(shown_keys(page)) == 20
    flags, claims = (page.locator(f"#{name}").bounding_box()["y"] for name in ("flags", "claims"))
    assert flags < claims, "the editor flags come first"
    assert page.locator("#text mark.q").count() >= 20 and page.locator("#graph svg").count() == 1
    page.screenshot(path=shots / "article.png")
    page.screenshot(path=shots / "article-full.png", full_page=True)

    page.locator('a.filter[data-filter="uncorroborated"]').click()
    page.wait_for_url("**uncorroborated=1**")
    remaining = shown_keys(page)
    assert remaining == expected
    assert {"atareb", "attendees", "srf-pact", "earlier-fighting"} <= set(remaining)
    assert not {"deal", "stop-fighting", "coalition-challenge"} & set(remaining)
    assert (
        page.locator('a.filter[data-filter="uncorroborated"]').get_attribute("aria-pressed")
        == "true"
    )
    page.locator("#claims").screenshot(path=shots / "article-uncorroborated.png")

    row = page.locator("#claim-atareb")
    assert "AP ← a prominent Syrian opposition official (anonymous: insisted on anonymity)" in (
        row.locator("li.chain").inner_text()
    )
    row.get_by_role("link", name="a prominent Syrian opposition official").click()
    page.wait_for_url("**/sources/opposition-official")
    assert page.locator("h1").inner_text() == "a prominent Syrian opposition official"
    assert "insisted on anonymity" in page.locator("#details").inner_text()
    assert "atareb" in page.locator("#claims").inner_text()
    page.screenshot(path=shots / "source.png", full_page=True)

    page.get_by_role("link", name="deal", exact=True).click()
    page.wait_for_url(f"**/claims/{SLUG}/deal")
    assert page.locator("#chains li.chain").count() == 2
    assert page.locator("#history tbody tr").count() >= 1
    page.screenshot(path=shots / "claim.png", full_page=True)

    page.goto(server + "sources/no-such-source")
    assert page.locator("h1").inner_text() == "Not found"
    page.screenshot(path=shots / "not-found.png")
    assert page.dialogs == []
    page.context.close()


def test_filters_work_with_javascript_switched_off(browser, server, seeded):
    expected = [
        item["key"]
        for item in json.loads(seeded.ok("claims", "--article", SLUG, "--anonymous-only", "--json"))
    ]
    page = new_page(browser, java_script_enabled=False)
    page.goto(server + f"articles/{SLUG}")
    page.locator('a.filter[data-filter="anonymous_only"]').click()
    page.wait_for_url("**anonymous_only=1**")
    assert shown_keys(page) == expected
    page.context.close()


def test_hostile_claim_text_stays_text_in_the_browser(browser, ledger_db, seeded, tmp_path, shots):
    seeded.ok("import", str(hostile_bundle(tmp_path)))
    process, url = start_server(ledger_db)
    try:
        page = new_page(browser)
        for path in ("articles/hostile", "sources/mole", "claims/hostile/bad", ""):
            page.goto(url + path)
            assert page.evaluate("document.querySelectorAll('script, img, b').length") == 0, path
        page.goto(url + "articles/hostile")
        assert '<script>alert("x")</script>' in page.locator("h1").inner_text()
        assert "{{ 7*7 }}" in page.locator("#claims").inner_text()
        page.screenshot(path=shots / "hostile.png", full_page=True)
        assert page.dialogs == []
        page.context.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
