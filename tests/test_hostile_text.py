"""Hostile text: what a user or a file gave is shown as plain text, on both engines.

A label `[/]` must not crash a command, `[link=…]` must not become a link, a
quotation with `[bold]` in it must print those characters, and an ESC or a
carriage return stored in a field must reach the terminal written out (`\\x1b`,
`\\r`), whole, never as itself. Entry refuses what cannot belong: a NUL in any
text, a control character in a key, a label or an actor, naming the place, with
nothing written. Error messages quote an excerpt of an offending value, not 10 MB.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import yaml
from rich.table import Table
from rich.text import Text
from sqlalchemy import update

from ledger.render.terminal import LedgerConsole
from ledger.report.markdown import md
from ledger.storage.database import Database
from ledger.storage.schema import ArticleRow, SourceRow
from ledger.wording import CONTROL as CONTROL_CHARACTER
from ledger.wording import plain
from ledger.write.edits import edit_claim

MARKUP = (
    "The [redacted] commander said [bold]no[/bold]. [/] "
    '[link=https://evil.example/x]AP[/link] :smile: <b>"x"</b>'
)
CONTROL = "\x1b]0;owned\x07\x1b[2J\rX\x08\x0b\x0c\x9b31m\x7f\x85\u2028 end"
PROSE = f"{MARKUP} {CONTROL}"
"""What a quote, a note or a description may hold: markup-like text and control characters."""
LINK_LABEL = "[link=https://evil.example/x]Associated Press[/link]"
TITLE = "Title [bold]x[/bold] [/]"
IMPORT_ACTOR = "[/]"
STORED_LABEL = "[/]\x1b]8;;https://evil.example\x07AP\x1b]8;;\x07\x1b[2J\rX"
"""A label an older version let through: entry refuses it now, the views must still show it."""
STORED_TITLE = "T\x1b]0;owned\x07 [/]"
STORED_ACTOR = "ed\x1b]0;owned\x07[/]"
TEXT = f"Opening. {PROSE} is what they said. Closing."
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def words(text: str) -> str:
    """Text with every run of whitespace as one space: tables may wrap or indent a cell."""
    return " ".join(text.split())


def shown(value: str) -> str:
    """How a value must appear on the terminal: escaped, complete."""
    return words(plain(value))


def hostile_bundle(folder: Path) -> Path:
    bundle = {
        "version": 1,
        "article": {"slug": "h", "title": TITLE, "outlet": LINK_LABEL, "text": TEXT},
        "sources": [
            {"key": "ap", "label": LINK_LABEL, "kind": "outlet", "anonymity": "named"},
            {
                "key": "mole",
                "label": "[/]",
                "anonymity": "anonymous",
                "anonymity_reason": PROSE,
                "description": PROSE,
                "affiliation": PROSE,
                "motive": PROSE,
                "notes": PROSE,
            },
        ],
        "claims": [
            {
                "key": "bad",
                "text": f"Claim {PROSE}",
                "quote": f"{PROSE} is what they said",
                "cue": PROSE,
                "notes": PROSE,
                "attributions": [["ap", {"source": "mole", "cue": PROSE}]],
            },
            {"key": "other", "text": f"Other {PROSE}", "kind": "opinion"},
        ],
    }
    path = folder / "hostile.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


@pytest.fixture
def hostile(cli, tmp_path):
    """A ledger holding hostile text everywhere: imported, waived, and stored by an older entry."""
    cli.ok("import", str(hostile_bundle(tmp_path)), "--as", IMPORT_ACTOR)
    finding = json.loads(cli("check", "h", "--json").stdout)[0]
    cli.ok("waive", finding["code"], finding["subject"], "--reason", PROSE)
    database = Database.open(cli.db)
    with database.write() as session:
        session.info["actor"] = STORED_ACTOR  # as an older version recorded `--as`
        session.execute(update(SourceRow).where(SourceRow.key == "mole").values(label=STORED_LABEL))
        session.execute(
            update(ArticleRow).where(ArticleRow.slug == "h").values(outlet=STORED_TITLE)
        )
        edit_claim(session, "h/bad", {"notes": f"edited {PROSE}"})
    database.dispose()
    return cli


CHAIN = [LINK_LABEL, STORED_LABEL, PROSE]
MARKED_TEXT = TEXT.replace("Opening. ", "Opening. [1]")
"""The article text as `article show` prints it: the quote of claim 1 marked where it starts."""
READ_COMMANDS = {
    "claims": (["claims"], [f"Claim {PROSE}", *CHAIN]),
    "claims of the article": (["claims", "--article", "h"], [f"Other {PROSE}", *CHAIN]),
    "claims through a source": (["claims", "--source", "mole"], [f"Claim {PROSE}", *CHAIN]),
    "claim show": (
        ["claim", "show", "h/bad"],
        [f"Claim {PROSE}", f"“{PROSE} is what they said”", PROSE, *CHAIN],
    ),
    "claim history": (["claim", "show", "h/bad", "--history"], [STORED_ACTOR, IMPORT_ACTOR]),
    "source list": (["source", "list"], [LINK_LABEL, STORED_LABEL, PROSE]),
    "source show": (["source", "show", "mole"], [STORED_LABEL, PROSE]),
    "source history": (["source", "show", "mole", "--history"], [IMPORT_ACTOR]),
    "article list": (["article", "list"], [TITLE, STORED_TITLE]),
    "article show": (["article", "show", "h"], [TITLE, STORED_TITLE, MARKED_TEXT, *CHAIN]),
    "article unclaimed": (["article", "show", "h", "--unclaimed"], [MARKED_TEXT]),
    "article history": (["article", "show", "h", "--history"], [IMPORT_ACTOR]),
    "log": (["log"], [STORED_ACTOR, IMPORT_ACTOR]),
    "check": (["check", "h"], [PROSE]),
    "check everything": (["check", "--all"], [PROSE]),
    "verify": (["verify"], []),
    "suggest": (["suggest", "h"], []),
}


@pytest.mark.parametrize("name", READ_COMMANDS)
def test_every_read_command_shows_hostile_text_as_plain_text(hostile, name):
    args, expected = READ_COMMANDS[name]
    result = hostile(*args)  # an exception would fail here: no traceback reaches the user
    output = result.stdout + result.stderr
    # check has findings to show (exit 1); verify finds the rows an older version changed
    assert result.exit_code in ((0, 1) if name.startswith(("check", "verify")) else (0,)), output
    assert not RAW_CONTROL.search(output), RAW_CONTROL.findall(output)
    assert "Traceback" not in output
    for value in expected:
        assert shown(value) in words(output), (name, value)


def test_markup_in_a_quotation_prints_exactly_those_characters(hostile):
    output = hostile.ok("claim", "show", "h/bad")
    assert "The [redacted] commander said [bold]no[/bold]." in output
    assert "[link=https://evil.example/x]Associated Press[/link]" in output
    assert "\\x1b]0;owned\\x07\\x1b[2J\\rX\\x08\\x0b\\x0c\\x9b31m\\x7f\\x85\\u2028 end" in output


def test_at_a_terminal_only_the_ledgers_own_styles_reach_it():
    """With colour at a real terminal, every escape sequence written is a colour (SGR):
    no link (OSC 8), no title (OSC 0), no screen clearing; the text is shown written out."""
    out = io.StringIO()
    console = LedgerConsole(file=out, force_terminal=True, color_system="truecolor", width=1000)
    table = Table(title=STORED_LABEL)
    table.add_column("label", style="bold")
    table.add_column("text")
    table.add_row(STORED_LABEL, Text(plain(PROSE), style="red"))
    table.add_row(LINK_LABEL, PROSE)
    console.print(table)
    console.print(PROSE)
    console.print(Text.assemble(("error: ", "bold red"), STORED_ACTOR))
    written = out.getvalue()
    visible = re.sub(r"\x1b\[[0-9;]*m", "", written)
    assert not RAW_CONTROL.search(visible), RAW_CONTROL.findall(visible)
    assert "\x1b]" not in written and "\x1b[2J" not in written
    assert shown(STORED_LABEL) in words(visible)
    assert shown(PROSE) in words(visible)
    assert LINK_LABEL in visible


FORMATS = ["md", "html", "json", "prov-json", "prov-n", "dot"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_report_format_escapes_hostile_text(hostile, fmt):
    result = hostile("report", "h", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    output = result.stdout
    assert not RAW_CONTROL.search(output), RAW_CONTROL.findall(output)
    if fmt in ("json", "prov-json"):  # escaped, yet the very same values once parsed
        assert any(PROSE in value for value in _strings(json.loads(output)))
    elif fmt == "html":
        assert "<b>" not in output and "<script" not in output
        assert "&lt;b&gt;" in output and html_words(PROSE) in words(output)
    elif fmt == "md":
        assert md(PROSE) in output
        assert "<b>" not in _mermaid(output)
    elif fmt == "dot":
        for line in output.splitlines()[4:-1]:
            assert re.fullmatch(r'  \w+ -> \w+.*;|  \w+ \[label="(?:[^"\\]|\\.)*"(, .*)?\];', line)
    elif fmt == "prov-n":  # PROV-N escapes quotes, backslashes and line breaks its own way
        assert MARKUP.replace('"', '\\"') in output
        assert "\\\\x1b]0;owned\\\\x07\\\\x1b[2J\\rX\\\\x08" in output


def _strings(data: object) -> list[str]:
    if isinstance(data, dict):
        return [item for value in data.values() for item in _strings(value)]
    if isinstance(data, list):
        return [item for value in data for item in _strings(value)]
    return [data] if isinstance(data, str) else []


def _mermaid(markdown: str) -> str:
    return markdown.split("```mermaid", 1)[1].split("```", 1)[0]


def html_words(value: str) -> str:
    import html

    return words(html.escape(plain(value), quote=True))


def test_json_keeps_every_character(hostile):
    """Machine output escapes control characters the JSON way and loses none."""
    claims = json.loads(hostile.ok("claims", "--article", "h", "--json"))
    assert any(claim["text"] == f"Claim {PROSE}" for claim in claims)
    source = json.loads(hostile.ok("source", "show", "mole", "--json"))
    assert PROSE in _strings(source) and STORED_LABEL in _strings(source)


# --- entry ------------------------------------------------------------------------------------


ONE_LINE_REFUSALS = {
    "label": (["source", "add", "x", "--label", "a\x1b[2Jb", "--anonymity", "named"], "--label"),
    "label with a line break": (
        ["source", "add", "x", "--label", "two\nlines", "--anonymity", "named"],
        "--label",
    ),
    "actor": (
        ["source", "add", "x", "--label", "X", "--anonymity", "named", "--as", "ed\x1b]0;t\x07"],
        "--as",
    ),
    "title": (["article", "add", "a", "--title", "T\rX"], "--title"),
    "key": (["source", "add", "x\x1b", "--label", "X", "--anonymity", "named"], "KEY"),
    "NUL in prose": (
        ["source", "add", "x", "--label", "X", "--anonymity", "named", "--notes", "a\x00b"],
        "--notes",
    ),
}


@pytest.mark.parametrize("name", ONE_LINE_REFUSALS)
def test_entry_refuses_control_characters_naming_the_option(cli, name):
    args, option = ONE_LINE_REFUSALS[name]
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {option}: contains ")
    assert result.stderr.count("\n") == 1 and not RAW_CONTROL.search(result.stderr)
    assert json.loads(cli.ok("log", "--json")) == []  # nothing written


def test_ledger_user_with_a_control_character_is_refused(cli, monkeypatch):
    monkeypatch.setenv("LEDGER_USER", "ed\x1b[2J")
    result = cli("source", "add", "x", "--label", "X", "--anonymity", "named")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: $LEDGER_USER: contains the control character \\x1b")
    monkeypatch.delenv("LEDGER_USER")
    assert json.loads(cli.ok("log", "--json")) == []


def test_prose_keeps_its_line_breaks(cli):
    cli.ok("source", "add", "x", "--label", "X", "--anonymity", "named", "--notes", "one\ntwo")
    assert json.loads(cli.ok("source", "show", "x", "--json"))["source"]["notes"] == "one\ntwo"


def test_nul_in_a_typed_claim_is_refused(cli, tmp_path):
    cli.ok("article", "add", "a", "--title", "A")
    result = cli("claim", "add", "a/c", "te\x00xt", "--unattributed")
    assert result.exit_code == 2
    assert result.stderr == "error: TEXT: contains a NUL character\n"
    assert json.loads(cli.ok("claims", "--json")) == []


NUL_PLACES = {
    "claims[1].text": lambda b: b["claims"][1].update(text="a\x00b"),
    "claims[0].notes": lambda b: b["claims"][0].update(notes="a\x00b"),
    "sources[1].description": lambda b: b["sources"][1].update(description="\x00"),
    "article.text": lambda b: b["article"].update(text=b["article"]["text"] + "\x00"),
    "sources[0].label": lambda b: b["sources"][0].update(label="A\x00P"),
}


@pytest.mark.parametrize("place", NUL_PLACES)
def test_nul_in_a_bundle_is_refused_with_its_place_on_both_engines(cli, tmp_path, place):
    path = hostile_bundle(tmp_path)
    bundle = json.loads(path.read_text(encoding="utf-8"))
    NUL_PLACES[place](bundle)
    path.write_text(json.dumps(bundle), encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}: {place}: contains a NUL character\n"
    assert json.loads(cli.ok("log", "--json")) == []


def test_control_character_in_a_bundle_label_is_refused(cli, tmp_path):
    path = hostile_bundle(tmp_path)
    bundle = json.loads(path.read_text(encoding="utf-8"))
    bundle["sources"][0]["label"] = "AP\x1b]0;owned\x07"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert f"{path}: sources[0].label: contains the control character \\x1b" in result.stderr
    assert json.loads(cli.ok("log", "--json")) == []


def test_a_ten_megabyte_label_is_quoted_as_an_excerpt(cli, tmp_path):
    """A bundle redefining a source with a 10 MB label: refused in one short line."""
    cli.ok("source", "add", "ap", "--label", "AP", "--anonymity", "named", "--kind", "outlet")
    path = tmp_path / "huge.json"
    huge = "A" * 10_485_760
    source = {"key": "ap", "label": huge, "kind": "outlet", "anonymity": "named"}
    path.write_text(json.dumps({"version": 1, "sources": [source]}), encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert "(10,485,760 characters)" in result.stderr
    assert len(result.stderr) < 400 and result.stderr.count("\n") == 1


@pytest.mark.parametrize("breaking", ["\x85", "\u2028", "\u2029", "\r", "\x1b[2J", "\ufeff"])
def test_a_draft_writes_characters_a_yaml_reader_would_fold_escaped(breaking):
    """PyYAML writes a next line (U+0085) or a line separator raw in a plain, quoted or
    block scalar: the terminal the draft is printed to acts on it, and reading the draft
    back folds it into a space. The draft escapes them, and reads back as it was."""
    from ledger.suggest import render, suggest

    for text in (
        f"Opening. [/]{breaking}[/] Closing.",
        f"Opening. [/]{breaking}  [/] Closing.",
        f"Opening. The minister said the{breaking} plan works.",
    ):
        written = render(suggest(text, outlet="The Courier"))
        assert not CONTROL_CHARACTER.search(written.replace("\n", "")), written
        assert "\ufeff" not in written
        assert yaml.safe_load(written)["article"]["text"] == text


@pytest.mark.parametrize("value", ["a\x85b", "a\u2028b", "line\nnext\x85"])
def test_an_export_writes_those_characters_escaped_too(value):
    from ledger.write.bundle import _Dumper

    written = yaml.dump({"text": value}, Dumper=_Dumper, allow_unicode=True)
    assert not CONTROL_CHARACTER.search(written.replace("\n", "")), written
    assert yaml.safe_load(written) == {"text": value}
