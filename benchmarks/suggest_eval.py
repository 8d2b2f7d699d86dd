"""How good are `ledger suggest`'s drafts? Scored against hand-annotated articles.

    python -m benchmarks.suggest_eval                    # the development split
    python -m benchmarks.suggest_eval --misses           # ... and every miss, to read
    python -m benchmarks.suggest_eval --split heldout    # the first held-out split (spent)
    python -m benchmarks.suggest_eval --ledger           # with the article's sources in the ledger
    python -m benchmarks.suggest_eval --groups           # one row per writer (or licence) group

The articles and their annotations are in tests/data/suggest (its README says
where each text comes from and how it was annotated). For each article the
suggester drafts a bundle from the text alone, and the draft is compared with
the annotation:

- **cue**: a drafted claim matches an annotated one when their quotes overlap by
  at least half of the shorter (one to one, largest overlaps first). Recall is
  the share of annotated attributed claims matched; precision the share of
  drafted claims that match one.
- **origin**: an annotated chain is found when a matched drafted claim has a
  chain whose origin's label shares more words with that chain's origin than
  with any other source of the article. A label with no content words ("One",
  "The other", "one of the two", "another") shares words with nothing, so it is
  found only when the drafted label is the same words (case, spacing, quote
  marks and edge punctuation folded) and no other source of the article is
  labelled so; "One" is never "One of them". Precision: the share of drafted
  chains whose origin is right in that sense.
- **anonymity reason** and **knowledge**: a drafted source is paired with an
  annotated one when it stands as the right origin of a matched claim. An
  annotated reason is found when a paired drafted source states at least half of
  its words; an annotated `knowledge` when a paired drafted source has the same
  value. Precision: the share of drafted reasons (knowledge values) that are
  right in that sense; a drafted source paired with nobody counts as wrong.

`--ledger` asks another question: when the ledger already holds the article's
named sources (the annotation's, under the annotation's keys), does the draft
reuse them? A drafted source redefines one when the draft defines it under a
new key although its label is closer to that named ledger source than to any
other and shares at least half its words.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

from ledger.suggest import Draft, suggest
from ledger.suggest.heads import content_words
from ledger.suggest.known import Known
from ledger.text import anchoring
from ledger.write.bundle import LoadedBundle, load_file, read_article_text

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "suggest"
SEED = ROOT / "samples" / "rt-is-nusra-deal.yaml"
SPLITS = {
    "dev": lambda: [SEED, *sorted((DATA / "dev").glob("*.yaml"))],
    "heldout": lambda: sorted((DATA / "heldout").glob("*.yaml")),
    "heldout20": lambda: sorted((DATA / "heldout20").glob("*.yaml")),
}
SPLITS["all"] = lambda: SPLITS["dev"]() + SPLITS["heldout"]()
LICENSED = ("voa-", "wikinews-")  # openly licensed texts; the rest was written for the project
# Who wrote each article, by its name's prefix, most specific first: a rule that helps one
# writer's wordings only shows as one group rising while the others stand still or fall.
GROUPS = (
    ("own-blind20-", "fourteenth blind writer"),
    ("own-blind19-", "thirteenth blind writer"),
    ("own-blind18-", "twelfth blind writer"),
    ("own-blind17-", "eleventh blind writer"),
    ("own-blind16-", "tenth blind writer"),
    ("own-blind15-", "ninth blind writer"),
    ("own-blind14-", "eighth blind writer"),
    ("own-blind13-", "seventh blind writer"),
    ("own-blind12-", "sixth blind writer"),
    ("own-blind11-", "fifth blind writer"),
    ("own-blind10-", "fourth blind writer"),
    ("own-blind9-", "third blind writer"),
    ("own-blind8-", "second blind writer"),
    ("own-blind-", "first blind writer"),
    ("own-", "written knowing the rules"),
    ("voa-", "VOA"),
    ("wikinews-", "Wikinews"),
)


@dataclass
class Score:
    """Counts behind every ratio, summed over articles by `add`."""

    annotated: int = 0
    suggested: int = 0
    matched: int = 0
    chains: int = 0
    chains_found: int = 0
    suggested_chains: int = 0
    suggested_chains_right: int = 0
    reasons: int = 0
    reasons_found: int = 0
    reasons_suggested: int = 0
    reasons_suggested_right: int = 0
    knowledge: int = 0
    knowledge_found: int = 0
    knowledge_suggested: int = 0
    knowledge_suggested_right: int = 0

    def add(self, other: Score) -> None:
        for name in (f.name for f in fields(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def ratios(self) -> dict[str, float | None]:
        """Recall and precision of each measure; None where nothing was there to count."""

        def ratio(a: int, b: int) -> float | None:
            return a / b if b else None

        return {
            "cue_recall": ratio(self.matched, self.annotated),
            "cue_precision": ratio(self.matched, self.suggested),
            "origin_recall": ratio(self.chains_found, self.chains),
            "origin_precision": ratio(self.suggested_chains_right, self.suggested_chains),
            "reason_recall": ratio(self.reasons_found, self.reasons),
            "reason_precision": ratio(self.reasons_suggested_right, self.reasons_suggested),
            "knowledge_recall": ratio(self.knowledge_found, self.knowledge),
            "knowledge_precision": ratio(self.knowledge_suggested_right, self.knowledge_suggested),
        }


Spans = list[tuple[int, int]]


def _spans(quote: str, text: str) -> Spans:
    """Every place of a quote: the same words may stand twice in an article."""
    return [(span.start, span.end) for span in anchoring.find_all(quote, text)]


def _overlap(gold: Spans, found: tuple[int, int]) -> int:
    best = 0
    for a in gold:
        shared = min(a[1], found[1]) - max(a[0], found[0])
        if shared > 0 and shared >= 0.5 * min(a[1] - a[0], found[1] - found[0]):
            best = max(best, shared)
    return best


def match(gold: list[Spans], found: list[tuple[int, int]]) -> dict[int, int]:
    """Maximum one-to-one matching of overlapping spans (Kuhn), larger overlaps tried first."""
    edges = {
        g: sorted(
            (f for f in range(len(found)) if _overlap(gold[g], found[f])),
            key=lambda f: -_overlap(gold[g], found[f]),
        )
        for g in range(len(gold))
    }
    owner: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for f in edges[g]:
            if f not in seen:
                seen.add(f)
                if f not in owner or augment(owner[f], seen):
                    owner[f] = g
                    return True
        return False

    for g in range(len(gold)):
        augment(g, set())
    return {g: f for f, g in owner.items()}


def _similarity(a: str, b: str) -> float:
    wa, wb = content_words(a.lower()), content_words(b.lower())
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def _folded(label: str) -> str:
    return " ".join(re.findall(r"[\w'-]+", label.lower().replace("\u2019", "'")))


def same_origin(label: str, gold_label: str, gold_labels: Iterable[str]) -> bool:
    """Is `label` the article's source `gold_label` rather than any other of its sources?

    By shared content words; a label with none ("One", "The other") can share none, so it
    is the annotated one only when the two are the same words and the article labels no
    other source so: exact equality, never a near one."""
    if not content_words(gold_label.lower()):
        folded = _folded(gold_label)
        return _folded(label) == folded and [_folded(o) for o in gold_labels].count(folded) == 1
    best = max(_similarity(label, other) for other in gold_labels)
    return best > 0 and _similarity(label, gold_label) == best


_REASON_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "on",
        "in",
        "at",
        "and",
        "or",
        "but",
        "because",
        "he",
        "she",
        "they",
        "it",
        "his",
        "her",
        "their",
        "its",
        "was",
        "were",
        "is",
        "are",
        "be",
        "been",
        "that",
        "who",
        "which",
        "for",
        "with",
        "by",
        "as",
        "not",
    ]
)


def _reason_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in _REASON_STOP}


def same_reason(drafted: str | None, gold: str) -> bool:
    """Does the drafted reason state at least half of the annotated one's words?"""
    if not drafted:
        return False
    wanted = _reason_words(gold)
    return bool(wanted) and len(wanted & _reason_words(drafted)) * 2 >= len(wanted)


@dataclass
class Result:
    """One article's score, and what the scoring needs to explain it."""

    name: str
    score: Score
    seconds: float
    characters: int
    licensed: bool
    misses: list[str] = field(default_factory=list)


def _draft(loaded: LoadedBundle, text: str) -> tuple[Draft, float]:
    article = loaded.bundle.article
    assert article is not None
    started = time.perf_counter()
    draft = suggest(text, slug=article.slug, title=article.title, outlet=article.outlet)
    return draft, time.perf_counter() - started


def score(path: Path) -> Result:
    """Draft the article of the annotated bundle at `path` and score the draft against it."""
    [loaded] = load_file(path)
    bundle = loaded.bundle
    text = read_article_text(loaded)
    assert text is not None, path
    gold_sources = {source.key: source for source in bundle.sources}
    gold_labels = [source.label for source in bundle.sources]
    gold = [claim for claim in bundle.claims if claim.attributions]
    draft, seconds = _draft(loaded, text)
    drafted = {source.key: source for source in draft.sources}
    found = draft.claims
    pairs = match([_spans(c.quote or "", text) for c in gold], [(c.start, c.end) for c in found])
    result = Result(
        path.stem,
        Score(len(gold), len(found), len(pairs)),
        seconds,
        len(text),
        path.stem.startswith(LICENSED),
    )
    s = result.score
    paired: dict[str, set[str]] = {}  # annotated source key -> drafted source keys
    for index, claim in enumerate(gold):
        origins = [chain[-1].source for chain in claim.chains()]
        s.chains += len(origins)
        suggestion = found[pairs[index]] if index in pairs else None
        if suggestion is None:
            result.misses.append(f"missed: {claim.quote}")
            continue
        drafted_origins = [chain[-1] for chain in suggestion.chains]
        for origin in origins:
            hits = [
                key
                for key in drafted_origins
                if same_origin(drafted[key].label, gold_sources[origin].label, gold_labels)
            ]
            s.chains_found += bool(hits)
            paired.setdefault(origin, set()).update(hits)
            if not hits:
                result.misses.append(
                    f"origin {gold_sources[origin].label!r}, drafted "
                    f"{[drafted[k].label for k in drafted_origins]}: {claim.quote}"
                )
    for index, claim in enumerate(found):
        s.suggested_chains += len(claim.chains)
        gold_index = next((g for g, f in pairs.items() if f == index), None)
        if gold_index is None:
            result.misses.append(f"extra: {claim.quote}")
            continue
        origins = [gold_sources[chain[-1].source].label for chain in gold[gold_index].chains()]
        s.suggested_chains_right += sum(
            any(same_origin(drafted[chain[-1]].label, o, gold_labels) for o in origins)
            for chain in claim.chains
        )
    _score_sources(s, gold_sources, drafted, paired, result.misses)
    return result


def _score_sources(s: Score, gold_sources: dict, drafted: dict, paired: dict, misses: list) -> None:
    """Anonymity reasons and knowledge, over the sources paired through matched claims."""
    partners: dict[str, list[str]] = {}  # drafted key -> annotated keys it was paired with
    for gold_key, keys in paired.items():
        for key in keys:
            partners.setdefault(key, []).append(gold_key)
    for key, source in gold_sources.items():
        mine = [drafted[k] for k in paired.get(key, ())]
        if source.anonymity_reason:
            s.reasons += 1
            hit = any(same_reason(d.anonymity_reason, source.anonymity_reason) for d in mine)
            s.reasons_found += hit
            if not hit:
                misses.append(f"reason of {source.label!r}: {source.anonymity_reason}")
        if source.knowledge is not None and source.knowledge.value != "unknown":
            s.knowledge += 1
            hit = any(d.knowledge == source.knowledge.value for d in mine)
            s.knowledge_found += hit
            if not hit:
                misses.append(
                    f"knowledge of {source.label!r}: {source.knowledge.value}, drafted "
                    f"{[d.knowledge for d in mine] or 'no paired source'}"
                )
    for key, source in drafted.items():
        golds = [gold_sources[g] for g in partners.get(key, ())]
        if source.anonymity_reason:
            s.reasons_suggested += 1
            right = any(
                g.anonymity_reason and same_reason(source.anonymity_reason, g.anonymity_reason)
                for g in golds
            )
            s.reasons_suggested_right += right
            if not right:  # what pulls reason precision down, to read beside the misses
                misses.append(
                    f"wrong reason of {source.label!r} (paired with "
                    f"{[g.label for g in golds]}): {source.anonymity_reason}"
                )
        if source.knowledge and source.knowledge != "unknown":
            s.knowledge_suggested += 1
            s.knowledge_suggested_right += any(
                g.knowledge is not None and g.knowledge.value == source.knowledge for g in golds
            )


def evaluate(paths: Iterable[Path]) -> list[Result]:
    return [score(path) for path in paths]


def total(results: Iterable[Result], name: str) -> Result:
    """The sum of some articles' scores, as one row."""
    summed = Score()
    seconds = characters = 0.0
    for result in results:
        summed.add(result.score)
        seconds = max(seconds, result.seconds)
        characters = max(characters, result.characters)
    return Result(name, summed, seconds, int(characters), False)


def _cell(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


COLUMNS = (
    "cue_recall",
    "cue_precision",
    "origin_recall",
    "origin_precision",
    "reason_recall",
    "reason_precision",
    "knowledge_recall",
    "knowledge_precision",
)
HEADER = (
    "article",
    "claims",
    "drafted",
    "matched",
    "cue R",
    "cue P",
    "origin R",
    "origin P",
    "reason R",
    "reason P",
    "knowledge R",
    "knowledge P",
)


def table(rows: list[Result]) -> str:
    """A Markdown table: one row per article or total."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    for row in rows:
        ratios = row.score.ratios()
        cells = [
            row.name,
            str(row.score.annotated),
            str(row.score.suggested),
            str(row.score.matched),
            *(_cell(ratios[c]) for c in COLUMNS),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(split: str, show_misses: bool = False) -> tuple[str, list[Result]]:
    """The per-article table for one split, with its totals."""
    results = evaluate(SPLITS[split]())
    rows = [*results, total(results, f"**{split}: all articles**")]
    licensed = [r for r in results if r.licensed]
    if licensed:
        rows.append(total(licensed, f"**{split}: openly licensed articles only**"))
    text = table(rows)
    if show_misses:
        text += "\n" + "\n".join(f"{r.name}: {m}" for r in results for m in r.misses)
    return text, results


def group_of(name: str) -> str:
    """The writer group an article belongs to (the seed sample is a group of its own)."""
    return next((f"{prefix}* ({who})" for prefix, who in GROUPS if name.startswith(prefix)), name)


def group_report(split: str) -> str:
    """The split's totals per writer group, then over all articles."""
    results = evaluate(SPLITS[split]())
    groups: dict[str, list[Result]] = {}
    for result in results:
        groups.setdefault(group_of(result.name), []).append(result)
    rows = [total(members, name) for name, members in sorted(groups.items(), key=_group_order)]
    return table([*rows, total(results, f"**{split}: all articles**")])


def _group_order(item: tuple[str, object]) -> int:
    prefixes = [prefix for prefix, _ in GROUPS]
    return next((i for i, p in enumerate(prefixes) if item[0].startswith(p)), -1)


@dataclass
class Reuse:
    """One article drafted with its annotated sources already in the ledger."""

    name: str
    held: int  # drafted sources that name a named source the ledger holds
    reused: int  # of those, drafted under the ledger's key
    redefined: list[str] = field(default_factory=list)


def reuse(path: Path) -> Reuse:
    """Draft the article with its annotated sources as the ledger's, and count what is reused.

    A drafted source stands for a ledger source when it is the right origin of a matched
    claim (as `score` pairs them); it should then carry the ledger's key. Unnamed people
    are left out: the draft rightly never reuses them (`ledger.suggest.known`)."""
    [loaded] = load_file(path)
    bundle, text = loaded.bundle, read_article_text(loaded)
    assert bundle.article is not None and text is not None
    known = [
        Known(s.key, s.label, kind=s.kind.value, anonymity=s.anonymity.value)
        for s in bundle.sources
    ]
    gold_sources = {s.key: s for s in bundle.sources}
    labels = [s.label for s in bundle.sources]
    gold = [claim for claim in bundle.claims if claim.attributions]
    draft = suggest(text, outlet=bundle.article.outlet, known_sources=known)
    drafted = {source.key: source for source in draft.sources}
    pairs = match(
        [_spans(c.quote or "", text) for c in gold], [(c.start, c.end) for c in draft.claims]
    )
    stands_for: dict[str, str] = {}
    for g, f in pairs.items():
        for origin in (chain[-1].source for chain in gold[g].chains()):
            target = gold_sources[origin]
            if target.anonymity.value == "anonymous" and target.kind.value == "person":
                continue
            for chain in draft.claims[f].chains:
                if same_origin(drafted[chain[-1]].label, target.label, labels):
                    stands_for.setdefault(chain[-1], origin)
    result = Reuse(path.stem, len(stands_for), 0)
    for key, origin in stands_for.items():
        if drafted[key].existing and key == origin:
            result.reused += 1
        else:
            result.redefined.append(f"{key} ({drafted[key].label!r}) for {origin}")
    return result


def reuse_report(split: str, by_group: bool = False) -> str:
    """Reuse per article, or per writer group with `by_group` (what was redefined left out)."""
    rows = [reuse(path) for path in SPLITS[split]()]
    lines = ["| article | held by the ledger | reused | redefined |", "| --- | --- | --- | --- |"]
    if by_group:
        groups: dict[str, list[Reuse]] = {}
        for row in rows:
            groups.setdefault(group_of(row.name), []).append(row)
        for name, members in sorted(groups.items(), key=_group_order):
            held, reused = sum(r.held for r in members), sum(r.reused for r in members)
            lines.append(f"| {name} | {held} | {reused} | {held - reused} |")
    for row in [] if by_group else rows:
        lines.append(
            f"| {row.name} | {row.held} | {row.reused} | {'; '.join(row.redefined) or '-'} |"
        )
    held, reused = sum(r.held for r in rows), sum(r.reused for r in rows)
    lines.append(f"| **{split}: all articles** | {held} | {reused} | {held - reused} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="dev")
    parser.add_argument("--misses", action="store_true", help="List every miss under the table.")
    parser.add_argument(
        "--ledger", action="store_true", help="Measure reuse of the ledger's sources instead."
    )
    parser.add_argument(
        "--groups", action="store_true", help="One row per writer group instead of per article."
    )
    args = parser.parse_args()
    if args.ledger:
        print(reuse_report(args.split, args.groups))
        return
    if args.groups:
        print(group_report(args.split))
        return
    text, results = report(args.split, args.misses)
    print(text)
    slowest = max(results, key=lambda r: r.seconds)
    print(
        f"\nslowest draft: {slowest.name}, {slowest.characters} characters, {slowest.seconds:.3f} s"
    )


if __name__ == "__main__":
    main()
