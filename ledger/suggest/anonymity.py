"""The words of anonymity: why a source was not named, and the names that are not theirs.

Kept apart from `lexicon` (the other words the suggester knows) because the ways a
newsroom says why it withheld a name are many: "spoke on condition of anonymity
because ...", "asked not to be identified, citing ...", "would speak only without
his name because, he said, ...", "Speaking on background because ...", "gave only
her first name, Milena, for fear of reprisals", "was not named by the newspaper,
which said he feared disciplinary action". Every pattern is about English news
prose in general; none is tuned to one article.
"""

# ruff: noqa: RUF001  (typographic apostrophes are the subject here)

from __future__ import annotations

import re
from functools import lru_cache

_NOT = r"(?:did\s+not|didn[’']t|does\s+not|doesn[’']t|do\s+not|don[’']t)"
_SPEAK = r"(?:speak|speaks|speaking|spoke|spoken|talk|talks|talking|talked)"
_THEIR = r"(?:his|her|their)"
# "speaking to the BBC on background", "spoke to reporters only anonymously"
_TO_WHOM = r"to\s+(?:the\s+|a\s+)?(?:[\w’'.-]+\s+){0,2}?[\w’'.-]+"

# How the statement opens: each alternative names the withholding itself.
_GROUNDS = (
    r"(?:insisted\s+on|insisting\s+on|requested|requesting|asked\s+for|asking\s+for|demanded|"
    r"was\s+granted|were\s+granted|granted|given|offered)\s+anonymity",
    rf"(?:{_SPEAK}\s+(?:{_TO_WHOM}\s+)?|who\s+spoke\s+)?(?:only\s+)?(?:on|under)\s+(?:the\s+)?"
    r"condition\s+(?:of|that)\s+(?:[\w’']+\s+){0,4}?(?:anonymity|not\s+be\s+(?:named|identified|"
    r"used|published|quoted|printed|disclosed))",
    # "on the condition that I use neither her name nor her job title"
    rf"(?:{_SPEAK}\s+(?:{_TO_WHOM}\s+)?)?(?:only\s+)?(?:on|under)\s+(?:the\s+)?condition\s+that\s+"
    r"(?:[\w’']+\s+){0,6}?(?:neither|not|no)\s+"
    rf"(?:{_THEIR}\s+)?(?:full\s+)?names?\b",
    r"(?:asked|asking|requested|requesting|declined|declining|refused|refusing|"
    rf"{_NOT}\s+want|wished|preferred)\s+(?:not\s+)?to\s+be\s+(?:identified|named)",
    r"(?:(?:was|were|is|are)(?:\s+not|n[’']t)|\bnot)\s+(?:authori[sz]ed|permitted|allowed|cleared)\s+"
    r"to\s+(?:speak|talk|discuss|comment|brief)",
    rf"{_SPEAK}\s+(?:{_TO_WHOM}\s+)?(?:only\s+)?(?:anonymously|on\s+(?:deep\s+)?background)",
    rf"{_SPEAK}\s+(?:{_TO_WHOM}\s+)?(?:only\s+)?without\s+(?:attribution|being\s+(?:named|"
    rf"identified)|{_THEIR}\s+(?:full\s+)?names?)",
    # "declined to give his name because ...", "would not give her surname"
    r"(?:declined|declining|refused|refusing|(?:would|could|did)\s+not|wouldn[’']t|didn[’']t)\s+"
    rf"(?:want\s+)?(?:to\s+)?(?:give|provide|share|reveal|disclose|use)\s+{_THEIR}\s+"
    r"(?:full\s+|last\s+|family\s+|real\s+)?(?:names?|surnames?)",
    r"(?:would|will|could)\s+not\s+be\s+(?:identified|named)",
    # "The newspaper did not name him, saying ...", "It did not identify its sources, citing ..."
    rf"{_NOT}\s+(?:name|identify)\s+(?:him|her|them|(?:its|their|the)\s+(?:[\w’'-]+\s+)?"
    r"(?:sources?|officials?|informants?|witness(?:es)?|people|person))"
    r"(?=\s*,\s*(?:saying|citing|because)|\s+(?:because|for\s+fear|to\s+protect))",
    rf"{_NOT}\s+want\s+{_THEIR}\s+(?:full\s+)?names?\s+(?:used|published|printed|given|"
    r"disclosed|revealed|made\s+public)",
    rf"(?:whose|{_THEIR})\s+names?\s+(?:is|was|were|are|has\s+been|have\s+been|is\s+being|"
    r"was\s+being)\s+withheld",
    r"(?:cannot|can\s+not|can[’']t|could\s+not|couldn[’']t)\s+be\s+(?:named|identified)",
    rf"(?:gave|give|gives|giving|provided|offered)\s+only\s+(?:{_THEIR}|a)\s+"
    r"(?:first\s+|given\s+|last\s+|family\s+)?names?",
    # a name given or printed in part: "gave her name only as Kerry because ...", "asked that I
    # identify her only as Mette" ("gave her name only as Jean" with no reason after it states
    # none)
    rf"(?:gave|give|gives|giving|provided|offered)\s+{_THEIR}\s+(?:first\s+)?names?\s+only\s+as\s+"
    r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?"
    r"(?=,?\s+(?:because|for\s+fear|citing|since|as\s+(?:he|she|they)|to\s+protect|saying)\b)",
    r"(?:identify|name|call|describe)\s+(?:him|her|them)\s+only\s+(?:as|by)\s+"
    r"(?:[A-Z][\w’'-]*|(?:his|her|their)\s+[\w-]+)",
    r"(?:was|were)\s+not\s+(?:named|identified)(?:\s+by\s+[\w’' -]{1,40}?)?"
    r"(?=\s*,\s*which\s+said|\s+because|\s+for\s+fear|\s+to\s+protect|\s+at\s+(?:his|her|their)\s+)",
    # "spoke on condition that he was not named", "agreed to speak only if they were not
    # named", "did so on the understanding that they would not be identified"
    rf"(?:(?:agreed\s+to\s+)?{_SPEAK}\s+(?:{_TO_WHOM}\s+)?|did\s+so\s+)?(?:only\s+)?"
    r"(?:on\s+(?:the\s+)?(?:condition|understanding|basis)\s+(?:that\s+)?|if\s+|provided\s+"
    r"(?:that\s+)?|as\s+long\s+as\s+)(?:[\w’']+\s+){0,3}?(?:(?:was|were|would|could|should|"
    r"will|be)\s+){0,2}(?:not|never)\s+(?:be\s+)?(?:named|identified)",
    r"(?:because\s+of|given|due\s+to)\s+the\s+sensitivity\s+of",
    r"for\s+fear\s+of\s+(?:reprisals?|retribution|retaliation)",
    r"(?:requested|requesting|asked|asking)(?:\s+for)?\s+(?:that\s+)?(?:his|her|their)\s+names?",
    # "asked us not to use their name", "asked the paper not to publish her surname"
    r"(?:asked|asking|requested|requesting)\s+(?:(?:us|me|him|her|them|reporters|(?:the|this)\s+"
    r"[\w’'-]+)\s+)?not\s+to\s+(?:use|publish|print|give|reveal|disclose)\s+(?:his|her|their)\s+"
    r"(?:full\s+|real\s+)?(?:names?|surnames?)",
    # "asked that we not use their names", "requested that the paper not identify him"
    r"(?:asked|asking|requested|requesting)\s+that\s+(?:we|I|reporters|(?:the|this)\s+[\w’'-]+)\s+"
    r"not\s+(?:use|publish|print|give|reveal|disclose|identify|name)\s+(?:him|her|them|(?:his|"
    r"her|their)\s+(?:full\s+|real\s+|last\s+)?(?:names?|surnames?))",
    # "asked that neither her name nor her brother's be published", "on condition that
    # neither he nor his ship be named"
    rf"(?:(?:asked|asking|requested|requesting)\s+that|(?:{_SPEAK}\s+(?:{_TO_WHOM}\s+)?)?(?:only\s+)?"
    r"(?:on|under)\s+(?:the\s+)?condition\s+that)"
    r"\s+neither\s+(?:[\w’']+\s+){0,2}?(?:he|she|they|his|her|their)\s+(?:[\w’']+\s+){0,4}?"
    r"(?:be|is|are|was|were)\s+(?:named|identified|published|"
    r"used|printed|disclosed)",
    # after a negated subject only (`_NEGATED_RE`): "None of them agreed to be named", "None of
    # the aid workers could be named"
    r"(?P<negated>(?:agreed|consented|wanted|wished|was\s+willing|were\s+willing)\s+to\s+be|"
    r"(?:could|would|can|may)\s+be)\s+(?:named|identified)",
)
# How it goes on: to the end of its clause, through the asides a reason may carry
# ("because, he said, ...", ", citing client confidentiality", ", saying that ...",
# "her first name, Milena, for fear of ...", "by the newspaper, which said he feared ...").
_GOES_ON = (
    r"(?:[^.;:,]"
    r"|,\s*(?:he|she|they)\s+(?:said|says|added|explained),"
    # ", saying the matter was still with the police", ", fearing discipline", ", worried that
    # ...", ", out of loyalty to ...": the motive after the condition is the reason itself
    r"|,\s*(?=citing\b|saying\b|fearing\b|(?:worried|afraid|concerned)\b|out\s+of\b|"
    r"explaining\s+that\b|explaining\s+(?:he|she|they)\s+"
    r"(?:still\s+|now\s+)?(?:feared|fears|was|were|could|would|might|had|has|have|did|does|do|"
    r"wanted|wants|works?|worked)\b|because\b|for\s+fear\b|which\s+said\b|"
    r"(?:as|since)\s+(?:he|she|they|the|his|her|their|its)\s+)"
    r"|,\s*[A-Z][\w’'-]*,(?=\s*(?:for|because|citing|to)\b)"
    # "because the hospital's owner, Lakeview Health Partners, has told staff ...": a name
    # set beside a noun of the reason, which goes on with its verb
    r"|,\s*(?:[A-Z][\w’'.&-]*\s+){0,4}[A-Z][\w’'.&-]*,(?=\s*(?:has|had|have|is|was|were|are|"
    r"would|will|could|did|does|told|said|warned|threatened)\b)"
    # "because they had signed agreements, or feared retaliation": one reason or the other
    r"|,\s*(?=or\s+(?:feared|fear|fears|because|were|was|had|worried|did)\b)"
    r")*"
)
# Stated grounds for anonymity, as they are written.
ANONYMITY_RE = re.compile(rf"(?P<grounds>{'|'.join(_GROUNDS)}){_GOES_ON}", re.IGNORECASE)

# Every statement above has one of these words: sentences without any are not searched.
_HINT_RE = re.compile(
    r"anonym|condition|identif|named?\b|names\b|authori[sz]|permitted|allowed|cleared|"
    r"background|sensitiv|fear|withheld",
    re.IGNORECASE,
)


# The subject that turns "agreed to be named" into a refusal: "None of them", "Neither man".
_NEGATED_RE = re.compile(
    r"(?:^|[,;:]\s*|\.\s+)(?:none|neither|nobody|no\s+one)\b[^,;:.]{0,60}$", re.IGNORECASE
)


@lru_cache(maxsize=512)
def stated_reasons(text: str) -> tuple[re.Match[str], ...]:
    """Every stated ground for anonymity in `text` (a sentence), searched once per sentence."""
    if not _HINT_RE.search(text):
        return ()
    return tuple(
        match
        for match in ANONYMITY_RE.finditer(text)
        if match.group("negated") is None or _NEGATED_RE.search(text[: match.start()])
    )


_ASIDE_RE = re.compile(r",\s*(?:he|she|they)\s+(?:said|says|added|explained),")


def mask_asides(text: str) -> str:
    """The text with the asides inside stated reasons blanked ("because, he said, the
    supervisors ..."), offsets kept: the aside is no claim and splits no speaker's phrase."""
    for match in stated_reasons(text):
        for aside in _ASIDE_RE.finditer(text, match.start(), match.end()):
            text = text[: aside.start()] + " " * len(aside.group(0)) + text[aside.end() :]
    return text


# A reason put before the sentence's subject: "Citing legal action pending, the manager
# requested anonymity"; "Because she still works there, she spoke on condition ...".
FRONTED_REASON_RE = re.compile(
    r"^\s*((?:Citing|Because|Since|As|Given|Fearing|Afraid|Worried|Concerned)\b[^,;:.]*),\s*"
)

PSEUDONYM_RE = re.compile(
    r"(?:(?:also\s+)?known\s+(?:only\s+)?as|calling\s+(?:himself|herself|themselves)|"
    r"(?:who\s+)?(?:goes|go|went)\s+by(?:\s+the\s+(?:name|alias|nom\s+de\s+guerre))?|"
    r"(?:using|under)\s+the\s+(?:pseudonym|nom\s+de\s+guerre|alias|name)|"
    r"(?:whose\s+)?nom\s+de\s+guerre\s+(?:is\s+)?|alias)\s+"
    r"[“\"‘']?((?:[A-Z][\w’'-]*\.?\s?){1,4})",
)
PSEUDONYM_NOTE_RE = re.compile(
    r"not\s+(?:his|her|their)\s+real\s+name"
    r"|(?:his|her|their|whose)\s+(?:real\s+)?names?\s+(?:has|have)\s+been\s+changed"
    r"|a\s+pseudonym|nom\s+de\s+guerre"
    r"|as\s+(?:he|she|they)\s+(?:asked|wished|wanted|wants|preferred|prefers)\s+to\s+be\s+"
    r"(?:called|known|identified)",
    re.IGNORECASE,
)
