"""Source labels folded and compared: when two labels probably name the same party.

DESIGN.md calls two sources probable duplicates when their labels, once folded
(case, punctuation, a leading "the"), are the same or nearly the same. "Nearly"
is kept narrow on purpose, because a false merge is worse than a missed one: the
same words in the same order, where one word may differ by a single typing slip
("Guardain", "Organisation"). A different or an extra word keeps labels apart:
"the Ministry of Health" is not "the Ministry of Finance", and "a senior
official" is not "a senior US official".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

_ARTICLES = ("the", "a", "an")
_SHORTEST_SLIP = 5
"""Words shorter than this must match exactly: one letter is the whole of "CIA" vs "CIO"."""


def fold_label(label: str) -> str:
    """Lowercase, accents and punctuation dropped, one leading "the" gone, spaces collapsed.

    "The World Health Organization." and "world health organization" fold alike.
    """
    plain = label.replace("\u2019", "").replace("'", "")  # "ministry's": one word
    plain = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", plain)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def signatures(folded: str) -> Iterator[str]:
    """Keys under which labels that may be near each other meet: the folded label itself,
    and the label with each word long enough for a slip blanked out in turn.

    Two labels can only be nearly the same if they share a signature, so a ledger
    of many sources is compared through a dictionary rather than pair by pair.
    """
    yield folded
    words = folded.split()
    for index, word in enumerate(words):
        if len(word) >= _SHORTEST_SLIP:
            yield " ".join([*words[:index], "*", *words[index + 1 :]])


def nearly_same(first: str, second: str) -> bool:
    """Folded labels that are equal, or differ in one word by a single slip."""
    if first == second:
        return True
    words, others = first.split(), second.split()
    if len(words) != len(others) or (len(words) == 1 and words[0] in _ARTICLES):
        return False
    different = [(a, b) for a, b in zip(words, others, strict=True) if a != b]
    if len(different) != 1:
        return False
    a, b = different[0]
    if a.rstrip("s") == b.rstrip("s"):  # "official" and "officials": one person, or several
        return False
    return min(len(a), len(b)) >= _SHORTEST_SLIP and _one_slip(a, b)


def _one_slip(a: str, b: str) -> bool:
    """One letter added, dropped, changed, or two neighbours swapped."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [index for index, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:index] + longer[index + 1 :] == shorter for index in range(len(longer)))
