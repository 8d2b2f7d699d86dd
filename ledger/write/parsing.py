"""Reading bundle files within bounds: a few kilobytes must never cost minutes or gigabytes.

A bundle is data, often written by someone else. So the file must be a regular
file of at most `MAX_BUNDLE_BYTES` (never a device or a pipe); YAML anchors and
aliases are refused before anything is expanded (a 7 KB "billion laughs" bundle
once imported a chain of a million hops); mappings may not repeat a key (YAML
and JSON would keep the last one silently); nesting stops at `MAX_DEPTH` levels
(a bundle needs six) and integers at `MAX_INT_DIGITS` digits, so neither ends
in a RecursionError or Python's own limit on integer conversion. Every refusal
is one line naming the file, the line and what was refused.
"""

from __future__ import annotations

import itertools
import json
import json.decoder
import json.scanner
import re
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from ledger.errors import BundleError
from ledger.text import files
from ledger.wording import excerpt

MAX_BUNDLE_BYTES = 64 * 1024 * 1024
"""The largest bundle file (and JSON Lines line) read: 64 MiB. A long article with a
thousand claims is well under a megabyte; a whole ledger travels as JSON Lines."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists (a bundle needs six: the bundle, its claims, a
claim, its chains, a chain, a hop)."""
MAX_INT_DIGITS = 64
"""Longest integer (the only one a bundle needs is `version: 1`)."""


def open_regular(path: Path, *, what: str, limit: int | None = MAX_BUNDLE_BYTES) -> BinaryIO:
    """`ledger.text.files.open_regular`, refusing with a BundleError."""
    return files.open_regular(path, what=what, limit=limit, error=BundleError)


def read_file(path: Path, *, what: str, limit: int = MAX_BUNDLE_BYTES) -> str:
    """`ledger.text.files.read_file`: a regular file of at most `limit` bytes, as UTF-8 text."""
    larger = " (a larger ledger travels as JSON Lines: `ledger export --format jsonl`)"
    return files.read_file(path, what=what, limit=limit, error=BundleError, larger=larger)


# --- YAML --------------------------------------------------------------------------------------


class _Refused(Exception):
    """Raised inside the loader; `parse_yaml` puts the file and line in front."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.line = mark.line + 1 if mark is not None else None
        self.message = message


_ANCHORS = "YAML anchors and aliases (&name, *name) are not allowed in bundles"
_OPENS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSES = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Depth:
    """Nesting of mappings and lists, counted event by event."""

    def __init__(self) -> None:
        self.depth = 0

    def check(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(event.start_mark, _ANCHORS)
        if isinstance(event, _OPENS):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Refused(event.start_mark, f"nested deeper than {MAX_DEPTH} levels")
        elif isinstance(event, _CLOSES):
            self.depth -= 1


class _Bounds:
    """What the constructor checks, in either loader: repeated keys and long integers."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            key = self.construct_object(key_node, deep=deep)  # type: ignore[attr-defined]
            try:
                repeated = key in seen
                seen.add(key)
            except TypeError:  # unhashable: PyYAML refuses it below
                continue
            if repeated:
                raise _Refused(
                    key_node.start_mark,
                    f"duplicate key {excerpt(str(key))} (a mapping names each key once)",
                )
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        value = str(node.value)
        if len(value) > MAX_INT_DIGITS:
            raise _Refused(
                node.start_mark,
                f"a number of {len(value):,} characters; at most {MAX_INT_DIGITS} are allowed",
            )
        return super().construct_yaml_int(node)  # type: ignore[misc]


class BoundedLoader(_Bounds, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader with this module's bounds, checked as the document
    is composed: an alias is refused where it stands, so nothing it names is expanded."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = _Depth()

    def get_event(self) -> yaml.Event:
        event = super().get_event()
        self._depth.check(event)
        return event


BoundedLoader.add_constructor("tag:yaml.org,2002:int", BoundedLoader.construct_yaml_int)

FastLoader: type | None = None
"""The same over libyaml (four times as fast), when PyYAML was built with it. libyaml composes
in C, recursively and aliases included, so `parse_yaml` first reads the events (flat, in C)
to refuse anchors, aliases and deep nesting before anything is composed."""
if getattr(yaml, "__with_libyaml__", False):

    class _CBoundedLoader(_Bounds, yaml.CSafeLoader):  # type: ignore[misc]
        pass

    _CBoundedLoader.add_constructor("tag:yaml.org,2002:int", _CBoundedLoader.construct_yaml_int)
    FastLoader = _CBoundedLoader


def _check_events(content: str) -> None:
    assert FastLoader is not None
    reader = FastLoader(content)
    depth = _Depth()
    try:
        while reader.check_event():
            depth.check(reader.get_event())
    finally:
        reader.dispose()


def parse_yaml(content: str, *, origin: str) -> list[Any]:
    """The documents of a YAML text (empty ones left out), within this module's bounds."""
    loader = None
    try:
        if FastLoader is not None:
            _check_events(content)
            loader = FastLoader(content)
        else:
            loader = BoundedLoader(content)
        documents = []
        while loader.check_data():
            document = loader.get_data()
            if document is not None:
                documents.append(document)
        return documents
    except _Refused as exc:
        where = f"{origin}:{exc.line}" if exc.line is not None else origin
        raise BundleError(f"{where}: {exc.message}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{origin}:{mark.line + 1}:{mark.column + 1}" if mark else origin
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BundleError(f"{where}: malformed YAML: {problem}") from None
    finally:
        if loader is not None:
            loader.dispose()


# --- JSON --------------------------------------------------------------------------------------

_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_JSON_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


class _JsonRefused(Exception):
    def __init__(self, message: str, needle: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.needle = needle  # text to look for, to name the line
        self.position: int | None = None


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _JsonRefused(
                f"duplicate key {excerpt(key)} (an object names each key once)",
                json.dumps(key, ensure_ascii=False),
            )
        result[key] = value
    return result


def _bounded_int(digits: str) -> int:
    if len(digits) > MAX_INT_DIGITS:
        raise _JsonRefused(
            f"a number of {len(digits):,} characters; at most {MAX_INT_DIGITS} are allowed", digits
        )
    return int(digits)


def _too_deep(content: str) -> int | None:
    """Where the nesting first goes past `MAX_DEPTH` (strings skipped), or None."""
    if content.count("[") + content.count("{") <= MAX_DEPTH:
        return None
    if _deepest(content) <= MAX_DEPTH:  # the usual answer, found in C but for one step a bracket
        return None
    depth = 0
    for match in _JSON_TOKENS.finditer(content):
        char = content[match.start()]
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif char in "]}":
            depth -= 1
    return None


def _deepest(content: str) -> int:
    """The deepest nesting of `content`, strings skipped as `_too_deep` skips them."""
    brackets = _NOT_BRACKETS.sub("", _JSON_STRINGS.sub("", content))
    return max(itertools.accumulate(1 if char in "[{" else -1 for char in brackets), default=0)


def _object_with_fault(content: str) -> int | None:
    """Where the object holding a refused key or number opens: found again with the
    pure-Python scanner, which tells each object's position (only on the way to an error)."""
    decoder = json.JSONDecoder(object_pairs_hook=_unique_pairs, parse_int=_bounded_int)

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> Any:
        try:
            return json.decoder.JSONObject(s_and_end, *args)
        except _JsonRefused as exc:
            if exc.position is None:
                exc.position = s_and_end[1] - 1
            raise

    decoder.parse_object = parse_object  # type: ignore[assignment]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        decoder.decode(content)
    except _JsonRefused as exc:
        return exc.position
    except ValueError:
        return None
    return None


def _line_col(content: str, position: int) -> tuple[int, int]:
    line = content.count("\n", 0, position) + 1
    return line, position - (content.rfind("\n", 0, position) + 1) + 1


def parse_json(content: str, *, origin: str, one_line: bool = False) -> Any:
    """A JSON text within this module's bounds; `one_line` (JSON Lines) places faults by
    column, as `origin` already names the line."""

    def place(position: int) -> str:
        line, column = _line_col(content, position)
        return f"{origin}:{column}" if one_line else f"{origin}:{line}:{column}"

    deep = _too_deep(content)
    if deep is not None:
        raise BundleError(f"{place(deep)}: nested deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(content, object_pairs_hook=_unique_pairs, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise BundleError(f"{place(exc.pos)}: malformed JSON: {exc.msg}") from None
    except _JsonRefused as exc:
        position = _fault_position(content, exc)
        where = place(position) if position is not None else origin
        raise BundleError(f"{where}: {exc.message}") from None


def _fault_position(content: str, refused: _JsonRefused) -> int | None:
    """Where a refused number stands, or the repeated key (the second time its object names
    it; else where that object opens)."""
    if refused.needle is None:
        return None
    if not refused.needle.startswith('"'):  # a number: its digits
        found = content.find(refused.needle)
        return None if found == -1 else found
    start = _object_with_fault(content)
    if start is None:
        return None
    keys = re.finditer(re.escape(refused.needle) + r"\s*:", content[start:])
    seconds = [match.start() for _, match in zip(range(2), keys, strict=False)]
    return start + seconds[1] if len(seconds) == 2 else start
