"""The ledger's own sources, as the suggester sees them: keys it may reuse, keys it must avoid.

A draft must never redefine a source the ledger holds (DESIGN.md: redefining a key
with other fields is an error), and should not invent a second key for a party
the ledger already knows: "the World Health Organization" drafted as
`world-health-organization` beside the ledger's `who` makes two boxes for one
party. So a drafted source whose label folds to the label of a ledger source,
or of an alias merged into one (case, punctuation and a leading "the" aside, or
one typing slip apart: `ledger.text.labels`), takes that source's key.

Descriptions of unnamed people are the exception: "a senior official" in
yesterday's article is rarely today's, and reusing the key would make two
people one party. Those are only pointed out, for the journalist to decide.
"""

# ruff: noqa: RUF001  (typographic apostrophes are the subject here)

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ledger.suggest import lexicon as lx
from ledger.suggest.heads import head_word
from ledger.suggest.inner_bodies import inner_names
from ledger.suggest.keys import key_for, person_name, unique_key
from ledger.suggest.other_names import DETERMINERS, KnownSource, LooseIndex, issuer
from ledger.text.labels import fold_label, nearly_same, signatures

if TYPE_CHECKING:
    from ledger.suggest.guess import SourceDraft


@dataclass(frozen=True)
class Known:
    """A plain `KnownSource`, for callers that hold no ledger (tests, scripts)."""

    key: str
    label: str
    source: str = ""
    kind: str = "person"
    anonymity: str = "unknown"

    def __post_init__(self) -> None:
        if not self.source:
            object.__setattr__(self, "source", self.key)


class LedgerSources:
    """Lookup of the ledger's labels, folded, and the keys a draft may not take for new sources."""

    def __init__(self, known: Iterable[KnownSource] | Mapping[str, str] | None = None) -> None:
        items: list[KnownSource]
        if known is None:
            items = []
        elif isinstance(known, Mapping):
            items = [Known(key, label) for key, label in known.items()]
        else:
            items = list(known)
        self.taken = {item.key for item in items} | {item.source for item in items}
        self._by_signature: dict[str, list[tuple[str, KnownSource]]] = defaultdict(list)
        self._by_name: dict[str, list[KnownSource]] = defaultdict(list)
        self._by_stem: dict[str, list[KnownSource]] = defaultdict(list)
        self._by_role: dict[str, list[KnownSource]] = defaultdict(list)
        self._by_title: dict[str, list[KnownSource]] = defaultdict(list)
        self._loose = LooseIndex(items)
        self._persons = [i for i in items if i.kind == "person" and i.anonymity != "anonymous"]
        for item in items:
            if item.kind != "person" and item.anonymity == "named":
                # "the Church of Scientology" is "the Church" for short, "Brightway" the
                # first word of "Brightway Toys": an organization's name without its tail
                self._by_stem[fold_label(item.label).split(" of ")[0]].append(item)
            for folded in _spellings(item.label):
                for signature in signatures(folded):
                    self._by_signature[signature].append((folded, item))
            name = person_name(item.label)
            if name:  # "Dana Levi, the ministry's spokeswoman" is Dana Levi, or Levi
                self._by_name[fold_label(name)].append(item)
                self._by_name[fold_label(name).split()[-1]].append(item)
            described, _, rest = item.label.partition(",")
            if (
                rest.strip() and item.anonymity != "anonymous"
            ):  # "the union's president, Maria Santos"
                self._by_name[fold_label(described)].append(item)
                named = person_name(rest)
                if named and named != name:  # "The director of ... Red Crescent, Abdul Salim"
                    self._by_name[fold_label(named)].append(item)
                    self._by_name[fold_label(named).split()[-1]].append(item)
            if item.kind == "person" and item.anonymity == "named":
                # "the union's president" is the one who holds that office: Maria Santos
                self._by_role[fold_label(described)].append(item)
                for role in _role_words(item.label):
                    self._by_title[role].append(item)

    def match(self, labels: Iterable[str]) -> tuple[KnownSource, str] | None:
        """The ledger source one of `labels` names, and how: folded labels equal, or one slip apart.

        Several candidates that are not the same source match nothing: guessing
        between two ledger sources would be a merge no person decided.
        """
        for label in labels:
            folded = fold_label(label)
            if not folded:
                continue
            found = {
                item.source: (item, "same label" if other == folded else "one slip apart")
                for signature in signatures(folded)
                for other, item in self._by_signature.get(signature, ())
                if nearly_same(folded, other)
            }
            exact = {s: v for s, v in found.items() if v[1] == "same label"}
            chosen = exact or found
            if len(chosen) == 1:
                return next(iter(chosen.values()))
        for label in labels:
            name = person_name(label) or (label if re.fullmatch(r"[A-Z][\w’'-]+", label) else None)
            name = name or label.partition(",")[0]
            folded = fold_label(name)
            # "al-Duaij" folds to two words; the ledger's "Mohammad al-Duaij" is indexed by its last
            keys = {folded, folded.split()[-1]} if folded and len(name.split()) == 1 else {folded}
            named = {item.source: item for key in keys for item in self._by_name.get(key, ())}
            if len(named) == 1:
                return next(iter(named.values())), f"the same name or description, “{name}”"
        for label in labels:
            short = self._short_name(label)
            if short is not None:
                return short, f"“{label}” is its name in short"
        return None

    def loose(self, label: str, text: str) -> tuple[KnownSource, str] | None:
        """The one ledger source `label` names in fewer words (`LooseIndex`), or None."""
        return self._loose.match(label, text)

    def _short_name(self, label: str) -> KnownSource | None:
        """The one named organization whose name `label` shortens or extends by its tail."""
        if not re.fullmatch(r"(?:[Tt]he\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?", label):
            return None  # "The Church", "Brightway Toys"; never "the ministry"
        folded = fold_label(label)
        found = {i.source: i for i in self._by_stem.get(folded, ())}
        found = found or {i.source: i for i in self._by_stem.get(folded.split()[0], ())}
        return next(iter(found.values())) if len(found) == 1 else None

    def role_holder(self, label: str) -> KnownSource | None:
        """The named person the ledger holds under this definite role: "the union's president",
        "Ethiopia's defense minister" (one holder at a time), never "a union official"."""
        if not re.match(r"(?:the\s|its\s|their\s|[\w.-]+[’']s\s)", label, re.IGNORECASE):
            return None
        found = {item.source: item for item in self._by_role.get(fold_label(label), ())}
        return next(iter(found.values())) if len(found) == 1 else None

    def titled(self, label: str, text: str) -> KnownSource | None:
        """The one named person the ledger holds under the role a bare definite description
        gives ("the fullback" for "Rams fullback Tavita Leaupepe", "the chairman" for "the
        trust's chairman"), when the article names that person: a later mention by title."""
        bare = _TITLE_RE.fullmatch(label.strip())
        if not bare:
            return None
        folded = f" {fold_label(text)} "
        found = {
            item.source: item
            for item in self._by_title.get(lx.singular(bare.group(1).lower()), ())
            if f" {_named_by(item.label)} " in folded
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def by_surname(self, label: str, text: str) -> tuple[KnownSource, str] | None:
        """The one named person the ledger holds whose surname a title or role goes before
        ("Cllr Pybus", "ABHM president Chakrapani" for "council leader Graham Pybus", "...
        president Swami Chakrapani"), when the article prints that person's full name: the
        title in short names the same person, not a namesake."""
        titled = _TITLED_SURNAME_RE.fullmatch(label.strip())
        if not titled:
            return None
        surname = fold_label(titled.group(1))
        folded = f" {fold_label(text)} "
        found = {
            item.source: item
            for item in self._persons
            if any(
                f" {fold_label(name)} " in folded
                for name in re.findall(r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)+", item.label)
                if fold_label(name).split()[-1] == surname
            )
        }
        if len(found) != 1:
            return None
        return next(iter(found.values())), f"“{label}” is the surname after a title"

    def described_as(self, label: str, notes: Iterable[str] = ()) -> tuple[KnownSource, str] | None:
        """The named person the ledger holds under the description a drafted person is given
        beside a name ("A former safety engineer at the plant, Ana Ruiz", or "Ana Ruiz" with
        that description in `notes`) for the ledger's "A former safety engineer at the plant",
        a witness described first and named later: the same words folded, and no name of the
        ledger's own that could be someone else's."""
        described, _, rest = label.partition(",")
        if person_name(described):  # "Ana Ruiz, a former engineer": the name, then notes
            descriptions = [rest, *notes] if rest.strip() else list(notes)
        elif rest.strip() and person_name(rest):
            descriptions = [described]
        else:
            return None
        for description in descriptions:
            folded = fold_label(description)
            found = {
                item.source: item
                for signature in signatures(folded)
                for other, item in self._by_signature.get(signature, ())
                if other == folded
                and item.kind == "person"
                and item.anonymity == "named"
                and person_name(item.label) is None
            }
            if len(found) == 1:
                return next(iter(found.values())), f"described as “{description.strip()}”"
        return None

    @staticmethod
    def reusable(item: KnownSource) -> bool:
        """May a drafted source take this ledger key? Never an unnamed person's."""
        return not (item.anonymity == "anonymous" and item.kind == "person")


# A surname after titles, roles or a body's initials: "Cllr Pybus", "Judge Okoro", "ABHM
# president Chakrapani", "Det. Sgt. Moss"; never a full name ("Graham Pybus").
_TITLED_SURNAME_RE = re.compile(
    r"(?:(?:[A-Z]{2,}|(?i:cllr|councillor|judge|justice|dr|mr|mrs|ms|miss|prof|professor|sir|"
    r"dame|lord|lady|rev|sen|senator|rep|gov|governor|det|sgt|insp|supt|col|gen|capt|chief|"
    r"deputy|mayor|president|minister|secretary|chairman|chair|director|leader)\.?"
    r"|[a-z][\w-]*)\s+){1,3}([A-Z][\w’'-]+)"
)

# "the fullback", "The new chairman": a definite title alone, no name, no possessor.
_TITLE_RE = re.compile(r"[Tt]he\s+(?:[a-z-]+\s+)?([a-z-]+)")


def _role_words(label: str) -> set[str]:
    """The titles a named person's label gives: the word before the name ("Rams fullback
    Tavita Leaupepe") and the head of each lower-case description ("the trust's chairman",
    "Ann Roe, the agency's director")."""
    found = {
        m.group(1) for m in re.finditer(r"\b([a-z][a-z-]+)\s+(?=[A-Z][\w’'-]+\s+[A-Z])", label)
    }
    found |= {head_word(p)[0] for p in label.split(",") if p.strip()[:1].islower()}
    return {lx.singular(w) for w in found if w.islower() and w not in DETERMINERS}


def _named_by(label: str) -> str:
    """What the article must print to name a ledger person, folded: the surname of the last
    name in the label ("Okafor" of "Harbour City goalkeeper Tunde Okafor"), or for a label
    with no name the label without its determiner ("trust's chairman")."""
    names = re.findall(r"[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)+", label)
    if names:
        return fold_label(names[-1].split()[-1])
    return fold_label(re.sub(r"^(?:the|a|an)\s+", "", label.strip(), flags=re.IGNORECASE))


# "The World Health Organization (WHO)": the name and its short form each name the party
_SHORT_FORM_RE = re.compile(r"(.+?)\s*\(([A-Z][\w.&-]{1,11})\)")


def _spellings(label: str) -> list[str]:
    """A ledger label folded, and its name and short form apart when it gives both."""
    both = _SHORT_FORM_RE.fullmatch(label.strip())
    if not both:
        return [fold_label(label)]
    return [fold_label(label), fold_label(both.group(1)), fold_label(both.group(2))]


def give_keys(sources: list[SourceDraft], known: LedgerSources, text: str = "") -> dict[str, str]:
    """Give `sources` their keys: the ledger's where it holds the same source, otherwise
    new ones that read as names and take no key the ledger or the draft uses.

    Returns provisional key -> final key, for the claims' chains.
    """
    renamed: dict[str, str] = {}
    taken = set(known.taken)
    for source in sources:
        provisional = source.key
        both = _SHORT_FORM_RE.fullmatch(source.label.strip())  # "World Food Program (WFP)"
        labels = [source.label, *source.short, *(both.groups() if both else ())]
        if source.outlet:
            labels += [
                alias
                for key, _, _, aliases in lx.OUTLETS
                if key == source.outlet
                for alias in aliases
            ]
        unnamed = source.anonymity == "anonymous" and source.kind == "person"
        match = known.match(labels) or known.loose(source.label, text)
        if match is None and (by := issuer(source.label)):
            match = known.match([by]) or known.loose(by, text)  # "An MHRA statement"
        if match is None:
            match = _inner_body(source.label, known, text)
        if match is None and source.kind == "person":
            match = known.by_surname(source.label, text) or known.described_as(
                source.label, source.notes
            )
        # a role the ledger holds a named person under: "its chief executive", or the role
        # a named person is given ("The college's principal, Dr. Helen Vance")
        roles = [source.label.partition(",")[0], *source.notes] if source.kind == "person" else []
        holder = next((h for r in roles if (h := known.role_holder(r)) is not None), None)
        if holder is None and match is None and source.kind == "person":
            holder = known.titled(source.label, text)
        if holder is not None:
            match, unnamed = (holder, f"the role it holds, “{source.label}”"), False
        # an unnamed person's description is never taken for a person the ledger holds; for a
        # body or a document it holds ("Authorities", "a draft term sheet") it is that one
        person = match is not None and match[0].kind == "person"
        if match is not None and ((unnamed and person) or not known.reusable(match[0])):
            item, how = match
            source.why.append(
                f"the ledger has “{item.label}” ({item.source}), {how}: the same source? "
                "If so, use its key and delete this definition"
            )
            match = None
        if match is not None:
            item, how = match
            source.key, source.existing = item.source, True
            source.why.append(f"in the ledger as {item.source} ({how}: “{item.label}”)")
        else:
            named = source.anonymity in {"named", "pseudonym"} or bool(source.outlet)
            base = key_for(source.label, kind=source.kind, outlet=source.outlet, named=named)
            source.key = unique_key(base, taken)
            if source.key in known.taken or base in known.taken:
                source.why.append(f"the ledger's {base} is another source: key {source.key}")
        taken.add(source.key)
        renamed[provisional] = source.key
    return renamed


def _inner_body(label: str, known: LedgerSources, text: str) -> tuple[KnownSource, str] | None:
    """The ledger body (never a person) a label names inside a phrase (`inner_names`)."""
    for candidate in inner_names(label):
        found = known.match([candidate]) or known.loose(candidate, text)
        if found is not None and found[0].kind != "person":
            return found[0], f"named inside “{label}”"
    return None
