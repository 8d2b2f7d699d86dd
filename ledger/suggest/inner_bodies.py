"""The ledger's body named inside a drafted label: "Economists at Tidewell Partners", "the
data of the regional health department", "Last Monday the Harbour Authority", "these
photographs and The Harbour Gazette". `known.give_keys` asks here when the label as a whole
names no ledger source.
"""

from __future__ import annotations

import re

# Stray words of time before a label: "This Thursday the United States Commission ..."
_TIME_FIRST_RE = re.compile(
    r"^(?:(?:on|this|last|next|early|late|by|since)\s+)?(?:monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|today|yesterday|january|february|march|april|may|june|july|august|"
    r"september|october|november|december|morning|evening|week|month|year)(?:\s+\d{1,4})?,?\s+"
    r"(?=\S)",
    re.IGNORECASE,
)
# What a body holds or employs, named with it: "the data of the regional health department",
# "the information of the ministry", "Analysts at Berwick Capital"
_HELD_BY_RE = re.compile(
    r"(?:(?:the|its|their|these|those|new|latest|official)\s+)*(?:information|data|figures|"
    r"statistics|numbers|records|estimates|findings|analysts|economists|researchers)\s+"
    r"(?:of|at|from)\s+(.+)",
    re.IGNORECASE,
)


def inner_names(label: str) -> list[str]:
    """The names a label may hold a body under, inside a phrase: after stray words of time,
    in one conjunct of two ("these videos and NPR"), or as the holder of information or
    analysts ("the data of the regional health department"). `ledger.suggest.known` looks
    each of them up among the ledger's bodies."""
    inner = []
    if (time := _TIME_FIRST_RE.match(label)) is not None:
        inner.append(label[time.end() :])
    if (held := _HELD_BY_RE.fullmatch(label.strip())) is not None:
        inner.append(held.group(1))
    parts = re.split(r"\s+and\s+", label)
    if len(parts) == 2:
        inner += [p for p in parts if re.match(r"(?:the\s+)?[A-Z]", p)]
    return inner
