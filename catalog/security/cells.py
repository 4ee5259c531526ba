"""Spreadsheet cells that cannot run: text a spreadsheet would read as a formula is quoted."""

from __future__ import annotations

import re
import typing as t

#: First characters that make Excel, LibreOffice or Sheets read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def neutralise(value: t.Any) -> t.Any:
    """*value*, with a leading apostrophe when it is text a spreadsheet would run as a formula.

    Plain numbers (``-3``, ``+7.5``) are left as they are; anything else is shown as typed.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The text :func:`neutralise` quoted, as it was (so an exported sheet imports unchanged)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value[1:]):
        return value[1:]
    return value


def neutralised_row(row: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """Every cell of *row* neutralised."""
    return {key: neutralise(value) for key, value in row.items()}
