"""A property: whatever strings a bundle carries, every read command shows them as plain text.

Hypothesis writes bundles whose every text field mixes Rich markup, HTML and
Markdown specials, control characters (ESC sequences, CR, BEL, C1, NUL), odd
Unicode and very long values. Each bundle is either refused in one line with
exit 2 and nothing written, or imported; then every read command runs over it
without a traceback, writes no raw control character, and shows each stored
value whole (written out where it holds control characters).
"""

from __future__ import annotations

import itertools
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.wording import plain

FRAGMENTS = [
    "[/]",
    "[bold]",
    "[/bold]",
    "[link=https://evil.example/x]",
    "[/link]",
    ":smile:",
    "<script>",
    "&amp;",
    "`",
    "|",
    "#",
    "\\",
    '"',
    "*_",
    "\x1b]0;owned\x07",
    "\x1b[2J",
    "\x1b]8;;https://evil.example\x07",
    "\r",
    "\x07",
    "\x08",
    "\x7f",
    "\x85",
    "\x9b31m",
    "\t",
    "\n",
    "\u202e",
    "\u2028",
    "é",
    "中文",
    "👍",
    "e\u0301",
]
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")

pieces = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=8)
hostile = pieces.map("".join)
very_long = st.builds(
    lambda unit, times: unit * times, st.sampled_from([*FRAGMENTS, "word "]), st.integers(1, 5_000)
)
free_text = st.one_of(hostile, hostile, very_long)
"""Prose (reasons, notes, quotes): markup and control characters are allowed and shown."""
one_line = st.one_of(
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40),
    st.lists(st.sampled_from([f for f in FRAGMENTS if not RAW_CONTROL.search(f)]), min_size=1).map(
        "".join
    ),
)
"""Labels and titles: markup-like and odd Unicode, no control character (see `spoiler`)."""
STRATEGIES = {
    "title": one_line,
    "outlet": one_line,
    "label": one_line,
    "reason": free_text,
    "description": free_text,
    "notes": free_text,
    "text": free_text,
    "quote": free_text,
    "cue": free_text,
}
FIELDS = st.fixed_dictionaries(STRATEGIES)
spoiler = st.one_of(
    st.none(),
    st.none(),
    st.tuples(st.sampled_from(sorted(STRATEGIES)), st.sampled_from(["\x00", "\x1b[2J", "\n"])),
)
"""Now and then one field gets a NUL (refused anywhere) or a control character (refused
in a label or a title, shown written out in prose)."""
numbers = itertools.count()


def words(text: str) -> str:
    return " ".join(text.split())


def bundle(n: int, fields: dict[str, str]) -> dict:
    slug, key = f"a{n}", f"s{n}"
    return {
        "version": 1,
        "article": {
            "slug": slug,
            "title": fields["title"],
            "outlet": fields["outlet"],
            "text": f"Opening. {fields['quote']} Closing.",
        },
        "sources": [
            {
                "key": key,
                "label": fields["label"],
                "anonymity": "anonymous",
                "anonymity_reason": fields["reason"],
                "description": fields["description"],
                "notes": fields["notes"],
            }
        ],
        "claims": [
            {
                "key": "c",
                "text": f"Claim {fields['text']}",
                "quote": fields["quote"],
                "cue": fields["cue"],
                "notes": fields["notes"],
                "attributions": [[{"source": key, "cue": fields["cue"]}]],
            }
        ],
    }


def clean(result, *, allowed=(0,)) -> str:
    """The command's whole output, after checking it ended as a user may see it end."""
    output = result.stdout + result.stderr
    assert result.exit_code in allowed, output[:2000]
    assert not RAW_CONTROL.search(output), RAW_CONTROL.findall(output)[:5]
    return output


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(fields=FIELDS, spoil=spoiler)
def test_hostile_strings_are_refused_in_one_line_or_shown_whole(cli, tmp_path, fields, spoil):
    if spoil is not None:
        fields = {**fields, spoil[0]: fields[spoil[0]] + spoil[1] + "x"}
    n = next(numbers)
    slug, key = f"a{n}", f"s{n}"
    path = tmp_path / f"{slug}.json"
    path.write_text(json.dumps(bundle(n, fields)), encoding="utf-8")
    result = cli("import", str(path))  # an exception (a traceback) fails the test here
    if result.exit_code != 0:
        output = clean(result, allowed=(2,))
        assert output.startswith("error: ") and output.count("\n") == 1
        assert len(output) < 1_000  # an excerpt of the value, never the value
        assert cli("article", "show", slug).exit_code == 2  # nothing written
        return
    source = json.loads(cli.ok("source", "show", key, "--json"))["source"]
    claim = json.loads(cli.ok("claim", "show", f"{slug}/c", "--json"))
    article = json.loads(cli.ok("article", "show", slug, "--json"))["article"]
    whole = {
        ("source", "show", key): [source[name] for name in ("label", "description", "notes")],
        ("source", "list", "--article", slug): [source["label"], source["anonymity_reason"]],
        ("claim", "show", f"{slug}/c"): [claim["text"], claim["quote"], claim["cue"]],
        ("claims", "--article", slug): [claim["text"], source["label"]],
        ("article", "list"): [article["title"], article["outlet"]],
        ("article", "show", slug): [article["title"]],
        ("log", "--article", slug): [],
        ("report", slug): [],
        ("report", slug, "--format", "html"): [],
        ("report", slug, "--format", "dot"): [],
        ("suggest", slug): [],
    }
    for args, values in whole.items():
        output = words(clean(cli(*args)))
        for value in values:  # a table shows a cell's lines side by side with the next cells'
            for line in plain(value).split("\n"):
                assert words(line) in output, (args, value[:80])
    clean(cli("check", slug), allowed=(0, 1))  # 1: findings to fix, as the check reports
