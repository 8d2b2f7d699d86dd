"""The words a source description turns on: its head noun and its content words.

"three U.S. officials" has the head "officials" (plural) and the content words
{three, U.S., official}; `SourceBook` compares mentions by them and `guess`
reads kind and anonymity from the head.
"""

# ruff: noqa: RUF001  (typographic apostrophes are the subject here)

from __future__ import annotations

import re

from ledger.suggest import lexicon as lx

singular = lx.singular

_POSTMOD = lx.words(
    """of for in within inside with from at on to by close familiar available briefed involved
    knowledgeable aware based linked affiliated loyal responsible speaking who which
    that whose posted published issued"""
)


def content_words(text: str) -> set[str]:
    tokens = re.findall(r"[\w’'.-]+", re.sub(r"[’']s\b", "", text))
    return {singular(t.strip("’'.")) for t in tokens if t.lower() not in lx.STOP_WORDS} - {""}


def core_words(text: str) -> set[str]:
    """The content words of a description before a clause that only says how the article
    knows it: "the deputy director named by the supervisors" is {deputy, director}, so it
    still fits "a deputy director". A prepositional phrase stays ("the director of
    communications" is not any director)."""
    tokens = re.findall(r"[\w’'.-]+", text)
    for index, token in enumerate(tokens[1:], start=1):
        following = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
        participle = token.endswith("ed") and following in {"by", "in", "at", "to", "as"}
        if token.lower() in {"who", "which", "that", "whose"} or participle:
            return content_words(" ".join(tokens[:index]))
    return content_words(text)


def head_word(text: str) -> tuple[str, bool]:
    """The head word of a description and whether it is plural ("sources in Kabul": source, yes)."""
    tokens = re.findall(r"[\w’'.-]+", text)
    quantity = tokens and (tokens[0].lower() in lx.UNIT_WORDS or tokens[0].isdigit())
    one = bool(tokens) and tokens[0].lower() in {"one", "each", "either", "neither"}
    if len(tokens) > 2 and tokens[1].lower() == "of" and quantity:  # "one of the officials"
        tokens = tokens[2:]
    else:
        one = False
    core: list[str] = []
    for token in tokens:
        if token.lower() in _POSTMOD and core:
            break
        core.append(token)
    nouns = lx.ROLE_NOUNS | lx.ORG_WORDS | lx.DOCUMENT_WORDS | lx.RECORDING_WORDS
    known = [t for t in core if singular(t) in nouns or t.lower() in nouns]
    head = known[-1] if known else (core[-1] if core else text)
    if core and core[-1][:1].isupper() and singular(core[-1]) not in nouns:
        head = core[-1]  # "Pentagon spokesperson Sabrina Singh": the name is the head
    common = not head[:1].isupper() or singular(head) in lx.SPEAKER_HEADS  # "Phelps" is one man
    plural = (common and head.lower() != singular(head)) or head.lower() in {"people", "police"}
    return head, plural and not one  # "one of the mechanics" is one mechanic: "she" later
