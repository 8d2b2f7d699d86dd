"""Turning the ways an article names its sources into ledger sources.

A source is named once in full ("three U.S. officials") and then again in
short: "the officials", "they", "the news agency", "Singh". `SourceBook` keeps
the sources met so far and resolves each new mention to one of them, or opens
a new source with a generated key and guesses of its kind and anonymity. Each
guess keeps the words it rests on (`why`), for the journalist who reviews it.
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re
import unicodedata

from ledger.suggest import lexicon as lx
from ledger.suggest.guess import SourceDraft, guess
from ledger.suggest.heads import content_words, head_word
from ledger.suggest.phrases import Mention, match_outlet

_TITLES_RE = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Sen|Rep|Gov|President|Minister)\.?\s+")
_GENERIC_OUTLET_RE = re.compile(
    r"^(?:the|its|that|this)\s+(?:news\s+|online\s+|local\s+|state\s+)?(agency|wire service|"
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


def slugify(text: str, limit: int = 5, drop: frozenset[str] = frozenset({"a", "an", "the"})) -> str:
    """Lowercase-hyphenated key words: "three U.S. officials" -> "three-us-officials"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"['’]s\b", "", plain).replace(".", "")
    tokens = [t for t in re.findall(r"[a-z0-9]+", plain)]
    while tokens and tokens[0] in drop:
        tokens.pop(0)
    return "-".join(tokens[:limit])[:60].strip("-")


singular = lx.singular


class SourceBook:
    """The sources of one article, in order of first mention, and the rules to resolve mentions."""

    def __init__(
        self, text: str, publisher: str | None, known: dict[str, str] | None = None
    ) -> None:
        self.text = text
        self.publisher = publisher
        self.known = known or {}
        self.sources: list[SourceDraft] = []
        self.recent: list[SourceDraft] = []

    # --- resolution -------------------------------------------------------------------------

    def resolve(self, mention: Mention) -> tuple[SourceDraft | None, SourceDraft | None, str]:
        """(source, intermediary, how). Source None: the publisher itself, implicit in chains."""
        if mention.unspecified:
            label = (
                'unspecified reports ("reportedly")'
                if mention.text == "reportedly"
                else mention.text
            )
            found = self._find(lambda s: s.kind == "unknown" and s.label == label, recent=False)
            return found or self._new(label, mention, unspecified=True), None, "reportedly"
        label = mention.text.strip(" “”\"‘’'") or "unnamed source"
        lower = label.lower()
        if lower in lx.PRONOUNS:
            return self._pronoun(lower, mention)
        outlet = self._outlet(label)
        if outlet:
            return self._outlet_source(outlet, label, mention), None, "outlet"
        generic = _GENERIC_OUTLET_RE.match(label)
        if generic:
            wanted = _OUTLET_TYPES.get(generic.group(1).lower())
            found = self._find(lambda s: s.kind == "outlet" and wanted in (None, s.outlet_type))
            if found or self._is_publisher_type(wanted):
                return (
                    found,
                    None,
                    f"“{label}” refers back to {found.label if found else 'the publisher'}",
                )
        possessive = re.match(r"^(.+?)[’']s\s+(.+)$", label)
        if possessive and (owner := self._outlet(possessive.group(1))):
            inner = Mention(possessive.group(2), mention.start, mention.end, mention.notes)
            inner.pseudonym = mention.pseudonym
            source, _, how = self.resolve(inner)
            return source, self._outlet_source(owner, possessive.group(1), mention), how
        source, how = self._description(label, mention)
        return source, None, how

    def _pronoun(self, lower: str, mention: Mention) -> tuple[SourceDraft | None, None, str]:
        number = lx.PRONOUNS[lower]
        if number == "singular":
            found = self._find(lambda s: s.kind == "person" and not s.plural)
        elif number == "plural":
            found = self._find(lambda s: s.plural and s.kind == "person") or self._find(
                lambda s: s.kind in {"organization", "outlet"}
            )
        else:
            found = self._find(lambda s: s.kind in {"organization", "outlet", "document"})
        if found:
            return found, None, f"“{mention.text}” refers back to {found.label}"
        return self._new(mention.text, mention, unresolved=True), None, "unresolved pronoun"

    def _description(self, label: str, mention: Mention) -> tuple[SourceDraft, str]:
        lower = label.lower()
        head, _ = head_word(label)
        words = content_words(label)
        contrast = bool(re.search(r"\b(?:other|another|second|third|different)\b", lower))
        partitive = re.match(r"^(?:one|two|three|some|several|each|either|both)\s+of\s+", lower)
        if (
            lower.startswith(("the ", "these ", "those "))
            and not contrast
            and not head[0].isupper()
        ):
            found = self._find(lambda s: singular(head) == s.head and words <= s.words | {s.head})
            if found is None and singular(head) in {"company", "firm", "group", "organization"}:
                found = self._find(lambda s: s.kind == "organization")
            if found is None and singular(head) in {"source", "person", "individual", "people"}:
                found = self._find(lambda s: s.anonymity == "anonymous" and s.kind == "person")
            if found:
                return found, f"“{label}” refers back to {found.label}"
        if partitive:
            group = self._find(lambda s: singular(head) == s.head)
            source = self._new(label, mention)
            if group:
                source.description = f"{label} ({group.label})"
            return source, "new source"
        name = _TITLES_RE.sub("", label)
        last = re.findall(r"[\w’'-]+", name)[-1:] if name else []
        if last and last[0][0].isupper() and singular(last[0]) not in lx.ROLE_NOUNS:
            found = self._find(
                lambda s: (
                    last[0].lower() in {w.lower() for w in re.findall(r"[\w’'-]+", s.label)}
                    and s.kind in {"person", "unknown"}
                )
            )
            if found:
                return found, f"“{label}” names {found.label} again"
        bare = re.sub(r"^(?:a|an|the)\s+", "", lower)
        found = self._find(lambda s: re.sub(r"^(?:a|an|the)\s+", "", s.label.lower()) == bare)
        if found:
            return found, "same words as before"
        return self._new(label, mention), "new source"

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
        found = self._find(lambda s: s.outlet == key, recent=False)
        return found or self._new(label, mention, outlet=key)

    def _is_publisher_type(self, wanted: str | None) -> bool:
        return self.publisher is not None and any(
            k == self.publisher and t == wanted for k, _, t, _ in lx.OUTLETS
        )

    def _find(self, test, *, recent: bool = True) -> SourceDraft | None:  # type: ignore[no-untyped-def]
        for source in reversed(self.recent if recent else self.sources):
            if test(source):
                return source
        return None

    def used(self, source: SourceDraft, prefix: list[SourceDraft]) -> None:
        """Record that `source` spoke (last), through `prefix`: later short mentions inherit it."""
        if source in self.recent:
            self.recent.remove(source)
        self.recent.append(source)
        if not source.used:
            source.prefix, source.used = prefix, True

    # --- new sources --------------------------------------------------------------------------

    def _new(
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
        draft.key = self._key(draft)
        self.sources.append(draft)
        self.recent.append(draft)
        return draft

    def _key(self, draft: SourceDraft) -> str:
        base = draft.outlet or slugify(draft.label) or "source"
        if base in self.known and self.known[base].casefold() == draft.label.casefold():
            draft.existing = True
            return base
        taken = {s.key for s in self.sources} | set(self.known)
        key, number = base, 2
        while key in taken:
            key, number = f"{base}-{number}", number + 1
        return key

    def add_reason(self, subject: str, reason: str) -> None:
        """A sentence that states why sources spoke unnamed ("All four sources asked not to be ...")."""
        if re.match(
            r"(?:all|both|the)\s+(?:\w+\s+)?(?:of\s+the\s+)?(?:sources|officials|of them)",
            subject,
            re.I,
        ) and re.match(r"(?:all|both)\b", subject, re.I):
            targets = [s for s in self.sources if s.anonymity == "anonymous"]
        else:
            head, _ = head_word(subject)
            words = content_words(subject)
            found = self._find(lambda s: singular(head) == s.head and words <= s.words | {s.head})
            targets = [found] if found else []
        for source in targets:
            if source.anonymity == "anonymous" and not source.anonymity_reason:
                source.anonymity_reason = reason
                source.why.append(f"reason stated later: “{reason}”")
