"""Questions asked at a terminal: forgiving of typos, never a trap.

Only used when stdin is a terminal and `--no-input` was not given: scripts and
CI never see a prompt. Every question accepts a unique prefix of a choice
(`anon` for anonymous), says what it expects when the answer does not fit and
asks again, and a name that is not in the ledger is answered with the close
matches (`ledger.wording.close_matches`, the helper every command uses).
Ctrl-C leaves with exit code 130 (the caller says what was typed so far, so
nothing is lost); the end of input is an error, not an endless loop. No
question is ever asked inside a write transaction: a person may take minutes
to answer, and the ledger must not stay locked meanwhile.
"""

from collections.abc import Callable, Sequence

from ledger.cli._common import console
from ledger.wording import excerpt


def ask(label: str, default: str | None = None) -> str:
    """One answer; Enter takes the default (shown in brackets)."""
    from ledger.errors import InvalidInput

    shown = f" [{default}]" if default else ""
    try:
        answer = input(f"{label}{shown}: ")
    except EOFError:
        raise InvalidInput(f"{label}: no answer (the input ended)") from None
    answer = answer.strip()
    return answer if answer else (default or "")


def confirm(question: str) -> bool:
    """Yes or no; anything else is asked again, and Enter means no."""
    while True:
        answer = ask(f"{question} [y/N]").lower()
        if answer in ("", "n", "no"):
            return False
        if answer in ("y", "yes"):
            return True
        console().print("please answer yes or no", markup=False)


def choose(answer: str, choices: Sequence[str]) -> str | None:
    """The choice meant: typed whole, or the only one starting with what was typed."""
    typed = answer.strip().lower()
    if typed in choices:
        return typed
    starting = [choice for choice in choices if typed and choice.startswith(typed)]
    return starting[0] if len(starting) == 1 else None


def ask_choice(label: str, choices: Sequence[str], default: str | None = None) -> str:
    """Ask until the answer is one of `choices`, or a prefix of only one of them."""
    from ledger.wording import close_matches, join_words

    while True:
        answer = ask(f"{label} ({', '.join(choices)})", default)
        chosen = choose(answer, choices)
        if chosen is not None:
            return chosen
        starting = [choice for choice in choices if answer and choice.startswith(answer.lower())]
        near = starting or close_matches(answer.lower(), choices)
        hint = f" (did you mean {join_words(near, 'or')}?)" if near else ""
        console().print(
            f"{excerpt(answer)} is not one of {', '.join(choices)}{hint}",
            markup=False,
            soft_wrap=True,
        )


def settle_key(
    typed: str, known: Callable[[str], bool], near: Callable[[str], list[str]], *, new: str
) -> str:
    """The key meant by `typed`: one the ledger holds, or knowingly a new one.

    A key the ledger does not hold is answered with its close matches: Enter or
    a number takes one, `new` keeps the key as typed (a new one), anything else
    is another key to look up.
    """
    from ledger.model import KEY_RE

    key = typed.strip()
    while True:
        if not KEY_RE.match(key):
            key = ask(f"{excerpt(key)} is not a key (lowercase letters, digits and -): the key")
            continue
        if known(key):
            return key
        matches = near(key)
        if matches:
            options = ", ".join(f"{n}. {match}" for n, match in enumerate(matches, start=1))
            reply = ask(
                f"{excerpt(key)} is not in the ledger; did you mean {options}? "
                f"(a number, `new` to {new}, or another key)",
                "1",
            )
        else:
            reply = ask(
                f"{excerpt(key)} is not in the ledger: `new` to {new}, or another key", "new"
            )
        if reply.isdigit() and 1 <= int(reply) <= len(matches):
            return matches[int(reply) - 1]
        if reply.lower() == "new":
            return key
        key = reply


def pick_quote(article_text: str, check: Callable[[str], str | None]) -> str | None:
    """Find the quote by a few of its words, let the journalist trim it, and check it at once.

    `check` returns None for a quote found in the text, else why not (with the
    closest passage): the quote is asked for again then, not rejected at the end.
    """
    from ledger.text.anchoring import fold_text, sentence_spans

    sentences = [article_text[s.start : s.end] for s in sentence_spans(article_text)]
    while True:
        words = ask("quote: type a few of its words (empty: no quote)")
        if not words:
            return None
        needle = fold_text(words).lower()
        matches = [s for s in sentences if needle in fold_text(s).lower()]
        if not matches:
            console().print(f"no sentence holds “{words}”; try other words", markup=False)
            continue
        for number, sentence in enumerate(matches[:9], start=1):
            console().print(
                f"  {number}. {' '.join(sentence.split())}", soft_wrap=True, markup=False
            )
        choice = ask("which one (0: search again)", "1")
        if not choice.isdigit() or not 1 <= int(choice) <= min(len(matches), 9):
            continue
        quote = " ".join(matches[int(choice) - 1].split())
        while True:
            quote = ask("quote (trim it to the words that carry the claim)", quote)
            problem = check(quote)
            if problem is None:
                return quote
            console().print(f"{problem}; try again", markup=False, soft_wrap=True)


def ask_quote(first: str | None, check: Callable[[str], str | None]) -> str | None:
    """A quote given on the command line, checked at once and asked again if it is not found."""
    quote = first
    while quote:
        problem = check(quote)
        if problem is None:
            return quote
        console().print(f"--quote: {problem}", markup=False, soft_wrap=True)
        quote = ask("quote (the exact words in the article; empty: no quote)")
    return None


def ask_chains(source_keys: Sequence[str], checked: Callable[[str], str]) -> list[str]:
    """Chains as comma-separated keys, nearest source first; an empty answer ends the list.

    `checked` takes one typed key and returns the key meant (asking about a key
    the ledger does not hold), so every key is settled as it is typed.
    """
    _complete_with(source_keys)
    chains = []
    while True:
        label = (
            "chain, nearest source first (keys, comma-separated)" if not chains else "another chain"
        )
        answer = ask(f"{label} (empty: {'no chain' if not chains else 'done'})")
        if not answer:
            return chains
        keys = [checked(part.strip()) for part in answer.split(",") if part.strip()]
        if keys:
            chains.append(",".join(keys))


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
