"""Assembling the suggestions into a draft bundle: claims, chains, sources, article.

Each quoted or reported statement becomes a claim whose attribution chains are
resolved to sources (the ledger's own where they match); `bundle` holds the
draft's shape and writes it as YAML with the reasons as comments.
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ledger.suggest import cues
from ledger.suggest import lexicon as lx
from ledger.suggest.anonymity import mask_asides
from ledger.suggest.bundle import ClaimDraft, Draft
from ledger.suggest.keys import slugify
from ledger.suggest.known import KnownSource, LedgerSources, give_keys
from ledger.suggest.motives import Untold, goes_on
from ledger.suggest.persons import is_date
from ledger.suggest.phrases import Mention, match_outlet
from ledger.suggest.quoted import quoting
from ledger.suggest.reasons import members_share, sentence_reasons, standalone_reasons
from ledger.suggest.referents import interviewed, named_role, possessor
from ledger.suggest.sources import SourceBook, SourceDraft
from ledger.suggest.subjects import opening_subject
from ledger.text.sentences import Sentence, quote_marks, split


def publisher_from(text: str, outlet: str | None) -> str | None:
    """The publishing outlet's key: given, or read from a dateline like "WASHINGTON (Reuters) -"."""
    for candidate in ([outlet] if outlet else []) + [_dateline(text)]:
        if candidate:
            match = match_outlet(candidate.strip(), 0)
            if match:
                return match[0]
    return slugify(outlet) if outlet else None


def _dateline(text: str) -> str | None:
    match = cues.DATELINE_RE.match(text.lstrip())
    return match.group(1) if match else None


def _claim_text(quote: str, deny: bool) -> str:
    text = quote.strip(' “”"')
    text = text[:1].upper() + text[1:]
    if text and text[-1] not in ".!?":
        text += "."
    return f"Denied: {text}" if deny else text


def _resolve_chain(
    book: SourceBook, chain: list[Mention], why: list[str]
) -> tuple[list[SourceDraft], bool]:
    """Sources of a chain (publisher dropped) and whether the origin was a back-reference."""
    resolved: list[SourceDraft] = []
    back = False
    for mention in chain:
        if resolved and _is_reporter(mention, resolved[-1]):
            why.append(f"“{mention.text}” is {resolved[-1].key} again, in their own words")
            continue
        source, via, how = book.resolve(mention)
        if how not in {"new source", "outlet", "reportedly"}:
            why.append(f"{mention.text} → {source.key if source else 'the publisher'} ({how})")
            back = True
        for item in (via, source):
            if item is not None and (not resolved or resolved[-1] is not item):
                resolved.append(item)
    return resolved, back


def _is_reporter(mention: Mention, reporter: SourceDraft) -> bool:
    """ "The director said she had warned the board that C": a subject pronoun inside what
    someone reports stands for the reporter, when number and gender allow, and adds no hop
    ("Kay said he had warned ..." of a woman is someone else)."""
    lower = mention.text.lower()
    if lower in {"he", "she"}:
        wanted = "f" if lower == "she" else "m"
        return (
            reporter.kind == "person"
            and not reporter.plural
            and reporter.gender != ("m" if wanted == "f" else "f")
        )
    if lower in {"they", "we"}:
        return reporter.plural or reporter.kind in {"organization", "outlet"}
    return lower == "i"


UNIDENTIFIED = "speaker not identified (check the sentence)"


def plausible_speaker(label: str) -> bool:
    """Could these words name who spoke? Not "Two years", "Russia of", "it came to Ben's".

    Only clear signs count against a phrase (a verb or a contraction of its own, a
    dangling preposition or possessive, a span of time), so that roles the
    lexicon does not list ("the mayor") still pass.
    """
    words = re.findall(r"[\w’'.!&-]+", label)
    if not words or is_date(label):
        return False  # "Jan. 9, which says ...": a date before "which" is no speaker
    lower = [w.lower().rstrip(".") for w in words]
    dangling = {"of", "to", "in", "on", "at", "for", "by", "with", "from", "and", "or", "the"}
    if lower[-1] in dangling or re.search(r"[’']s$", words[-1]):
        return False
    leading = {"of", "to", "in", "on", "at", "for", "by", "with", "from", "as", "after", "amid"}
    if lower[0] in leading and len(words) > 1:
        return False  # "As a response", "In the wake"
    if any(w.endswith(("n’t", "n't")) for w in lower) or set(lower) & (lx.VERBISH - {"will"}):
        return False
    objects = {"the", "a", "an", "their", "his", "her", "its", "our", "to", "that", "it"}
    if lower[0].endswith(("ed", "ing")) and len(lower) > 1 and lower[1] in objects:
        return False  # a verb and its object: "presented their case to the board"
    time_words = {"year", "years", "month", "months", "week", "weeks", "day", "days", "ago"}
    return not (lower[-1] in time_words and len(words) <= 3)


# "Russell Zimmerman per ABC News", "the mayor, according to local radio": a relay in the label.
_RELAYED_RE = re.compile(r"(.+?),?\s+(?:per|according\s+to|via)\s+(.+)")


def _relayed(chain: list[Mention]) -> list[Mention]:
    """The origin's label names who relayed it: the relay goes before it in the chain."""
    origin = chain[-1]
    match = _RELAYED_RE.fullmatch(origin.text)
    if match is None or origin.unspecified:
        return chain
    speaker, relay = match.group(1), match.group(2)
    at = origin.start + match.start(2)
    return [
        *chain[:-1],
        Mention(relay, at, at + len(relay)),
        Mention(speaker, origin.start, origin.start + len(speaker), list(origin.notes)),
    ]


def _name_after_phrase(mention: Mention) -> Mention | None:
    """The name that ends a fronted phrase with no comma: "With the acquisition Salling"."""
    match = re.search(r"\s((?:[A-Z][\w’'.&-]*\s)*[A-Z][\w’'.&-]*)$", mention.text)
    if match is None or not re.match(r"(?:With|After|In|On|At|For|From|Since)\s", mention.text):
        return None
    start = mention.start + match.start(1)
    return Mention(match.group(1), start, start + len(match.group(1)), list(mention.notes))


def _reporting_name(source: SourceDraft, cue: str) -> None:
    """ "Malaysiakini reported ...": a one-word name that reports is a news outlet, not a person.

    Later "it", "the news portal" or "the publication" then find it.
    """
    one_name = len(source.label.split()) == 1 and source.label[:1].isupper()
    if one_name and source.kind == "person" and re.match(r"report", cue.split(",")[0]):
        source.kind, source.anonymity = "outlet", "named"
        source.why = [f"kind outlet: a name that “{cue}”", *source.why[1:]]


def suggest(
    text: str,
    *,
    slug: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    text_file: str | None = None,
    article: dict[str, Any] | None = None,
    known_sources: Iterable[KnownSource] | Mapping[str, str] | None = None,
) -> Draft:
    """A draft bundle for `text`: the core of `ledger suggest`, with no database involved.

    `text_file` (a path relative to where the draft will be saved) is written
    instead of the text itself. `article` gives fields known already (from the
    ledger); `known_sources` are the ledger's keys and aliases with their labels
    (or a plain key -> label mapping), so that the draft reuses the ledger's key
    for a source it holds and takes no key of another.
    """
    publisher = publisher_from(text, outlet)
    book = SourceBook(text, publisher, LedgerSources(known_sources), outlet)
    claims: list[ClaimDraft] = []
    paragraph, quote_open = -1, False
    speaking: list[list[str]] | None = None  # chains of the last claim: a quotation may go on
    last: list[ClaimDraft] = []  # the claims of the last sentence that had any
    headings = _headings(text, title or (article or {}).get("title"))
    untold: Untold | None = None  # "All three asked not to be named.": the why may follow
    for number, sentence in enumerate(split(text), start=1):
        if any(lo <= sentence.start and sentence.end <= hi for lo, hi in headings):
            continue  # "Minister resigns, officials say": a headline sums the story up, it is no claim
        if sentence.paragraph != paragraph and not quote_open:
            speaking = None
        paragraph = sentence.paragraph
        book.position, book.met_before = sentence.start, len(book.sources)
        founds = cues.find(mask_asides(sentence.text))
        subject = opening_subject(sentence.text)
        speakers = [  # who speaks before their verb, not "he" or "they": the sentence's subject
            m.start
            for f in founds
            for chain in f.chains
            for m in chain
            if m.start < f.cue_start and m.text.lower() not in lx.PRONOUNS
        ]
        inside = subject is not None and any(  # "The crew never came below, he says"
            f.content[0] <= subject.start < f.content[1] for f in founds
        )
        if subject is not None and not inside and not any(at < subject.end + 80 for at in speakers):
            if owner := possessor(subject):
                book.register(owner)  # "Paul Okonjo's mother, Grace, drowned": he is met too
            book.register(subject)  # not a speaker here, but the next "he" or "they" may be them
        if not founds and (named := named_role(sentence.text)):
            book.register(named)
        for met in interviewed(sentence):
            book.register(met)  # "The paper quoted an engineer ...": "the engineer" later is him
        previous: list[list[str]] = []
        for found in founds:
            claim = _claim(book, sentence, found, previous, number)
            if claim is not None and found.scene:
                previous = speaking = claim.chains  # the quotation that follows is theirs
            elif claim is not None and found.confirms:
                _confirm(last, claim, number)
            elif claim is not None:
                claims.append(claim)
                previous = speaking = claim.chains
                quoting(book, sentence, claim)  # the quotation's own speaker: this claim only
        if not founds:
            if speaking and sentence.text.lstrip()[:1] in '“"' and sentence.text.strip(' “”"\n'):
                claims.append(_continued(sentence, speaking, number))
                quoting(book, sentence, claims[-1])
            else:
                speaking = None
        mine = [claim for claim in claims if claim.start >= sentence.start]
        last = mine or last
        quote_open = _still_open(quote_open, sentence.text)
        goes_on(untold, sentence)
        untold = standalone_reasons(book, sentence)
        sentence_reasons(book, sentence, [c for c in claims if c.start >= sentence.start])
    members_share(book)
    _key_claims(claims)
    sources = _final_sources(book, claims)
    return Draft(_article(text, slug, title, outlet, text_file, article), sources, claims)


def _confirm(confirmed: list[ClaimDraft], confirmation: ClaimDraft, number: int) -> None:
    """ "The figures were confirmed to VOA by X": X is one more chain of the claims before."""
    for claim in confirmed:
        for chain in confirmation.chains:
            if chain not in claim.chains:
                claim.chains.append(chain)
                claim.why.append(f"sentence {number}: confirmed by {chain[-1]}")


def _final_sources(book: SourceBook, claims: list[ClaimDraft]) -> list[SourceDraft]:
    """The sources the claims cite and the parties they speak for, with their final keys."""
    used = {key for claim in claims for chain in claim.chains for key in chain}
    cited = [s for s in book.sources if s.key in used]
    book.assign_parties(cited)
    sources = [s for s in book.sources if s.key in used or s in _parties(cited)]
    renamed = give_keys(sources, book.known, book.text)
    for claim in claims:
        claim.chains = [[renamed[key] for key in chain] for chain in claim.chains]
        claim.why = [
            re.sub(r"~\d+", lambda m: renamed.get(m.group(0), "a source left out"), line)
            for line in claim.why
        ]
    return sources


def _parties(sources: list[SourceDraft]) -> list[SourceDraft]:
    found: list[SourceDraft] = []
    for source in sources:
        party = source.speaks_for
        while party is not None and party not in found:
            found.append(party)
            party = party.speaks_for
    return found


def _headings(text: str, title: str | None) -> list[tuple[int, int]]:
    """Where the headline and subheadings are: the given title, and any short line with no
    closing full stop set apart by blank lines ("Ethiopian troops will leave Somalia"). A
    wrapped first sentence is no heading: its line is not set apart."""
    found = []
    for block in re.finditer(r"(?:^|\n[ \t]*\n)[ \t]*([^\n]+)(?=\n[ \t]*\n|\s*$)", text):
        line = block.group(1).rstrip()
        lo = block.start(1)
        first = not text[:lo].strip()
        given = first and title is not None and " ".join(line.split()) == " ".join(title.split())
        if line and (given or (len(line) <= 100 and line[-1] not in '.”"!?:')):
            found.append((lo, lo + len(line)))
    return found


def _still_open(was_open: bool, text: str) -> bool:
    """Is a quotation open at the end of `text`? News style leaves it open when the
    same speaker goes on in the next paragraph."""
    state = was_open
    for _, change in quote_marks(text, was_open):
        state = change > 0
    return state


def _continued(sentence: Sentence, chains: list[list[str]], number: int) -> ClaimDraft:
    """A quotation that goes on after an attributed one: "“...,” he said. “...”", or a
    paragraph that continues the quotation the paragraph before left open."""
    quote = " ".join(sentence.text.strip(' “”"').split()).rstrip(",")
    start = sentence.start + sentence.text.index(quote.split()[0])
    why = [f"sentence {number}: a quotation with no cue, after one by the same speaker"]
    chains = [list(chain) for chain in chains]
    return ClaimDraft(
        "", _claim_text(quote, False), quote, "said", chains, start, start + len(quote), why
    )


def _claim(
    book: SourceBook, sentence: Sentence, found: cues.Found, previous: list[list[str]], number: int
) -> ClaimDraft | None:
    assert found.content is not None
    lo, hi = found.content
    quote = " ".join(sentence.text[lo:hi].split())
    why = [f"sentence {number}: cue “{found.cue}”"]
    chains: list[list[str]] = []
    if found.elided:
        chains = [list(chain) for chain in previous]
        why.append("same speaker as the clause before")
    for chain in map(_relayed, found.chains):
        members = book.group(chain[-1]) if len(chain) == 1 else []
        if members:
            why.append(f"“{chain[-1].text}” refers back to {', '.join(s.label for s in members)}")
            chains.extend([s.key] for s in members if [s.key] not in chains)
            continue
        if not chain[-1].unspecified and not plausible_speaker(chain[-1].text):
            origin = chain[-1]
            name = _name_after_phrase(origin)
            if name is not None:  # "With the acquisition Salling said": the name is the speaker
                chain = [*chain[:-1], name]
            else:
                why.append(f"“{origin.text}” does not read as a speaker")
                chain = [
                    *chain[:-1],
                    Mention(UNIDENTIFIED, origin.start, origin.end, unspecified=True),
                ]
        sources, back = _resolve_chain(book, chain, why)
        if not sources:
            continue  # the publisher speaking in its own voice: not an attribution
        _reporting_name(sources[-1], found.cue)
        if back and len(chain) == 1 and len(sources) == 1 and sources[0].prefix:
            sources = [*sources[0].prefix, sources[0]]
            why.append(f"through {', '.join(s.key for s in sources[:-1])}, as before")
        sources[-1].learn(found.notes)
        sources[-1].learn_from_claim(sentence.text[lo:hi])
        book.used(sources[-1], sources[:-1])
        for source in sources[:-1]:
            book.used(source, [], hop=True)
        keys = [s.key for s in sources]
        if keys not in chains:
            chains.append(keys)
    if not chains:
        return None
    book.cited_together([book.by_key(chain[-1]) for chain in chains])
    for note in found.notes:
        why.append(f"about the speaker: “{note}”")
    verb = found.cue.split(",")[0].split()[-1].lower()
    deny = verb in lx.DENY_VERBS and verb not in quote.lower().split()
    start = sentence.start + lo
    return ClaimDraft(
        "", _claim_text(quote, deny), quote, found.cue, chains, start, start + hi - lo, why
    )


def _key_claims(claims: list[ClaimDraft]) -> None:
    taken: set[str] = set()
    for claim in claims:
        base = slugify(
            claim.text, 4, drop=lx.STOP_WORDS | {"that", "it", "is", "was", "are", "were"}
        )
        base = base or "claim"
        key, number = base, 2
        while key in taken:
            key, number = f"{base}-{number}", number + 1
        taken.add(key)
        claim.key = key


def _article(
    text: str,
    slug: str | None,
    title: str | None,
    outlet: str | None,
    text_file: str | None,
    known: dict[str, Any] | None,
) -> dict[str, Any]:
    article: dict[str, Any] = dict(known or {})
    first_line = text.strip().splitlines()[0].strip() if text.strip() else ""
    fallback = Path(text_file).stem.replace("-", " ").replace("_", " ") if text_file else "Untitled"
    if len(first_line) <= 120 and first_line and first_line[-1] not in '.!?”"':
        fallback = first_line
    article["title"] = title or article.get("title") or fallback
    article["slug"] = slug or article.get("slug") or slugify(article["title"], 8) or "article"
    if outlet and not article.get("outlet"):
        article["outlet"] = outlet
    if text_file:
        article["text_file"] = text_file
        article.pop("text", None)
    else:
        article["text"] = text
    order = ["slug", "title", "outlet", "url", "published", "byline", "text_file", "text"]
    return {name: article[name] for name in order if article.get(name) is not None}
