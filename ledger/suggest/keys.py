"""Source keys that read as names: `jeff-davis`, `ministry-officials`, `senior-security-official`.

A key is what a journalist types and reads in every chain, so it should name the
source the way a colleague would: a person by their name, an outlet by its
usual key, a description by its head and the words that tell it apart
("officials at the Ministry of Health" are `ministry-officials`), never a phrase
cut in the middle (`officials-at-the-ministry-of`).
"""

# ruff: noqa: RUF001  (typographic apostrophes are the subject here)

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from ledger.suggest import lexicon as lx
from ledger.suggest.heads import head_word

_DROP_FIRST = frozenset(
    {
        "a",
        "an",
        "the",
        "its",
        "his",
        "her",
        "their",
        "our",
        "this",
        "that",
        "some",
        "several",
        "many",
    }
    | {"various", "multiple", "all", "both"}
)
_FUNCTION = frozenset(
    {"a", "an", "the", "of", "at", "for", "to", "in", "on", "with", "and", "or", "from", "by", "s"}
)
# Words before a name that are a title or a role, not part of the name.
TITLES = lx.words(
    """mr mrs ms miss dr prof professor gen general col colonel maj major capt captain lt
    lieutenant sgt sergeant adm admiral brig cmdr commander insp inspector supt superintendent
    det detective officer judge justice governor gov senator sen representative rep president
    minister secretary chairman chairwoman chair director sir dame lord lady rev reverend
    father sister brother imam rabbi sheikh mullah ayatollah king queen prince princess
    mayor councillor councilor deputy chief ambassador envoy navy army air force station
    battalion corporal cpl private pte"""
)
# A proper name in a label: two to four capitalised words, none of them a title or an org word.
# "al-Duaij", "el-Sisi": a lowercase article joined to a capitalised name is part of it.
_PARTICLE = r"(?:(?:al|el|ad|ash|as|an|at)-)?"
_CAPITAL_RUN_RE = re.compile(
    rf"(?:{_PARTICLE}[A-Z][\w’'.-]*\s+){{1,7}}{_PARTICLE}[A-Z][\w’'-]*[a-z][\w’'-]*"
)
_PREPOSITIONS = frozenset({"of", "at", "for", "from", "in", "within", "inside", "with", "to", "on"})
# Adjectives after a head that say how a source knows: kept in its key.
_ACCESS = frozenset(
    {"familiar", "close", "briefed", "involved", "knowledgeable", "aware", "linked"}
)


def slugify(text: str, limit: int = 5, drop: frozenset[str] = frozenset({"a", "an", "the"})) -> str:
    """Lowercase-hyphenated key words: "three U.S. officials" -> "three-us-officials"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"['’]s\b", "", plain).replace(".", "")
    tokens = re.findall(r"[a-z0-9]+", plain)
    while tokens and tokens[0] in drop:
        tokens.pop(0)
    return "-".join(tokens[:limit])[:60].strip("-")


def _tokens(text: str) -> list[str]:
    return slugify(text, limit=40, drop=frozenset()).split("-") if slugify(text, 40) else []


def person_name(label: str) -> str | None:
    """The personal name in a label, titles dropped: "Pentagon spokesman Captain Jeff Davis" ->
    "Jeff Davis"; None when the label names nobody ("a senior official", "the Ministry")."""
    # "BBC's Jonathan Marcus": the name after the possessive
    parts = re.split(r"[’']s\s+", label)
    for index, part in enumerate(parts):
        for match in _CAPITAL_RUN_RE.finditer(part):
            if index < len(parts) - 1 and match.end() == len(part.rstrip()):
                continue  # "Harbor General's chief executive": a possessor, nobody's name
            name = _name_in_run(match.group(0).split(), part[: match.start()])
            if name:
                return name  # the first: "Dr. Fatima Bello of the Institute for ..."
    return None


def _name_in_run(words: list[str], before: str) -> str | None:
    titled = False
    office = re.search(r"([\w.]+)\s+of\s+$", before)
    if office and office.group(1).lower().rstrip(".") in TITLES:
        titled = True  # "Secretary of State Mike Pompeo": the office's words are no name
        while len(words) > 2:
            words.pop(0)
    inner = [i for i, w in enumerate(words[:-1]) if i and w.lower().rstrip(".") in TITLES]
    if inner and not _orgish(words[-1]):  # "Turkish President Recep Tayyip Erdoğan", "Prime
        titled, words = True, words[inner[-1] + 1 :]  # Minister Boris Johnson": after the title
    while words and (words[0].lower().rstrip(".") in TITLES or _orgish(words[0])):
        titled = titled or words[0].lower().rstrip(".") in TITLES
        words.pop(0)
    if len(words) == 1 and titled and _surname(words[0]):
        return words[0]  # "Judge al-Duaij", "Colonel Maow": a title and a surname
    if len(words) < 2 or words[-1].lower().rstrip(".") in TITLES:
        return None  # "U.S. Special Representative": a title, nobody's name
    if any(_orgish(word) for word in words):
        return None  # "the World Health Organization", "State Department"
    return " ".join(words)


def _surname(word: str) -> bool:
    """Could this one capitalised word after a title be a surname ("Maow"), not a role or org?"""
    lower = word.lower().rstrip(".")
    return (
        lower not in TITLES
        and lx.singular(lower) not in lx.ROLE_NOUNS
        and not _orgish(word)
        and re.search(r"[a-z]", word) is not None
    )


def _orgish(word: str) -> bool:
    lower = word.lower().rstrip(".")
    return lower in lx.ORG_WORDS or lx.singular(lower) in lx.ORG_WORDS or lower in lx.MEDIA_WORDS


def _trim(words: list[str], limit: int) -> list[str]:
    """At most `limit` words, never starting or ending on a function word."""
    words = words[:limit]
    while words and words[-1] in _FUNCTION:
        words.pop()
    while words and words[0] in _FUNCTION:
        words.pop(0)
    return words


def description_key(label: str) -> str:
    """Key words for a description: its head and the words before it, and the party it
    belongs to when a preposition names one ("officials at the ministry" -> ministry-officials)."""
    text = re.split(r",|\s(?:who|whom|whose|which|that)\s", label)[0]
    words = [w for w in _tokens(text) if w]
    while words and words[0] in _DROP_FIRST:
        words.pop(0)
    if not words:
        return ""
    head, _ = head_word(text)
    head_slug = slugify(head, 1)
    at = words.index(head_slug) if head_slug in words else len(words) - 1
    before, after = words[: at + 1], words[at + 1 :]
    if after and after[0] in _PREPOSITIONS and _names_a_party(after[1:]):
        party = [w for w in after[1:] if w not in _DROP_FIRST]
        party = party[: next((i for i, w in enumerate(party) if w in _PREPOSITIONS), len(party))]
        own = [w for w in before if w not in lx.UNIT_WORDS][-2:]
        return "-".join(_trim([*party[:3], *own], 4))
    if len(after) > 2 and after[0] in _ACCESS and after[1] in _PREPOSITIONS:
        # "people familiar with the matter": how they know is what tells them apart
        if len(before) + len(after) <= 5:
            return "-".join(_trim([*before, *after], 5))
        return "-".join(_trim([*before[-2:], after[0], after[1], after[-1]], 5))
    return "-".join(_trim(before[-4:], 4))


def _names_a_party(words: list[str]) -> bool:
    return any(w in lx.ORG_WORDS or lx.singular(w) in lx.ORG_WORDS for w in words[:4])


def key_for(label: str, *, kind: str, outlet: str | None, named: bool) -> str:
    """The key a new source would best have, before making it unique."""
    if outlet:
        return outlet
    if label.startswith("speaker not identified"):
        return "unidentified-speaker"
    if kind == "person" and named:
        name = person_name(label)
        if name:
            return slugify(name, 4)
    acronym = re.search(r"\(([A-Z][A-Za-z]{1,9})\)", label)
    if acronym:  # "U.S. Africa Command (AFRICOM)" is africom
        return acronym.group(1).lower()
    if kind in {"organization", "outlet"} and named and re.match(r"(?:the\s+)?[A-Z]", label):
        proper = re.split(r",|\s(?:who|which|that)\s", label)[0]
        return "-".join(_trim(slugify(proper, 6).split("-"), 5))  # its name, as far as it goes
    words = description_key(label)
    return words or slugify(label) or "source"


def unique_key(base: str, taken: Collection[str]) -> str:
    """`base`, or `base-2`, `base-3`, … when the ledger or the draft has it already."""
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key
