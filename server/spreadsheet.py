"""Writing spreadsheet cells that stay text.

openpyxl stores a string that starts with ``=`` as a formula; a name, a unit or a password typed as
``=HYPERLINK(…)`` (or ``+``, ``-``, ``@``, which Excel and WPS may turn into one when the cell is
edited or the sheet re-saved as CSV) would run as one on HR's machine. Every value written from data
goes through ``text_cell``: data type string, number format ``@`` (text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@")


def text_cell(ws: Worksheet, value: Any) -> Cell:
    """A cell holding ``value`` as text (numbers and dates stay what they are; ``None`` stays empty)."""
    cell = Cell(ws)
    if value is None:
        return cell
    if isinstance(value, bool) or not isinstance(value, int | float | dt.date | dt.time):
        cell.value = str(value)
        cell.data_type = "s"  # never "f": a leading = is a character, not a formula
        cell.number_format = "@"
    else:
        cell.value = value
    return cell


def append_text_row(ws: Worksheet, values: Iterable[Any]) -> None:
    """``ws.append`` with every value through ``text_cell``."""
    ws.append([text_cell(ws, v) for v in values])
