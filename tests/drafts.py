"""Drafting a test sentence with `ledger suggest`, and reading the draft back, for the rule tests."""

from __future__ import annotations

from ledger.suggest import suggest


def draft(text: str, **kwargs: object) -> dict:
    """The bundle `suggest` drafts from `text`, as a document."""
    return suggest(text, slug="test-article", title="Test", **kwargs).document()


def sources_of(document: dict) -> dict[str, dict]:
    return {source["key"]: source for source in document["sources"]}


def origins(document: dict) -> list[list[str]]:
    """Each claim's origins, as the labels of the last source of its chains."""
    labels = {key: source["label"] for key, source in sources_of(document).items()}
    return [
        [labels.get(chain[-1], chain[-1]) for chain in claim["attributions"]]
        for claim in document["claims"]
    ]


def claims_of(text: str, **kwargs: object) -> list[tuple[str, list[str]]]:
    """Each claim's quote with the labels of its origins."""
    document = draft(text, **kwargs)
    return list(
        zip((claim["quote"] for claim in document["claims"]), origins(document), strict=True)
    )
