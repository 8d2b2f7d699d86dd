"""A newsroom's sourcing policy, read from `ledger.toml`: the threshold, and what each check is.

The file is found as `--policy FILE` names it, else `$LEDGER_POLICY`, else
`ledger.toml` in the working directory; with none, every check is an error and
the threshold is the ledger's default. Each check is `error` (it fails `ledger
check`), `warning` (listed, never failing) or `off`, and may cite the line of
the newsroom's written standard it enforces, so that a finding can say which:

    name = "AP-style"
    threshold = 2

    [checks]
    LS101 = { level = "error", cites = "AP: the story says why anonymity was granted." }
    LS201 = "warning"
    LS203 = "off"

Read with the standard library's `tomllib`; every fault names the file and,
where it can, the line.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger.errors import InvalidInput
from ledger.text.files import read_file
from ledger.wording import did_you_mean, excerpt

LEVELS = ("error", "warning", "off")
POLICY_FILE = "ledger.toml"
MAX_POLICY_BYTES = 1024 * 1024
"""A policy names a threshold and a few dozen checks: a megabyte is far more than enough."""
POLICY_ENV = "LEDGER_POLICY"
TOP_LEVEL = {"name", "threshold", "checks"}


@dataclass(frozen=True)
class CheckPolicy:
    """What the policy makes of one check, and the line of the file that says so."""

    code: str
    level: str
    cites: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Policy:
    """A newsroom policy. The empty policy (no file) leaves every check an error."""

    path: Path | None = None
    name: str | None = None
    threshold: int | None = None
    checks: Mapping[str, CheckPolicy] = field(default_factory=dict)

    def level(self, code: str) -> str:
        rule = self.checks.get(code)
        return rule.level if rule else "error"

    def levels(self) -> dict[str, str]:
        return {code: rule.level for code, rule in self.checks.items()}

    def where(self, code: str) -> str | None:
        """`ledger.toml:12`: the place that sets this check, for messages."""
        rule = self.checks.get(code)
        if self.path is None or rule is None:
            return None
        return f"{self.path}:{rule.line}" if rule.line else str(self.path)


DEFAULT = Policy()


def find_policy(explicit: str | Path | None = None) -> Policy:
    """The policy in force: the file given, else `$LEDGER_POLICY`, else ./ledger.toml, else none."""
    if explicit is not None:
        return load_policy(Path(explicit))
    from_env = os.environ.get(POLICY_ENV)
    if from_env:
        return load_policy(Path(from_env))
    here = Path(POLICY_FILE)
    if here.is_file():
        return load_policy(here)
    return DEFAULT


def load_policy(path: Path) -> Policy:
    """Read and check one policy file."""
    if not path.exists():
        raise InvalidInput(f"{path}: no such policy file")
    content = read_file(path, what="a policy file", limit=MAX_POLICY_BYTES)
    try:
        data = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{path}: not a valid policy file: {exc}") from None
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        raise InvalidInput(f"{path}: not a valid policy file: nested too deeply") from None
    except ValueError:  # an integer past Python's limit on digits
        raise InvalidInput(f"{path}: not a valid policy file: a number too long") from None
    unknown = sorted(data.keys() - TOP_LEVEL)
    if unknown:
        raise InvalidInput(
            f"{path}: unknown setting {excerpt(unknown[0])}{did_you_mean(unknown[0], TOP_LEVEL)}; "
            f"a policy has {', '.join(sorted(TOP_LEVEL))}"
        )
    lines = _check_lines(content)
    return Policy(
        path=path,
        name=_optional_text(path, data, "name"),
        threshold=_threshold(path, data.get("threshold")),
        checks={
            code: _check(path, code, value, lines.get(code))
            for code, value in _table(path, data.get("checks", {})).items()
        },
    )


def default_threshold(policy: Policy) -> int:
    """`$LEDGER_THRESHOLD`, else the policy's threshold, else the rules' default (2)."""
    from ledger.rules import DEFAULT_THRESHOLD, THRESHOLD_ENV, threshold_from_env

    if os.environ.get(THRESHOLD_ENV, "").strip():
        return threshold_from_env()
    return policy.threshold if policy.threshold is not None else DEFAULT_THRESHOLD


def _check_lines(content: str) -> dict[str, int]:
    """The line on which each check code is set (`LS101 = …` or `[checks.LS101]`)."""
    found: dict[str, int] = {}
    pattern = re.compile(r'^\s*(?:\[\s*checks\s*\.\s*)?["\']?(LS\d+)["\']?\s*(?:=|\])')
    for number, line in enumerate(content.splitlines(), start=1):
        match = pattern.match(line)
        if match:
            found.setdefault(match.group(1).upper(), number)
    return found


def _table(path: Path, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{path}: [checks] must be a table of check codes")
    return value


def _optional_text(path: Path, data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidInput(f"{path}: {name} must be text")
    return value


def _threshold(path: Path, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(
            f"{path}: threshold must be a whole number of at least 1, not {excerpt(value)}"
        )
    return value


def _check(path: Path, code: str, value: Any, line: int | None) -> CheckPolicy:
    from ledger.checks import CHECKS_BY_CODE, RETIRED

    place = f"{path}:{line}" if line else str(path)
    wanted = code.upper()
    if wanted in RETIRED:
        raise InvalidInput(f"{place}: {wanted} was retired. {RETIRED[wanted].note}")
    if wanted not in CHECKS_BY_CODE:
        raise InvalidInput(
            f"{place}: no check {excerpt(code)}{did_you_mean(wanted, CHECKS_BY_CODE)}; "
            f"the codes are {', '.join(CHECKS_BY_CODE)}"
        )
    if isinstance(value, str):
        value = {"level": value}
    if not isinstance(value, dict):
        raise InvalidInput(f"{place}: {code} must be a level or {{ level = …, cites = … }}")
    unknown = sorted(value.keys() - {"level", "cites"})
    if unknown:
        raise InvalidInput(
            f"{place}: {code}: unknown setting {excerpt(unknown[0])}; use level and cites"
        )
    level = value.get("level", "error")
    if level not in LEVELS:
        raise InvalidInput(
            f"{place}: {code}: level {excerpt(level)}{did_you_mean(str(level), LEVELS)}; "
            f"use one of {', '.join(LEVELS)}"
        )
    cites = value.get("cites")
    if cites is not None and not isinstance(cites, str):
        raise InvalidInput(f"{place}: {code}: cites must be text")
    return CheckPolicy(wanted, level, cites, line)
