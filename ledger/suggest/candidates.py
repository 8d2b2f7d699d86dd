"""The words that may open an attribution in a sentence, before any parsing.

Finds "said", "according to", "citing", "reportedly", "a report in ..." and
drops the uses that are not attributions: cue words inside a quotation (the
speaker's own words), nouns ("media reports", "the alleged attack"),
infinitives and negations ("declined to say", "did not say"). Also knows the
two openings that are not content: a dateline ("WASHINGTON (Reuters) -") and a
fronted medium ("In a statement to CNN,").
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re
from dataclasses import dataclass

from ledger.suggest import lexicon as lx
from ledger.suggest.anonymity import stated_reasons
from ledger.text.sentences import quote_marks


@dataclass(frozen=True)
class Cand:
    start: int
    end: int
    kind: str  # verb, according, citing, cited, reportedly, report, heard
    word: str


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Ranges inside quotation marks, paired as `quote_marks` pairs them."""
    ranges, opened = [], None
    for index, change in quote_marks(text):
        if change > 0:
            opened = index
        elif opened is not None:
            ranges.append((opened, index))
            opened = None
    if opened is not None:
        ranges.append((opened, len(text)))  # it closes in a later paragraph
    return ranges


def previous_word(text: str, at: int) -> str:
    match = re.search(r"([\w’'-]+)\W*$", text[:at])
    return match.group(1) if match else ""


_AUXILIARY_NEXT = re.compile(
    r"\s+(?:did|does|do|was|were|is|are|had|has|have|will|would|could|can|may|might|must|"
    r"should)\b"
)
_DETERMINERS = frozenset({"a", "an", "the", "this", "these", "those", "its", "his", "their"})
_NOUNISH = frozenset(
    {"reports", "claims", "notes", "estimates", "claim", "states", "reply", "comments", "forecasts"}
)


def _verb_reading(text: str, match: re.Match[str], before: str) -> bool:
    """ "Reuters reports ..." is a verb; "intelligence reports", "unsubstantiated claims" are nouns."""
    if before in lx.NOUN_MARKERS - lx.TRAILING_ADVERBS:
        return False
    word_before = re.search(  # "The magazine also reports": the adverb is no noun marker
        rf"([\w’'.-]+)(?:\s+(?:{lx.ADVERBS_PATTERN}))*\W*$", text[: match.start()]
    )
    raw = word_before.group(1) if word_before else ""
    head = raw.lower().rstrip(".")
    return bool(raw[:1].isupper() or head in _SUBJECT_HEADS or head in lx.PRONOUNS)


_SUBJECT_HEADS = lx.ROLE_NOUNS | lx.ORG_WORDS | lx.MEDIA_WORDS


def _plural_speaker(word: str) -> bool:
    """ "Scientists", "officials", "biologists", "they": a subject that "report" agrees with."""
    one = lx.singular(word)
    doer = re.search(r"(?:ist|er|or|ian|ant|ent)$", one) is not None  # "biologist", "teacher"
    return word in {"they", "we", "i", "you"} or (one != word and (one in lx.SPEAKER_HEADS or doer))


def _speaker_before(text: str, match: re.Match[str]) -> bool:
    word_before = re.search(  # "Emergency workers have indicated": past the auxiliary
        rf"([\w’'.-]+)(?:\s+(?:{lx.ADVERBS_PATTERN}))*\W*$", text[: match.start()]
    )
    raw = word_before.group(1) if word_before else ""
    head = raw.lower().rstrip(".")
    singular = lx.singular(head)
    return bool(raw[:1].isupper() or {head, singular} & (lx.SPEAKER_HEADS | lx.PRONOUNS.keys()))


def candidates(text: str) -> list[Cand]:
    quoted = quoted_ranges(text)
    reasons = _reasons(text)
    found: list[Cand] = []
    patterns = (
        (lx.VERB_RE, "verb"),
        (lx.ACCORDING_RE, "according"),
        (lx.CITING_RE, "citing"),
        (lx.REPORTEDLY_RE, "reportedly"),
        (lx.REPORT_NOUN_RE, "report"),
        (lx.NOUN_CUE_RE, "noun"),
        (lx.NOUN_BY_RE, "report"),
        (lx.IMPERSONAL_RE, "impersonal"),
        (lx.STANCE_RE, "stance"),
        (lx.SHOWED_RE, "showed"),
        (lx.DESCRIBED_RE, "described"),
        (_HEARD_RE, "heard"),
    )
    for pattern, kind in patterns:
        for match in pattern.finditer(text):
            if any(lo < match.start() < hi for lo, hi in quoted):
                continue
            word = match.group(0)
            before = previous_word(text, match.start()).lower()
            if (before in {"and", "or", "which"} or word == "saying") and any(
                lo < match.start() < hi for lo, hi in reasons
            ):
                continue  # "... because he ... and fears he would be fired", "which said",
                # "did not name him, saying he feared ...": the reason's words, no claim
            if kind == "verb":
                if word == "added" and re.match(r"\s+to\b", text[match.end() :]):
                    continue  # "the findings added to evidence": no one speaks
                inverted = re.match(r",?\s*(?:the\s+)?[A-Z]", text[match.end() :]) and re.search(
                    r",\s*$", text[: match.start()]
                )  # "..., reports the Bangor Daily News, ..."
                if word in _NOUNISH and not inverted and not _verb_reading(text, match, before):
                    continue
                if word == "report" and not _plural_speaker(before):
                    continue  # "the police report", "a report": "scientists report C" is a verb
                if word in _NOUNISH and re.match(_AUXILIARY_NEXT, text[match.end() :]):
                    continue  # "the Russian reports did work": a verb comes next, so a noun
                if before in {"to", "not", "never"} or before.endswith(("n't", "n’t")):
                    continue
                if before in {"most", "more", "less", "least", "very"}:
                    continue  # "its most feared affiliate": an adjective
                if word in {"blamed", "accused"} and re.match(
                    r"\s+(?:for|of)\b", text[match.end() :]
                ):
                    continue  # "a group blamed for thousands of deaths": a participle, no speaker
                if before in {"for", "of", "in", "with", "without"}:
                    continue  # "for fear of", "with comments from": a noun after a preposition
                if before in _DETERMINERS or re.search(r"\w[’']s$", before):
                    continue  # "a reported plan", "the alleged attack", "Ben's alleged love"
                coordinated = before in {"and", "but"}  # "The bank kept rates but signalled that"
                if word in lx.THING_VERBS and not coordinated and not _speaker_before(text, match):
                    continue  # "the dialogue suggested ...": not a source speaking
            if kind in {"stance", "showed", "described"} and (
                before in {"to", "not", "never"} | lx.PASSIVE_AUX or before.endswith(("n't", "n’t"))
            ):
                continue
            if kind == "citing" and word in {"cited", "quoted"}:
                kind = "cited"
            found.append(Cand(match.start(), match.end(), kind, word))
    according_ends = {c.end + 1 for c in found if c.kind == "according"}
    found = [c for c in found if not (c.kind == "report" and c.start in according_ends)]
    return sorted(found, key=lambda c: c.start)


def _reasons(text: str) -> list[tuple[int, int]]:
    """Where a stated reason goes on after its grounds ("because ...", ", citing ...", "which
    said he feared ..."): a verb in it is the reason's own, no cue."""
    return [(match.end("grounds"), match.end()) for match in stated_reasons(text)]


# "she had heard from two colleagues that C": the ones heard from are the speakers.
_HEARD_RE = re.compile(r"(?<![\w-])(?:heard|learned|learnt)(?=\s+from\s)")
PASSED = frozenset({"reportedly", "noun", "impersonal", "stance", "showed", "described"})
# "WASHINGTON (Reuters) -", "(AP) —": the dateline names the publisher and is no content.
DATELINE_RE = re.compile(
    r"^\s*(?:[A-Z][\w./' -]{0,40}?(?:,\s*[A-Z][\w.]*(?:\s+\d{1,2})?)?\s*)?"
    r"\(([\w .&-]{2,40})\)\s*(?:--|[-–—])\s*"
)
# "In a statement to CNN, ..." and "Speaking to Reuters, ...": the outlet is the first hop.
FRONTED_VIA_RE = re.compile(
    r"^\s*(?:In\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}?(?:statement|interview|email|e-mail|call|"
    r"message|letter)\s+(?:to|with)|(?:Speaking|Talking|Writing)\s+(?:to|in))\s+"
)
