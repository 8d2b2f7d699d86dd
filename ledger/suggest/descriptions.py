"""A source described in words: back to one met before, or a new source.

"The engineers said" after "two former engineers", "the official" after "a
senior Ethiopian official", "Singh" after "Ravi Singh", "The spokesman,
Christian Lindmeier" naming the spokesman met earlier unnamed, and "the
ministry" for the one Ministry the article has named. `SourceBook.resolve`
sends here every mention that is not a pronoun, an outlet or the publisher.
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re
from typing import Protocol

from ledger.suggest import lexicon as lx
from ledger.suggest.bodies import BodyBook, refer_back_to_body
from ledger.suggest.body_kinds import body_of_kind
from ledger.suggest.fuller import fuller_name
from ledger.suggest.guess import SourceDraft
from ledger.suggest.heads import content_words, core_words, head_word
from ledger.suggest.keys import person_name
from ledger.suggest.known import LedgerSources
from ledger.suggest.phrases import Mention
from ledger.text.labels import fold_label


class SourceBook(BodyBook, Protocol):
    """What resolving a description asks of the article's sources so far
    (`ledger.suggest.sources.SourceBook`, kept there): what referring back to a body asks,
    and the ledger's own sources."""

    known: LedgerSources


singular = lx.singular
_NUMBERS = "two|three|four|five|six|seven|eight|nine|ten"
_TITLES_RE = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Sen|Rep|Gov|President|Minister)\.?\s+")


def describe(book: SourceBook, label: str, mention: Mention) -> tuple[SourceDraft, str]:
    """The source a description names: one met before that it fits, or a new one."""
    lower = label.lower()
    head, _ = head_word(label)
    words = content_words(label)
    contrast = bool(re.search(r"\b(?:other|another|second|third|different)\b", lower))
    partitive = re.match(r"^(?:one|two|three|some|several|each|either|both)\s+of\s+", lower)
    if (authors := _authors(book, label, head)) is not None and not contrast:
        return authors, f"“{label}” refers back to {authors.label}"
    if (issuer := _issuer_met(book, label)) is not None:
        return issuer, f"“{label}” is a statement of {issuer.label}, met before"
    if (
        lower.startswith(("the ", "these ", "those ", "this ", "that "))
        and not contrast
        and not head[0].isupper()
    ):
        # "The engineers said" after "two former engineers ... the second former engineer":
        # a plural description is the group, not its last member to speak
        plural = singular(head) != head.lower()
        found = (
            plural
            and book.find(
                lambda s: (
                    s.plural
                    and singular(head) == s.head
                    and not re.match(r"(?:one|each|either)\s+of\s", s.label, re.I)
                )
            )
        ) or None
        wanted = None if plural else _said_pronoun(book, mention)
        found = (
            found
            or (  # "The engineer ... said he ...": of the engineers met, the man
                wanted
                and book.find(
                    lambda s: (
                        singular(head) == s.head
                        and words <= s.words | {s.head}
                        and s.gender in (None, wanted)
                    )
                )
            )
            or book.find(lambda s: singular(head) == s.head and words <= s.words | {s.head})
            or book.find(lambda s: singular(head) in s.note_heads())
            or _same_head(book, head, plural, wanted)
        )
        if found is None and not mention.notes:  # "The agency said" after "The ... Commission"
            found = body_of_kind(book, label, singular(head))
        if found is None and singular(head) in lx.COMPANY_WORDS and len(label.split()) <= 2:
            found = book.find(lambda s: s.kind == "organization")
        if found is None:  # "the airline" for the Aerolinea Sur that opened a sentence before
            found = refer_back_to_body(book, label, singular(head), mention)
        if found is None and singular(head) in {"source", "person", "individual", "people"}:
            found = book.find(lambda s: s.anonymity == "anonymous" and s.kind == "person")
        if found is None and re.fullmatch(rf"the\s+({_NUMBERS})", lower):  # "The two, who ..."
            number = lower.split()[1]
            found = book.find(
                lambda s: s.plural and s.kind == "person" and s.label.lower().startswith(number)
            )
        if found is None and lower in {"the man", "the woman"}:  # the last unnamed one of them
            wanted = "f" if lower == "the woman" else "m"
            found = book.find(
                lambda s: (
                    s.kind == "person"
                    and s.anonymity == "anonymous"
                    and not s.plural
                    and s.gender in (None, wanted)
                )
            )
        if found is None and singular(head) == "official":  # "the Ethiopian official"
            found = book.find(
                lambda s: (
                    s.kind == "person"
                    and not s.plural
                    and bool(
                        {s.head, *s.words, *(singular(w) for n in s.notes for w in n.split())}
                        & lx.OFFICIAL_ROLES
                    )
                )
            )
        if found is None and re.fullmatch(r"the\s+(?:statement|release|communique)", lower):
            # "Calloway said in a statement that ... “...,” the statement said": Calloway's
            found = book.find(lambda s: s.used and s.kind == "organization")
        if found:
            return found, f"“{label}” refers back to {found.label}"
        if named := _named_earlier(book, label):
            return named
    if partitive:
        if (
            re.fullmatch(r"one\s+of\s+(?:them|those|these)", lower)
            and not mention.notes
            and not _another_member_speaks(book, mention)
        ):
            group = book.find(lambda s: s.plural and s.kind == "person")
            if group is not None:  # "one of them said": the group spoke, by one voice
                return group, f"“{label}” is one of {group.label}"
        group = book.find(lambda s: singular(head) == s.head) or book.find(
            lambda s: s.plural and s.kind == "person"
        )
        described = next((n for n in mention.notes if re.match(r"(?:a|an)\s", n, re.I)), None)
        if described:  # "one of them, a sales manager in Austin": the description is her label
            rest = [n for n in mention.notes if n is not described]
            source = book.new_source(
                described, Mention(described, mention.start, mention.end, rest)
            )
        else:
            source = book.new_source(label, mention)
        if group:
            source.description = f"{label} ({group.label})"
        return source, "new source"
    if named := _named_later(book, label, mention):
        return named
    name = _TITLES_RE.sub("", label)
    last = re.findall(r"[\w’'-]+", name)[-1:] if name else []
    is_name = (
        bool(last) and last[0] == head
    )  # "Singh", "Crestline"; not "a nurse at Central Hospital"
    office = singular(last[0]).lower() in lx.ORG_WORDS if last else False
    # "The State Department" ends in the word for a body, not in a person's name
    if is_name and last[0][0].isupper() and singular(last[0]) not in lx.ROLE_NOUNS and not office:
        # "Crestline", "the Echo" after "The Harwick Echo": one word names a body too
        one_word = len(re.findall(r"[\w’'-]+", re.sub(r"^the\s+", "", name, flags=re.I))) == 1
        found = book.find(
            lambda s: (
                last[0].lower() in {w.lower() for w in re.findall(r"[\w’'-]+", s.label)}
                and (
                    s.kind in {"person", "unknown"}
                    or (one_word and s.kind in {"organization", "outlet"})
                )
            )
        )
        if found:
            return found, f"“{label}” names {found.label} again"
    bare = re.sub(r"^(?:a|an|the)\s+", "", lower)
    found = book.find(lambda s: re.sub(r"^(?:a|an|the)\s+", "", s.label.lower()) == bare)
    if found:
        return found, "same words as before"
    fuller = fuller_name(label, book.text[: book.position])
    if fuller is not None:  # "Dravic" after "former transport minister Elias Dravic"
        bare = re.sub(r"\s*\([^)]*\)$", "", fuller)  # "World Food Program", met as "The U.N. ..."
        name = f" {fold_label(bare)} "
        found = book.find(lambda s: name in f" {fold_label(s.label)} ", recent=False)
        if found is not None:
            return found, f"“{label}” is {found.label}, named in full before"
        full = Mention(fuller, mention.start, mention.end, list(mention.notes))
        source = book.new_source(fuller, full)
        source.short.append(label)
        return source, f"“{label}” is {fuller}, named in full before"
    return book.new_source(label, mention), "new source"


# A member counted off after "one of them": "The other said", "The second official, an
# economist, told ...", "A second said". The start of a sentence, with the verb near.
_ANOTHER_MEMBER_RE = re.compile(
    r"(?:^|[.!?\"”]\s+|\n)(?:The\s+other|The\s+second|A\s+second)\b(?![\w ]{0,12}\bside\b)"
    r"[^.!?\n]{0,120}?\b(?:said|says|told|added|recalled|described)\b"
)


def _another_member_speaks(book: SourceBook, mention: Mention) -> bool:
    """ "One of them said ... The other said ...": when the text goes on to count another
    member off the group, "one of them" is one speaker, not the group by one voice."""
    at = getattr(book, "position", 0) + mention.end
    return bool(_ANOTHER_MEMBER_RE.search(getattr(book, "text", ""), at))


# A statement named by its issuer: "a ministry statement", "An MHRA statement".
_ISSUER_FIRST_RE = re.compile(
    r"(?:[Aa]n?|[Tt]he)\s+([a-z]+|[A-Z]{2,8})\s+(?:statement|press\s+release|communique)"
)


def _same_head(book: SourceBook, head: str, plural: bool, wanted: str | None) -> SourceDraft | None:
    """ "The ICU nurse" after "a nurse who had worked the unit's night shift": a definite
    description whose modifiers are new still names the one unnamed person of that head noun
    met so far (two of them, and the description does not say which: none)."""
    if head[:1].isupper() or singular(head) in {"source", "person", "people", "official"}:
        return None
    met = []
    while (found := book.find(lambda s: s not in met and s.head == singular(head))) is not None:
        met.append(found)
    if len(met) != 1:
        return None
    [source] = met
    if source.kind != "person" or source.anonymity != "anonymous" or source.plural != plural:
        return None
    return source if source.gender in (None, wanted) or wanted is None else None


def _issuer_met(book: SourceBook, label: str) -> SourceDraft | None:
    """The body met before that issued the statement a label names by it: after "the
    transport ministry said", "a ministry statement" is the ministry speaking."""
    first = _ISSUER_FIRST_RE.fullmatch(label.strip())
    if first is None or first.group(1) in {"written", "joint", "brief", "new", "official"}:
        return None
    issuer = first.group(1)
    if issuer.isupper():  # "MHRA": the body whose name gives that short form
        return book.find(
            lambda s: (
                s.kind == "organization"
                and (issuer in s.label.split() or _initials(s.label) == issuer)
            ),
            recent=False,
        )
    return book.find(lambda s: s.kind == "organization" and s.head == singular(issuer))


_SAID_PRONOUN_RE = re.compile(
    r"(?:,?\s+who\b[^,.;“”\"]*?)?,?\s+(?:also\s+)?(?:said|says|told\s+[\w ]+?)\s+(?:that\s+)?"
    r"(he|she)\b"
)


def _said_pronoun(book: SourceBook, mention: Mention) -> str | None:
    """ "The engineer who still works there said he ...": the reported clause's pronoun is
    the speaker, so "m" or "f" tells which of the engineers met is meant."""
    at = getattr(book, "position", 0) + mention.end
    said = _SAID_PRONOUN_RE.match(getattr(book, "text", ""), at)
    if said is None:
        return None
    return "f" if said.group(1) == "she" else "m"


def _initials(label: str) -> str:
    """ "The Civil Aviation Authority" -> "CAA": the capitals of its words, "The" aside."""
    return "".join(w[0] for w in re.findall(r"[A-Z][\w’'-]*", label) if w != "The")


def _authors(book: SourceBook, label: str, head: str) -> SourceDraft | None:
    """ "The researchers", "the study's authors" after "scientists report": the authors of
    the study met before, by another of their names (not "some scientists", nor a bare
    "scientists say")."""
    plural = singular(head) != head.lower()
    if not plural or singular(head) not in lx.AUTHORS:
        return None
    if not re.fullmatch(r"(?:the|these|those)\s+(?:[\w’'-]+\s+){0,2}[\w’'-]+", label, re.I):
        return None  # a bare "scientists say" may be any scientists
    return book.find(lambda s: s.plural and s.kind == "person" and s.head in lx.AUTHORS)


def _named_later(book: SourceBook, label: str, mention: Mention) -> tuple[SourceDraft, str] | None:
    """ "The spokesman, Christian Lindmeier": a name whose description refers back to a
    source met earlier unnamed. One source, which now has the name."""
    described = next(
        (n for n in mention.notes if re.match(r"(?:the|this|that)\s+\w", n, re.I)), None
    )
    one_name = re.fullmatch(r"[A-Z][\w’'-]+", label) and not label.isupper()  # "The driver, Yerlan"
    if described is None or (person_name(label) is None and not one_name):
        return None
    head, _ = head_word(described)
    words = core_words(described)  # "the deputy director named by the supervisors"
    anyone = singular(head) in {"man", "woman", "person"}  # "the man, Efrain Soto": the last one
    found = book.find(
        lambda s: (
            (anyone or (s.head == singular(head) and words <= s.words | {s.head}))
            and s.kind == "person"
            and s.anonymity == "anonymous"
            and not s.plural
            and person_name(s.label) is None
        )
    )
    if found is None:
        return None
    found.rename(label, f"“{described}, {label}” names {found.label}")
    return found, f"“{described}, {label}” refers back to {found.label}"


def _named_earlier(book: SourceBook, label: str) -> tuple[SourceDraft, str] | None:
    """ "the ministry" after "Congo's Ministry of Health": the one body of that kind the article
    has named so far, when exactly one fits; two Ministries named leave it a description."""
    bare = re.fullmatch(r"the\s+([a-z]+)", label, re.IGNORECASE)
    if bare is None or bare.group(1).lower() not in lx.ORG_WORDS or book.known.match([label]):
        return None  # the ledger's own "The department" is the department meant
    head = bare.group(1).lower().capitalize()
    tail = r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+(?:and\s+)?[A-Z][\w-]*)*)"
    pattern = rf"(?:[A-Z][\w.-]*(?:[’']s)?\s+(?:and\s+)?){{1,4}}{head}\b{tail}?|\b{head}{tail}"
    names = {
        re.sub(r"^(?:The|A|An)\s+", "", " ".join(match.group(0).split()))
        for match in re.finditer(pattern, book.text[: book.position])
    }
    names.discard(head)
    if len(names) != 1:
        return None
    [name] = names
    source, _, _ = book.resolve(Mention(name, 0, 0))
    if source is None:
        return None
    return source, f"“{label}” is the one {head.lower()} named before, {name}"
