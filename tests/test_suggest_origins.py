"""`ledger suggest`: who a claim comes from when the sentence names it in a roundabout way.

Origins named by a group or body after a possessive or a role, a relaying
outlet's own reporter, verbs of characterising, and joint labels. Each case is
a sentence written for the test.
"""

from __future__ import annotations

import pytest

from ledger.suggest import suggest


def _claims(text: str) -> list[tuple[str, list[str]]]:
    """Each claim's quote with the labels of its origins."""
    document = suggest(text, slug="test-article", title="Test").document()
    labels = {source["key"]: source["label"] for source in document["sources"]}
    return [
        (claim["quote"], [labels.get(chain[-1], chain[-1]) for chain in claim["attributions"]])
        for claim in document["claims"]
    ]


# --- a group named after a possessive or a role --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "origin"),
    [
        (
            "Norland's political opposition has called for the vote to be annulled, "
            "saying the count was marred by fraud.",
            "Norland's political opposition",
        ),
        (
            "Norland's opposition called for the vote to be annulled, saying the count was "
            "marred by fraud.",
            "Norland's opposition",
        ),
    ],
)
def test_a_possessive_owns_the_lowercase_head_after_it(text: str, origin: str) -> None:
    assert _claims(text) == [("the count was marred by fraud", [origin])]
