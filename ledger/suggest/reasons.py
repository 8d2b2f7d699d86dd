"""Why a source was not named, given to the source it belongs to.

The words of anonymity are read in `anonymity`; here each stated reason finds its
source: the subject of a sentence of its own ("The official spoke on condition of
anonymity because ..."), the one unnamed speaker of the sentence of a claim, the
unnamed source a pronoun stands for (of its number and gender, never the holder of an
office met in between), or the source an outlet relayed and did not name ("The paper
did not name him, saying ...").
"""

# ruff: noqa: RUF001  (typographic quotation marks and apostrophes are the subject here)

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ledger.suggest import lexicon as lx
from ledger.suggest.access import clean_reason
from ledger.suggest.anonymity import FRONTED_REASON_RE, stated_reasons
from ledger.suggest.bundle import ClaimDraft
from ledger.suggest.groups import the_group
from ledger.suggest.heads import content_words, head_word
from ledger.suggest.motives import Untold, untold_reason
from ledger.suggest.persons import person_noun
from ledger.text.sentences import Sentence

if TYPE_CHECKING:
    from ledger.suggest.guess import SourceDraft
    from ledger.suggest.sources import SourceBook

singular = lx.singular


# The subject of a sentence that states a reason: "The official", "He", "Both",
# "The former foreman, who left the company in December,", "She would", "The other
# supervisor, who now works for a contractor and" (the reason ends the relative clause).
_REASON_SUBJECT_RE = re.compile(
    r"^\s*((?:[\w’'.-]+\s+){0,7}?[\w’'.-]+)\s*(?:,([^,]*),\s*|,\s*who\s[^,]*?\s(?:and|but)\s+)?"
    r"(?:(?:also|only|then|later|would|will|could|did|had|has)\s+)*$"
)


# An outlet or writer that withheld a name: the reason belongs to whom it did not name.
_WITHHELD_RE = re.compile(
    r"(?:did|does|do)\s*n(?:o|[’'])t\s*(?:name|identify)\s+(him|her|them|(?:its|their|the)\s+[^,]+?)"
    r"(?=\s*,|\s+(?:because|for|to)\b)",
    re.IGNORECASE,
)


def standalone_reasons(book: SourceBook, sentence: Sentence) -> Untold | None:
    """ "The official spoke on condition of anonymity because ...": a reason in a sentence of
    its own belongs to the source its subject names. A reason put before the subject
    ("Citing legal action pending, the manager requested anonymity") is part of it.

    Returns the statement if it gave no why ("All three asked not to be named."), so that
    the sentence after it may (`motives.goes_on`)."""
    fronted = FRONTED_REASON_RE.match(sentence.text)
    untold = None
    for match in stated_reasons(sentence.text):
        withheld = _WITHHELD_RE.match(match.group(0))
        if withheld:  # "The paper did not name him, saying ...": the reason is his
            whom = re.sub(r"^(?:its|their)\s+", "the ", withheld.group(1), flags=re.IGNORECASE)
            whom = "they" if whom.lower() == "the sources" else whom
            attach_reason(book, whom, clean_reason(match.group(0)), relayed=True)
            continue
        lo = fronted.end() if fronted and fronted.end() <= match.start() else 0
        subject = _REASON_SUBJECT_RE.match(sentence.text[lo : match.start()])
        if subject:
            whom = ", ".join(part for part in subject.group(1, 2) if part)
            reason = _with_fronted(match.group(0), fronted if lo else None)
            if match.group("negated"):  # "None of them agreed to be named": the "none" says it
                reason = f"{whom} {reason}"
            given = attach_reason(book, whom, reason)
            untold = untold_reason(sentence, match, reason, given) or untold
    return untold


def _with_fronted(stated: str, fronted: re.Match[str] | None) -> str:
    """ "requested anonymity" and its fronted "Citing legal action ...": one reason."""
    reason = clean_reason(stated)
    if fronted is None:
        return reason
    before = fronted.group(1)
    return f"{reason}, {before[:1].lower()}{before[1:]}"


def sentence_reasons(book: SourceBook, sentence: Sentence, claims: list[ClaimDraft]) -> None:
    """ "Granted anonymity to speak about colleagues, a senior official said ...", "..., the
    people said, asking not to be identified because ...": a reason anywhere in the sentence
    of a claim belongs to its unnamed speaker, when the sentence has only one. A claim
    inside the reason itself ("... because the owner has told staff that C") is what the
    reason says, and its speaker is not who asked for anonymity."""
    stated = stated_reasons(sentence.text)
    if not stated:
        return
    spans = [(sentence.start + m.start(), sentence.start + m.end()) for m in stated]
    speakers = {
        source.key: source
        for claim in claims
        if not any(lo <= claim.start < hi for lo, hi in spans)  # "because X has told staff ..."
        for chain in claim.chains
        if (source := _nearest_unnamed(book, chain)) is not None
    }
    if len(speakers) != 1:
        return
    [speaker] = speakers.values()
    if speaker.anonymity_reason and not speaker.shared_reason:
        return
    fronted = FRONTED_REASON_RE.match(sentence.text)
    match = stated[0]
    reason = _with_fronted(
        match.group(0), fronted if fronted and fronted.end() <= match.start() else None
    )
    speaker.anonymity_reason, speaker.shared_reason = reason, False
    speaker.why.append(f"reason stated in the sentence of its claim: “{reason}”")


def _nearest_unnamed(book: SourceBook, chain: list[str]) -> SourceDraft | None:
    """The first of a chain after any outlet, if an unnamed person: the one speaking in the
    sentence. "A nurse, who asked not to be named, said colleagues had told her that C":
    the reason is the nurse's, not her colleagues'; after an outlet ("the Post, citing an
    official who ...") it is the official's."""
    for key in chain:
        source = book.by_key(key)
        if source.kind == "outlet":
            continue
        unnamed = source.anonymity in {"anonymous", "pseudonym"} and source.kind == "person"
        return source if unnamed else None
    return None


def attach_reason(
    book: SourceBook, subject: str, reason: str, *, relayed: bool = False
) -> list[SourceDraft]:
    """A sentence that says why sources spoke unnamed: "The official spoke on condition of
    anonymity because ...", "Both asked not to be named", "He spoke on condition ...".

    The subject is resolved as a mention would be, without opening a new source.
    `relayed`: an outlet withheld the name ("The paper did not name him, saying ..."),
    so a source an outlet relayed is meant before any other. Returns the sources given it.
    """
    subject, *aside = (part.strip() for part in subject.split(","))
    # "The employees, three mechanics and two supervisors, spoke ...": the aside names who
    # the group's members are, for `members_share`
    members = next((a for a in aside if any(person_noun(w) for w in a.split())), None)
    # "Most of the employees interviewed", "Several of them": the group after "of"
    part = _PART_RE.match(subject)
    if part:
        subject = part.group(1)
    lower = {"him": "he", "her": "she", "them": "they"}.get(subject.lower(), subject.lower())

    def earlier(source: SourceDraft) -> bool:
        """Met before this sentence: "Seven of them ..., because the owner has told staff
        that C" is not about the owner, whom the reason itself first names."""
        return book.sources.index(source) < book.met_before

    if re.match(r"(?:all|both)\b", lower) or (
        part and not part.group(0).lower().startswith("each")
    ):
        # "Both asked not to be named", "Seven of them spoke only if ...": the group the text
        # ties it to by noun or number (`groups`); its members share it (`members_share`)
        met = [s for s in book.sources if s.anonymity == "anonymous" and s.kind == "person"]
        targets = the_group(book, subject, met)
        if not targets and part:  # "She is one of nine ... Seven of them ...": she is met
            last = book.find(
                lambda s: earlier(s) and s.anonymity == "anonymous" and s.kind == "person"
            )
            targets = [last] if last else []
    elif lower in lx.PRONOUNS:
        first_name = bool(_FIRST_NAME_ONLY_RE.search(reason))
        found = (relayed and _unnamed_referent(book, lower, relayed=True)) or _unnamed_referent(
            book, lower, first_name=first_name
        )
        targets = [found] if found else []
    else:
        head, _ = head_word(subject)
        words = content_words(subject) - {"other", "former"}
        found = book.find(
            lambda s: singular(head) == s.head and words <= s.words | {s.head, "other"}
        ) or book.find(lambda s: singular(head) == s.head)
        targets = [found] if found else []
    given: list[SourceDraft] = []
    for source in targets:
        if members and source.plural and members not in source.notes:
            source.notes.append(members)
        if source.anonymity == "named" and source.kind == "person":
            source.anonymity = "anonymous"  # "He gave only his first name": no full name
            source.why.append("anonymous: gave only a first name")
        own = len(targets) == 1
        if source.anonymity in {"anonymous", "pseudonym"} and (
            not source.anonymity_reason or (own and source.shared_reason)
        ):
            source.anonymity_reason, source.shared_reason = reason, not own
            source.why.append(f"reason stated later: “{reason}”")
            given.append(source)
    return given


# "Most of the employees interviewed", "Seven of them": the group after "of"
_PART_RE = re.compile(
    r"(?:(?:almost|nearly|virtually)\s+all|most|many|some|several|each|none|neither|a\s+few|"
    r"few|all|both|\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+dozen|"
    r"dozens|half)\s+of\s+(.+)$",
    re.IGNORECASE,
)


def members_share(book: SourceBook) -> None:
    """A group's reason goes to the members met after it: "The employees, three mechanics and
    two supervisors, spoke on condition ... because ..." covers the mechanic quoted later.

    A member is an unnamed person with no reason of its own whose head noun the group names
    (its own or one of its description's: "eleven staff, including six nurses"); of several
    such groups, the last met before the member."""
    groups: list[tuple[int, SourceDraft, set[str]]] = []
    last_group = -1  # the last group of unnamed people met, with a reason or none
    for index, source in enumerate(book.sources):
        unnamed = source.kind == "person" and source.anonymity == "anonymous"
        if unnamed and source.plural and (source.used or source.anonymity_reason):
            last_group = index  # "The assessors' reports": a group only named is no one's
        if unnamed and source.plural and source.anonymity_reason:
            heads = {  # not the nouns of what it said: "(staff said) that the manager ..."
                singular(w.lower())
                for text in [source.label, *source.notes]
                if not _CLAUSE_NOTE_RE.match(text)
                for w in re.findall(r"[A-Za-z-]+", text)
                if person_noun(w)
            }
            groups.append((index, source, heads | {source.head}))
        elif unnamed and not source.plural and not source.anonymity_reason:
            # "one of the three, a diplomat from ...": labelled by the description, tied by
            # the words before it (kept as its description)
            tie = _TIED_RE.match(source.label) or _TIED_RE.match(source.description or "")
            if not tie:
                continue  # "any official", "a shift supervisor": not one of the group met
            group = next((g for i, g, heads in reversed(groups) if source.head in heads), None)
            counted = _COUNTED_RE.match(source.label) or _COUNTED_RE.match(source.description or "")
            if group is None and counted and groups and groups[-1][0] == last_group:
                # "All five former employees spoke on condition ... One of the engineers":
                # named by another noun, one of the last group met, when no other came between
                group = groups[-1][1]
            if group is not None and group.anonymity_reason:
                source.anonymity_reason, source.shared_reason = group.anonymity_reason, True
                source.why.append(f"reason of {group.label}, whom it is one of")


# A note that is a clause about the group, not who is in it: "that the manager had warned".
_CLAUSE_NOTE_RE = re.compile(r"(?:that|which|whose|who\s+(?!include|included|are|were))\b", re.I)


# A member the text ties to a group met before: "One of the mechanics", "the other
# supervisor", "The first nurse", "A second mechanic"; not a new "a shift supervisor".
_TIED_RE = re.compile(
    r"(?:(?:one|two|three|some|several|each|either|neither|most|many)\s+of\s|the\s|"
    r"(?:a|another)\s+(?:second|third|fourth|fifth|sixth|further|fellow)\s|another\s)",
    re.IGNORECASE,
)


# A member counted off a group, whatever its noun: "One of the engineers", "The second
# surveyor", "Another engineer", "A third, a security adviser".
_COUNTED_RE = re.compile(
    r"(?:one\s+of\s|(?:the|a|another)\s+(?:first|second|third|fourth|fifth|sixth|other)\b|"
    r"another\s)",
    re.IGNORECASE,
)


def _unnamed_referent(
    book: SourceBook, pronoun: str, *, first_name: bool = False, relayed: bool = False
) -> SourceDraft | None:
    """The unnamed source a pronoun in a statement of anonymity stands for: the most
    recent one of its number, and for "he" or "she" of no other gender ("She asked that
    her name not be used" after "a former employee ... told us she ..."). A person known
    by one name counts when the statement is that only a first name was given."""

    def unnamed(s: SourceDraft) -> bool:
        if relayed and not any(p.outlet for p in s.prefix):
            return False
        if _OFFICE_HOLDER_RE.match(s.label):
            return False  # "the bank's chairman": one person anyone can name, not hidden
        if s.anonymity in {"anonymous", "pseudonym"}:
            return True
        return first_name and s.kind == "person" and len(s.label.split()) == 1

    if lx.PRONOUNS[pronoun] == "plural":
        return book.find(lambda s: unnamed(s) and s.plural)
    wanted = {"she": "f", "her": "f", "he": "m", "him": "m"}.get(pronoun)
    found = book.find(
        lambda s: unnamed(s) and s.kind == "person" and not s.plural and s.gender in (None, wanted)
    )
    if found is not None and found.gender is None and wanted:
        found.gender = wanted
    return found


# The one holder of an office, by the office: "the university's president", "the firm's chief
# executive". Whoever asks not to be named is someone else.
_OFFICE_HOLDER_RE = re.compile(
    r"^the\s+(?:[\w.-]+\s+){0,2}[\w.-]+[’']s\s+(?:[\w-]+\s+){0,2}[\w-]*[^s\W]$"
)
_FIRST_NAME_ONLY_RE = re.compile(
    r"only\s+(?:his|her|their|a)\s+(?:first|given)\s+names?", re.IGNORECASE
)
