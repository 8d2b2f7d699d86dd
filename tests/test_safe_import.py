"""`suggest` → edit → `import` never destroys work: --replace names what it would remove and
asks, --dry-run writes nothing, --merge only adds, and waivers travel with the bundle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import Cli
from tests.test_bundles import write_bundle
from tests.test_conventions import assert_refused

STORY = """Hospital admits 40 in outbreak

Forty people were admitted to City Hospital with food poisoning, the health ministry said on Monday.
The outbreak began at a wedding in the old town, a senior doctor told Reuters.
"We have never seen so many cases at once," the doctor said.
The ministry said the restaurant had been closed.
Officials expect more cases this week, according to the local radio.
"""


@pytest.fixture
def story(cli: Cli, tmp_path: Path) -> Path:
    """A journalist's article in the ledger: its text, six claims entered by hand, three links."""
    text = tmp_path / "outbreak.txt"
    text.write_text(STORY, encoding="utf-8")
    cli.ok("article", "add", "outbreak", "--title", "Hospital admits 40", "--text-file", str(text))
    for key, label, anonymity in (
        ("ministry", "the health ministry", "named"),
        ("reuters", "Reuters", "named"),
        ("doctor", "a senior doctor", "anonymous"),
        ("radio", "the local radio", "named"),
    ):
        kind = "outlet" if key in ("reuters", "radio") else "person"
        cli.ok("source", "add", key, "--label", label, "--anonymity", anonymity, "--kind", kind)
    entered = [
        ("forty", "Forty people were admitted.", "Forty people were admitted", ["ministry"]),
        (
            "wedding",
            "It began at a wedding.",
            "The outbreak began at a wedding",
            ["reuters,doctor"],
        ),
        ("never", "Never so many cases.", "We have never seen so many cases", ["doctor"]),
        ("closed", "The restaurant was closed.", "the restaurant had been closed", ["ministry"]),
        ("more", "More cases are expected.", "Officials expect more cases", ["radio"]),
        ("hospital", "They are in City Hospital.", "City Hospital", ["ministry", "reuters,doctor"]),
    ]
    for key, claim_text, quote, chains in entered:
        args = [a for chain in chains for a in ("--chain", chain)]
        cli.ok("claim", "add", f"outbreak/{key}", claim_text, "--quote", quote, *args)
    cli.ok("claim", "link", "outbreak/hospital", "corroborates", "outbreak/forty")
    cli.ok("claim", "link", "outbreak/never", "refines", "outbreak/wedding")
    cli.ok("claim", "link", "outbreak/more", "refines", "outbreak/forty")
    cli.ok("claim", "edit", "outbreak/never", "--notes", "doctor asked us not to name the ward")
    return text


def keys(cli: Cli) -> set[str]:
    return {row["key"] for row in json.loads(cli.ok("claims", "--article", "outbreak", "--json"))}


def test_replacing_with_a_suggested_draft_names_what_would_go_and_writes_nothing(
    cli, story, tmp_path
):
    draft = tmp_path / "draft.yaml"
    cli.ok("suggest", "outbreak", "-o", str(draft))
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    data["claims"] = data["claims"][:4]  # edited: what the journalist kept
    edited = write_bundle(tmp_path, data, "edited.yaml")
    before, trail = cli.ok("export"), cli.ok("log", "--json")
    result = cli("import", "--replace", str(edited))
    assert_refused(result, "nothing written", "--yes")
    listing = result.stdout
    assert "replacing outbreak would" in listing
    removed = next(line for line in listing.splitlines() if "remove 6 claims" in line)
    for key in ("forty", "wedding", "never", "closed", "more", "hospital"):
        assert key in removed
    assert "remove 3 links" in listing
    assert cli.ok("export") == before and cli.ok("log", "--json") == trail
    cli.ok("import", "--replace", "--yes", str(edited))
    assert keys(cli).isdisjoint({"forty", "wedding"})
    actions = [e["action"] for e in json.loads(cli.ok("log", "--json"))]
    assert "import.replace" in actions
    assert "intact" in cli.ok("verify")


def test_the_listing_names_chains_notes_waivers_and_changes(cli, story, tmp_path):
    cli.ok("waive", "LS202", "outbreak/wedding", "--reason", "Reuters' doctor, two wards")
    data = yaml.safe_load(cli.ok("export", "--article", "outbreak"))
    claims = {claim["key"]: claim for claim in data["claims"]}
    claims["hospital"]["attributions"] = [["ministry"]]  # one of its two chains goes
    claims["closed"]["text"] = "The restaurant is shut."
    del claims["never"]["notes"]
    data["waivers"] = []
    data["article"]["title"] = "Outbreak: 40 in hospital"
    result = cli("import", "--replace", str(write_bundle(tmp_path, data, "edited.yaml")))
    assert result.exit_code == 2
    lines = [line.strip() for line in result.stdout.splitlines()[1:]]
    assert lines == [
        "remove 1 chain: hospital chain 2 (reuters > doctor)",
        "remove the internal notes of 1 claim: never",
        "remove 1 waiver: LS202 outbreak/wedding",
        "change 2 claims: closed (text); hospital (chains)",
        "change the article's title",
    ]


def test_a_replacement_that_loses_nothing_needs_no_confirmation(cli, story, tmp_path):
    cli.ok("waive", "LS202", "outbreak/wedding", "--reason", "accepted")
    exported = cli.ok("export", "--article", "outbreak")
    assert "waivers:" in exported
    path = tmp_path / "same.yaml"
    path.write_text(exported, encoding="utf-8")
    out = cli.ok("import", "--replace", str(path))
    assert "outbreak (replaced)" in out
    assert cli.ok("export", "--article", "outbreak") == exported  # waivers and notes kept


def test_a_yes_at_the_terminal_goes_ahead_and_anything_else_writes_nothing(
    cli, story, tmp_path, monkeypatch
):
    import ledger.cli._common

    monkeypatch.setattr(ledger.cli._common, "interactive", lambda no_input: not no_input)
    data = yaml.safe_load(cli.ok("export", "--article", "outbreak"))
    data["claims"] = data["claims"][1:]
    data["links"] = [link for link in data["links"] if "forty" not in link.values()]
    path = write_bundle(tmp_path, data, "fewer.yaml")
    result = cli("import", "--replace", str(path), input="n\n")
    assert_refused(result, "not confirmed")
    assert "forty" in keys(cli)
    result = cli("import", "--replace", str(path), input="maybe\ny\n")
    assert result.exit_code == 0, result.stderr
    assert "please answer yes or no" in result.stdout
    assert "forty" not in keys(cli)


def test_no_write_lock_is_held_while_a_person_decides(cli, story, tmp_path, monkeypatch):
    import ledger.cli._common
    import ledger.cli.prompts
    from ledger import Ledger

    monkeypatch.setattr(ledger.cli._common, "interactive", lambda no_input: not no_input)
    data = yaml.safe_load(cli.ok("export", "--article", "outbreak"))
    data["claims"] = data["claims"][1:]
    data["links"] = [link for link in data["links"] if "forty" not in link.values()]
    path = write_bundle(tmp_path, data, "fewer.yaml")

    def colleague_writes_meanwhile(question: str) -> bool:
        with Ledger.open(cli.db, actor="colleague") as book:  # would wait on a held lock
            book.import_data(
                {
                    "version": 1,
                    "sources": [{"key": "who", "label": "the WHO", "anonymity": "named"}],
                }
            )
        return True

    monkeypatch.setattr(ledger.cli.prompts, "confirm", colleague_writes_meanwhile)
    cli.ok("import", "--replace", str(path))
    assert "forty" not in keys(cli)
    assert "who" in {row["key"] for row in json.loads(cli.ok("source", "list", "--json"))}


def test_a_change_to_the_article_while_deciding_stops_the_replacement(
    cli, story, tmp_path, monkeypatch
):
    import ledger.cli._common
    import ledger.cli.prompts

    monkeypatch.setattr(ledger.cli._common, "interactive", lambda no_input: not no_input)
    data = yaml.safe_load(cli.ok("export", "--article", "outbreak"))
    data["claims"] = data["claims"][1:]
    data["links"] = [link for link in data["links"] if "forty" not in link.values()]
    path = write_bundle(tmp_path, data, "fewer.yaml")

    def colleague_adds_a_claim(question: str) -> bool:
        Cli(cli.db, cli.runner).ok(
            "claim", "add", "outbreak/late", "Late news.", "--chain", "ministry"
        )
        return True

    monkeypatch.setattr(ledger.cli.prompts, "confirm", colleague_adds_a_claim)
    assert_refused(cli("import", "--replace", str(path)), "changed", "nothing written")
    assert {"forty", "late"} <= keys(cli)


def test_dry_run_says_what_would_change_and_writes_nothing(cli, story, tmp_path):
    data = yaml.safe_load(cli.ok("export", "--article", "outbreak"))
    data["claims"] = data["claims"][1:]
    data["links"] = [link for link in data["links"] if "forty" not in link.values()]
    path = write_bundle(tmp_path, data, "fewer.yaml")
    trail = cli.ok("log", "--json")
    out = cli.ok("import", "--replace", "--dry-run", str(path))
    assert "would import outbreak (replacing it)" in out
    assert "outbreak: remove 1 claim: forty" in out and "dry run: nothing written" in out
    report = json.loads(cli.ok("import", "--replace", "--dry-run", "--json", str(path)))
    [changes] = report[0]["changes"]
    assert report[0]["written"] is False
    assert changes["removed_claims"] == ["forty"] and changes["loses"] is True
    new = write_bundle(tmp_path, {**data, "article": {"slug": "other", "title": "O"}}, "n.yaml")
    assert "would import other:" in cli.ok("import", "--dry-run", str(new))
    assert cli.ok("log", "--json") == trail


def test_merge_adds_what_is_new_and_leaves_the_rest(cli, story, tmp_path):
    data = yaml.safe_load(cli.ok("export", "--article", "outbreak"))
    data["claims"].append(
        {
            "key": "ward",
            "text": "Two wards were opened.",
            "attributions": [["reuters", "doctor"]],
        }
    )
    data["links"].append({"from": "ward", "relation": "refines", "to": "hospital"})
    data["waivers"] = [{"code": "LS202", "subject": "ward", "reason": "the doctor saw them"}]
    trail_before = len(json.loads(cli.ok("log", "--json")))
    out = cli.ok("import", "--merge", str(write_bundle(tmp_path, data, "more.yaml")))
    assert "outbreak (merged): 1 new claim, 0 new sources, 1 link, 1 waiver" in out
    assert "ward" in keys(cli) and "forty" in keys(cli)
    events = json.loads(cli.ok("log", "--json"))[trail_before:]
    assert {e["action"] for e in events} == {"import.merge"}
    assert [e["entity"] for e in events] == ["claim", "link", "waiver"]
    again = cli.ok("import", "--merge", str(tmp_path / "more.yaml"))
    assert "0 new claims, 0 new sources, 0 links" in again
    assert "intact" in cli.ok("verify")


@pytest.mark.parametrize(
    ("mutate", "fragments"),
    [
        (lambda d: d["claims"][0].update(text="Fifty."), ("claims[0].text", "merging adds")),
        (
            lambda d: d["claims"][0].update(attributions=[["reuters"]]),
            ("claims[0].attributions", "[[ministry]]"),
        ),
        (lambda d: d["article"].update(title="Other"), ("article.title", "never changes")),
        (lambda d: d["article"].update(text="Another text."), ("article.text", "differs")),
    ],
)
def test_merge_refuses_a_conflicting_redefinition(cli, story, tmp_path, mutate, fragments):
    data = yaml.safe_load(cli.ok("export", "--article", "outbreak"))
    data["article"].pop("text_file", None)
    data["article"]["text"] = STORY
    mutate(data)
    data["claims"].append({"key": "new", "text": "New.", "attributions": [["ministry"]]})
    before = cli.ok("export")
    assert_refused(cli("import", "--merge", str(write_bundle(tmp_path, data))), *fragments)
    assert cli.ok("export") == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--replace", "--merge"), "not both"),
        (("--yes",), "--yes goes with --replace"),
    ],
)
def test_import_options_that_do_not_go_together(cli, story, tmp_path, args, fragment):
    path = write_bundle(tmp_path, yaml.safe_load(cli.ok("export", "--article", "outbreak")))
    assert_refused(cli("import", *args, str(path)), fragment)


def test_an_article_in_the_ledger_is_refused_with_both_ways_forward(cli, story, tmp_path):
    path = write_bundle(tmp_path, yaml.safe_load(cli.ok("export", "--article", "outbreak")))
    assert_refused(cli("import", str(path)), "already in the ledger", "--replace", "--merge")


def test_suggest_drafts_only_what_is_not_yet_claimed(cli, story, tmp_path):
    out = cli.ok("suggest", "outbreak")
    assert "`ledger import --merge`" in out
    draft = yaml.safe_load(out)
    quotes = " ".join(claim["quote"] for claim in draft["claims"])
    assert "Forty people were admitted" not in quotes
    assert not {claim["key"] for claim in draft["claims"]} & keys(cli)
    from_file = cli.ok("suggest", str(story), "--slug", "outbreak")
    assert "only what no claim covers yet" in from_file
    target = tmp_path / "draft.yaml"
    message = cli.ok("suggest", "outbreak", "-o", str(target))
    assert f"`ledger import --merge {target}`" in message
    cli.ok("import", "--merge", str(target))
    assert {"forty", "wedding", "never", "closed", "more", "hospital"} <= keys(cli)


def test_waivers_travel_in_bundles_but_never_in_public_ones(cli, story, tmp_path):
    cli.ok("waive", "LS202", "outbreak/wedding", "--reason", "two wards", "--as", "ann")
    cli.ok("waive", "LS101", "doctor", "--reason", "reason in the copy", "--as", "ann")
    exported = cli.ok("export")
    assert "subject: wedding" in exported and "subject: doctor" in exported
    assert "waivers" not in cli.ok("export", "--public")
    path = tmp_path / "all.yaml"
    path.write_text(exported, encoding="utf-8")
    other = Cli(str(tmp_path / "other.db"), cli.runner)
    other.ok("init")
    other.ok("import", str(path))
    assert other.ok("export") == exported
    rows = json.loads(other("check", "outbreak", "--json").stdout)
    waived = {(r["code"], r["subject"]): r["waived"] for r in rows if r["waived"]}
    assert waived[("LS202", "outbreak/wedding")]["by"] == "ann"
    assert "intact" in other.ok("verify")


@pytest.mark.parametrize(
    ("waiver", "fragments"),
    [
        ({"code": "LS104", "subject": "forty", "reason": "x"}, ("waivers[0].code", "retired")),
        ({"code": "LS202", "subject": "nothing", "reason": "x"}, ("waivers[0].subject",)),
        ({"code": "LS101", "subject": "nobody", "reason": "x"}, ("unknown source 'nobody'",)),
        ({"code": "LS202", "subject": "forty"}, ("waivers[0]", "reason")),
    ],
)
def test_a_bad_waiver_in_a_bundle_is_named_by_its_place(cli, tmp_path, waiver, fragments):
    data = {
        "version": 1,
        "article": {"slug": "w", "title": "W"},
        "sources": [{"key": "ministry", "label": "the ministry", "anonymity": "named"}],
        "claims": [{"key": "forty", "text": "Forty.", "attributions": [["ministry"]]}],
        "waivers": [waiver],
    }
    assert_refused(cli("import", str(write_bundle(tmp_path, data))), *fragments)


def test_a_write_between_the_check_and_the_import_is_checked_again(cli, tmp_path, monkeypatch):
    """`Ledger.import_file` checks a file in a read transaction, then writes it in another; a
    colleague's write in between (here: the same article) is found by the checks made again.
    (`ledger import` checks each file inside the write, `Ledger.import_files`.)"""
    import ledger.write.importer
    from ledger import Ledger
    from tests.test_bundles import small_bundle

    path = write_bundle(tmp_path, small_bundle(), "small.yaml")
    checked = ledger.write.importer.prepare_bundles

    def colleague_imports_it_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        batch = checked(*args, **kwargs)
        monkeypatch.setattr(ledger.write.importer, "prepare_bundles", checked)
        with Ledger.open(cli.db, actor="colleague") as book:
            book.import_data(small_bundle())
        return batch

    monkeypatch.setattr(ledger.write.importer, "prepare_bundles", colleague_imports_it_meanwhile)
    refused = pytest.raises(ledger.write.importer.ArticleInLedger)
    with Ledger.open(cli.db, actor="editor") as book, refused:
        book.import_file(path)
    log = json.loads(cli.ok("log", "--json"))
    assert {event["actor"] for event in log} == {"colleague"}


def test_probable_duplicates_of_every_file_are_named_once_after_the_last(cli, tmp_path):
    """The new sources of every file imported are compared with the ledger once, at the end:
    each pair named once, by the file that brought its newer source."""
    first = {
        "version": 1,
        "sources": [{"key": "who", "label": "World Health Organization", "anonymity": "named"}],
    }
    second = {
        "version": 1,
        "sources": [{"key": "who-2", "label": "World Health Organisation", "anonymity": "named"}],
    }
    third = {
        "version": 1,
        "sources": [
            {"key": "the-who", "label": "The World Health Organization", "anonymity": "named"}
        ],
    }
    paths = [
        write_bundle(tmp_path, data, f"{n}.yaml") for n, data in enumerate((first, second, third))
    ]
    result = cli("import", *map(str, paths))
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 3, result.stderr
    assert "ledger source merge who-2 who" in " ".join(result.stderr.split())
    assert "ledger source merge the-who who" in " ".join(result.stderr.split())
    assert "ledger source merge the-who who-2" in " ".join(result.stderr.split())
