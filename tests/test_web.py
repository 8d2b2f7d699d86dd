"""The editor's desk (`ledger serve`) through Starlette's TestClient, on SQLite and PostgreSQL.

Every page is checked against the CLI, which asks the same rules: the filters
against `ledger claims`, the source page against `claims --source`, the
downloads against `ledger report`. Safety: sealed identities never appear,
notes only with `--internal`, hostile claim text renders inert, unknown names
are a 404 page, and nothing but GET is answered.
"""

from __future__ import annotations

import html
import json
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("starlette.testclient", reason="the web view needs the starlette package")

from starlette.testclient import TestClient
from typer.testing import CliRunner

from ledger.cli import app as cli_app
from ledger.cli.serve import desk_hosts
from ledger.web import marks
from ledger.web.app import SECURITY_HEADERS, create_app
from tests.test_protection import CANARY_CONTACT, CANARY_NAME, CANARY_NOTE, seal_canary

SLUG = "rt-is-nusra-deal"
FORMATS = ["md", "html", "json", "csv", "prov-json", "prov-n", "dot"]
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>"><b>{{ 7*7 }}'


def client(db: str, *, internal: bool = False) -> TestClient:
    return TestClient(create_app(db, internal=internal), base_url="http://127.0.0.1")


@pytest.fixture
def web(seeded) -> TestClient:
    return client(seeded.db)


def get_json(web: TestClient, path: str) -> dict:
    response = web.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def cli_keys(cli, *args: str) -> list[str]:
    return [item["key"] for item in json.loads(cli.ok("claims", *args, "--json"))]


def row_keys(page: str) -> list[str]:
    return re.findall(r'<tr class="claim-row [^"]*" id="claim-[^"]*" data-key="([^"]+)"', page)


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# --- the pages -----------------------------------------------------------------------------------


def test_overview_has_every_article_with_its_figures_and_the_flagged_claims(web, seeded):
    data = get_json(web, "/")
    [article] = data["articles"]
    assert article["slug"] == SLUG and article["href"] == f"/articles/{SLUG}"
    figures = article["figures"]
    assert (figures["claims"], figures["uncorroborated_facts"]) == (20, 16)
    assert (figures["anonymous_only"], figures["contradicted"]) == (14, 0)
    flagged = {item["key"] for item in data["flagged"]}
    everything = json.loads(seeded.ok("claims", "--json"))
    flags = (
        "uncorroborated",
        "anonymous_only",
        "contradicted",
        "single_intermediary",
        "borrowed_anonymity",
    )
    assert flagged == {item["key"] for item in everything if any(item[f] for f in flags)}
    by_flags = get_json(web, "/?sort=flags&order=desc")["flagged"]
    counts = [sum(item[f] for f in flags) for item in by_flags]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    page = web.get("/").text
    assert (
        "Flagged claims across the ledger" in page and 'href="?sort=status&amp;order=asc"' in page
    )


@pytest.mark.parametrize(
    "filters",
    [
        ["uncorroborated"],
        ["anonymous_only"],
        ["contradicted"],
        ["uncorroborated", "anonymous_only"],
    ],
)
def test_article_filters_keep_exactly_what_the_claims_query_finds(web, seeded, filters):
    query = "&".join(f"{name}=1" for name in filters)
    expected = cli_keys(seeded, "--article", SLUG, *(f"--{n.replace('_', '-')}" for n in filters))
    data = get_json(web, f"/articles/{SLUG}?{query}")
    assert [item["key"] for item in data["claims"]] == expected
    assert row_keys(web.get(f"/articles/{SLUG}?{query}").text) == expected


def test_article_page_flags_first_then_claims_text_graph_and_downloads(web):
    page = web.get(f"/articles/{SLUG}").text
    order = [
        page.find(f'id="{name}"')
        for name in ("flags", "claims", "text", "graph", "sources", "downloads")
    ]
    assert -1 not in order and order == sorted(order)
    assert len(row_keys(page)) == 20
    assert "<svg" in page and 'class="graph"' in page
    for fmt in FORMATS:
        assert f'href="/articles/{SLUG}/report/{fmt}"' in page
    for code in ("LS105", "LS106", "LS202"):
        assert f'id="{code}"' in page


def test_chains_are_written_out_as_the_cli_writes_them(web):
    page = web.get(f"/articles/{SLUG}").text
    chains = [text_of(item) for item in re.findall(r'<li class="chain">(.*?)</li>', page)]
    assert (
        "AP ← a prominent Syrian opposition official (anonymous: insisted on anonymity)" in chains
    )
    assert "the Guardian ← a senior Al-Nusra Front source (anonymous: no reason stated)" in chains
    assert 'href="/sources/opposition-official"' in page


def test_every_quote_is_highlighted_and_numbered_in_the_text(web):
    page = web.get(f"/articles/{SLUG}").text
    data = get_json(web, f"/articles/{SLUG}")
    for number, claim in enumerate(data["claims"], start=1):
        if claim["quote"]:
            assert re.search(
                rf'id="q-{claim["key"]}" href="#claim-{claim["key"]}"[^>]*>{number}<', page
            ), claim["key"]
    assert page.count('<mark class="q ') >= 20
    shown = re.search(r'<div class="article-text">(.*?)</div>', page, flags=re.S).group(1)
    without_numbers = re.sub(r'<a class="qn[^>]*>\d+</a>', "", shown)
    assert text_of(without_numbers) == data["article"]["text"]


def test_overlapping_quotes_are_cut_into_flat_segments():
    text = "one two three four"
    placed = [marks.Mark(0, 13, 1, "a"), marks.Mark(4, 18, 2, "b"), marks.Mark(8, 13, 3, "c")]
    pieces = marks.segments(text, placed)
    assert "".join(piece.text for piece in pieces) == text
    assert [(p.text, p.covering, p.starting) for p in pieces] == [
        ("one ", (1,), (1,)),
        ("two ", (1, 2), (2,)),
        ("three", (1, 2, 3), (3,)),
        (" four", (2,), ()),
    ]
    assert pieces[2].innermost == 3


def test_source_page_lists_every_claim_through_the_source_with_its_role(web, seeded):
    for key in ("ap", "opposition-official", "abu-musafer"):
        data = get_json(web, f"/sources/{key}")
        assert [item["key"] for item in data["claims"]] == cli_keys(seeded, "--source", key)
    roles = {item["key"]: item["role"] for item in get_json(web, "/sources/ap")["claims"]}
    assert roles["deal"] == "intermediary" and roles["meeting-nov2"] == "origin"
    official = get_json(web, "/sources/opposition-official")
    assert official["source"]["label"] == "a prominent Syrian opposition official"
    assert {item["role"] for item in official["claims"]} == {"origin"}
    assert official["history"][0]["action"] == "import"
    page = web.get("/sources/opposition-official").text
    assert "insisted on anonymity" in page and 'class="hop unnamed current"' in page


def test_claim_page_has_chains_links_both_ways_and_history(web, seeded):
    seeded.ok("claim", "edit", f"{SLUG}/meeting-nov2", "--cue", "according to the agency")
    aware = get_json(web, f"/claims/{SLUG}/musafer-aware")
    assert {"relation": "corroborates", "to": f"{SLUG}/meeting-nov2"} in aware["links"]
    meeting = get_json(web, f"/claims/{SLUG}/meeting-nov2")
    assert {"relation": "corroborates", "from": f"{SLUG}/musafer-aware"} in meeting["linked_from"]
    assert meeting["number"] == 3 and meeting["status"] == "corroborated"
    assert [event["action"] for event in meeting["history"]][-1] == "claim.edit"
    page = web.get(f"/claims/{SLUG}/meeting-nov2").text
    assert "corroborated by" in page and f'href="/claims/{SLUG}/musafer-aware"' in page
    assert "according to the agency" in page and "<del>according to</del>" in page
    deal = web.get(f"/claims/{SLUG}/deal").text
    assert "LS201" in deal and "refined by" in deal


def test_every_page_answers_json_at_the_same_address(web):
    for path in ("/", "/sources", f"/articles/{SLUG}", "/sources/ap", f"/claims/{SLUG}/deal"):
        by_header = get_json(web, path)
        by_query = web.get(path, params={"format": "json"}).json()
        assert by_header == by_query, path
        page = web.get(path)
        assert page.headers["content-type"].startswith("text/html")
        assert "Accept" in page.headers["vary"]


def test_report_downloads_are_the_reports_the_cli_writes(web, seeded, tmp_path):
    for fmt in FORMATS:
        response = web.get(f"/articles/{SLUG}/report/{fmt}")
        assert response.status_code == 200, fmt
        assert response.headers["content-disposition"].startswith("attachment; filename=")
        if fmt in ("md", "csv", "json", "dot"):  # the formats that carry no time or salt
            written = tmp_path / f"report.{fmt}"
            seeded.ok("report", SLUG, "-f", fmt, "-o", str(written))
            assert response.content == written.read_bytes(), fmt
    public = web.get(f"/articles/{SLUG}/report/md?public=1").text
    assert "opposition-official" not in public and "unnamed-" in public


# --- safety --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/articles/no-such-article",
        f"/articles/{SLUG}/report/pdf",
        "/sources/no-such-source",
        f"/claims/{SLUG}/no-such-claim",
        "/claims/no-such-article/deal",
        "/no/such/page",
        "/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ],
)
def test_unknown_names_give_a_404_page(web, path):
    page = web.get(path)
    assert page.status_code == 404
    assert "<h1>Not found</h1>" in page.text and "<script" not in page.text
    assert 'href="/"' in page.text
    answer = web.get(path, headers={"Accept": "application/json"})
    assert answer.status_code == 404 and answer.json()["status"] == 404


def test_only_reads_are_answered_and_only_on_this_computers_names(web):
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert web.request(method, f"/articles/{SLUG}").status_code == 405
    assert web.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert web.get("/", headers={"Host": "localhost:8000"}).status_code == 200
    policy = web.get("/").headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy


def hostile_bundle(folder: Path) -> Path:
    """A bundle whose every free text tries markup, script and template injection."""
    text = f"Opening. {HOSTILE} is what they said. Closing."
    bundle = {
        "version": 1,
        "article": {
            "slug": "hostile",
            "title": f"Title {HOSTILE}",
            "outlet": HOSTILE,
            "byline": HOSTILE,
            "url": "javascript:alert(1)",
            "text": text,
        },
        "sources": [
            {
                "key": "mole",
                "label": f"mole {HOSTILE}",
                "anonymity": "anonymous",
                "anonymity_reason": HOSTILE,
                "description": HOSTILE,
                "affiliation": HOSTILE,
            },
        ],
        "claims": [
            {
                "key": "bad",
                "text": f"Claim {HOSTILE}",
                "quote": f"{HOSTILE} is what they said",
                "cue": HOSTILE,
                "attributions": [["mole"]],
            },
            {"key": "other", "text": f"Other {HOSTILE}", "kind": "opinion"},
        ],
        "links": [{"from": "other", "relation": "contradicts", "to": "bad"}],
    }
    path = folder / "hostile.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


def test_hostile_text_renders_inert_everywhere(seeded, tmp_path):
    seeded.ok("import", str(hostile_bundle(tmp_path)))
    web = client(seeded.db)
    for path in (
        "/",
        "/sources",
        "/articles/hostile",
        "/articles/hostile?contradicted=1",
        "/sources/mole",
        "/claims/hostile/bad",
        "/claims/hostile/other",
    ):
        page = web.get(path).text
        assert "<script" not in page and "<img" not in page and "<b>" not in page, path
        assert "&lt;script&gt;" in page and "{{ 7*7 }}" in page, path
        assert 'href="javascript:' not in page, path
        assert json.loads(web.get(path, params={"format": "json"}).text)  # still valid JSON
    report = web.get("/articles/hostile/report/html").text
    assert "<script" not in report and "&lt;script&gt;" in report


@pytest.fixture
def canary_ledger(seeded, key_file):
    seal_canary(seeded, key_file)
    seeded.ok("source", "edit", "opposition-official", "--notes", CANARY_NOTE)
    seeded.ok("claim", "edit", f"{SLUG}/deal", "--notes", CANARY_NOTE)
    seeded.ok("source", "reveal", "opposition-official", "--key-file", str(key_file))
    return seeded


PAGES = [
    "/",
    "/?sort=flags&order=desc",
    "/sources",
    f"/articles/{SLUG}",
    f"/articles/{SLUG}?anonymous_only=1",
    "/sources/opposition-official",
    "/sources/ap",
    f"/claims/{SLUG}/deal",
    f"/claims/{SLUG}/atareb",
]
DOWNLOADS = [
    f"/articles/{SLUG}/report/{fmt}{extra}" for fmt in FORMATS for extra in ("", "?public=1")
]


def everything(web: TestClient) -> dict[str, str]:
    """Every page in HTML and JSON, and every report download, by address."""
    seen = {}
    for path in PAGES:
        seen[path] = web.get(path).text
        seen[f"{path} (json)"] = web.get(path, headers={"Accept": "application/json"}).text
    for path in DOWNLOADS:
        seen[path] = web.get(path).text
    return seen


def test_the_canary_never_appears_and_notes_only_with_internal(canary_ledger):
    public = everything(client(canary_ledger.db))
    internal = everything(client(canary_ledger.db, internal=True))
    for path, text in (*public.items(), *internal.items()):
        assert CANARY_NAME not in text and CANARY_CONTACT not in text, path
    for path, text in public.items():
        assert CANARY_NOTE not in text, path
    shown = {path for path, text in internal.items() if CANARY_NOTE in text}
    assert {
        f"/articles/{SLUG}",
        "/sources/opposition-official",
        f"/claims/{SLUG}/deal",
        f"/claims/{SLUG}/deal (json)",
        "/sources/opposition-official (json)",
    } <= shown
    assert not any("?public=1" in path for path in shown)
    assert "[sealed]" in public["/sources/opposition-official"]
    assert (
        json.loads(public["/sources/opposition-official (json)"])["sealed_identity"] == "[sealed]"
    )


def test_every_response_carries_the_security_headers(web):
    """Static files, refusals and errors too, not only the pages the desk renders."""
    answers = {
        "page": web.get(f"/articles/{SLUG}"),
        "json": web.get("/?format=json"),
        "static file": web.get("/static/desk.css"),
        "404": web.get("/no/such/page"),
        "405": web.post("/"),
        "host refused": web.get("/", headers={"Host": "evil.example"}),
    }
    assert answers["static file"].status_code == 200
    assert answers["static file"].headers["content-type"].startswith("text/css")
    for what, answer in answers.items():
        for name, value in SECURITY_HEADERS.items():
            assert answer.headers.get(name) == value, (what, name)
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"], what


def test_the_host_check_stays_on_when_listening_on_every_address(seeded):
    """`--host 0.0.0.0` accepts loopback names and the --allowed-host names, nothing else."""
    allowed = desk_hosts("0.0.0.0", ["Desk.Newsroom.example", "192.168.1.20", "fe80::1"])
    web = TestClient(create_app(seeded.db, allowed_hosts=allowed), base_url="http://127.0.0.1")
    for host in ("evil.example", "evil.example:8000", "newsroom.example", "192.168.1.21"):
        answer = web.get("/", headers={"Host": host})
        assert answer.status_code == 400, host
        assert "Uncorroborated" not in answer.text
    for host in (
        "127.0.0.1:8000",
        "localhost",
        "[::1]:8000",
        "desk.newsroom.example:8000",
        "192.168.1.20",
        "[fe80::1]:8000",
    ):
        assert web.get("/", headers={"Host": host}).status_code == 200, host
    with pytest.raises(ValueError, match="Host check off"):
        create_app(seeded.db, allowed_hosts=["*"])


@pytest.mark.parametrize(
    "name", ["*", "http://desk.example", "desk.example:8000", "desk example", "desk/x", ""]
)
def test_allowed_host_refuses_what_is_not_a_host_name_in_one_line(seeded, name):
    result = seeded("serve", "--host", "0.0.0.0", "--allowed-host", name)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --allowed-host: ")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


# --- the command ---------------------------------------------------------------------------------


def test_serve_refuses_a_port_in_use_in_one_line(seeded):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = seeded("serve", "--port", port)
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_without_a_ledger_says_so(tmp_path):
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 2 and "ledger init" in result.stderr


def start_server(
    db: str, *extra: str, address: str = r"127\.0\.0\.1"
) -> tuple[subprocess.Popen[str], str]:
    """`ledger serve --port 0` in a process of its own; returns it and the address it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "ledger", "serve", "--port", "0", "--db", db, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    found = re.search(rf"http://{address}:\d+/", first)
    if not found:
        process.kill()
        raise AssertionError(f"no address in {first!r}: {process.communicate()[1]}")
    return process, found.group(0)


def test_serve_binds_to_loopback_says_so_and_serves(seeded):
    if "postgresql" in seeded.db:
        pytest.skip("the command is the same on both engines; started once, on SQLite")
    process, url = start_server(seeded.db)
    try:
        assert process.stdout is not None
        said = process.stdout.readline() + process.stdout.readline() + process.stdout.readline()
        assert "only this computer can open it" in said and "notes hidden" in said
        with urllib.request.urlopen(url + f"articles/{SLUG}", timeout=30) as page:
            assert page.status == 200 and "Uncorroborated facts" in page.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=30)


def fetch(url: str, host: str) -> int:
    """The status of a GET of `url` sent with the Host header `host`."""
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_serve_beyond_loopback_warns_in_one_line_and_keeps_the_host_check(seeded):
    if "postgresql" in seeded.db:
        pytest.skip("the command is the same on both engines; started once, on SQLite")
    extra = ("--host", "0.0.0.0", "--allowed-host", "desk.newsroom.example")
    process, url = start_server(seeded.db, *extra, address=r"0\.0\.0\.0")
    try:
        assert process.stdout is not None and process.stderr is not None
        warning = process.stderr.readline()
        assert warning.startswith("warning: listening on 0.0.0.0")
        assert (
            "no logins yet" in warning and "anyone who can reach it can read the ledger" in warning
        )
        said = "".join(process.stdout.readline() for _ in range(3))
        assert "only this computer" not in said
        assert "Host names accepted:" in said and "desk.newsroom.example" in said
        local = url.replace("0.0.0.0", "127.0.0.1")
        assert fetch(local, "evil.example") == 400
        assert fetch(local, "desk.newsroom.example:1234") == 200
        assert fetch(local + "static/desk.css", "127.0.0.1") == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert process.stderr.read() == ""  # the warning was the one line


def test_help_names_the_loopback_default(seeded):
    result = seeded("serve", "--help", db=False)
    assert result.exit_code == 0
    assert "127.0.0.1" in result.stdout and "--internal" in result.stdout
