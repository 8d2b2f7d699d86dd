"""Errors whose message is shown to the user as it is, on one line, with exit code 2.

Problems that a check finds in the data (an uncorroborated claim, a broken audit
chain) are not errors: they are values the check returns. These exceptions are
for requests the ledger refuses: bad input, unknown names, an outdated schema.
"""


class LedgerError(Exception):
    """Base class: the message names the place of the fault and is shown as is."""

    exit_code = 2


class NotFound(LedgerError):
    """No article, source or claim with that name."""


class AlreadyExists(LedgerError):
    """A slug or key that must be new is already in the ledger."""


class BundleError(LedgerError):
    """A bundle file that cannot be read or does not fit the bundle format."""


class InvalidInput(LedgerError):
    """A value given on the command line or in a file that the ledger cannot accept.

    `field` names the value at fault in the library's own words (`quote`, `jobs`,
    `anonymity_reason`); the message reads `quote: …`. A client names it in its
    own: the CLI says `--quote: …` (`ledger.cli._common.guard`).
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field, self.detail = field, message
        super().__init__(f"{field}: {message}" if field else message)


class SchemaOutOfDate(LedgerError):
    """The database is not at the schema revision this version of the ledger expects."""


class UnknownSource(NotFound):
    """A chain names a source the ledger does not hold; `key` and `near` let a client say how to add it."""

    def __init__(self, key: str, near: str = "") -> None:
        self.key, self.near = key, near
        from ledger.wording import excerpt

        super().__init__(f"unknown source {excerpt(key)}{near}: add it to the ledger first")
