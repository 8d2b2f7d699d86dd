"""How the ledger says things in plain words, shared by every human-facing renderer."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Protocol

from ledger.vocab import Anonymity, ClaimKind, Status

# --- user text on a terminal and in messages ---------------------------------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""C0 and C1 control characters and DEL, except tab and newline: what a terminal obeys
(ESC starts a sequence that can move the cursor, clear the screen or make a link); and
the Unicode line and paragraph separators, which break a line for some programs (Python's
`splitlines`, hence Rich's tables, where one cost a character) and not for others."""

LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""The same, tab and newline included: none belongs in a one-line value."""


def yaml_style(value: str) -> str | None:
    """The YAML scalar style a string is written in: double-quoted, where the emitter
    escapes them, when it holds a `CONTROL` character or a byte order mark (PyYAML writes
    a next line, U+0085, or a line separator raw in its other styles: the terminal acts on
    it, and a reader folds it into a space, so the text read back is not the text written);
    a literal block for other multi-line text, readable as printed; else the dumper's
    choice."""
    if CONTROL.search(value) or "\ufeff" in value:
        return '"'
    return "|" if "\n" in value else None


def _written_out(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\r":
        return "\\r"
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def plain(text: str) -> str:
    """`text` safe to show on a terminal: each control character written out, nothing dropped.

    ESC becomes the four characters `\\x1b` and a carriage return `\\r`, so a stored
    value can neither drive the terminal (clear the screen, set its title, make a
    link) nor hide a word; newlines and tabs stay as they are. Everything else,
    markup-like brackets included, is left alone: the terminal console never reads
    markup, so `[bold]` prints as those six characters.
    """
    return CONTROL.sub(_written_out, text) if CONTROL.search(text) else text


_JSON_UNESCAPED = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def json_plain(text: str) -> str:
    """JSON as `json.dumps` wrote it, with DEL, the C1 controls and the Unicode line
    separators as `\\u` escapes too.

    `json.dumps` escapes only U+0000 to U+001F; U+009B is a terminal's CSI all the
    same. The escaped document parses to the very same values. Such characters
    appear only inside strings, where `\\u009b` means what the raw one did.
    """
    return _JSON_UNESCAPED.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


EXCERPT_LENGTH = 60
"""How much of an offending value an error message quotes."""


def excerpt(value: object, limit: int = EXCERPT_LENGTH) -> str:
    """A value quoted for a message: `'AP'`, or its first `limit` characters and its length.

    Quoted with `repr`, so control characters and line breaks are written out and
    the message stays one line; a 10 MB label costs a line, not 10 MB of terminal.
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{value[:limit]!r}… ({len(value):,} characters)"
    try:
        text = repr(value)
    except ValueError:  # an integer past Python's limit on digits converted to text
        return "a number too long to show"
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def control_problem(value: str, *, one_line: bool) -> str | None:
    """Why `value` cannot be stored, or None: a NUL anywhere; any control character in a
    one-line value (a key, a label, a title, an actor)."""
    if "\x00" in value:
        return "contains a NUL character"
    if one_line:
        found = LINE_CONTROL.search(value)
        if found:
            char = found.group()
            name = {"\n": "a line break", "\t": "a tab"}.get(char) or (
                f"the control character {_written_out(found)}"
            )
            return (
                f"contains {name} at character {found.start() + 1}; "
                "it must be one line of plain text"
            )
    return None


class _HopLike(Protocol):
    label: str
    anonymity: Anonymity
    anonymity_reason: str | None


def describe_hop(hop: _HopLike) -> str:
    """`a prominent Syrian opposition official (anonymous: insisted on anonymity)`."""
    if hop.anonymity is Anonymity.NAMED:
        return hop.label
    reason = hop.anonymity_reason or "no reason stated"
    return f"{hop.label} ({hop.anonymity.value}: {reason})"


def describe_chain(chain: Sequence[_HopLike]) -> str:
    """A chain as a reader says it, nearest source first: `AP ← an official (anonymous: …)`."""
    return " ← ".join(describe_hop(hop) for hop in chain)


FLAG_LABELS = {
    "uncorroborated": "uncorroborated",
    "anonymous_only": "anonymous only",
    "contradicted": "contradicted",
    "single_intermediary": "single intermediary",
    "borrowed_anonymity": "borrowed anonymity",
}


def flag_names(verdict: object) -> list[str]:
    """The names of the flags a verdict raises, in a fixed order."""
    return [label for name, label in FLAG_LABELS.items() if getattr(verdict, name)]


class _KeyedHop(_HopLike, Protocol):
    key: str


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """`1 chain`, `2 chains`: counts read as a person would say them."""
    return f"{count} {noun if count == 1 else plural_form or noun + 's'}"


def join_words(items: Sequence[str], conjunction: str = "and") -> str:
    """`AP`, `AP and Reuters`, `AP, Reuters and AFP` (or `… or AFP`)."""
    if len(items) < 3:
        return f" {conjunction} ".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def close_matches(word: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The candidates that look like `word` mistyped (`guardain` → `guardian`), closest first.

    One helper for every name a person types (source keys, slugs, claim keys,
    check codes), so that each command offers the same corrections.
    """
    return difflib.get_close_matches(word, list(candidates), n=limit, cutoff=0.6)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'guardian'?)`, or "" when nothing is close: to end an error message."""
    found = close_matches(word, candidates)
    if not found:
        return ""
    return f" (did you mean {join_words([repr(item) for item in found], 'or')}?)"


def describe_root(origin: _HopLike, paths: Sequence[Sequence[str]]) -> str:
    """One origin and the ways it reached us: `AP and Reuters citing an official (anonymous: …)`.

    `paths` holds the labels of the intermediaries of each chain ending at the
    origin (empty for a chain of the origin alone), so the reader sees who
    relayed the root rather than a list of near-identical chains.
    """
    relayed = list(dict.fromkeys(" citing ".join(path) for path in paths if path))
    said = describe_hop(origin)
    if not relayed:
        return said
    direct = " (and directly)" if any(not path for path in paths) else ""
    return f"{join_words(relayed)} citing {said}{direct}"


def describe_roots(chains: Sequence[Sequence[_KeyedHop]]) -> str:
    """Every origin of these chains with the ways it reached us, `; `-separated.

    With several chains the count comes first, which is what exposes a false
    appearance of corroboration: `4 chains, 1 root: AP citing an official (…)`.
    """
    grouped: dict[str, tuple[_KeyedHop, list[list[str]]]] = {}
    for chain in chains:
        if not chain:
            continue
        origin = chain[-1]
        grouped.setdefault(origin.key, (origin, []))[1].append([hop.label for hop in chain[:-1]])
    roots = "; ".join(describe_root(origin, paths) for origin, paths in grouped.values())
    if len(chains) < 2:
        return roots
    return f"{plural(len(chains), 'chain')}, {plural(len(grouped), 'root')}: {roots}"


def describe_parties(chains: Sequence[Sequence[_KeyedHop]]) -> str:
    """The parties behind the chains, which the two-source rule counts, and who spoke for them.

    `2 chains, 1 party: the Ministry of Health (Dana Levi speaks for it)`: what makes
    a claim that looks corroborated by key rest on one party visible.
    """
    parties: dict[str, tuple[str, list[str]]] = {}
    for chain in chains:
        if not chain:
            continue
        origin = chain[-1]
        party = getattr(origin, "party", None) or origin.key
        label = origin.label if party == origin.key else getattr(origin, "party_label", None)
        _label, speakers = parties.setdefault(party, (label or party, []))
        if party == origin.key and label:
            parties[party] = (label, speakers)
        if party != origin.key and origin.label not in speakers:
            speakers.append(origin.label)
    described = []
    for label, speakers in parties.values():
        if speakers:
            verb = "speaks" if len(speakers) == 1 else "speak"
            label = f"{label} ({join_words(speakers)} {verb} for it)"
        described.append(label)
    return (
        f"{plural(len([c for c in chains if c]), 'chain')}, "
        f"{plural(len(parties), 'party', 'parties')}: {'; '.join(described)}"
    )


FIGURE_LABELS = {
    "claims": "claims",
    "facts": "facts",
    "opinion": "opinion",
    "corroborated": "corroborated",
    "uncorroborated_facts": "uncorroborated facts",
    "anonymous_only": "resting only on unnamed sources",
    "contradicted": "contradicted",
    "unattributed_facts": "unattributed facts (the article's own voice)",
    "unnamed_share": "share of claims resting only on unnamed sources",
}
"""How the report's summary figures are named, in the order they are shown."""

FIGURE_HEADINGS = {
    "claims": "claims",
    "facts": "facts",
    "opinion": "opinion",
    "corroborated": "corroborated",
    "uncorroborated_facts": "uncorroborated",
    "anonymous_only": "unnamed only",
    "contradicted": "contradicted",
    "unattributed_facts": "unattributed",
    "unnamed_share": "unnamed share",
}
"""The same figures as column headings, where one row per article leaves little room."""


def percent(share: float) -> str:
    """`42%`: a share as people read it, rounded to a whole percent."""
    return f"{round(share * 100)}%"


class _VerdictLike(Protocol):
    status: Status


def verdict_words(kind: ClaimKind, verdict: _VerdictLike) -> list[str]:
    """`opinion`, the status, then the flags: what a reader needs to know about one claim."""
    words = ["opinion"] if kind is ClaimKind.OPINION else []
    return [*words, verdict.status.value, *flag_names(verdict)]


PASSIVE = {
    "corroborates": "corroborated by",
    "contradicts": "contradicted by",
    "refines": "refined by",
}
"""A link read from the linked claim's side: `A refines B` reads `B is refined by A`."""


class _LinkLike(Protocol):
    relation: StrEnum
    other: str


def link_phrases(
    links_out: Sequence[_LinkLike], links_in: Sequence[_LinkLike]
) -> list[tuple[str, str]]:
    """(phrase, other claim) pairs: `("refines", "x/y")`, `("corroborated by", "x/z")`."""
    return [(link.relation.value, link.other) for link in links_out] + [
        (PASSIVE[link.relation.value], link.other) for link in links_in
    ]


def article_facts(article: object) -> list[tuple[str, str]]:
    """The article's identifying fields as (label, value), `not recorded` where unset.

    A missing URL or byline is shown rather than hidden: the editor should see
    that the ledger cannot tie the claims to a specific published version.
    """
    names = [
        ("title", "Title"),
        ("outlet", "Outlet"),
        ("published", "Published"),
        ("url", "URL"),
        ("byline", "Byline"),
        ("slug", "Slug"),
        ("text_sha256", "Text SHA-256"),
    ]
    values = [(label, getattr(article, name, None)) for name, label in names]
    return [
        (label, "not recorded" if value in (None, "") else str(value)) for label, value in values
    ]
