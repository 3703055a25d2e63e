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
import math
import unicodedata
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
LINE_PT = 15.0
"""Height of one wrapped line of 11 pt text (CJK glyphs included), in points."""


def text_width(text: str) -> int:
    """Width in spreadsheet column units: a CJK / full-width character is two, anything else one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` units wide."""
    room = max(int(width) - 1, 1)  # the cell's padding
    return sum(max(1, math.ceil(text_width(line) / room)) for line in text.split("\n"))


def fit_row_height(ws: Worksheet, row: int, *, bold_scale: float = 1.0, cells: Iterable[Any] | None = None) -> None:
    """Set the row's height so that every wrapped cell shows all its lines (Excel and LibreOffice
    do not grow rows of a written file by themselves); a cell merged across the row's columns
    counts with its merged width. ``cells``: the row's cells when the caller has them (``ws[row]``
    measures the whole sheet first)."""
    def width(col: int) -> float:
        return ws.column_dimensions[get_column_letter(col)].width or 8.43

    spans = {r.min_col: sum(width(c) for c in range(r.min_col, r.max_col + 1))
             for r in ws.merged_cells.ranges if r.min_row == r.max_row == row}
    lines = 1
    for cell in ws[row] if cells is None else cells:
        if cell.value is None:
            continue
        value = cell.value if isinstance(cell.value, str) else str(cell.value)
        lines = max(lines, wrapped_lines(value, spans.get(cell.column, width(cell.column)) / bold_scale))
    ws.row_dimensions[row].height = lines * LINE_PT + 3


def print_setup(ws: Worksheet, *, title_rows: str) -> None:
    """Printed as the office files it: A4 landscape, all columns on one page wide (as many pages
    down as needed), ``title_rows`` repeated on every page, centred, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def title_row(ws: Worksheet, text: str, columns: int) -> None:
    """Row 1: the sheet's title across all columns, bold 16 pt, centred."""
    ws.cell(1, 1, text_cell(ws, text).value)
    ws.cell(1, 1).data_type = "s"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(columns, 1))
    ws.cell(1, 1).font = Font(bold=True, name="宋体", size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30


def table_sheet(workbook: Workbook, title: str, columns: Iterable[str], widths: Iterable[float], *,
                heading: str | None = None) -> Worksheet:
    """The first sheet as a printable table in the house style of the office's ledgers: a title row
    (``heading``, default the sheet's title), a bold shaded header row that stays on screen and is
    repeated on every printed page, A4 landscape one page wide, a filter on the header."""
    ws = workbook.active
    ws.title = title
    columns = list(columns)
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    title_row(ws, heading or title, len(columns))
    append_text_row(ws, columns)
    for cell in ws[HEADER_ROW]:
        cell.font = Font(bold=True, name="宋体")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.border = _BORDER
    fit_row_height(ws, HEADER_ROW, bold_scale=1.1)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{HEADER_ROW}"
    return ws


HEADER_ROW = 2
"""A ``table_sheet``'s header row (row 1 is its title); data starts on the next row."""


def append_table_row(ws: Worksheet, values: Iterable[Any]) -> int:
    """One bordered, top-aligned, wrapping row of a ``table_sheet`` (the filter grows with it, the
    row is as high as its wrapped text); returns its row number for per-cell formats."""
    # ws.max_row, ws.max_column and ws[row] each scan every cell of the sheet: per row, that made
    # a ledger of a year's problems quadratic (bench/growth.py). The row and its cells are known.
    values = list(values)
    append_text_row(ws, values)
    row = ws._current_row  # the row `append` just wrote (openpyxl keeps no public name for it)
    cells = [ws.cell(row, col) for col in range(1, len(values) + 1)]
    for cell in cells:
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        cell.border = _BORDER
    fit_row_height(ws, row, cells=cells)
    last_col = "".join(c for c in ws.auto_filter.ref.split(":")[-1] if c.isalpha()) if ws.auto_filter.ref else None
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col or get_column_letter(len(values))}{row}"
    return row
