"""Suggested claims: a first draft of an article's bundle, found by rules in its text.

`suggest(text)` reads an article and proposes claims at attribution cues
("said", "told", "according to", "reported, citing", ...), the chain of sources
each went through, and a guess of each source's kind and anonymity, with the
words that justify every guess. It is rule-based and offline (standard library
and regular expressions), so it runs anywhere the ledger runs, and its output
is an ordinary bundle: the journalist edits it, then `ledger import`s it.

Modules: `candidates`, `cues`, `shapes`, `stances` and `contents` (attributions
in a sentence and what they report), `phrases`, `subjects` and `heads`
(speakers, objects, adjuncts), `sources`, `descriptions`, `referents` and `fuller`
(coreference), `ranking` (who a pronoun stands for, by learned weights), `guess` (kind and anonymity), `access` (why anonymity, what the source
knew), `reasons` (a stated reason given to its source), `groups` (which sources a
statement about several is about), `parties` (who a
spokesperson speaks for), `known` (the ledger's sources and final keys), `keys`
(keys that read as names), `draft` (assembly), `bundle` (the draft's fields and
commented YAML), `lexicon` (the words) and `anonymity` (the words of anonymity).
"""

from ledger.suggest.bundle import ClaimDraft, Draft, render
from ledger.suggest.draft import suggest
from ledger.suggest.sources import SourceDraft

__all__ = ["ClaimDraft", "Draft", "SourceDraft", "render", "suggest"]
