"""The one way fangtan writes .xlsx: every text cell is text, never a formula (issue 13 point 14).

openpyxl stores a string that starts with ``=`` as a formula, so a problem description such as
``=HYPERLINK("http://x","y")`` or ``=cmd|' /C calc'!A0`` would run when HR opens the ledger (CSV /
formula injection, OWASP). ``workbook_bytes`` walks every cell of every sheet before saving: each
``str`` value is typed as a string (``t="s"``) and, when it starts with a character a spreadsheet
reads as the start of a formula (``= + - @``, tab, CR, LF), carries Excel's quote prefix, so it
opens — and stays after editing — as exactly the text that was typed; the value is not changed.
fangtan writes no formulas of its own.

Every writer gets its workbook from ``new_workbook`` and its bytes from ``workbook_bytes`` (or
writes a long table through ``StreamedTable``); a test (tests/unit/server/platform/test_xlsx_cells_are_text.py)
fails if a module imports openpyxl's ``Workbook`` or saves a workbook any other way. Text goes in
through ``xml_text`` (server/platform/xmltext.py): a control character pasted from Word is not a
reason for an export to fail.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from copy import copy
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.fonts import DEFAULT_FONT
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.worksheet import Worksheet

from server.platform.xmltext import xml_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def new_workbook() -> Workbook:
    """A workbook (a table of thousands of rows: ``StreamedTable``)."""
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
    cell = _bare_cell(ws, value)
    if cell.data_type == "s":
        cell.number_format = "@"
    return cell


def _is_text(value: Any) -> bool:
    return value is not None and (isinstance(value, bool) or not isinstance(value, int | float | dt.date | dt.time))


def _bare_cell(ws: Worksheet, value: Any) -> Cell:
    """``text_cell`` without its number format, for a caller that styles the cell whole."""
    cell = Cell(ws)
    if _is_text(value):
        cell.value = xml_text(str(value))
        cell.data_type = "s"
    elif value is not None:
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
    return len(text) + len(_wide_characters().findall(text))


@functools.cache
def _wide_characters() -> re.Pattern[str]:
    """A character class of Unicode's wide and full-width characters (East Asian Width W or F; no
    assigned one lies below U+1100 or above plane 3; unassigned code points, which some builds'
    ``unicodedata`` call F, count as narrow). Built once: asking ``unicodedata`` per character was a
    fifth of a year's ledger."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x1100, 0x40000):
        c = chr(cp)
        if unicodedata.east_asian_width(c) in "WF" and unicodedata.category(c) != "Cn":
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` units wide."""
    room = max(int(width) - 1, 1)  # the cell's padding
    # A line of at most half the room fits whatever its characters: most cells of a ledger (numbers,
    # dates, names, units), measured per character they were a sixth of its time.
    return sum(1 if 2 * len(line) <= room else max(1, math.ceil(text_width(line) / room))
               for line in text.split("\n"))


def _height(ws: Worksheet, values: Iterable[tuple[int, Any]], *, bold_scale: float = 1.0,
            spans: Mapping[int, float] | None = None) -> float:
    """The height of a row holding ``values`` (column number, value) wrapped in their columns."""
    lines = 1
    for col, value in values:
        if value is None:
            continue
        width = (spans or {}).get(col) or ws.column_dimensions[get_column_letter(col)].width or 8.43
        lines = max(lines, wrapped_lines(value if isinstance(value, str) else str(value), width / bold_scale))
    return lines * LINE_PT + 3


def fit_row_height(ws: Worksheet, row: int, *, bold_scale: float = 1.0, cells: Iterable[Any] | None = None) -> None:
    """Set the row's height so that every wrapped cell shows all its lines (Excel and LibreOffice
    do not grow rows of a written file by themselves); a cell merged across the row's columns
    counts with its merged width. ``cells``: the row's cells when the caller has them (``ws[row]``
    measures the whole sheet first)."""
    def width(col: int) -> float:
        return ws.column_dimensions[get_column_letter(col)].width or 8.43

    spans = {r.min_col: sum(width(c) for c in range(r.min_col, r.max_col + 1))
             for r in ws.merged_cells.ranges if r.min_row == r.max_row == row}
    ws.row_dimensions[row].height = _height(
        ws, ((c.column, c.value) for c in (ws[row] if cells is None else cells)), bold_scale=bold_scale, spans=spans)


def print_setup(ws: Worksheet, *, title_rows: str) -> None:
    """Printed as the office files it: A4 landscape, all columns on one page wide (as many pages
    down as needed), ``title_rows`` repeated on every page, centred, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
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
    last = get_column_letter(max(len(columns), 1))
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW}"

    head = text_cell(ws, heading or title)
    head.font = Font(bold=True, name="宋体", size=16)
    head.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.append([head])
    ws.merge_cells(f"A1:{last}1")

    header = [text_cell(ws, c) for c in columns]
    for cell in header:
        cell.font = Font(bold=True, name="宋体")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.border = _BORDER
    ws.row_dimensions[HEADER_ROW].height = _height(ws, enumerate(columns, 1), bold_scale=1.1)
    ws.append(header)
    return ws


HEADER_ROW = 2
"""A ``table_sheet``'s header row (row 1 is its title); data starts on the next row."""


BODY_STYLE = "表格正文"
"""The named style of a table's body cells (bordered, top-aligned, wrapping); a variant per number
format and fill is named after them, e.g. ``表格正文 yyyy-mm-dd FFC7CE``."""


def body_style(workbook: Workbook, number_format: str = "General", fill: str | None = None) -> str:
    """The name of the body style with ``number_format`` and ``fill`` (an RGB hex), registered in
    ``workbook`` on first use.

    Why named styles: openpyxl files a cell's border, alignment or fill by hashing the style object
    into the workbook's style list at each assignment, which was 60 % of a year's ledger (bench/growth.py);
    a named style is looked up by name and copied whole."""
    name = " ".join(p for p in (BODY_STYLE, None if number_format == "General" else number_format, fill) if p)
    if name not in workbook.named_styles:
        style = NamedStyle(
            name=name, font=copy(DEFAULT_FONT), border=_BORDER, alignment=Alignment(vertical="top", wrap_text=True),
            number_format=number_format, fill=PatternFill("solid", fgColor=fill) if fill else PatternFill())
        workbook.add_named_style(style)
        _style_arrays(workbook)[name] = style.as_tuple()
    return name


def _style_arrays(workbook: Workbook) -> dict[str, Any]:
    """The registered body styles' style arrays by name: a cell takes a copy, which is what
    assigning ``cell.style = name`` does after looking the name up in a list (a tenth of a ledger)."""
    arrays = getattr(workbook, "_fangtan_body_styles", None)
    if arrays is None:
        arrays = workbook._fangtan_body_styles = {}
    return arrays


def append_table_row(ws: Worksheet, values: Iterable[Any], *, formats: Mapping[int, str] | None = None,
                     fills: Mapping[int, str] | None = None) -> int:
    """One bordered, top-aligned, wrapping row of a ``table_sheet`` (the filter grows with it, the
    row is as high as its wrapped text); returns its row number. ``formats`` and ``fills``: a number
    format and a fill colour by column number (1-based), for the columns that have one."""
    # ws.max_row, ws.max_column and ws[row] each scan every cell of the sheet: per row, that made
    # a ledger of a year's problems quadratic (bench/growth.py). The row and its cells are known.
    formats, fills = formats or {}, fills or {}
    values = list(values)
    cells = [_bare_cell(ws, v) for v in values]  # the style below carries text_cell's ``@``
    arrays = _style_arrays(ws.parent)
    for col, (cell, value) in enumerate(zip(cells, values, strict=True), 1):
        number_format = formats.get(col) or ("@" if _is_text(value) else "General")
        cell._style = copy(arrays[body_style(ws.parent, number_format, fills.get(col))])
    ws.append(cells)
    row = ws._current_row
    ws.row_dimensions[row].height = _height(ws, enumerate((c.value for c in cells), 1))
    last_col = "".join(c for c in ws.auto_filter.ref.split(":")[-1] if c.isalpha()) if ws.auto_filter.ref else None
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col or get_column_letter(len(cells))}{row}"
    return row


class StreamedTable:
    """A ``table_sheet`` of any length: its body rows are written as sheet XML to a temporary file
    as they come and spliced into the sheet when the workbook is saved, so a ledger of years holds
    no cells in memory.

    Why the rows are not openpyxl's: its cell writer (an lxml element and a dozen attribute lookups
    per cell, after a ``Cell`` per value even in its write-only mode) was two thirds of a year's
    ledger — 5.9 of 8.7 s for 12,000 problems (bench/growth.py). Everything else in the workbook
    (title, header, styles, widths, frozen header, print setup, filter, merged title) is openpyxl's,
    saved by ``workbook_bytes``. A row is exactly what ``append_table_row`` makes on a normal sheet —
    text as text with the quote prefix where it looks like a formula, the same styles and heights;
    a test compares the two cell by cell."""

    def __init__(self, title: str, columns: Iterable[str], widths: Iterable[float], *,
                 heading: str | None = None) -> None:
        columns = list(columns)
        self.workbook = new_workbook()
        self.sheet = table_sheet(self.workbook, title, columns, widths, heading=heading)
        self.row = HEADER_ROW
        """The last row written."""
        self._letters = [get_column_letter(c) for c in range(1, len(columns) + 1)]
        self._widths = {c: self.sheet.column_dimensions[letter].width or 8.43 for c, letter in enumerate(self._letters, 1)}
        self._spool = tempfile.TemporaryFile()
        self._pending: list[str] = []
        self._xf: dict[tuple[str, str | None, bool], int] = {}

    def append(self, values: Iterable[Any], *, formats: Mapping[int, str] | None = None,
               fills: Mapping[int, str] | None = None) -> int:
        """One body row, as ``append_table_row``; returns its row number."""
        formats, fills = formats or {}, fills or {}
        values = [xml_text(str(v)) if _is_text(v) else v for v in values]
        self.row += 1
        cells = []
        for col, value in enumerate(values, 1):
            ref = f"{self._letters[col - 1]}{self.row}"
            text = isinstance(value, str)
            style = self._style(formats.get(col) or ("@" if text else "General"), fills.get(col),
                                text and value.startswith(FORMULA_STARTS))
            if value is None:
                cells.append(f'<c r="{ref}" s="{style}"/>')
            elif value == "":
                cells.append(f'<c r="{ref}" s="{style}" t="inlineStr"/>')
            elif text:
                cells.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
                             f'{escape(value, _ESCAPES)}</t></is></c>')
            else:
                if isinstance(value, dt.date | dt.time):
                    value = to_excel(value, self.workbook.epoch)
                cells.append(f'<c r="{ref}" s="{style}" t="n"><v>{safe_string(value)}</v></c>')
        height = safe_string(_height(self.sheet, enumerate(values, 1), spans=self._widths))
        self._pending.append(f'<row r="{self.row}" ht="{height}" customHeight="1">{"".join(cells)}</row>')
        if len(self._pending) >= 256:
            self._flush()
        return self.row

    def _style(self, number_format: str, fill: str | None, quoted: bool) -> int:
        """The index of the body style in the workbook's cell formats (what a cell's ``style_id``
        is when openpyxl writes it)."""
        key = (number_format, fill, quoted)
        xf = self._xf.get(key)
        if xf is None:
            array = copy(_style_arrays(self.workbook)[body_style(self.workbook, number_format, fill)])
            array.quotePrefix = int(quoted)
            xf = self._xf[key] = self.workbook._cell_styles.add(array)
        return xf

    def _flush(self) -> None:
        self._spool.write("".join(self._pending).encode())
        self._pending.clear()

    def to_bytes(self) -> bytes:
        """The .xlsx file."""
        self._flush()
        last = f"{self._letters[-1]}{self.row}"
        self.sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}"
        saved = zipfile.ZipFile(io.BytesIO(workbook_bytes(self.workbook)))
        name = self.sheet.path.lstrip("/")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
            for info in saved.infolist():
                if info.filename != name:
                    book.writestr(info, saved.read(info))
                    continue
                head, tail = saved.read(info).split(b"</sheetData>")
                head = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="A1:{last}"'.encode(), head, count=1)
                rows = zipfile.ZipInfo(name, info.date_time)
                rows.compress_type = zipfile.ZIP_DEFLATED
                with book.open(rows, "w") as sheet:
                    sheet.write(head)
                    self._spool.seek(0)
                    shutil.copyfileobj(self._spool, sheet, 1 << 20)
                    sheet.write(b"</sheetData>" + tail)
        self._spool.close()
        return out.getvalue()


_ESCAPES = {"\r": "&#13;"}
"""A CR in a text node is read back as LF unless escaped (lxml escapes it too)."""
