"""The console every command prints through: Rich at a terminal, whole lines in a pipe.

At a terminal a table is fitted to the window, as Rich does. Piped into a file
or another program there is no window: Rich would still cut every table at 80
columns and draw boxes around it, so `ledger claims | grep …` would find half
a claim. Piped, a table is printed at its natural width instead, without box
drawing, each cell whole, and with no trailing spaces; machine output proper is
`--json`, `--csv` or `--tsv`.
"""

from __future__ import annotations

from typing import Any

from rich.box import Box
from rich.console import Console, Group
from rich.measure import Measurement
from rich.table import Table

BLANK = Box("    \n    \n    \n    \n    \n    \n    \n    \n", ascii=True)
"""A box drawn in spaces: columns and rows keep their separation, nothing to grep through."""


class LedgerConsole(Console):
    """A Rich console that prints tables whole when its output is not a terminal."""

    def print(self, *objects: Any, **kwargs: Any) -> None:  # type: ignore[override]
        if self.is_terminal:
            super().print(*objects, **kwargs)
            return
        kwargs.setdefault("soft_wrap", True)  # a pipe has no width: lines stay whole
        if not any(_holds_table(item) for item in objects):
            super().print(*objects, **kwargs)
            return
        for item in objects:
            self._print_whole(item, **kwargs)

    def _print_whole(self, item: Any, **kwargs: Any) -> None:
        if isinstance(item, Group):
            for part in item.renderables:
                self._print_whole(part, **kwargs)
            return
        if not isinstance(item, Table):
            super().print(item, **kwargs)
            return
        table = unboxed(item)
        probe = Console(width=1_000_000, highlight=False, color_system=None)
        width = max(Measurement.get(probe, probe.options, table).maximum, 1)
        sizer = Console(width=width, highlight=False, color_system=None, file=_Sink())
        with sizer.capture() as captured:
            sizer.print(table)
        lines = [line.rstrip() for line in captured.get().split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        self.file.write("".join(line + "\n" for line in lines))
        self.file.flush()


class _Sink:
    """A file that discards what is written: the capturing console never writes to it."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def _holds_table(item: Any) -> bool:
    if isinstance(item, Table):
        return True
    return isinstance(item, Group) and any(_holds_table(part) for part in item.renderables)


def unboxed(table: Table) -> Table:
    """The table laid out for a pipe: no box, no column limits, no wrapping, title on the left."""
    table.box = BLANK  # rows of several lines (show_lines) stay apart by a blank line
    table.show_edge = False
    table.expand = False
    table.title_justify = "left"
    table.pad_edge = False
    for column in table.columns:
        column.max_width = None
        column.min_width = None
        column.width = None
        column.ratio = None
        column.no_wrap = True
        column.overflow = "ignore"
    return table


def make_console(*, stderr: bool = False) -> LedgerConsole:
    """The console for stdout (or stderr); NO_COLOR and COLUMNS are honoured by Rich."""
    return LedgerConsole(stderr=stderr, highlight=False)
