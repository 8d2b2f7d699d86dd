"""The HTML report in a real browser: headless Chromium renders it, screenshots it, prints it.

Skipped where Chromium is not installed (Debian: `apt-get install chromium`). Set
LEDGER_TEST_ARTIFACTS to a directory to keep the screenshot and the PDF for a look.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

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

SECTIONS = ["article", "flags", "summary", "sources", "claims", "graph"]
# Lists every resource the page loaded (or tried to), after the page and its fonts settle.
PROBE = """<script>addEventListener("load", () => setTimeout(() => {
  const out = document.createElement("pre"); out.id = "probe-resources";
  out.textContent = JSON.stringify(performance.getEntriesByType("resource").map(e => e.name));
  document.body.append(out); }, 200));</script>"""


def chromium(profile: Path, *args: str) -> str:
    """Run headless Chromium with a fresh profile and no background traffic; return stdout."""
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # a test never reaches the real network
        f"--user-data-dir={profile}",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def fetched(page: Path, profile: Path) -> list[str]:
    """What the page fetches, measured by the browser with the page's CSP taken out.

    Without its Content-Security-Policy, anything the page refers to (a font, a
    style sheet, an image) is requested and shows in the Resource Timing list.
    """
    html = page.read_text(encoding="utf-8")
    probe = page.with_name(f"probe-{page.name}")
    probe.write_text(
        re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html).replace(
            "</body>", PROBE + "</body>"
        ),
        encoding="utf-8",
    )
    dom = chromium(profile, "--virtual-time-budget=5000", "--dump-dom", probe.as_uri())
    found = re.search(r'<pre id="probe-resources">(.*?)</pre>', dom, flags=re.S)
    assert found, "the probe did not run"
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))


@pytest.fixture
def page(seeded, tmp_path) -> Path:
    if "postgresql" in seeded.db:
        pytest.skip("the page does not depend on the database; rendered once, on SQLite")
    target = tmp_path / "report.html"
    seeded.ok("report", "rt-is-nusra-deal", "--format", "html", "-o", str(target))
    return target


def keep(path: Path) -> None:
    folder = os.environ.get("LEDGER_TEST_ARTIFACTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)


def test_the_page_refers_to_nothing_outside_itself(page):
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|iframe|img|object|embed)\b", html, flags=re.I)
    assert not re.search(r"\b(src|href)\s*=\s*(?![\"']?#)", html, flags=re.I)
    assert not re.search(r"url\((?!#)|@import", html, flags=re.I)
    assert "default-src 'none'" in html


def test_browser_renders_the_sections_flags_first_and_fetches_nothing(page, tmp_path):
    dom = chromium(tmp_path / "dom", "--dump-dom", page.as_uri())
    positions = [dom.find(f'id="{section}"') for section in SECTIONS]
    assert all(position >= 0 for position in positions), dict(zip(SECTIONS, positions, strict=True))
    assert positions == sorted(positions), "sections out of order: flags must come first"
    assert "<svg" in dom and "LS202" in dom
    assert fetched(page, tmp_path / "probe") == []


def test_the_fetch_probe_catches_an_external_resource(tmp_path):
    """The check above would notice a web font or a remote image: it is not vacuous."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><style>@font-face { font-family: X; src: "
        "url(https://fonts.invalid/x.woff2); } body { font-family: X; }</style></head>"
        '<body>text<img src="https://images.invalid/x.png"></body></html>',
        encoding="utf-8",
    )
    assert sorted(fetched(page, tmp_path / "probe")) == [
        "https://fonts.invalid/x.woff2",
        "https://images.invalid/x.png",
    ]


def test_screenshot_and_print(page, tmp_path):
    shot = tmp_path / "report.png"
    chromium(
        tmp_path / "shot",
        "--window-size=1280,2000",
        "--hide-scrollbars",
        f"--screenshot={shot}",
        page.as_uri(),
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000, "the screenshot is nearly empty"
    keep(shot)

    pdf = tmp_path / "report.pdf"
    chromium(tmp_path / "print", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", content))
    assert 2 <= pages <= 16, f"{pages} printed pages for a 20-claim article"
    keep(pdf)
