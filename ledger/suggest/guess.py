"""Guessing a new source's kind and anonymity from the words that name it.

The guesses follow newsroom usage: a role without a name ("a senior official",
"people familiar with the matter") is anonymous; a published name that is not
the person's own ("known as Abu Musafer", "calling himself Colonel Bauer") is a
pseudonym; a proper name is named. Every guess records the words it rests on,
because the journalist, not the suggester, decides.
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ledger.suggest import access
from ledger.suggest import lexicon as lx
from ledger.suggest.access import clean_reason
from ledger.suggest.anonymity import PSEUDONYM_NOTE_RE
from ledger.suggest.heads import content_words, head_word, singular
from ledger.suggest.keys import person_name
from ledger.suggest.phrases import Mention

_ORG_SUFFIX = (
    r"(?:[A-Z][\w&-]*\s+){0,2}(?:Inc|Corp|Co|Ltd|LLC|plc|Labs|Group|Holdings|Company|Corporation)\b"
)


@dataclass
class SourceDraft:
    """A suggested source: the bundle fields and the words each guess rests on."""

    key: str
    label: str
    kind: str
    anonymity: str
    anonymity_reason: str | None = None
    shared_reason: bool = False  # given for a group it belongs to: its own reason goes first
    description: str | None = None
    knowledge: str | None = None
    speaks_for: SourceDraft | None = None
    gender: str | None = None  # "m" or "f" when the article says: for "he" and "she"
    why: list[str] = field(default_factory=list)
    outlet: str | None = None
    outlet_type: str | None = None
    plural: bool = False
    words: set[str] = field(default_factory=set)
    head: str = ""
    prefix: list[SourceDraft] = field(default_factory=list)
    existing: bool = False  # already in the ledger under this key: not redefined
    used: bool = False
    notes: list[str] = field(default_factory=list)  # every description the article gives
    short: list[str] = field(default_factory=list)  # "The IOC", "Dravic": how it was quoted

    def note_heads(self) -> set[str]:
        """The heads of the descriptions beside the label ("a coalition of trade unions")."""
        described = [n for n in self.notes if re.match(r"(?:a|an|the)\s", n, re.IGNORECASE)]
        return {singular(head_word(note)[0]) for note in described}

    def rename(self, name: str, why: str) -> None:
        """Named later ("the spokesman, Christian Lindmeier"): one source, which now has a name.

        The label keeps the description it was first published with, and adds the name.
        """
        self.notes.append(self.label)
        self.label = f"{self.label}, {name}"
        self.words |= content_words(name)
        self.kind, self.anonymity, self.anonymity_reason = "person", "named", None
        if self.knowledge != "direct":  # who saw it saw it, named or not; hearsay is asked again
            self.knowledge = None
        dropped = (
            ("anonymity", "reason") if self.knowledge else ("anonymity", "reason", "knowledge")
        )
        self.why = [line for line in self.why if not line.startswith(dropped)]
        self.why.append(f"anonymity named: {why}")

    def learn(self, notes: list[str]) -> None:
        """What a later mention adds: "the official, who was in the room", "who asked not to
        be named because ...". Fills what is still unknown; never overrides an earlier guess."""
        fresh = [" ".join(n.split()) for n in notes if n.strip()]
        fresh = [n for n in fresh if n not in self.notes]
        self.notes.extend(fresh)
        if not self.knowledge and fresh and (seen := access.direct(fresh)):
            self.knowledge = seen[0]
            self.why.append(f"knowledge {seen[0]}: “{seen[1]}”")
        if self.anonymity not in {"anonymous", "pseudonym"} or not fresh:
            return
        if not self.anonymity_reason and (stated := access.reason(fresh)):
            self.anonymity_reason = stated
            self.why.append(f"reason as stated: “{stated}”")
        if not self.knowledge and (hint := access.knowledge(fresh)):
            self.knowledge = hint[0]
            self.why.append(f"knowledge {hint[0]}: “{hint[1]}”")

    def learn_from_claim(self, quote: str) -> None:
        """ "A soldier says he has witnessed ...": an unnamed source's claim may say how it knows."""
        unnamed = self.anonymity in {"anonymous", "pseudonym"}
        if unnamed and not self.knowledge and (hint := access.knowledge_in_claim(quote)):
            self.knowledge = hint[0]
            self.why.append(f"knowledge {hint[0]}: says “{hint[1]}”")


def _is_name(word: str) -> bool:
    return word[:1].isupper() and singular(word) not in lx.ROLE_NOUNS


# A description that says a name is a news outlet: "the weekly paper that ...", "a local radio
# station", "the news site".
_OUTLET_NOTE_RE = re.compile(
    r"(?:the|a|an)\s+(?:[\w-]+\s+){0,3}?(?:newspaper|paper|daily|weekly|tabloid|magazine|"
    r"broadcaster|channel|network|station|website|news\s+(?:site|agency|outlet|service)|"
    r"wire\s+service)\b",
    re.IGNORECASE,
)


def _kind(label: str, head: str, text: str, outlet: str | None) -> tuple[str, str]:
    lower_words = {w.lower() for w in re.findall(r"[\w-]+", label)}
    head_lower = singular(head)
    if outlet or (lx.OUTLET_GENERIC_RE.search(label) and head_lower not in lx.ROLE_NOUNS):
        return "outlet", "a news outlet"
    if head[:1].isupper() and lx.OUTLET_NAME_RE.search(head):
        return "outlet", f"“{head}” names a news outlet"
    if lower_words & lx.RECORDING_WORDS:
        return "recording", f"“{sorted(lower_words & lx.RECORDING_WORDS)[0]}”"
    if head_lower in lx.DOCUMENT_WORDS or head.lower() in lx.DOCUMENT_WORDS:
        return "document", f"“{head}”"
    name = person_name(label)
    roles = {singular(w) for w in re.findall(r"[\w-]+", label.lower())} & lx.ROLE_NOUNS
    named = name and not {singular(w) for w in name.lower().split()} & lx.ROLE_NOUNS
    if named and roles and label.rstrip().endswith(name):
        # "Florida Department of Transportation official Troy Roberts": the office, then him
        return "person", f"“{sorted(roles)[0]}” and a name"
    if head_lower in lx.ORG_WORDS or head.lower() in lx.ORG_WORDS:
        return "organization", f"“{head}”"
    if head_lower in lx.ROLE_NOUNS or head.lower() in lx.ROLE_NOUNS:
        return "person", f"“{head}”"
    if re.fullmatch(r"[A-Z]{2,6}", head):
        return "organization", f"acronym “{head}”"
    if head[:1].isupper():
        roles = {singular(w) for w in re.findall(r"[\w-]+", label.lower())} & lx.ROLE_NOUNS
        if roles and person_name(label):  # "the district chief Ivan Petrov": a person
            return "person", f"“{sorted(roles)[0]}” and a name"
        if re.match(r"^(?:the|The)\s", label):
            return "organization", f"“{label}” with an article"
        if re.search(rf"\b{re.escape(head)}\s+{_ORG_SUFFIX}", text):
            return "organization", f"“{head}” is a company name in the text"
        return "person", "a personal name"
    return "person", "default"


def _anonymity(
    label: str, head: str, kind: str, mention: Mention, outlet: str | None
) -> tuple[str, str]:
    if mention.pseudonym:
        return "pseudonym", f"“{mention.pseudonym}” is given as a name the source goes by"
    stated = next((m for n in mention.notes if (m := PSEUDONYM_NOTE_RE.search(n))), None)
    if stated:
        return "pseudonym", f"“{stated.group(0)}”"
    if outlet:
        return "named", "a known outlet"
    words = re.findall(r"[\w’'.-]+", label)
    if words and words[0].lower() in {"the", "a", "an", "this", "that", "its", "their"}:
        words = words[1:]  # "The assessment": a capital, not a name
    proper = [w for w in words if _is_name(w)]
    if kind in {"organization"}:
        return "named", "an organization named in the text"
    if kind in {"outlet", "document", "recording"}:
        if proper:
            return "named", f"“{' '.join(proper)}”"
        if kind == "outlet":
            return "anonymous", f"an outlet described, not named: “{label}”"
        return "unknown", "no name given"
    if head[:1].isupper() and singular(head) not in lx.ROLE_NOUNS:
        return "named", f"proper name “{head}”"
    name = person_name(label)
    if name and not re.match(r"(?:a|an|the)\s", label, re.IGNORECASE):
        return "named", f"“{name}” is a name"  # "Judge al-Duaij": a title, then a name
    office = re.fullmatch(r"the\s+(.+)", label.strip(), re.IGNORECASE)
    if office and office.group(1).lower() in lx.OFFICES:
        return "named", f"“{label}” is one person at a time: identifiable, as a name is"
    return "anonymous", f"a role without a name: “{label}”"


def guess(
    label: str,
    mention: Mention,
    text: str,
    *,
    outlet: str | None = None,
    unspecified: bool = False,
    unresolved: bool = False,
) -> SourceDraft:
    """A new source for `label`, its key left for the caller to assign."""
    if unspecified:
        return SourceDraft(
            "", label, "unknown", "unknown", why=[f"{label}: the article does not say whose"]
        )
    if unresolved:
        return SourceDraft(
            "", label, "unknown", "unknown", why=[f"“{label}”: no earlier source to refer to"]
        )
    notes = [" ".join(n.split()) for n in mention.notes if n.strip()]
    members = [n for n in notes if re.match(r"(?:including|among\s+them)\s", n)]
    if members and not mention.pseudonym:  # "two sources, including an al-Shabab defector"
        label = f"{label}, {members[0]}"
        notes.remove(members[0])
    published = label
    if mention.pseudonym:
        label = mention.pseudonym
        notes.insert(0, published)
    elif mention.name:  # one source, labelled as first printed with the name beside it
        label = f"{published}, {mention.name}"
    head, plural = head_word(published)
    kind, kind_why = _kind(published, head, text, outlet)
    if mention.pseudonym:
        kind = "person"
    described = next((n for n in notes if _OUTLET_NOTE_RE.match(n)), None)
    if described and kind in {"organization", "person"} and published[:1].isupper():
        # "The Harwick Echo, the weekly paper that has covered the town since 1887"
        kind, kind_why = "outlet", f"described as “{described}”"
    anonymity, anon_why = _anonymity(published, head, kind, mention, outlet)
    reason = access.reason([*notes, published])
    lowercase = not any(_is_name(w) for w in re.findall(r"[\w’'-]+", published)[1:])
    if reason and kind == "organization" and lowercase and any(n.startswith("who ") for n in notes):
        # "A crane operator, who would speak only anonymously": an "operator" who is a person
        kind, kind_why = "person", f"“{head}” who asked for anonymity: a person"
    if reason and anonymity == "named" and kind == "person":
        anonymity, anon_why = "anonymous", f"“{reason}”"
    kept = [n.strip(" ,") for n in notes if n.strip(" ,") and clean_reason(n) != reason]
    description = "; ".join(dict.fromkeys(kept)) or None
    why = [f"kind {kind}: {kind_why}", f"anonymity {anonymity}: {anon_why}"]
    if reason and anonymity != "named":
        why.append(f"reason as stated: “{reason}”")
    texts = [published, *notes]
    hint = access.knowledge(texts) if anonymity != "named" else access.direct(texts)
    if hint:
        why.append(f"knowledge {hint[0]}: “{hint[1]}”")
    return SourceDraft(
        key="",
        label=label,
        kind=kind,
        anonymity=anonymity,
        anonymity_reason=reason if anonymity != "named" else None,
        description=description,
        why=why,
        outlet=outlet,
        outlet_type=next((t for k, _, t, _ in lx.OUTLETS if k == outlet), None)
        or _generic_type(published),
        plural=plural,
        words=content_words(published),
        head=singular(head),
        knowledge=hint[0] if hint else None,
        notes=notes,
        gender=gender_of([published, *notes]),
    )


_FEMALE = frozenset(
    lx.words(
        """she her woman women spokeswoman chairwoman congresswoman businesswoman mother wife
    daughter sister widow girl mrs ms miss madam queen princess"""
    )
)
_MALE = frozenset(
    lx.words(
        """he him his man men spokesman chairman congressman businessman father husband son
    brother boy mr king prince"""
    )
)


_POSSESSED_RE = re.compile(
    r"\b(whose|his|her|their|my|our)\s+(?:late\s+|former\s+|own\s+)?[\w-]+", re.IGNORECASE
)


def gender_of(texts: list[str]) -> str | None:
    """ "m" or "f" from the words that describe a source ("spokeswoman", "Mr."), else None."""
    # "whose husband died", "her son": a possessed noun is someone else, not the source
    texts = [_POSSESSED_RE.sub(r"\1", text) for text in texts]
    words = {w.lower().rstrip(".") for text in texts for w in re.findall(r"[\w.]+", text)}
    female, male = bool(words & _FEMALE), bool(words & _MALE)
    return "f" if female and not male else "m" if male and not female else None


def _generic_type(label: str) -> str | None:
    lower = label.lower()
    for kind, nouns in lx.OUTLET_WORDS.items():
        if any(re.search(rf"\b{noun}\b", lower) for noun in nouns):
            return kind
    return None
