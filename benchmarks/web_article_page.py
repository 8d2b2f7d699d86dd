"""How long the editor's desk takes to render the article page of a 200-claim article.

Builds a throw-away SQLite ledger holding one article of 200 claims (quotes
anchored in its text, chains of one to three hops through named, pseudonymous
and anonymous sources, some corroborating and contradicting links), then asks
the web application for the article page in-process, straight through ASGI,
N times, and prints the median and other percentiles. This is the server's
whole work for a page: routing, one read session, the report (verdicts,
findings, graph), the template. The target is a median under 200 ms.

    python -m benchmarks.web_article_page            # 30 runs
    python -m benchmarks.web_article_page --runs 100 --claims 200
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

SLUG = "two-hundred"


def bundle(claims: int, seed: int = 7) -> dict[str, Any]:
    """One article with `claims` claims, deterministic for a seed."""
    rng = random.Random(seed)
    sources = [
        {"key": "wire", "label": "the wire agency", "kind": "outlet", "anonymity": "named"},
        {"key": "paper", "label": "a partner paper", "kind": "outlet", "anonymity": "named"},
        *(
            {"key": f"named-{n}", "label": f"Official Number {n}", "anonymity": "named"}
            for n in range(12)
        ),
        *(
            {
                "key": f"anon-{n}",
                "label": f"a person close to case {n}",
                "anonymity": "anonymous",
                "anonymity_reason": "not authorised to speak" if n % 3 else None,
            }
            for n in range(10)
        ),
        {"key": "alias", "label": "Abu Example", "anonymity": "pseudonym"},
    ]
    origins = [source["key"] for source in sources[2:]]
    sentences, items = [], []
    for number in range(claims):
        sentence = (
            f"Claim sentence {number} says that event {number} happened on day {number % 28}."
        )
        sentences.append(sentence)
        chains = []
        for _ in range(rng.choice([0, 1, 1, 1, 2, 2, 3]) if number % 17 else 0):
            relays = rng.choice([[], ["wire"], ["wire"], ["paper", "wire"]])
            chains.append([*relays, rng.choice(origins)])
        items.append(
            {
                "key": f"c{number}",
                "text": f"Event {number} happened.",
                "quote": sentence,
                "kind": "opinion" if number % 10 == 9 else "fact",
                "attributions": chains,
            }
        )
    links = [
        {
            "from": f"c{n}",
            "relation": rng.choice(["corroborates", "corroborates", "contradicts", "refines"]),
            "to": f"c{rng.randrange(claims)}",
        }
        for n in range(0, claims, 4)
    ]
    links = [link for link in links if link["from"] != link["to"]]
    text = "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, claims, 5))
    return {
        "version": 1,
        "article": {"slug": SLUG, "title": f"An article of {claims} claims", "text": text},
        "sources": [{k: v for k, v in source.items() if v is not None} for source in sources],
        "claims": items,
        "links": links,
    }


def build_ledger(path: Path, claims: int) -> str:
    from ledger.storage.database import Database
    from ledger.storage.migrations import upgrade
    from ledger.write.bundle import validate
    from ledger.write.importer import import_bundles

    database = Database.open(str(path), must_exist=False)
    upgrade(database)
    loaded = validate(bundle(claims), origin="benchmark", base_dir=path.parent)
    with database.write("benchmark") as session:
        import_bundles(session, [loaded])
    database.dispose()
    return str(path)


async def get(app: Any, path: str) -> tuple[int, bytes]:
    """One GET through the ASGI interface, as uvicorn would make it; (status, body)."""
    sent: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", b"text/html")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--claims", type=int, default=200)
    options = parser.parse_args()

    from ledger.web.app import create_app

    with tempfile.TemporaryDirectory(prefix="ledger-web-bench-") as folder:
        db = build_ledger(Path(folder) / "ledger.db", options.claims)
        app = create_app(db)
        path = f"/articles/{SLUG}"
        status, body = asyncio.run(get(app, path))  # warm-up: templates compile, caches fill
        assert status == 200, body[:500]
        rows = body.count(b'class="claim-row ')
        timings = []
        for _ in range(options.runs):
            started = time.perf_counter()
            asyncio.run(get(app, path))
            timings.append((time.perf_counter() - started) * 1000)
        app.state.database.dispose()
    timings.sort()
    print(
        f"article page, {options.claims} claims ({rows} rows, {len(body) // 1024} KiB), "
        f"{options.runs} runs"
    )
    print(
        f"median {statistics.median(timings):.1f} ms; "
        f"p90 {timings[int(len(timings) * 0.9) - 1]:.1f} ms; "
        f"min {timings[0]:.1f} ms; max {timings[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
