"""The SQL views for Datasette agree with the rules, claim by claim, on both engines."""

from __future__ import annotations

import json

from sqlalchemy import text

from ledger.storage.database import Database

FLAGS = (
    "uncorroborated",
    "anonymous_only",
    "contradicted",
    "single_intermediary",
    "borrowed_anonymity",
)


def test_claim_flags_view_matches_the_rules(seeded):
    seeded.ok(
        "claim",
        "link",
        "rt-is-nusra-deal/war-planning",
        "contradicts",
        "rt-is-nusra-deal/earlier-fighting",
    )
    seeded.ok("claim", "retract", "rt-is-nusra-deal/third-party", "--reason", "withdrawn")
    expected = {row["key"]: row for row in json.loads(seeded.ok("claims", "--json"))}
    database = Database.open(seeded.db)
    with database.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM claim_flags")).mappings().all()
    database.dispose()
    assert {row["claim"] for row in rows} == set(expected)  # retracted claims are left out
    for row in rows:
        want = expected[row["claim"]]
        assert row["status"] == want["status"], row["claim"]
        for flag in FLAGS:
            assert bool(row[flag]) == want[flag], (row["claim"], flag)
        assert row["support_size"] == len(want["independent_origins"])
        assert (row["chains"] or "") == " | ".join(" > ".join(chain) for chain in want["chains"])


def test_source_claims_view_lists_every_hop_with_its_role(seeded):
    database = Database.open(seeded.db)
    with database.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT claim, chain, position, role FROM source_claims WHERE source = 'ap' ORDER BY claim, chain"
            )
        ).all()
        origins = connection.execute(
            text(
                "SELECT count(*) FROM source_claims WHERE source = 'opposition-official' AND role = 'origin'"
            )
        ).scalar_one()
    database.dispose()
    assert ("meeting-nov2", 1, 1, "origin") in rows
    assert ("deal", 1, 1, "intermediary") in rows and ("deal", 2, 1, "intermediary") in rows
    assert origins == 8
