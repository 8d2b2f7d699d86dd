"""Synthetic ledgers for the benchmarks, written as JSON Lines bundles (one bundle per line).

The shapes follow what a newsroom's ledger looks like after years of use,
because the costs the benchmarks measure depend on them:

- articles of 10 to 200 claims (log-normal, median about 40), one of exactly
  200 for the report benchmark;
- attribution chains of one to three hops: an origin, often relayed by one or
  two outlets;
- a few thousand recurring named sources (people, organisations, documents)
  and a few dozen outlets, cited with a Zipf-like skew, so that some sources
  are everywhere and most are occasional;
- many one-off anonymous sources, defined by the article that uses them;
- about a fifth of the claims resting only on unnamed sources, a few per cent
  unattributed, a tenth opinion;
- links between claims (corroborates, contradicts, refines), mostly within an
  article, some to claims of earlier articles.

The first line is a sources-only bundle defining the recurring sources; every
later line is one article. The output is streamed and deterministic for a
given seed, so that every run measures the same ledger.

    python -m benchmarks.generate 100k out.jsonl
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
RECURRING_SOURCES = 3_000
OUTLETS = 40
REPORT_ARTICLE_CLAIMS = 200
CUES = ("said", "told", "according to", "reported", "citing", "confirmed", "wrote")
WORDS = [
    "minister",
    "council",
    "army",
    "city",
    "border",
    "talks",
    "deal",
    "group",
    "rebels",
    "officials",
    "port",
    "budget",
    "election",
    "court",
    "vote",
    "police",
    "report",
    "attack",
    "ceasefire",
    "aid",
    "convoy",
    "village",
    "governor",
    "company",
    "contract",
    "shares",
    "losses",
    "protest",
    "strike",
    "parliament",
    "treaty",
    "summit",
    "drought",
    "harvest",
    "prices",
    "hospital",
    "school",
    "bridge",
    "road",
    "pipeline",
    "refinery",
    "troops",
    "meeting",
]


def parse_scale(text: str) -> int:
    """`10k`, `100k`, `1m`, or a plain number of claims."""
    lowered = text.lower()
    if lowered in SCALES:
        return SCALES[lowered]
    if lowered.endswith("k"):
        return int(float(lowered[:-1]) * 1_000)
    if lowered.endswith("m"):
        return int(float(lowered[:-1]) * 1_000_000)
    return int(lowered)


class _Generator:
    """State shared across articles: source pools and recent claims for cross-article links."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.outlets = [f"outlet-{n}" for n in range(OUTLETS)]
        self.named = [f"src-{n}" for n in range(RECURRING_SOURCES)]
        # Zipf-like weights (s = 0.9): a few sources everywhere, a long tail of occasional ones.
        self.outlet_weights = list(itertools.accumulate(1 / (n + 1) ** 0.9 for n in range(OUTLETS)))
        self.named_weights = list(
            itertools.accumulate(1 / (n + 1) ** 0.9 for n in range(RECURRING_SOURCES))
        )
        self.recent: deque[str] = deque(maxlen=5_000)

    def sentence(self, low: int, high: int) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def recurring_sources(self) -> list[dict[str, Any]]:
        sources: list[dict[str, Any]] = [
            {"key": key, "label": f"Outlet {n}", "kind": "outlet", "anonymity": "named"}
            for n, key in enumerate(self.outlets)
        ]
        for n, key in enumerate(self.named):
            pseudonymous = self.rng.random() < 0.05
            sources.append(
                {
                    "key": key,
                    "label": f"Abu Source {n}" if pseudonymous else f"Source Person {n}",
                    "kind": self.rng.choice(("person", "person", "organization", "document")),
                    "anonymity": "pseudonym" if pseudonymous else "named",
                    "description": self.sentence(4, 8),
                }
            )
        return sources

    def pick_named(self) -> str:
        return self.rng.choices(self.named, cum_weights=self.named_weights)[0]

    def relays(self) -> list[str]:
        """Zero, one or two outlets the origin reached us through."""
        hops = self.rng.choices((0, 1, 2), weights=(45, 40, 15))[0]
        picked = self.rng.choices(self.outlets, cum_weights=self.outlet_weights, k=hops)
        return list(dict.fromkeys(picked))  # a source appears at most once in a chain

    def article(self, number: int, claims: int) -> dict[str, Any]:
        rng = self.rng
        slug = f"a{number}-{rng.choice(WORDS)}-{rng.choice(WORDS)}"
        anonymous = [f"anon-{number}-{n}" for n in range(rng.randint(1, 4))]
        sources = [
            {
                "key": key,
                "label": "a senior official familiar with the talks",
                "anonymity": rng.choice(("anonymous", "anonymous", "anonymous", "unknown")),
                "anonymity_reason": rng.choice(
                    ("not authorised to speak publicly", "feared reprisals", None)
                ),
                "description": self.sentence(3, 6),
                "knowledge": rng.choice(("direct", "secondhand", "unknown")),
            }
            for key in anonymous
        ]
        bundle_claims = []
        links = []
        for index in range(claims):
            key = f"c{index}"
            profile = rng.random()
            if profile < 0.05:
                chains: list[list[str]] = []
            elif profile < 0.25:  # anonymous only, often through another outlet
                chains = [
                    [*self.relays(), rng.choice(anonymous)]
                    for _ in range(rng.choices((1, 2), weights=(70, 30))[0])
                ]
            else:
                chains = [
                    [*self.relays(), self.pick_named()]
                    for _ in range(rng.choices((1, 2, 3), weights=(55, 30, 15))[0])
                ]
            text = self.sentence(12, 25)
            claim: dict[str, Any] = {
                "key": key,
                "text": text,
                "kind": "opinion" if rng.random() < 0.1 else "fact",
                "cue": rng.choice(CUES),
            }
            if rng.random() < 0.5:
                claim["quote"] = " ".join(text.split()[:8])
            if chains:
                claim["attributions"] = chains
            bundle_claims.append(claim)
            if index and rng.random() < 0.2:
                links.append(self.link(key, index))
        self.recent.extend(f"{slug}/c{index}" for index in range(claims))
        return {
            "version": 1,
            "article": {
                "slug": slug,
                "title": self.sentence(5, 10),
                "outlet": "The Daily",
                "published": f"20{rng.randint(15, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "byline": f"Reporter {rng.randint(1, 300)}",
            },
            "sources": sources,
            "claims": bundle_claims,
            "links": links,
        }

    def link(self, key: str, index: int) -> dict[str, str]:
        relation = self.rng.choices(("corroborates", "contradicts", "refines"), (60, 20, 20))[0]
        if self.recent and self.rng.random() < 0.3:
            target = self.rng.choice(self.recent)
        else:
            target = f"c{self.rng.randrange(index)}"
        return {"from": key, "relation": relation, "to": target}


def bundles(total_claims: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """The ledger's bundles, one at a time: recurring sources first, then articles."""
    generator = _Generator(seed)
    yield {"version": 1, "sources": generator.recurring_sources()}
    written, number = 0, 0
    while written < total_claims:
        if number == 1:
            size = REPORT_ARTICLE_CLAIMS
        else:
            size = int(min(200, max(10, generator.rng.lognormvariate(3.7, 0.6))))
        size = min(size, total_claims - written)
        yield generator.article(number, size)
        written += size
        number += 1


def article_bundles(articles: int, claims: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """`articles` articles of exactly `claims` claims each, as bundle files would hold them.

    The same generator as `bundles`, but no sources-only bundle: each recurring
    source is defined by the first article that cites it, as a journalist's
    bundle defines the sources it introduces and cites the ledger's others by key.
    """
    generator = _Generator(seed)
    recurring = {source["key"]: source for source in generator.recurring_sources()}
    for number in range(articles):
        bundle = generator.article(number, claims)
        cited = dict.fromkeys(
            hop
            for claim in bundle["claims"]
            for chain in claim.get("attributions", [])
            for hop in chain
        )
        new = [recurring.pop(key) for key in cited if key in recurring]
        bundle["sources"] = new + bundle["sources"]
        yield bundle


def write(path: Path, total_claims: int, seed: int = 7) -> int:
    """Write the ledger as JSON Lines; returns the number of lines."""
    lines = 0
    with path.open("w", encoding="utf-8") as out:
        for bundle in bundles(total_claims, seed):
            out.write(json.dumps(bundle, separators=(",", ":")) + "\n")
            lines += 1
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", help="number of claims: 10k, 100k, 1m or a number")
    parser.add_argument("output", type=Path, help="the JSON Lines file to write")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    lines = write(args.output, parse_scale(args.scale), args.seed)
    print(f"wrote {lines} bundles to {args.output}")


if __name__ == "__main__":
    main()
