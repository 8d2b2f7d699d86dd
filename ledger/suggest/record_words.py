"""Nouns for the written and recorded sources a story cites: records, not people.

Apart from `lexicon` so that the list of what a document can be called can grow
without that module growing; `lexicon` re-exports both sets. A phrase whose head
is one of these is a document ("a board resolution dated 14 March") and can be
one side of a coordination of sources ("text messages and three people with
direct knowledge"), where a word no list knows leaves the whole phrase one party.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


DOCUMENT_WORDS = _words(
    """audit warning notice data report statement document documents records filing letter
    memo memorandum study survey results figures estimates assessment analysis website tweet
    release communique transcript papers indictment complaint lawsuit order decree post posts
    sign placard banner log logs minutes emails email invoices spreadsheet spreadsheets
    message messages draft summary database note notebook register resolution roster rota
    schedule script entry manual"""
)
RECORDING_WORDS = frozenset(
    {"audio", "video", "recording", "footage", "tape", "broadcast", "voicemail"}
)
