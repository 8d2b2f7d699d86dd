"""The corroboration rules of DESIGN.md, one by one, then on the seed sample."""

from __future__ import annotations

import json

import pytest

from ledger import rules
from ledger.vocab import Anonymity, ClaimKind, SourceKind, Status

AP = rules.SourceFacts("ap", SourceKind.OUTLET, Anonymity.NAMED)
REUTERS = rules.SourceFacts("reuters", SourceKind.OUTLET, Anonymity.NAMED)
OFFICIAL = rules.SourceFacts("official", SourceKind.PERSON, Anonymity.ANONYMOUS)
COMMANDER = rules.SourceFacts("commander", SourceKind.PERSON, Anonymity.PSEUDONYM)
MINISTER = rules.SourceFacts("minister", SourceKind.PERSON, Anonymity.NAMED)
MYSTERY = rules.SourceFacts("mystery", SourceKind.UNKNOWN, Anonymity.UNKNOWN)
SPOKESMAN = rules.SourceFacts("spokesman", SourceKind.ORGANIZATION, Anonymity.ANONYMOUS)


def judge(*chains, kind=ClaimKind.FACT, corroborating=(), contradicted=False, threshold=2):
    facts = rules.ClaimFacts(kind, tuple(chains), tuple(corroborating), contradicted)
    return rules.evaluate(facts, threshold)


def test_origins_are_the_last_source_of_each_chain():
    verdict = judge((AP, OFFICIAL), (MINISTER,))
    assert verdict.origins == ("minister", "official")


def test_two_chains_ending_at_one_source_are_one_origin():
    verdict = judge((AP, OFFICIAL), (REUTERS, OFFICIAL))
    assert verdict.independent_origins == ("official",)
    assert verdict.status is Status.SINGLE_SOURCE
    assert verdict.uncorroborated


def test_corroborating_claims_add_their_origins_to_support():
    verdict = judge((AP, OFFICIAL), corroborating=[(REUTERS, MINISTER)])
    assert verdict.independent_origins == ("minister", "official")
    assert verdict.origins == ("official",)
    assert verdict.status is Status.CORROBORATED


def test_support_counts_origins_not_intermediaries_of_corroborating_claims():
    verdict = judge((OFFICIAL,), corroborating=[(OFFICIAL,)])
    assert verdict.independent_origins == ("official",)


@pytest.mark.parametrize(
    ("support_size", "expected"),
    [
        (0, Status.UNATTRIBUTED),
        (1, Status.SINGLE_SOURCE),
        (2, Status.CORROBORATED),
        (5, Status.CORROBORATED),
    ],
)
def test_status_by_number_of_independent_origins(support_size, expected):
    assert rules.status(support_size) is expected


def test_threshold_is_a_setting():
    chains = ((AP, OFFICIAL), (MINISTER,))
    assert judge(*chains, threshold=2).status is Status.CORROBORATED
    strict = judge(*chains, threshold=3)
    assert strict.status is Status.SINGLE_SOURCE
    assert strict.uncorroborated


def test_threshold_from_environment(monkeypatch):
    monkeypatch.setenv("LEDGER_THRESHOLD", "3")
    assert rules.threshold_from_env() == 3
    monkeypatch.setenv("LEDGER_THRESHOLD", "zero")
    with pytest.raises(Exception, match="LEDGER_THRESHOLD"):
        rules.threshold_from_env()


def test_opinion_is_never_uncorroborated():
    verdict = judge(kind=ClaimKind.OPINION)
    assert verdict.status is Status.UNATTRIBUTED
    assert not verdict.uncorroborated
    assert judge().uncorroborated  # the same, as a fact


def test_anonymous_only_needs_support_and_no_named_origin():
    assert judge((AP, OFFICIAL), (AP, COMMANDER)).anonymous_only
    assert judge((MYSTERY,)).anonymous_only
    assert not judge((AP, OFFICIAL), (MINISTER,)).anonymous_only
    assert not judge().anonymous_only  # no support at all: unattributed, not anonymous-only
    assert not judge((OFFICIAL,), corroborating=[(MINISTER,)]).anonymous_only


def test_named_intermediary_does_not_make_a_claim_named():
    assert judge((AP, OFFICIAL)).anonymous_only


def test_contradicted_is_passed_through():
    assert judge((MINISTER,), contradicted=True).contradicted
    assert not judge((MINISTER,)).contradicted


def test_single_intermediary():
    assert judge((AP, OFFICIAL), (AP, COMMANDER)).single_intermediary
    assert not judge((AP, OFFICIAL), (REUTERS, COMMANDER)).single_intermediary
    assert not judge((AP, OFFICIAL)).single_intermediary  # one chain
    assert not judge((AP, OFFICIAL), (AP,)).single_intermediary  # a chain of one hop
    assert judge((AP, OFFICIAL), (AP, COMMANDER), (AP, MINISTER)).single_intermediary


def test_borrowed_anonymity_needs_an_outlet_before_an_unnamed_origin():
    assert judge((AP, OFFICIAL)).borrowed_anonymity
    assert judge((AP, MINISTER, SPOKESMAN)).borrowed_anonymity
    assert not judge((OFFICIAL,)).borrowed_anonymity  # our own anonymous source
    assert not judge((MINISTER, OFFICIAL)).borrowed_anonymity  # no outlet in between
    assert not judge((AP, MINISTER)).borrowed_anonymity  # named origin
    assert not judge((OFFICIAL, AP)).borrowed_anonymity  # the outlet is the origin


# --- the seed article, as DESIGN.md states it ---------------------------------------------------


@pytest.fixture
def seed_claims(seeded) -> dict[str, dict]:
    rows = json.loads(seeded.ok("claims", "--json"))
    return {row["key"]: row for row in rows}


def test_seed_sample_has_every_assertion(seed_claims):
    assert len(seed_claims) >= 15


def test_seed_headline_deal_is_corroborated_but_anonymous_only(seed_claims):
    deal = seed_claims["deal"]
    assert deal["status"] == "corroborated"
    assert deal["independent_origins"] == ["abu-musafer", "opposition-official"]
    assert deal["anonymous_only"] is True
    assert deal["single_intermediary"] is True
    assert deal["borrowed_anonymity"] is True
    assert deal["uncorroborated"] is False


@pytest.mark.parametrize("key", ["atareb", "attendees", "srf-pact"])
def test_seed_claims_resting_on_the_anonymous_official_alone(seed_claims, key):
    claim = seed_claims[key]
    assert claim["independent_origins"] == ["opposition-official"]
    assert claim["status"] == "single-source"
    assert claim["uncorroborated"] is True
    assert claim["anonymous_only"] is True


def test_seed_background_on_earlier_fighting_is_an_unattributed_fact(seed_claims):
    claim = seed_claims["earlier-fighting"]
    assert claim["kind"] == "fact"
    assert claim["status"] == "unattributed"
    assert claim["uncorroborated"] is True
    assert claim["chains"] == []


def test_seed_closing_sentence_is_opinion_and_not_uncorroborated(seed_claims):
    claim = seed_claims["coalition-challenge"]
    assert claim["kind"] == "opinion"
    assert claim["uncorroborated"] is False


def test_seed_corroboration_through_a_link(seed_claims):
    meeting = seed_claims["meeting-nov2"]
    assert meeting["chains"] == [["ap"]]
    assert meeting["independent_origins"] == ["abu-musafer", "ap"]
    assert meeting["status"] == "corroborated"


def test_seed_guardian_source_is_borrowed_anonymity(seed_claims):
    assert seed_claims["war-planning"]["borrowed_anonymity"] is True
