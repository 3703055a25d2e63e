"""The one way fangtan writes .xlsx: every text cell is text, never a formula (issue 13 point 14).

openpyxl stores a string that starts with ``=`` as a formula, so a problem description such as
``=HYPERLINK("http://x","y")`` or ``=cmd|' /C calc'!A0`` would run when HR opens the ledger (CSV /
formula injection, OWASP). ``workbook_bytes`` walks every cell of every sheet before saving: each
``str`` value is typed as a string (``t="s"``) and, when it starts with a character a spreadsheet
reads as the start of a formula (``= + - @``, tab, CR, LF), carries Excel's quote prefix, so it
opens — and stays after editing — as exactly the text that was typed; the value is not changed.
fangtan writes no formulas of its own.

Every writer gets its workbook from ``new_workbook`` and its bytes from ``workbook_bytes``; a test
(tests/unit/server/platform/test_xlsx_cells_are_text.py) fails if a module imports openpyxl's
``Workbook`` or saves a workbook any other way.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def new_workbook() -> Workbook:
    return Workbook()


def as_text(workbook: Workbook) -> Workbook:
    """Type every string cell of ``workbook`` as text (in place); returns it."""
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if cell.value.startswith(FORMULA_STARTS):
                        cell.quotePrefix = True
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    """The .xlsx file, with every string cell written as text."""
    buf = io.BytesIO()
    as_text(workbook).save(buf)
    return buf.getvalue()


def text_cell(ws: Worksheet, value: Any) -> Cell:
    """A cell holding ``value`` as text with the text number format ``@`` (so Excel keeps 工号 00123
    and phone numbers as typed); numbers and dates stay what they are, ``None`` stays empty."""
    cell = Cell(ws)
    if value is None:
        return cell
    if isinstance(value, bool) or not isinstance(value, int | float | dt.date | dt.time):
        cell.value = str(value)
        cell.data_type = "s"
        cell.number_format = "@"
    else:
        cell.value = value
    return cell


def append_text_row(ws: Worksheet, values: Iterable[Any]) -> None:
    """``ws.append`` with every value through ``text_cell``."""
    ws.append([text_cell(ws, v) for v in values])
