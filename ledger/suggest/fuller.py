"""A short name that the article gave in full before it was a source: "Dravic" after
"former transport minister Elias Dravic", "The IOC" after "The International Olympic
Committee", "The FSB" after "the Federal Security Service (FSB)".

A party is often named in full where it is only the subject of the story, and quoted
later by its short name. The draft then labels the source with the full name, as the
journalist would, so that it reads as the party it is and meets the ledger's label.
"""

# ruff: noqa: RUF001  (typographic apostrophes are the subject here)

from __future__ import annotations

import re

from ledger.suggest import lexicon as lx

_SURNAME_RE = re.compile(r"[A-Z][a-z][\w’'-]*")
_ACRONYM_RE = re.compile(r"(?:[Tt]he\s+)?([A-Z]{2,6})")
_OPENERS = lx.words(
    "the a an in on at for but and as after before when while this that its his her"
)


def fuller_name(label: str, before: str) -> str | None:
    """The full name that `label` shortens, as `before` (the article so far) last gave it."""
    label = label.strip()
    if _SURNAME_RE.fullmatch(label) and lx.singular(label) not in lx.SPEAKER_HEADS:
        return _full_person(label, before)
    acronym = _ACRONYM_RE.fullmatch(label)
    if acronym:
        return _full_body(acronym.group(1), before)
    return None


def _full_person(surname: str, before: str) -> str | None:
    """ "Elias Dravic" for "Dravic": capitalised words just before the surname."""
    found = None
    word = r"(?:[A-Z][\w’'-]*|[A-Z]\.|(?:Dr|Mr|Mrs|Ms|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep)\.)"
    for match in re.finditer(rf"((?:{word}\s+){{1,3}}){re.escape(surname)}\b", before):
        words = match.group(1).split()
        while words and words[0].lower() in _OPENERS:
            words = words[1:]
        if words and not re.match(r"[’']s\b", before[match.end() :]):
            found = " ".join([*words, surname])
    return found


def _full_body(acronym: str, before: str) -> str | None:
    """ "the Federal Security Service (FSB)" or "The International Olympic Committee" for
    "The IOC": a name given with the short form, or whose initials end in it."""
    given = re.search(
        rf"((?:[A-Z][\w.’'&-]*\s+(?:(?:of|for|and|on)\s+)?){{1,8}})\({acronym}\)", before
    )
    if given:
        return f"{given.group(1).strip()} ({acronym})"
    found = None
    for run in _runs(before):
        for start in range(len(run)):
            for end in range(start + len(acronym), min(len(run), start + 12) + 1):
                words = run[start:end]
                capitals = [w for w in words if w[:1].isupper() and w != "The"]
                if words[-1][:1].isupper() and "".join(w[0] for w in capitals) == acronym:
                    found = f"{' '.join(words)} ({acronym})"  # both, as the ledger keeps them
    return found


def _runs(text: str) -> list[list[str]]:
    """Runs of capitalised words and the small words between them: "International Olympic
    Committee", "Department of Health and Human Services"."""
    runs: list[list[str]] = [[]]
    for word in re.findall(r"[\w.’'&-]+", text):
        if word[:1].isupper() and word != "The":
            runs[-1].append(word.rstrip("."))
        elif runs[-1] and word in {"of", "for", "and", "on", "de", "del"}:
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]
