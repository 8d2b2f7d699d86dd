"""Entering a claim at a terminal: every answer checked as it is typed, nothing typed lost.

The journalist is asked for what the command line left out, in the order of
the sentence: what is claimed, the exact quote (checked against the text at
once, and asked again with the closest passage if it is not there), the cue,
the kind, then the chains, each source key settled as it is typed (a key the
ledger does not hold is answered with its close matches, or knowingly made a
new source whose details are asked there and then). All of it happens before
the write transaction opens, so no lock is held while a person thinks.

If anything fails afterwards, or the journalist presses Ctrl-C, what was typed
is printed as the commands that enter it, ready to edit and run again.
"""

import shlex
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ledger.cli import prompts
from ledger.cli._common import console
from ledger.vocab import Anonymity, ClaimKind, SourceKind

if TYPE_CHECKING:
    from ledger.api import Ledger
    from ledger.model import Source


@dataclass
class Entry:
    """A claim as entered so far: the command line's values, then the answers."""

    ref: str
    text: str | None = None
    quote: str | None = None
    kind: ClaimKind | None = None
    cue: str | None = None
    chains: list[str] = field(default_factory=list)  # comma-separated keys, nearest first
    unattributed: bool = False
    notes: str | None = None
    new_sources: "dict[str, Source]" = field(default_factory=dict)
    typed: bool = False  # whether a person typed any of it (then it is worth keeping)

    def commands(self) -> list[str]:
        """The commands that enter this claim (and its new sources) without a question."""
        lines = [_source_command(source) for source in self.new_sources.values()]
        words = ["ledger", "claim", "add", self.ref]
        if self.text:
            words.append(self.text)
        for option, value in (
            ("--quote", self.quote),
            ("--kind", self.kind.value if self.kind else None),
            ("--cue", self.cue),
            ("--notes", self.notes),
        ):
            if value:
                words += [option, value]
        for chain in self.chains:
            words += ["--chain", chain]
        if self.unattributed:
            words.append("--unattributed")
        lines.append(shlex.join(words))
        return lines


def _source_command(source: "Source") -> str:
    words = ["ledger", "source", "add", source.key, "--label", source.label]
    words += ["--anonymity", source.anonymity.value, "--kind", source.kind.value]
    if source.anonymity_reason:
        words += ["--reason", source.anonymity_reason]
    return shlex.join(words)


def keep_what_was_typed(entry: Entry) -> None:
    """Print what was typed as commands, so that a failure or Ctrl-C loses none of it."""
    if not entry.typed:
        return
    out = console()
    out.print("what you typed, as commands to run again (nothing was written):", markup=False)
    for line in entry.commands():
        out.print(f"  {line}", soft_wrap=True, markup=False)


def ask_claim(book: "Ledger", entry: Entry, *, ask_chains: bool) -> None:
    """Ask for every part of the claim the command line left out, checking each answer."""
    from ledger.write.entries import quote_problem

    # read, then closed: nothing is held while a person types
    article = book.article(entry.ref.partition("/")[0])
    keys = book.source_keys()
    text = article.text

    def check(quote: str) -> str | None:
        return quote_problem(quote, text) if text is not None else None

    if not entry.text:
        entry.text = _ask_text()
        entry.typed = True
    if entry.quote is not None:
        entry.quote = prompts.ask_quote(entry.quote, check)
    elif text:
        entry.quote = prompts.pick_quote(text, check)
        entry.typed = True
    if entry.cue is None:
        entry.cue = prompts.ask(
            "cue: the attribution verb (said, told, according to…; empty: none)"
        )
        entry.cue = entry.cue or None
        entry.typed = True
    if entry.kind is None:
        entry.kind = ClaimKind(
            prompts.ask_choice("kind", [kind.value for kind in ClaimKind], default="fact")
        )
        entry.typed = True
    if ask_chains:
        _ask_chains(entry, keys)


def _ask_text() -> str:
    while True:
        text = prompts.ask("what is claimed, in plain words")
        if text:
            return text
        console().print("the claim's text may not be empty", markup=False)


def _ask_chains(entry: Entry, keys: list[str]) -> None:
    from ledger.wording import close_matches

    known = set(keys)

    def settled(key: str) -> str:
        chosen = prompts.settle_key(
            key,
            lambda k: k in known or k in entry.new_sources,
            lambda k: close_matches(k, keys),
            new="add it as a new source",
        )
        if chosen not in known and chosen not in entry.new_sources:
            entry.new_sources[chosen] = ask_new_source(chosen)
        return chosen

    while True:
        entry.chains = prompts.ask_chains(keys, settled)
        entry.typed = True
        if entry.chains:
            return
        if prompts.confirm("no chain: does the article state this in its own voice?"):
            entry.unattributed = True
            return


def ask_new_source(key: str) -> "Source":
    """The details of a source new to the ledger, asked when its key is first typed."""
    from ledger.errors import LedgerError
    from ledger.model import Source
    from ledger.write.validation import validated

    console().print(f"source {key} is new to the ledger:", markup=False)
    while True:
        label = prompts.ask("  label (as published)")
        if label:
            break
    anonymity = prompts.ask_choice("  anonymity", [a.value for a in Anonymity])
    kind = prompts.ask_choice("  kind", [k.value for k in SourceKind], default="person")
    reason = None
    if anonymity != Anonymity.NAMED.value:
        reason = prompts.ask("  why was anonymity granted (as stated; empty: not stated)") or None
    try:
        return validated(
            Source,
            {
                "key": key,
                "label": label,
                "anonymity": anonymity,
                "kind": kind,
                "anonymity_reason": reason,
            },
        )
    except LedgerError as exc:
        console().print(f"{exc}; again:", markup=False)
        return ask_new_source(key)
