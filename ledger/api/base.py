"""What every part of the library's front door shares: the open ledger, its actor and policy.

The methods live in topic modules beside this one (`reading`, `entering`,
`sourcing`, `standards`, `protecting`), each a small class over this base;
`ledger.api.Ledger` puts them together. Every method opens its own transaction,
so a caller never holds a session: a write commits whole or not at all.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self

from ledger.policy import Policy, default_threshold, find_policy

if TYPE_CHECKING:
    from ledger.storage.database import Database


class LedgerBase:
    """One open ledger (a SQLite file or a SQLAlchemy URL), with who acts and under which policy."""

    def __init__(
        self,
        database: Database,
        *,
        actor: str | None = None,
        threshold: int | None = None,
        policy: Policy | str | Path | None = None,
    ) -> None:
        self.database = database
        self.actor = actor
        self.policy = policy if isinstance(policy, Policy) else find_policy(policy)
        self.threshold = threshold if threshold is not None else default_threshold(self.policy)
        self.upgraded: tuple[str | None, str] | None = None
        """With `open(create=True)`: the schema revision before (None: a new ledger) and after."""

    @classmethod
    def open(
        cls,
        db: str | Path | None = None,
        *,
        create: bool = False,
        actor: str | None = None,
        threshold: int | None = None,
        policy: Policy | str | Path | None = None,
    ) -> Self:
        """Open the ledger `db` names (default `$LEDGER_DB`, else ledger.db here).

        With `create`, a missing database is created and an old one upgraded to the
        current schema, as `ledger init` does; otherwise it must already be current.
        `policy` is a newsroom policy file (default: `$LEDGER_POLICY`, else
        ledger.toml here if there is one): the threshold and each check's level.
        """
        from ledger.storage.database import Database

        name = str(db) if db is not None else None
        upgraded: tuple[str | None, str] | None = None
        if create:
            from ledger.storage.migrations import upgrade

            database = Database.open(name, must_exist=False)
            upgraded = upgrade(database)
        else:
            database = Database.open(name)
        book = cls(database, actor=actor, threshold=threshold, policy=policy)
        book.upgraded = upgraded
        return book

    @property
    def location(self) -> str:
        """Where the ledger is, fit to print (a file path, or a URL without its password)."""
        return self.database.display_url

    # --- lifetime ------------------------------------------------------------------------

    def close(self) -> None:
        self.database.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
