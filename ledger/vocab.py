"""The ledger's closed vocabularies, as string enumerations.

Kept apart from the pydantic models so that the command line can build its
choices from them without importing pydantic or SQLAlchemy at start-up.
"""

from enum import StrEnum


class SourceKind(StrEnum):
    """What a source is."""

    PERSON = "person"
    ORGANIZATION = "organization"
    OUTLET = "outlet"
    DOCUMENT = "document"
    RECORDING = "recording"
    UNKNOWN = "unknown"


class Anonymity(StrEnum):
    """How identifiable a source is to the reader."""

    NAMED = "named"
    PSEUDONYM = "pseudonym"
    ANONYMOUS = "anonymous"
    UNKNOWN = "unknown"


class Knowledge(StrEnum):
    """Whether a source is in a position to know what it says."""

    DIRECT = "direct"
    SECONDHAND = "secondhand"
    UNKNOWN = "unknown"


class GroundRules(StrEnum):
    """The terms on which the source spoke."""

    ON_RECORD = "on-record"
    BACKGROUND = "background"
    DEEP_BACKGROUND = "deep-background"
    OFF_RECORD = "off-record"


class ClaimKind(StrEnum):
    """Facts are held to the two-source rule; opinion is listed apart."""

    FACT = "fact"
    OPINION = "opinion"


class Relation(StrEnum):
    """How one claim bears on another."""

    CORROBORATES = "corroborates"
    CONTRADICTS = "contradicts"
    REFINES = "refines"


class Status(StrEnum):
    """A claim's corroboration status (DESIGN.md, rule 4)."""

    CORROBORATED = "corroborated"
    SINGLE_SOURCE = "single-source"
    UNATTRIBUTED = "unattributed"
