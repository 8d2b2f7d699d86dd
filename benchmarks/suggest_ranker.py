"""Learn the weights that rank who a "he", "she", "they" or "it" stands for, and test them.

    python -m benchmarks.suggest_ranker --logo       # leave one writer group out, against the rules
    python -m benchmarks.suggest_ranker --write      # train on all of dev, write the weights file

The suggester is run with the rules on every development article; wherever a
pronoun was read as the origin of a drafted claim that matches an annotated one,
the sources it could have stood for are kept with their features
(`ledger.suggest.ranking.features`), and those whose label is the annotated
origin's (as `benchmarks.suggest_eval` scores origins) are the right ones. A
conditional logit (a softmax over each pronoun's candidates, plain Python) is
fitted to them.

`--logo` asks whether the weights generalise to a writer the rules have not seen:
for every writer group of `suggest_eval.GROUPS`, the weights are learned from the
other groups only, and the group's articles are scored with them and with the
rules. `--write` learns from all of dev and writes `ledger/suggest/pronoun_weights.json`.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.suggest_eval import (
    SPLITS,
    Result,
    _spans,
    group_of,
    match,
    same_origin,
    score,
    table,
    total,
)
from ledger.suggest import draft, ranking, suggest
from ledger.write.bundle import load_file, read_article_text

POOL = "recent"  # the candidates: any source met lately ("fitting": those the rule would take)


@dataclass
class Choice:
    """One pronoun read as a claim's origin: its candidates' features, which are right."""

    group: str
    candidates: list[list[str]]
    right: list[bool]
    labels: list[str]  # the candidates' final labels, and the claim, to read
    claim: str = ""


@contextmanager
def _recording(log: list[dict[str, Any]]) -> Any:
    """Run the suggester with the rule's choices, keeping every pronoun's candidates."""
    saved = ranking.WEIGHTS, ranking.choose, draft._resolve_chain, draft._claim
    ranking.WEIGHTS = ranking.Weights({"(record)": 0.0}, POOL)

    def choose(scored: Any, weights: dict[str, float]) -> Any:
        ruled = next(s for s, names in scored if names[0].endswith(":rule"))
        log.append({"scored": scored, "origin": False, "claim": None})
        return ruled

    def resolve_chain(book: Any, chain: Any, why: list[str]) -> Any:
        before = len(log)
        found = saved[2](book, chain, why)
        if len(log) > before and chain[-1].text.lower() in ranking.PRONOUN_CLASSES:
            log[-1]["origin"] = True  # the last pronoun read is the chain's origin
        return found

    def claim(*args: Any) -> Any:
        before = len(log)
        made = saved[3](*args)
        for entry in log[before:]:
            entry["claim"] = made
        return made

    ranking.choose, draft._resolve_chain, draft._claim = choose, resolve_chain, claim
    try:
        yield
    finally:
        ranking.WEIGHTS, ranking.choose, draft._resolve_chain, draft._claim = saved


def choices(paths: Iterable[Path]) -> list[Choice]:
    """Every pronoun read as the origin of a matched claim, in the development articles."""
    found: list[Choice] = []
    for path in paths:
        [loaded] = load_file(path)
        bundle, text = loaded.bundle, read_article_text(loaded)
        assert bundle.article is not None and text is not None
        log: list[dict[str, Any]] = []
        with _recording(log):
            made = suggest(
                text,
                slug=bundle.article.slug,
                title=bundle.article.title,
                outlet=bundle.article.outlet,
            )
        gold = [claim for claim in bundle.claims if claim.attributions]
        labels = {source.key: source.label for source in bundle.sources}
        spans = [_spans(claim.quote or "", text) for claim in gold]
        pairs = {f: g for g, f in match(spans, [(c.start, c.end) for c in made.claims]).items()}
        index = {id(claim): i for i, claim in enumerate(made.claims)}
        for entry in log:
            at = index.get(id(entry["claim"]))
            if not entry["origin"] or at is None or at not in pairs:
                continue
            origins = [labels[chain[-1].source] for chain in gold[pairs[at]].chains()]
            right = [
                any(same_origin(s.label, o, labels.values()) for o in origins)
                for s, _ in entry["scored"]
            ]
            if any(right):
                names = [names for _, names in entry["scored"]]
                labels_now = [s.label for s, _ in entry["scored"]]
                quote = f"{path.stem}: {entry['claim'].quote[:80]}"
                found.append(Choice(group_of(path.stem), names, right, labels_now, quote))
    return found


def train(data: list[Choice], epochs: int = 40, rate: float = 0.1, l2: float = 1.0) -> dict:
    """A conditional logit by stochastic gradient: the right candidates' share, maximised."""
    weights: dict[str, float] = {}
    for epoch in range(epochs):
        step = rate / (1 + epoch / 10)
        for choice in data:
            scores = [sum(weights.get(n, 0.0) for n in names) for names in choice.candidates]
            top = max(scores)
            exp = [math.exp(s - top) for s in scores]
            whole = sum(exp)
            right = sum(e for e, r in zip(exp, choice.right, strict=True) if r)
            for names, e, r in zip(choice.candidates, exp, choice.right, strict=True):
                # d log(P(right)) / d score = P(c | right) [c right] - P(c)
                gradient = (e / right if r else 0.0) - e / whole
                for name in names:
                    weights[name] = weights.get(name, 0.0) + step * gradient
            for name in weights:
                weights[name] -= step * l2 * weights[name] / len(data)
    return {name: round(value, 4) for name, value in sorted(weights.items()) if value}


@contextmanager
def _weights(weights: dict[str, float]) -> Any:
    saved = ranking.WEIGHTS
    ranking.WEIGHTS = ranking.Weights(weights, POOL)
    try:
        yield
    finally:
        ranking.WEIGHTS = saved


def leave_one_group_out() -> str:
    """Per writer group: the rules, then weights learned from the other groups only."""
    paths = SPLITS["dev"]()
    with _weights({}):
        data = choices(paths)
        rules = {path: score(path) for path in paths}
    groups = sorted({group_of(path.stem) for path in paths})
    rows: list[Result] = []
    lines = ["| group | pronoun origins | chains | rules found | ranker found | change |"]
    lines.append("|" + " --- |" * 6)
    learned: dict[Path, Result] = {}
    for group in groups:
        mine = [p for p in paths if group_of(p.stem) == group]
        with _weights(train([c for c in data if c.group != group])):
            results = [score(path) for path in mine]
        learned.update(zip(mine, results, strict=True))
        before = total([rules[p] for p in mine], group).score
        after = total(results, group).score
        rows += [
            total([rules[p] for p in mine], f"{group}, rules"),
            total(results, f"{group}, ranker"),
        ]
        lines.append(
            f"| {group} | {sum(c.group == group for c in data)} | {before.chains} | "
            f"{before.chains_found} | {after.chains_found} | "
            f"{after.chains_found - before.chains_found:+d} |"
        )
    rows += [
        total(rules.values(), "**dev, rules**"),
        total(learned.values(), "**dev, ranker left out of each group**"),
    ]
    return "\n".join(lines) + "\n\n" + table(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logo", action="store_true", help="leave one writer group out")
    parser.add_argument("--write", action="store_true", help="write the weights learned on dev")
    args = parser.parse_args()
    if args.logo:
        print(leave_one_group_out())
    if args.write:
        with _weights({}):
            data = choices(SPLITS["dev"]())
        weights = {"pool": POOL, "weights": train(data)}
        ranking.WEIGHTS_FILE.write_text(json.dumps(weights, indent=1, sort_keys=True) + "\n")
        print(f"{len(data)} pronouns, {len(weights['weights'])} weights -> {ranking.WEIGHTS_FILE}")


if __name__ == "__main__":
    main()
