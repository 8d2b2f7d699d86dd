"""`ledger suggest`: records and people cited together, court and hearing reporting, and people
described and named in one phrase. Each case is a sentence written for the test.
"""

from __future__ import annotations

import pytest

from tests.drafts import claims_of as _claims

# --- a document and people, or two documents, cited together -------------------------------------


@pytest.mark.parametrize(
    ("cited", "parts"),
    [
        (
            "delivery notes and two drivers who worked the route",
            ["delivery notes", "two drivers"],  # the clause goes to the description,
        ),
        (
            "a shipping register and a council resolution dated 14 March",
            ["a shipping register", "a council resolution dated 14 March"],
        ),
        ("nurses and staff rotas", ["nurses", "staff rotas"]),
        (
            "inspectors and a draft of the audit",
            ["inspectors", "a draft of the audit"],
        ),
    ],
)
def test_records_and_people_cited_together_are_sources_apart(cited: str, parts: list[str]) -> None:
    text = f"The depot ran short of fuel for a week in March, according to {cited}."
    assert _claims(text) == [("The depot ran short of fuel for a week in March", parts)]
