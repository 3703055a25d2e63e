"""No .xlsx writer bypasses ``server.platform.xlsx`` (issue 13 point 14), and the helper itself
types every string — formula-looking or not — as text with its value unchanged."""

from __future__ import annotations

import ast
import datetime as dt
import io
from pathlib import Path

from openpyxl import load_workbook

from server.platform.xlsx import new_workbook, text_cell, workbook_bytes
from tests.e2e.api.test_xlsx_exports_write_text_never_formulas import ENDPOINTS

SERVER = Path(__file__).resolve().parents[4] / "server"
HELPER = SERVER / "platform" / "xlsx.py"


def _module(path: Path) -> str:
    return ".".join(path.relative_to(SERVER.parent).with_suffix("").parts)


def test_every_workbook_is_made_and_saved_by_the_helper_and_every_writer_is_tested() -> None:
    writers, offenders = set(), []
    for path in SERVER.rglob("*.py"):
        if path == HELPER:
            continue
        tree = ast.parse(path.read_text(), str(path))
        uses_openpyxl = False
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
                uses_openpyxl = True
                if any(alias.name == "Workbook" for alias in node.names):
                    offenders.append(f"{path}: imports openpyxl's Workbook")
            elif isinstance(node, ast.Import) and any(a.name.startswith("openpyxl") for a in node.names):
                uses_openpyxl = True
                offenders.append(f"{path}: imports openpyxl whole")
            elif isinstance(node, ast.Attribute) and node.attr == "Workbook":
                offenders.append(f"{path}: uses .Workbook")
            elif isinstance(node, ast.Name) and node.id in ("workbook_bytes", "StreamedTable"):
                writers.add(_module(path))
        if uses_openpyxl:
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "save":
                    offenders.append(f"{path}:{node.lineno}: saves a workbook itself")
    assert not offenders, offenders
    assert writers == set(ENDPOINTS), f"each .xlsx writer needs its endpoint in the formula test: {writers ^ set(ENDPOINTS)}"


def test_strings_are_text_and_formula_starts_carry_the_quote_prefix() -> None:
    values = ["=1+1", "+A1", "-A1", "@A1", "\tx", "\rx", "\nx", "普通文字", "a=b", "", 42, 3.5, None]
    wb = new_workbook()
    wb.active.append(values)
    wb.create_sheet("二").cell(1, 1, "=HYPERLINK(\"http://x\",\"y\")")
    book = load_workbook(io.BytesIO(workbook_bytes(wb)))
    row = list(book.worksheets[0].iter_rows(max_col=len(values)))[0]
    for cell, value in zip(row, values, strict=True):
        if isinstance(value, str) and value:
            assert (cell.value, cell.data_type) == (value, "s")
            assert cell.quotePrefix == value.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
        elif value:
            assert cell.value == value and cell.data_type == "n"
    other = book.worksheets[1]["A1"]
    assert (other.value, other.data_type, other.quotePrefix) == ("=HYPERLINK(\"http://x\",\"y\")", "s", True)


def test_a_streamed_table_writes_what_a_normal_table_holds() -> None:
    """A ``StreamedTable`` (the ledger's: rows written as XML as they come) opens cell for cell as
    the same table written by ``append_table_row`` on a normal sheet: values and types, the quote
    prefix, number formats, fills, borders, wrapping, heights, filter, frozen header, merged title."""
    from server.platform.xlsx import StreamedTable, append_table_row, table_sheet

    columns, widths = ["=序号", "内容", "说明", "数", "日期", "空"], [8, 20, 20, 6, 12, 6]
    rows = [
        ["=cmd|' /C calc'!A0", "+A1", "普通文字", 42, dt.date(2026, 3, 9), None],
        ["  前后空格  ", "一行\n两行\n三行很长很长很长很长很长很长很长很长很长很长", "a&b<c>\"d\"", 3.5, "", True],
        ["第一行\x0b第二行\x01\x00尾", "\r=1+1", "\ud800孤", -1, dt.datetime(2026, 3, 9, 8, 30), "x"],
    ]
    options = [dict(formats={4: "0", 5: "yyyy-mm-dd"}, fills={3: "FFC7CE"}), {}, dict(fills={1: "C6EFCE"})]
    wb = new_workbook()
    ws = table_sheet(wb, "台账", columns, widths, heading="@标题")
    streamed = StreamedTable("台账", columns, widths, heading="@标题")
    for values, extra in zip(rows, options, strict=True):
        append_table_row(ws, values, **extra)
        streamed.append(values, **extra)
    normal, other = (load_workbook(io.BytesIO(b)).active for b in (workbook_bytes(wb), streamed.to_bytes()))
    assert (other["A1"].value, other["A1"].quotePrefix) == ("@标题", True)
    assert (other["A2"].value, other["A2"].data_type, other["A2"].quotePrefix) == ("=序号", "s", True)
    assert (other["A5"].value, other["B5"].value, other["C5"].value) == ("第一行\n第二行尾", "\r=1+1", "孤")
    assert other["A3"].quotePrefix and other["A3"].data_type == "s" and other["C3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert (other.max_row, other.max_column) == (normal.max_row, normal.max_column) == (5, 6)
    for row in range(1, 6):
        for col in range(1, len(columns) + 1):
            a, b = normal.cell(row, col), other.cell(row, col)
            assert (b.value, b.data_type, b.quotePrefix, b.number_format) == (a.value, a.data_type, a.quotePrefix, a.number_format), (row, col)
            assert (b.fill.fgColor.rgb, b.border.left.style, b.alignment.wrap_text, b.alignment.vertical) == \
                (a.fill.fgColor.rgb, a.border.left.style, a.alignment.wrap_text, a.alignment.vertical), (row, col)
        assert other.row_dimensions[row].height == normal.row_dimensions[row].height, row
    for sheet in (normal, other):
        assert (sheet.freeze_panes, sheet.auto_filter.ref, [str(r) for r in sheet.merged_cells.ranges]) == ("A3", "A2:F5", ["A1:F1"])
        assert sheet.print_title_rows == "$2:$2" and sheet.page_setup.orientation == "landscape"
    assert other.calculate_dimension() == "A1:F5"


def test_text_that_xml_cannot_hold_is_written_without_failing() -> None:
    """Word's manual line break (U+000B) and page break (U+000C) become line breaks; the other
    characters XML 1.0 excludes are left out — openpyxl refused the whole cell before."""
    wb = new_workbook()
    wb.active.append([text_cell(wb.active, v) for v in ("甲\x0b乙\x0c丙", "\x00\x01\x1f丁\ufffe", "正常\t文字\n")])
    row = [c.value for c in load_workbook(io.BytesIO(workbook_bytes(wb))).active[1]]
    assert row == ["甲\n乙\n丙", "丁", "正常\t文字\n"]
