"""The console every command prints through: Rich at a terminal, whole lines in a pipe.

At a terminal a table is fitted to the window, as Rich does. Piped into a file
or another program there is no window: Rich would still cut every table at 80
columns and draw boxes around it, so `ledger claims | grep …` would find half
a claim. Piped, a table is printed at its natural width instead, without box
drawing, each cell whole, and with no trailing spaces; machine output proper is
`--json`, `--csv` or `--tsv`.

Whatever the ledger prints came, most of it, from a journalist or a file: it is
shown as plain text. The console reads no Rich markup (`[/]` in a label is two
brackets and a slash, not a closing tag that crashes the command; `[link=…]` is
not a link) and no emoji codes, and a control character reaches the terminal
written out (`\x1b`, `\r`), never as itself: a stored value cannot clear the
screen, retitle the window or hide a word. Styles are given as `Text` spans,
never as markup in a string.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from itertools import accumulate
from typing import Any

from rich.box import Box
from rich.console import Console, Group
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from ledger import wording
from ledger.wording import CONTROL

__all__ = [
    "LedgerConsole",
    "PlainConsole",
    "make_console",
    "plain",
    "plain_offsets",
    "plain_text",
    "unboxed",
]

BLANK = Box("    \n    \n    \n    \n    \n    \n    \n    \n", ascii=True)
"""A box drawn in spaces: columns and rows keep their separation, nothing to grep through."""


def plain_text(value: object, style: str | None = None) -> Text:
    """A user's value as a Rich `Text`: control characters written out first, since
    `Text` itself would silently drop some of them (a carriage return, a bell)."""
    return Text(plain(str(value)), style=style or "")


TAB_SIZE = 8


def plain(text: str) -> str:
    """`ledger.wording.plain` for the terminal: control characters written out, and tabs
    expanded here, since Rich measures a cell before it expands its tabs and then crops
    what follows a tab (`ab<TAB>cd` in a table cell printed as `ab`)."""
    return wording.plain(text).expandtabs(TAB_SIZE)


def plain_offsets(text: str) -> Callable[[int], int]:
    """Where each position of `text` lands in `plain(text)`: spans found in the stored text
    (a quote's anchor) still mark the same words once control characters are written out."""
    found = list(CONTROL.finditer(text))
    if not found:
        return lambda offset: offset
    positions = [match.start() for match in found]
    grown = list(accumulate(len(wording.plain(match.group())) - 1 for match in found))

    def shifted(offset: int) -> int:
        before = bisect_left(positions, offset)  # control characters strictly before `offset`
        return offset + (grown[before - 1] if before else 0)

    return shifted


class PlainConsole(Console):
    """A console for which every string is plain text (see the module's docstring)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("highlight", False)
        super().__init__(markup=False, emoji=False, **kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:  # type: ignore[override]
        """Strings (a table cell, a printed line) never as markup or emoji codes."""
        kwargs["markup"] = False
        kwargs["emoji"] = False
        return super().render_str(plain(text), **kwargs)

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        """The last safety net: a control character that reached a text segment is written
        out. Rich's own control segments (cursor moves, which it emits only at a terminal)
        are left alone."""
        return super()._render_buffer(
            segment if segment.control else Segment(wording.plain(segment.text), segment.style)
            for segment in buffer
        )


class LedgerConsole(PlainConsole):
    """A plain-text console that prints tables whole when its output is not a terminal."""

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
        probe = PlainConsole(width=1_000_000, color_system=None)
        width = max(Measurement.get(probe, probe.options, table).maximum, 1)
        sizer = PlainConsole(width=width, color_system=None, file=_Sink())
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
    return LedgerConsole(stderr=stderr)
