"""Making an output fit to leave the newsroom (`--public`): one rule for exports and reports.

Internal notes, aliases and waivers are dropped. An unnamed source (any
anonymity but `named`: pseudonym, anonymous, unknown; sealed or not) is the
one a public copy must not let anyone follow from story to story, so:

- its key becomes a pseudonym drawn with a fresh random salt for every output:
  stable inside one output, so its chains still read and its documents stay
  valid, different in the next;
- its record carries only what the output's own article prints about it, and
  the fields the journalist marked `publishable`. A free-text field (label,
  anonymity reason, description, affiliation, motive) is printed when its
  words, in order, stand in the article text (case, accents, punctuation and
  a leading "a", "an" or "the" aside): then the public copy says nothing the
  story does not. Anything else is dropped; a label the story does not print
  becomes a fixed one ("an unnamed person"). `knowledge` and `ground_rules` are
  the newsroom's own assessments: carried only when marked publishable. Kind
  and anonymity stay: they are fixed vocabulary, and the reader is owed them.

So two public outputs of different articles that cite the same confidential
source share nothing from its record but that vocabulary, unless both stories
print the same words (which the stories themselves already give away) or the
journalist marked a field publishable. A source's record is ledger-wide, its
description written from one story: without this rule the export of a story
that never printed "spoke to AP from Turkey" would still carry it.

The standards checks of a public report still judge the full record (a
reason that the story does not print is still recorded): only what is shown
is cut, never what is found.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ledger.vocab import Anonymity, SourceKind

if TYPE_CHECKING:
    from ledger.model import Source
    from ledger.read.sources import SourceSummary
    from ledger.write.bundle import Bundle

PRINTED_FIELDS = ("label", "anonymity_reason", "description", "affiliation", "motive")
"""Free-text fields carried when the article prints them (or when marked publishable)."""
MARKED_ONLY_FIELDS = ("knowledge", "ground_rules")
"""The newsroom's assessments: carried only when marked publishable."""
_DETERMINERS = ("a", "an", "the")


def fixed_label(kind: SourceKind) -> str:
    """The label of an unnamed source whose story does not print its own: fixed vocabulary."""
    noun = "source" if kind is SourceKind.UNKNOWN else kind.value
    return f"an unnamed {noun}"


FIXED_LABELS = frozenset(fixed_label(kind) for kind in SourceKind)


class Pseudonyms:
    """Maps the keys of unnamed sources to per-output pseudonyms."""

    def __init__(self, unnamed_keys: Iterable[str], salt: bytes | None = None) -> None:
        self._salt = salt if salt is not None else secrets.token_bytes(32)
        self._unnamed = set(unnamed_keys)

    def add(self, unnamed_keys: Iterable[str]) -> None:
        """More unnamed keys, met as a streamed export goes on (same salt)."""
        self._unnamed.update(unnamed_keys)

    def __call__(self, key: str) -> str:
        if key not in self._unnamed:
            return key
        digest = hmac.new(self._salt, key.encode("utf-8"), hashlib.sha256).hexdigest()
        return f"unnamed-{digest[:12]}"


def _words(text: str) -> list[str]:
    """Lowercase words, accents dropped, punctuation and typographic marks ignored."""
    plain = unicodedata.normalize("NFKD", text.replace("\u2019", "").replace("'", ""))
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return re.findall(r"\w+", plain.casefold())


class Printed:
    """What some article texts print: `printed(value)` says whether `value` stands in them."""

    def __init__(self, texts: Iterable[str | None]) -> None:
        self._texts = [f" {' '.join(_words(text))} " for text in texts if text]

    def __call__(self, value: str) -> bool:
        words = _words(value)
        if len(words) > 1 and words[0] in _DETERMINERS:
            words = words[1:]  # "a senior official" is printed by "the senior official said"
        if not words:
            return False
        needle = f" {' '.join(words)} "
        return any(needle in text for text in self._texts)


NOTHING_PRINTED = Printed(())


def public_source(
    source: Source, pseudonym: Pseudonyms, printed: Printed = NOTHING_PRINTED
) -> Source:
    """The source as a public output shows it (see the module's docstring): the one place
    that decides what of an unnamed source's record may leave the newsroom."""
    return _record(source, pseudonym, printed, judged=False)


def judged_source(
    source: Source, pseudonym: Pseudonyms, printed: Printed = NOTHING_PRINTED
) -> Source:
    """The source as a public report's standards checks see it: the shown key and label
    (the words of findings), the recorded reason, knowledge and ground rules (what they judge)."""
    return _record(source, pseudonym, printed, judged=True)


def _record(source: Source, pseudonym: Pseudonyms, printed: Printed, *, judged: bool) -> Source:
    common: dict[str, Any] = {
        "key": pseudonym(source.key),
        "notes": None,
        "aliases": None,
        "publishable": None,
        "speaks_for": pseudonym(source.speaks_for) if source.speaks_for else None,
    }
    if source.anonymity is Anonymity.NAMED:
        return source.model_copy(update=common)
    marked = set(source.publishable or ())
    kept: dict[str, Any] = {}
    for name in PRINTED_FIELDS:
        value = getattr(source, name)
        kept[name] = value if value and (name in marked or printed(value)) else None
    for name in MARKED_ONLY_FIELDS:
        kept[name] = getattr(source, name) if name in marked else None
    if kept["label"] is None:
        kept["label"] = fixed_label(source.kind)
    if judged:  # the checks judge the record; their messages name the source as shown
        kept = {"label": kept["label"]}
    return source.model_copy(update={**kept, **common})


# --- bundles (`ledger export --public`) ----------------------------------------------------------


def public_bundle_stream(bundles: Iterable[Bundle]) -> Iterator[Bundle]:
    """The bundles fit to leave the newsroom, a bundle at a time (one salt for the whole stream).

    A bundle defines every source its chains cite, so each bundle's unnamed keys
    are known before any of its chains is rewritten; its sources carry what its
    own article prints (a bundle of sources alone prints nothing). One output
    gives an unnamed source one key, so it gives it one record too, the one of
    the first bundle that defines it: the output then imports back, and says of
    the source nothing that its key does not already tie to that first article.
    """
    pseudonym = Pseudonyms(())
    first: dict[str, Source] = {}  # pseudonym -> the record the output first gave it
    for bundle in bundles:
        pseudonym.add(
            source.key for source in bundle.sources if source.anonymity is not Anonymity.NAMED
        )
        yield _public(bundle, pseudonym, first)


def _public(bundle: Bundle, pseudonym: Pseudonyms, first: dict[str, Source]) -> Bundle:
    from ledger.model import Hop

    printed = Printed([bundle.article.text] if bundle.article else [])
    sources = []
    for source in bundle.sources:
        shown = public_source(source, pseudonym, printed)
        if source.anonymity is not Anonymity.NAMED:
            shown = first.setdefault(shown.key, shown)
        sources.append(shown)
    claims = [
        claim.model_copy(
            update={
                "notes": None,
                "attributions": [
                    [
                        Hop(source=pseudonym(hop.source), cue=hop.cue)
                        if isinstance(hop, Hop)
                        else pseudonym(hop)
                        for hop in chain
                    ]
                    for chain in claim.attributions
                ],
            }
        )
        for claim in bundle.claims
    ]
    # Waivers are the newsroom's own decisions, with names: never in a public copy.
    return bundle.model_copy(update={"sources": sources, "claims": claims, "waivers": []})


# --- reports (`ledger report --public`, the desk's public downloads) -----------------------------


@dataclass(frozen=True)
class PublicReport:
    """A report's inputs fit to leave the newsroom: `known` is what it shows of each
    source, `judged` what its standards checks judge (see `judged_source`)."""

    views: list[Any]
    summaries: list[SourceSummary]
    known: dict[str, Source]
    judged: dict[str, Source]
    pseudonym: Pseudonyms


def public_claims_and_sources(
    views: Sequence[Any],
    summaries: Sequence[SourceSummary],
    known: Mapping[str, Source],
    texts: Mapping[str, str | None],
) -> PublicReport:
    """Report inputs fit to leave the newsroom: notes dropped, unnamed sources pseudonymised
    and cut to what the report's articles print (`texts`: slug -> article text).

    Works on the judged claims before any renderer sees them, so every format
    (Markdown, HTML, JSON, CSV, PROV, DOT) and every finding uses the same
    pseudonyms and records, drawn with one fresh salt for this report. A source
    is shown with what the articles citing it here print (directly, or through
    a source that speaks for it).
    """
    pseudonym = Pseudonyms(
        key for key, source in known.items() if source.anonymity is not Anonymity.NAMED
    )
    cited_in: dict[str, set[str]] = {}
    for view in views:
        for chain in view.chains:
            for hop in chain:
                for key in (hop.key, hop.party):
                    if key:
                        cited_in.setdefault(key, set()).add(view.article)

    def printed(key: str) -> Printed:
        return Printed(texts.get(slug) for slug in sorted(cited_in.get(key, ())))

    shown = {key: public_source(source, pseudonym, printed(key)) for key, source in known.items()}
    judged = {key: judged_source(source, pseudonym, printed(key)) for key, source in known.items()}

    def rename(keys: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(pseudonym(key) for key in keys))

    def public_hop(hop: Any) -> Any:
        named = hop.anonymity is Anonymity.NAMED
        source = shown.get(hop.key)
        party = shown.get(hop.party) if hop.party else None
        return replace(
            hop,
            key=pseudonym(hop.key),
            label=source.label if source else hop.label if named else fixed_label(hop.kind),
            anonymity_reason=source.anonymity_reason if source else None,
            party=pseudonym(hop.party) if hop.party else None,
            party_label=party.label if party else None,
        )

    public_views = [
        replace(
            view,
            notes=None,
            chains=tuple(tuple(public_hop(hop) for hop in chain) for chain in view.chains),
            verdict=replace(
                view.verdict,
                origins=rename(view.verdict.origins),
                independent_origins=rename(view.verdict.independent_origins),
                supporting=rename(view.verdict.supporting),
            ),
        )
        for view in views
    ]
    public_summaries = [
        replace(item, source=shown.get(item.source.key) or public_source(item.source, pseudonym))
        for item in summaries
    ]
    return PublicReport(
        public_views,
        public_summaries,
        {pseudonym(key): source for key, source in shown.items()},
        {pseudonym(key): source for key, source in judged.items()},
        pseudonym,
    )
