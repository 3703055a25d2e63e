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
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
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


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def table_sheet(workbook: Workbook, title: str, columns: Iterable[str], widths: Iterable[float]) -> Worksheet:
    """The first sheet as a printable table in the house style of the office's ledgers: a bold
    shaded header row that stays on screen and on every printed page, A4 landscape, a filter."""
    ws = workbook.active
    ws.title = title
    append_text_row(ws, columns)
    for cell in ws[1]:
        cell.font = Font(bold=True, name="宋体")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.border = _BORDER
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}1"
    return ws


def append_table_row(ws: Worksheet, values: Iterable[Any]) -> int:
    """One bordered, top-aligned, wrapping row of a ``table_sheet`` (the filter grows with it);
    returns its row number for per-cell formats."""
    append_text_row(ws, values)
    row = ws.max_row
    for cell in ws[row]:
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        cell.border = _BORDER
    ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{row}"
    return row
