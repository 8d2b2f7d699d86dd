"""Building domain values from a person's input, with errors that name the field at fault."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ledger.errors import InvalidInput
from ledger.wording import excerpt

M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], values: dict[str, Any], *, names: dict[str, str] | None = None) -> M:
    """`model(**values)`, or an InvalidInput naming the field (`label`) at fault.

    `names` maps fields to how the user typed them when that is not the field's
    own name (a positional argument `KEY`, an option named otherwise); the CLI
    writes a field name as its option (`--label`).
    """
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else ""
        option = (names or {}).get(field, field)
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "string_pattern_mismatch":
            message = (
                f"{excerpt(error['input'])} is not a valid key "
                "(lowercase letters, digits and hyphens, not starting with a hyphen)"
            )
        raise InvalidInput(message, field=option) from None
