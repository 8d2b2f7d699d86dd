"""Interactive entry for `ledger claim add` when a journalist works at a terminal.

Only used when stdin is a terminal and `--no-input` was not given: scripts and
CI never see a prompt. The quote is found by typing a few of its words and
choosing among the article's sentences that hold them; chains are typed as
source keys, with Tab completing the keys already in the ledger.
"""

from __future__ import annotations

from collections.abc import Sequence

import typer

from ledger.cli._common import console


def pick_quote(article_text: str) -> str | None:
    """Ask for a few words, list the sentences holding them, let the journalist choose and trim."""
    from ledger.text.anchoring import fold_text, sentence_spans

    sentences = [article_text[s.start : s.end] for s in sentence_spans(article_text)]
    while True:
        words = typer.prompt(
            "quote: type a few of its words (empty: no quote)", default="", show_default=False
        )
        if not words.strip():
            return None
        needle = fold_text(words).lower()
        matches = [s for s in sentences if needle in fold_text(s).lower()]
        if not matches:
            console().print(f"no sentence holds “{words}”; try other words")
            continue
        for number, sentence in enumerate(matches[:9], start=1):
            console().print(
                f"  {number}. {' '.join(sentence.split())}", soft_wrap=True, markup=False
            )
        choice = typer.prompt("which one (0: search again)", type=int, default=1)
        if 1 <= choice <= min(len(matches), 9):
            chosen = " ".join(matches[choice - 1].split())
            return typer.prompt("quote (trim it to the words that carry the claim)", default=chosen)


def ask_chains(source_keys: Sequence[str]) -> list[str]:
    """Chains as comma-separated keys, nearest source first; empty answer ends the list."""
    _complete_with(source_keys)
    chains = []
    while True:
        label = (
            "chain, nearest source first (keys, comma-separated)" if not chains else "another chain"
        )
        answer = typer.prompt(
            f"{label} (empty: {'own voice' if not chains else 'done'})",
            default="",
            show_default=False,
        )
        if not answer.strip():
            return chains
        chains.append(answer)


def _complete_with(words: Sequence[str]) -> None:
    """Tab-complete source keys at the prompt, where the platform has readline."""
    try:
        import readline
    except ImportError:
        return
    options = sorted(words)

    def complete(text: str, state: int) -> str | None:
        prefix = text.rsplit(",", 1)[-1].strip()
        found = [key for key in options if key.startswith(prefix)]
        return found[state] if state < len(found) else None

    readline.set_completer_delims(", ")
    readline.set_completer(complete)
    readline.parse_and_bind("tab: complete")


def ask_choice(label: str, choices: Sequence[str], default: str | None = None) -> str:
    """Ask until the answer is one of `choices` (Typer exposes no choice type of its own)."""
    while True:
        answer = typer.prompt(
            f"{label} ({', '.join(choices)})", default=default, show_default=default is not None
        )
        if answer in choices:
            return answer
        console().print(f"please answer one of: {', '.join(choices)}")
