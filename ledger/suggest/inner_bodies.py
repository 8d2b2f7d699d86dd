"""The ledger's body named inside a drafted label: "Economists at Tidewell Partners", "the
data of the regional health department", "Last Monday the Harbour Authority", "these
photographs and The Harbour Gazette". `known.give_keys` asks here when the label as a whole
names no ledger source.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ledger.suggest.known import KnownSource, LedgerSources

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


def inner_body(label: str, known: LedgerSources, text: str) -> tuple[KnownSource, str] | None:
    """The ledger body a label names inside a phrase: after stray words of time, in one
    conjunct of two ("these videos and NPR"), or as the holder of information or analysts."""
    inner = []
    if (time := _TIME_FIRST_RE.match(label)) is not None:
        inner.append(label[time.end() :])
    if (held := _HELD_BY_RE.fullmatch(label.strip())) is not None:
        inner.append(held.group(1))
    parts = re.split(r"\s+and\s+", label)
    if len(parts) == 2:
        inner += [p for p in parts if re.match(r"(?:the\s+)?[A-Z]", p)]
    for candidate in inner:
        found = known.match([candidate]) or known.loose(candidate, text)
        if found is not None and found[0].kind != "person":
            return found[0], f"named inside “{label}”"
    return None
