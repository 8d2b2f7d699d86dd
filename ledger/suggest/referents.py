"""Who a sentence names without a claim of theirs, so that the next "he", "she" or
"the engineer" can be them: one an outlet quoted or interviewed ("The Echo quoted an
engineer who ..."), the owner named in a subject ("Paul Okonjo's mother, Grace, ..."),
and one a sentence names as holding a role ("The director of ... is Abdul Salim.").
"""

# ruff: noqa: RUF001  (typographic apostrophes are the subject here)

from __future__ import annotations

import re

from ledger.suggest.keys import person_name
from ledger.suggest.phrases import Mention
from ledger.text.sentences import Sentence

# Someone an outlet or writer quoted or interviewed, with no claim of theirs in the sentence.
_INTERVIEWED_RE = re.compile(
    r"\b(?:quoted|interviewed|spoke\s+(?:to|with))\s+((?:a|an|one|two|three|four|several)\s+"
    r"[\w’'-]+(?:\s+[\w’'-]+){0,3}?)(?:,?\s+(who\s[^,;.]+))?(?=\s*[,;.]|\s+who\b|$)"
)


def interviewed(sentence: Sentence) -> list[Mention]:
    """ "The Echo quoted an engineer who worked on the inspection; it did not name him."""
    found = []
    for match in _INTERVIEWED_RE.finditer(sentence.text):
        at = sentence.start + match.start(1)
        notes = [match.group(2)] if match.group(2) else []
        found.append(Mention(match.group(1), at, at + len(match.group(1)), notes))
    return found


_POSSESSOR_RE = re.compile(r"((?:[A-Z][\w’'-]+\s+){1,2}[A-Z][\w’'-]+)[’']s\s")


def possessor(subject: Mention) -> Mention | None:
    """The person named as the owner in a sentence's subject: "Paul Okonjo's mother"."""
    match = _POSSESSOR_RE.match(subject.text)
    if match is None or person_name(match.group(1)) is None:
        return None
    at = subject.start + match.start(1)
    return Mention(match.group(1), at, at + len(match.group(1)))


# "The director of communications for the Red Crescent is Abdul Hamid Salim."
_NAMED_ROLE_RE = re.compile(
    r"\s*((?:The|the)\s+[^,;“”\"]{3,90}?)\s+(?:is|was)\s+"
    r"((?:[A-Z][\w’'.-]*\s+){1,3}[A-Z][\w’'-]*[a-z][\w’'-]*)\s*\.\s*"
)


def named_role(text: str) -> Mention | None:
    """A sentence that names who holds a role: the next "he" or "she" is that person."""
    match = _NAMED_ROLE_RE.fullmatch(text)
    if match is None or person_name(match.group(2)) is None:
        return None
    return Mention(match.group(2), match.start(2), match.end(2), [match.group(1)])
