"""Why are origins and anonymity reasons missed? Each miss of the blind writers, by cause.

    python -m benchmarks.suggest_causes            # counts per cause and writer group
    python -m benchmarks.suggest_causes --show     # ... and every miss with its cause, to read

Scored as `benchmarks.suggest_eval` scores (same matching, same origin and reason
tests), on the development split's articles by writers who had not read the rules
(`own-blind*`). The causes are decided mechanically, from the draft and the
annotation, so that a round of rules can be aimed at the largest ones:

Origins (a matched claim whose annotated origin is not among the drafted origins):

- **no speaker**: the claim was drafted with no chain, or with the publisher only.
- **relay for origin**: the drafted origin is a hop of the annotated chain, or the
  annotated origin stands in the drafted chain before its end: nested speech
  ("He said, 'It's temporary,'" inside a worker's quotation; "had heard from two
  operators that") drafted as the relay's own claim.
- **label only**: the drafted origin is the annotated one by its words (all its
  content words are in the annotated label or description, or the other way
  round), yet is scored as another source: the right entity under a shorter or
  later label ("Dana" for "A 24-year-old picker" named later, "The analyst").
- **label has a clause**: the same, where the annotated label carries a relative
  clause that the guide puts in `description` ("A minister who has worked with ...").
- **back-reference left standing**: the drafted origin is a pronoun or a bare
  definite description ("It", "The other", "the company", "the force", "the same
  aide") drafted as a source of its own, or scored as another source whose label
  shares its noun: the entity it refers back to was not in the register (a body
  named outside any attribution) or was passed over.
- **other speaker, nearer**: drafted under another source of the article, the one
  a neighbouring annotated claim (within two claims) is attributed to.
- **other speaker**: drafted under another source of the article, not a neighbour's.
- **reference unresolved, source drafted**: the drafted origin is no source of the
  annotation (a pronoun, "the official", a stray phrase), while the right source was
  drafted for some other claim: coreference failed.
- **source never drafted**: as above, but no drafted source stands for the annotated
  one anywhere: the mention was never read as a speaker.

Reasons (an annotated `anonymity_reason` no paired drafted source states):

- **origin missed**: no drafted source stands as this source's origin on a matched
  claim, so its reason had nowhere to go (the origin causes above).
- **not in the text**: no sentence states half of the reason's words: the
  annotation paraphrases, or the scorer's word test is too strict.
- **other reason drafted**: the paired source carries a reason, not this one.
- **in the mention's sentence**: the sentence stating the reason also names the
  source (its head noun), but the reason was not attached: on a relative clause of
  a description, or read as another mention's.
- **group reason**: stated in another sentence for a group ("All four ...", "They",
  "officials who") the source belongs to, and not passed to the member.
- **in another sentence**: stated in another sentence, not about a group.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.suggest_eval import (
    GROUPS,
    SPLITS,
    _reason_words,
    _spans,
    group_of,
    match,
    same_origin,
    same_reason,
)
from ledger.suggest import suggest
from ledger.suggest.bundle import ClaimDraft
from ledger.suggest.guess import SourceDraft
from ledger.suggest.heads import content_words, head_word
from ledger.text.sentences import split
from ledger.write.bundle import load_file, read_article_text

ORIGIN_CAUSES = (
    "no speaker",
    "relay for origin",
    "label only",
    "label has a clause",
    "back-reference left standing",
    "other speaker, nearer",
    "other speaker",
    "reference unresolved, source drafted",
    "source never drafted",
)
REASON_CAUSES = (
    "origin missed",
    "not in the text",
    "other reason drafted",
    "in the mention's sentence",
    "group reason",
    "in another sentence",
)
# "A minister who has worked with her", "two residents that live nearby": the guide puts
# a relative clause in `description`, not in `label`.
_CLAUSE_RE = re.compile(r"\s(?:who|whom|whose|that|which)\s")
# "The company", "the force", "It", "The other", "the same aide": words that only refer back.
_BACK_REFERENCE_RE = re.compile(
    r"(?:the|its|his|her|their|this|that)\s+(?:same\s+|other\s+|second\s+)?(?-i:[a-z])[\w-]*$"
    r"|(?:it|he|she|they|one|the other)$",
    re.IGNORECASE,
)
_GROUP_RE = re.compile(
    r"\b(?:all|both|each|none|they|them|their|those|these|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|several|many|some|most|members)\b|\b\w+s\s+(?:who|said|spoke)",
    re.IGNORECASE,
)


def _words(text: str) -> set[str]:
    return content_words(text.lower())


def _origin_cause(
    gold: list[Any],
    claim: Any,
    suggestion: ClaimDraft,
    drafted: dict[str, SourceDraft],
    gold_sources: dict[str, Any],
    labels: list[str],
    origin: str,
    index: int,
) -> str:
    """The cause of one missed origin: the first of ORIGIN_CAUSES that fits."""
    if not suggestion.chains:
        return "no speaker"
    target = gold_sources[origin].label
    for chain in suggestion.chains:
        if any(same_origin(drafted[k].label, target, labels) for k in chain[:-1]):
            return "relay for origin"
    hops = [a.source for c in claim.chains() for a in c[:-1]]
    ends = [drafted[chain[-1]].label for chain in suggestion.chains]
    if any(same_origin(e, gold_sources[h].label, labels) for e in ends for h in hops):
        return "relay for origin"
    mine = _words(target) | _words(gold_sources[origin].description or "")
    if any(_words(e) and (_words(e) <= mine or _words(target) <= _words(e)) for e in ends):
        return "label has a clause" if _CLAUSE_RE.search(target) else "label only"
    if any(_BACK_REFERENCE_RE.match(e) for e in ends):
        return "back-reference left standing"
    others = [
        key for key, s in gold_sources.items() if any(same_origin(e, s.label, labels) for e in ends)
    ]
    if others:
        near = {
            c.source
            for neighbour in gold[max(0, index - 2) : index + 3]
            for ch in neighbour.chains()
            for c in ch[-1:]
        }
        return "other speaker, nearer" if set(others) & near else "other speaker"
    if any(same_origin(s.label, target, labels) for s in drafted.values()):
        return "reference unresolved, source drafted"
    return "source never drafted"


def _reason_cause(source: Any, mine: list[SourceDraft], text: str) -> str:
    """The cause of one missed reason: the first of REASON_CAUSES that fits."""
    if not mine:
        return "origin missed"
    if any(d.anonymity_reason for d in mine):
        return "other reason drafted"
    wanted = _reason_words(source.anonymity_reason)
    stating = [
        s.text
        for s in split(text)
        if len(wanted & _reason_words(s.text)) * 2 >= len(wanted) and wanted
    ]
    if not stating:
        return "not in the text"
    head = head_word(source.label.lower())[0]
    heads = {head, head + "s", head + "es"} - {""}
    if any(heads & set(re.findall(r"[a-z]+", s.lower())) for s in stating):
        return "in the mention's sentence"
    return "group reason" if any(_GROUP_RE.search(s) for s in stating) else "in another sentence"


def classify(path: Path) -> list[tuple[str, str, str]]:
    """(kind, cause, what) for every missed origin and reason of one article."""
    [loaded] = load_file(path)
    bundle, text = loaded.bundle, read_article_text(loaded)
    assert bundle.article is not None and text is not None
    gold_sources = {s.key: s for s in bundle.sources}
    labels = [s.label for s in bundle.sources]
    gold = [c for c in bundle.claims if c.attributions]
    article = bundle.article
    draft = suggest(text, slug=article.slug, title=article.title, outlet=article.outlet)
    drafted = {s.key: s for s in draft.sources}
    pairs = match(
        [_spans(c.quote or "", text) for c in gold], [(c.start, c.end) for c in draft.claims]
    )
    out: list[tuple[str, str, str]] = []
    paired: dict[str, set[str]] = {}
    for index, claim in enumerate(gold):
        if index not in pairs:
            continue
        suggestion = draft.claims[pairs[index]]
        ends = [chain[-1] for chain in suggestion.chains]
        for origin in (chain[-1].source for chain in claim.chains()):
            hits = [
                k for k in ends if same_origin(drafted[k].label, gold_sources[origin].label, labels)
            ]
            paired.setdefault(origin, set()).update(hits)
            if not hits:
                cause = _origin_cause(
                    gold, claim, suggestion, drafted, gold_sources, labels, origin, index
                )
                got = [drafted[k].label for k in ends]
                out.append(
                    (
                        "origin",
                        cause,
                        f"{gold_sources[origin].label!r} drafted {got}: {claim.quote[:70]}",
                    )
                )
    for key, source in gold_sources.items():
        mine = [drafted[k] for k in paired.get(key, ())]
        if source.anonymity_reason and not any(
            same_reason(d.anonymity_reason, source.anonymity_reason) for d in mine
        ):
            cause = _reason_cause(source, mine, text)
            got = [d.anonymity_reason for d in mine]
            out.append(
                ("reason", cause, f"{source.label!r}: {source.anonymity_reason!r} drafted {got}")
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true", help="List every miss with its cause.")
    args = parser.parse_args()
    counts: Counter[tuple[str, str, str]] = Counter()
    groups = [f"{prefix}*" for prefix, _ in reversed(GROUPS) if prefix.startswith("own-blind")]
    for path in SPLITS["dev"]():
        if not path.stem.startswith("own-blind"):
            continue
        group = group_of(path.stem).split(" (")[0]
        for kind, cause, what in classify(path):
            counts[kind, cause, group] += 1
            if args.show:
                print(f"{kind} | {cause} | {path.stem}: {what}")
    for kind, causes in (("origin", ORIGIN_CAUSES), ("reason", REASON_CAUSES)):
        print(f"\n| {kind} missed because | " + " | ".join(groups) + " | all |")
        print("|" + " --- |" * (len(groups) + 2))
        for cause in causes:
            row = [counts[kind, cause, g] for g in groups]
            print(f"| {cause} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
        sums = [sum(counts[kind, c, g] for c in causes) for g in groups]
        print("| **all** | " + " | ".join(map(str, sums)) + f" | {sum(sums)} |")


if __name__ == "__main__":
    main()
