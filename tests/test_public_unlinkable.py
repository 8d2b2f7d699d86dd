"""Public outputs cannot be joined on an unnamed source's record (`ledger.protect.public`).

A source's record is ledger-wide; each story prints only some of it. Three
stories cite the same confidential source: the first prints its label and its
reason for anonymity, the second its description, the third nothing. Their
`--public` exports and reports must share nothing from the source's record but
fixed vocabulary, and none may carry what its own story does not print, unless
the journalist marked the field publishable.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ledger.protect.public import FIXED_LABELS, Printed
from ledger.vocab import Anonymity, GroundRules, Knowledge, SourceKind

LABEL = "a senior ministry official"
REASON = "feared for her job"
DESCRIPTION = "spoke to AP from Turkey"
AFFILIATION = "Ministry of Energy"
MOTIVE = "wants the pipeline deal stopped"
NOTE = "met at the cafe on Rue Canary"
UNPRINTED_ANYWHERE = (AFFILIATION, MOTIVE, NOTE)

BUNDLES = f"""\
version: 1
sources:
  - key: insider
    label: {LABEL}
    anonymity: anonymous
    anonymity_reason: {REASON}
    description: {DESCRIPTION}
    affiliation: {AFFILIATION}
    knowledge: direct
    motive: {MOTIVE}
    ground_rules: background
    notes: {NOTE}
  - {{key: wire, label: AP, kind: outlet, anonymity: named}}
---
version: 1
article:
  slug: one
  title: The deal is off
  text: "A Senior Ministry  Official, who \u2018feared for her job\u2019, said the deal was off."
claims:
  - {{key: deal-off, text: The deal was off., quote: said the deal was off, attributions: [[insider]]}}
---
version: 1
article:
  slug: two
  title: The pipeline will close
  text: "An official who spoke to AP from Turkey said the pipeline would close."
claims:
  - {{key: close, text: The pipeline would close., attributions: [[wire, insider]]}}
---
version: 1
article:
  slug: three
  title: The minister resigned
  text: "The minister resigned on Monday, an insider said."
claims:
  - {{key: resigned, text: The minister resigned on Monday., attributions: [[insider]]}}
"""

FIXED_VOCABULARY = {
    item.value for enum in (Anonymity, SourceKind, Knowledge, GroundRules) for item in enum
} | FIXED_LABELS
REPORT_FORMATS = ["md", "html", "json", "csv", "prov-json", "prov-n", "dot"]


@pytest.fixture
def stories(cli, tmp_path: Path):
    path = tmp_path / "stories.yaml"
    path.write_text(BUNDLES, encoding="utf-8")
    cli.ok("import", str(path))
    return cli


def public_export(cli, slug: str) -> dict[str, Any]:
    return json.loads(cli.ok("export", "--article", slug, "--public", "--format", "json"))


def strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value, keys of mappings left out (they are the format's)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def unnamed_record_strings(bundle: dict[str, Any]) -> set[str]:
    return {
        text
        for source in bundle["sources"]
        if source["anonymity"] != "named"
        for text in strings(source)
    }


def test_two_public_exports_share_no_string_from_an_unnamed_source(stories):
    exports = {slug: public_export(stories, slug) for slug in ("one", "two", "three")}
    records = {slug: unnamed_record_strings(bundle) for slug, bundle in exports.items()}
    assert all(records.values())  # each export does describe the source, somehow
    for first in records:
        for second in records:
            if first < second:
                shared = (records[first] & records[second]) - FIXED_VOCABULARY
                assert shared == set(), (first, second)


def test_each_export_carries_only_what_its_own_story_prints(stories):
    [one] = [s for s in public_export(stories, "one")["sources"] if s["anonymity"] != "named"]
    assert (one["label"], one["anonymity_reason"]) == (LABEL, REASON)
    assert "description" not in one and "knowledge" not in one and "ground_rules" not in one
    [two] = [s for s in public_export(stories, "two")["sources"] if s["anonymity"] != "named"]
    assert two["description"] == DESCRIPTION
    assert two["label"] == "an unnamed person" and "anonymity_reason" not in two
    three = public_export(stories, "three")
    [source] = [s for s in three["sources"] if s["anonymity"] != "named"]
    assert source == {"key": source["key"], "label": "an unnamed person", "kind": "person",
                      "anonymity": "anonymous"}  # fmt: skip
    assert three["claims"][0]["attributions"] == [[source["key"]]]
    for slug, never in (("one", DESCRIPTION), ("three", DESCRIPTION), ("three", LABEL)):
        assert never not in stories.ok("export", "--article", slug, "--public"), (slug, never)


def test_no_public_output_of_a_story_carries_what_it_does_not_print(stories):
    for fmt in REPORT_FORMATS:
        three = stories.ok("report", "three", "--format", fmt, "--public")
        two = stories.ok("report", "two", "--format", fmt, "--public")
        for text in (*UNPRINTED_ANYWHERE, LABEL, REASON, DESCRIPTION, "insider"):
            assert text not in three, (fmt, text)
        for text in (*UNPRINTED_ANYWHERE, LABEL, REASON):
            assert text not in two, (fmt, text)
        if fmt in ("md", "html", "json"):
            assert DESCRIPTION in two, fmt  # what the story prints is still shown
        for slug in ("one", "two", "three"):
            exported = stories.ok("export", "--article", slug, "--public")
            for text in UNPRINTED_ANYWHERE:
                assert text not in exported, (slug, text)


def test_public_reports_find_what_the_newsroom_report_finds(stories):
    """The checks judge the full record; only what is shown is cut."""
    for slug in ("one", "two", "three"):
        internal = json.loads(stories.ok("report", slug, "--format", "json"))
        public = json.loads(stories.ok("report", slug, "--format", "json", "--public"))
        assert sorted(f["code"] for f in public["findings"]) == sorted(
            f["code"] for f in internal["findings"]
        )
        assert REASON not in json.dumps(public["findings"]) or slug == "one"


def test_marked_fields_travel_in_public_outputs_and_round_trip(stories, tmp_path):
    stories.ok("source", "edit", "insider", "--publishable", "description",
               "--publishable", "knowledge")  # fmt: skip
    [source] = [s for s in public_export(stories, "three")["sources"] if s["anonymity"] != "named"]
    assert (source["description"], source["knowledge"]) == (DESCRIPTION, "direct")
    assert "publishable" not in source and "motive" not in source
    exported = stories.ok("export", "--format", "json")
    assert '"publishable": [\n' in exported and '"description",\n' in exported
    path = tmp_path / "all.json"
    path.write_text(exported, encoding="utf-8")
    copy = type(stories)(str(tmp_path / "copy.db"), stories.runner)
    copy.ok("init")
    copy.ok("import", str(path))
    assert copy.ok("export", "--format", "json") == exported
    stories.ok("source", "edit", "insider", "--publishable", "")
    assert "publishable" not in stories.ok("export", "--format", "json")
    stories.ok("verify")


def test_publishable_fields_are_checked_in_one_line(stories, tmp_path):
    result = stories("source", "edit", "insider", "--publishable", "notes")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --publishable:")
    assert len(result.stderr.strip().splitlines()) == 1
    bundle = tmp_path / "bad.yaml"
    bundle.write_text(
        "version: 1\nsources:\n  - {key: x, label: x, anonymity: anonymous, publishable: [notes]}\n",
        encoding="utf-8",
    )
    result = stories("import", str(bundle))
    assert result.exit_code == 2 and "sources[0].publishable" in result.stderr
    assert "x" not in json.loads(stories.ok("source", "list", "--json") or "[]")


@pytest.mark.parametrize(
    ("value", "text", "printed"),
    [
        ("a senior official", "The senior official said so.", True),
        ("a senior official", "A  SENIOR\nofficial, said", True),
        ("the ministry\u2019s spokeswoman", "the ministry's spokeswoman said", True),
        ("an official in Bogotá", "an official in Bogota said", True),
        ("a senior official", "senior officials said", False),
        ("a senior official", "a senior, well-placed official", False),
        ("spoke to AP from Turkey", "told AP from Turkey", False),
        ("an official", "officials said", False),
        ("...", "...", False),
    ],
)
def test_what_counts_as_printed(value, text, printed):
    assert Printed([text])(value) is printed
    assert Printed([None])(value) is False


@pytest.mark.parametrize("fmt", ["yaml", "jsonl"])
def test_a_public_export_of_several_stories_imports_back(stories, tmp_path, fmt):
    """One output, one key per source, so one record: the first story's."""
    path = tmp_path / f"public.{fmt}"
    stories.ok("export", "--public", "--format", fmt, "-o", str(path))
    copy = type(stories)(str(tmp_path / "copy.db"), stories.runner)
    copy.ok("init")
    copy.ok("import", str(path))
    [source] = [
        s for s in json.loads(copy.ok("source", "list", "--json")) if s["anonymity"] != "named"
    ]
    assert (source["label"], source["anonymity_reason"]) == (LABEL, REASON)  # story one's
    assert source["description"] is None and source["motive"] is None
