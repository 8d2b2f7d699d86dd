"""Turning the ways an article names its sources into ledger sources.

A source is named once in full ("three U.S. officials") and then again in
short: "the officials", "they", "the news agency", "Singh", or named only later
("a spokesman ... the spokesman, Christian Lindmeier"). `SourceBook` keeps the
sources met so far and resolves each new mention to one of them, or opens a new
source with guesses of its kind and anonymity (a mention in words is read in
`descriptions`). Keys are given last, once every
source has its final label (`known.give_keys`): the ledger's own key where the ledger
holds the source already, else one that reads as a name (`keys`). Each guess
keeps the words it rests on (`why`), for the journalist who reviews it.
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re
from collections.abc import Callable

from ledger.suggest import lexicon as lx
from ledger.suggest import ranking
from ledger.suggest.descriptions import describe
from ledger.suggest.guess import SourceDraft, guess
from ledger.suggest.heads import content_words, head_word
from ledger.suggest.keys import person_name
from ledger.suggest.known import LedgerSources
from ledger.suggest.parties import party_phrase
from ledger.suggest.persons import is_date, person_noun
from ledger.suggest.phrases import Mention, match_outlet
from ledger.text.labels import fold_label

_GENERIC_OUTLET_RE = re.compile(
    r"^(?:the|its|that|this)\s+(?:news\s+|online\s+|local\s+|state\s+|"
    r"(?-i:[a-z])[\w-]*\s+(?=(?:newspaper|paper|magazine|publication|broadcaster|tabloid|website)$))?"
    r"(agency|wire service|"
    r"newspaper|paper|daily|journal|broadcaster|channel|network|report|story|article|outlet|"
    r"magazine|website|site|portal|publication|tabloid|broadsheet|weekly|station|newswire)$",
    re.IGNORECASE,
)
_OUTLET_TYPES = {
    "agency": "agency",
    "wire service": "agency",
    "newspaper": "newspaper",
    "paper": "newspaper",
    "daily": "newspaper",
    "journal": "newspaper",
    "magazine": "newspaper",
    "tabloid": "newspaper",
    "broadsheet": "newspaper",
    "weekly": "newspaper",
    "broadcaster": "broadcaster",
    "station": "broadcaster",
    "channel": "broadcaster",
    "network": "broadcaster",
}


singular = lx.singular
# A plural that refers back to outlets cited together: "Both news organizations", "the reports".
# "The parties", "both companies": the sources cited together before, each its own chain.
_PARTIES_RE = re.compile(
    r"(?:both|the\s+two|the)\s+(?:parties|sides|companies|firms|retailers|groups|governments|"
    r"countries|leaders|men|women)|both(?:\s+of\s+them)?",
    re.IGNORECASE,
)
_GROUP_RE = re.compile(
    r"(?:both|the\s+two|the|these|those)\s+(?:(?:[\w.]+\s+)?(?:news|media)\s+)?"
    r"(?:organi[sz]ations|outlets|newspapers|papers|networks|broadcasters|publications|reports|"
    r"stories)",
    re.IGNORECASE,
)
# "a document seen by the Guardian", "internal messages reviewed by Tech Ledger"
_SEEN_BY_RE = re.compile(
    r"^(.+?)\s+(?:seen|obtained|reviewed|examined|viewed|read|verified)\s+by\s+(.+)$"
)


class SourceBook:
    """The sources of one article, in order of first mention, and the rules to resolve mentions."""

    def __init__(
        self,
        text: str,
        publisher: str | None,
        known: LedgerSources | None = None,
        publisher_name: str | None = None,
    ) -> None:
        self.text = text
        self.publisher = publisher
        self.publisher_name = publisher_name
        self.known = known or LedgerSources()
        self.sources: list[SourceDraft] = []
        self.recent: list[SourceDraft] = []
        self.outlet_group: list[SourceDraft] = []  # outlets last cited together
        self.party_group: list[SourceDraft] = []  # other sources last cited together
        self.position = len(text)  # where the sentence being read starts in `text`
        self.met_before = 0  # how many sources had been met when that sentence began
        self.memory = ranking.Memory()  # where each source was met, who spoke, who relayed

    def group(self, mention: Mention) -> list[SourceDraft]:
        """ "Both news organizations said", "The reports say": after "The New York Times and
        CNN reported", the outlets cited together, each its own chain; else nothing."""
        words = mention.text.strip()
        if len(self.outlet_group) >= 2 and _GROUP_RE.fullmatch(words):
            return list(self.outlet_group)
        if len(self.party_group) >= 2 and _PARTIES_RE.fullmatch(words):
            return list(self.party_group)  # "The parties said", after "A and B announced"
        return []

    def cited_together(self, origins: list[SourceDraft]) -> None:
        """Remember sources that one attribution cited side by side, for "both outlets" and
        "the parties"."""
        if len(origins) >= 2 and all(source.outlet for source in origins):
            self.outlet_group = origins
        elif len(origins) >= 2:
            self.party_group = origins

    # --- resolution -------------------------------------------------------------------------

    def resolve(self, mention: Mention) -> tuple[SourceDraft | None, SourceDraft | None, str]:
        """(source, intermediary, how). Source None: the publisher itself, implicit in chains."""
        if mention.unspecified:
            label = (
                'unspecified reports ("reportedly")'
                if mention.text == "reportedly"
                else mention.text
            )
            found = self.find(lambda s: s.kind == "unknown" and s.label == label, recent=False)
            return found or self.new_source(label, mention, unspecified=True), None, "reportedly"
        label = mention.text.strip(" “”\"‘’'") or "unnamed source"
        lower = label.lower()
        if lower in lx.PRONOUNS:
            return self._pronoun(lower, mention)
        if self._names_publisher(label):
            return None, None, f"“{label}” is the publisher"
        outlet = self._outlet(label)
        if outlet:
            return self._outlet_source(outlet, label, mention), None, "outlet"
        generic = _GENERIC_OUTLET_RE.match(label)
        if generic:
            wanted = _OUTLET_TYPES.get(generic.group(1).lower())
            found = self.find(lambda s: s.kind == "outlet" and wanted in (None, s.outlet_type))
            if found or self._is_publisher_type(wanted):
                return (
                    found,
                    None,
                    f"“{label}” refers back to {found.label if found else 'the publisher'}",
                )
        seen = _SEEN_BY_RE.match(label)
        if seen:  # "a document seen by the Guardian": the Guardian relays the document
            inner = Mention(seen.group(1), mention.start, mention.end, [*mention.notes])
            source, _, how = self.resolve(inner)
            owner = seen.group(2)
            if self._names_publisher(owner):
                return source, None, how
            relay = self._outlet(owner)
            via = self._outlet_source(relay, owner, mention) if relay else None
            if via is None and not re.match(r"(?:the\s+)?[A-Z]", owner):
                return source, None, how  # "records reviewed by investigators": a note, no hop
            return source, via or self.resolve(Mention(owner, mention.start, mention.end))[0], how
        possessive = re.match(r"^(.+?)[’']s\s+(.+)$", label)
        if possessive and (owner := self._outlet(possessive.group(1))):
            inner = Mention(possessive.group(2), mention.start, mention.end, mention.notes)
            inner.pseudonym = mention.pseudonym
            source, _, how = self.resolve(inner)
            return source, self._outlet_source(owner, possessive.group(1), mention), how
        source, how = describe(self, label, mention)
        return source, None, how

    def _names_publisher(self, label: str) -> bool:
        """ "this newspaper", "The Tribune" or "the Courier" when The Northern Courier publishes."""
        if re.fullmatch(
            r"this\s+(?:newspaper|paper|publication|website|site|news\s+agency)", label, re.I
        ):
            return True
        if not self.publisher_name or not label[-1:].isalpha():
            return False
        mine, theirs = fold_label(self.publisher_name), fold_label(label)
        short = re.fullmatch(r"(?:the\s+)?[A-Z][\w-]+", label) and mine.split()[-1] == theirs
        return bool(theirs) and (theirs == mine or bool(short))

    def _pronoun(self, lower: str, mention: Mention) -> tuple[SourceDraft | None, None, str]:
        number = lx.PRONOUNS[lower]
        wanted = "f" if lower in {"she", "her"} else "m"

        def fits(s: SourceDraft) -> bool:
            if number == "singular":
                return s.kind == "person" and not s.plural and s.gender in (None, wanted)
            if number == "plural":
                return (s.plural and s.kind == "person") or s.kind in {"organization", "outlet"}
            return s.kind in {"organization", "outlet", "document"}

        if number == "singular":
            # the last one met who can be a "she": a person by name, noun or gender, not
            # "The reply" or "Jan. 9"; failing that, the last of any kind, as before
            found = self.find(lambda s: fits(s) and could_be_he_or_she(s)) or self.find(fits)
        elif number == "plural":
            found = self.find(lambda s: s.plural and s.kind == "person") or self.find(fits)
        else:
            found = self.find(fits)
        found = self._ranked(lower, mention, found, fits)
        if found is not None and number == "singular" and found.gender is None:
            found.gender = wanted
        if found:
            return found, None, f"“{mention.text}” refers back to {found.label}"
        return self.new_source(mention.text, mention, unresolved=True), None, "unresolved pronoun"

    def _ranked(
        self,
        lower: str,
        mention: Mention,
        ruled: SourceDraft | None,
        fits: Callable[[SourceDraft], bool],
    ) -> SourceDraft | None:
        """The rule's choice, or the learned ranker's among the sources met lately."""
        weights = ranking.WEIGHTS
        if not weights.weights or ruled is None:
            return ruled
        pool = [s for s in reversed(self.recent) if weights.pool == "recent" or fits(s)][:8]
        pool += [] if ruled in pool else [ruled]
        at = self.position + mention.start
        scored = [
            (s, ranking.features(lower, s, rank, ruled, self.memory, at, could_be_he_or_she))
            for rank, s in enumerate(pool)
        ]
        return ranking.choose(scored, weights.weights)

    def _outlet(self, label: str) -> str | None:
        core = re.sub(
            r"\s+(?:report|story|article|broadcast|interview|website)$", "", label.strip()
        )
        core = re.sub(r"^((?:the|a)\s+)?\w+day[’']s\s+", r"\1", core, flags=re.IGNORECASE)
        core = re.sub(
            r"^(?:(?:a|the)\s+)?(?:reports?|story|coverage)\s+(?:on|in|by|from)\s+",
            "",
            core,
            flags=re.IGNORECASE,
        )
        for candidate in (core, re.sub(r"^(?:the|a)\s+", "", core, flags=re.IGNORECASE)):
            match = match_outlet(candidate, 0)
            if match and match[1] == len(candidate):
                return match[0]
        return None

    def _outlet_source(self, key: str, label: str, mention: Mention) -> SourceDraft | None:
        if key == self.publisher:
            return None
        found = self.find(lambda s: s.outlet == key, recent=False)
        short = re.fullmatch(r"(?:[Tt]he\s+)?([A-Z][\w-]+)", label.strip())
        if found is None and short:  # "The Times" after "The New York Times": the same paper
            found = self.find(
                lambda s: s.outlet is not None and short.group(1) in _outlet_last_words(s.outlet),
                recent=False,
            )
        return found or self.new_source(label, mention, outlet=key)

    def _is_publisher_type(self, wanted: str | None) -> bool:
        return self.publisher is not None and any(
            k == self.publisher and t == wanted for k, _, t, _ in lx.OUTLETS
        )

    def by_key(self, key: str) -> SourceDraft:
        """The source under a provisional key."""
        return next(source for source in self.sources if source.key == key)

    def find(
        self, test: Callable[[SourceDraft], bool], *, recent: bool = True
    ) -> SourceDraft | None:
        for source in reversed(self.recent if recent else self.sources):
            if test(source):
                return source
        return None

    def register(self, mention: Mention) -> None:
        """Someone the article names outside any attribution ("Finance Minister Paul Otieno
        defended the decision"): the nearest "he" or "she" may be them."""
        label = mention.text
        head, _ = head_word(label)
        if self._outlet(label):  # "The Times linked ... It said": the outlet is "it"
            named = True
        else:
            named = person_name(label) is not None and not re.match(r"the\s", label, re.I)
        roles = {singular(w) for n in mention.notes for w in n.split()} & lx.ROLE_NOUNS
        person = any(n.startswith("who ") for n in mention.notes)  # "a surveyor who mapped it"
        role = person_noun(head) or (head[:1].isupper() and bool(roles))
        if not (named or person or role):
            return
        source, _, _ = self.resolve(mention)
        if source is not None:
            self.memory.last_at[source.key] = self.position + mention.start
            if source in self.recent:
                self.recent.remove(source)
            self.recent.append(source)

    def used(self, source: SourceDraft, prefix: list[SourceDraft], *, hop: bool = False) -> None:
        """Record that `source` spoke (last), through `prefix`, or passed words on (`hop`):
        later short mentions inherit it."""
        self.memory.last_at[source.key] = self.position
        (self.memory.hops if hop else self.memory.origins).add(source.key)
        if not hop:
            self.memory.last_origin = source.key
        if source in self.recent:
            self.recent.remove(source)
        self.recent.append(source)
        if not source.used:
            source.prefix, source.used = prefix, True

    # --- new sources --------------------------------------------------------------------------

    def new_source(
        self,
        label: str,
        mention: Mention,
        *,
        outlet: str | None = None,
        unspecified: bool = False,
        unresolved: bool = False,
    ) -> SourceDraft:
        draft = guess(
            label, mention, self.text, outlet=outlet, unspecified=unspecified, unresolved=unresolved
        )
        draft.key = f"~{len(self.sources)}"  # provisional: `known.give_keys` gives the real key
        self.memory.last_at[draft.key] = self.position + mention.start
        self.sources.append(draft)
        self.recent.append(draft)
        return draft

    # --- parties ------------------------------------------------------------------

    def assign_parties(self, used: list[SourceDraft]) -> None:
        """`speaks_for` for every spokesperson, press office and statement among `used`."""
        for source in used:
            if source.speaks_for is not None or source.outlet:
                continue
            found = party_phrase([source.label, *source.notes])
            if found is None:
                continue
            phrase, evidence = found
            party = self._party(phrase, source)
            if party is None or party is source or _speaks_through(party, source):
                continue
            source.speaks_for = party
            source.why.append(f"speaks for {party.label}: “{evidence}”")

    def _party(self, phrase: str, speaker: SourceDraft) -> SourceDraft | None:
        lower = phrase.lower()
        if lower in {"its", "their"}:
            return self.find(
                lambda s: s.kind in {"organization", "outlet"} and s is not speaker, recent=False
            )
        if person_name(phrase) and speaker.kind == "person":
            return None  # "Ranke's spokeswoman": a person's aide, not a party's voice
        outlet = self._outlet(phrase)
        if outlet:
            return self._outlet_source(outlet, phrase, Mention(phrase, 0, 0))
        head, _ = head_word(phrase)
        words = content_words(phrase)
        found = self.find(
            lambda s: (
                s is not speaker
                and s.kind in {"organization", "outlet", "unknown"}
                and (
                    fold_label(s.label) == fold_label(phrase)
                    or (singular(head) == s.head and words <= s.words | {s.head})
                )
            ),
            recent=False,
        )
        if found is not None:
            return found
        party = self.new_source(phrase, Mention(phrase, 0, 0))
        if party.kind == "person":
            party.kind, party.anonymity = "organization", "named"
            party.why = [f"kind organization: {speaker.label} speaks for it", *party.why[1:]]
        party.used = True
        return party


def could_be_he_or_she(source: SourceDraft) -> bool:
    """A person the article names, calls by a person's noun, or has called "he" or "she"."""
    if is_date(source.label) or source.plural:
        return False
    named = person_name(source.label) is not None or source.anonymity == "pseudonym"
    return named or source.gender is not None or person_noun(source.head)


def _outlet_last_words(key: str) -> set[str]:
    """The last words of a known outlet's names: "Times" for The New York Times."""
    return {alias.split()[-1] for k, _, _, aliases in lx.OUTLETS if k == key for alias in aliases}


def _speaks_through(party: SourceDraft, speaker: SourceDraft) -> bool:
    """Would `speaker` speaking for `party` close a circle?"""
    seen = party
    while seen is not None:
        if seen is speaker:
            return True
        seen = seen.speaks_for
    return False
