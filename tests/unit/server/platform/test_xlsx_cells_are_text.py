"""No .xlsx writer bypasses ``server.platform.xlsx`` (issue 13 point 14), and the helper itself
types every string — formula-looking or not — as text with its value unchanged."""

from __future__ import annotations

import ast
import io
from pathlib import Path

from openpyxl import load_workbook

from server.platform.xlsx import new_workbook, workbook_bytes
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
            elif isinstance(node, ast.Name) and node.id == "workbook_bytes":
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


def test_a_streaming_table_types_its_strings_as_it_writes_them() -> None:
    """A streaming workbook (openpyxl write-only, the ledger's) cannot be walked before saving: its
    title, header and rows are typed and quote-prefixed as they are appended, with the same look as
    a normal table (styles, heights, filter, frozen header, merged title)."""
    from server.platform.xlsx import append_table_row, table_sheet

    values = ["=cmd|' /C calc'!A0", "+A1", "普通文字", 42, None]
    books = []
    for streaming in (False, True):
        wb = new_workbook(streaming=streaming)
        ws = table_sheet(wb, "台账", ["=序号", "内容", "说明", "数", "空"], [8, 20, 20, 6, 6], heading="@标题")
        append_table_row(ws, values, formats={4: "0"}, fills={3: "FFC7CE"})
        books.append(load_workbook(io.BytesIO(workbook_bytes(wb))).active)
    normal, streamed = books
    assert (streamed["A1"].value, streamed["A1"].quotePrefix) == ("@标题", True)
    assert (streamed["A2"].value, streamed["A2"].data_type, streamed["A2"].quotePrefix) == ("=序号", "s", True)
    for col in range(1, len(values) + 1):
        a, b = normal.cell(3, col), streamed.cell(3, col)
        assert (b.value, b.data_type, b.quotePrefix, b.number_format) == (a.value, a.data_type, a.quotePrefix, a.number_format)
        assert (b.fill.fgColor.rgb, b.border.left.style, b.alignment.wrap_text) == (a.fill.fgColor.rgb, a.border.left.style, a.alignment.wrap_text)
    assert streamed["A3"].quotePrefix and streamed["A3"].data_type == "s" and streamed["C3"].fill.fgColor.rgb.endswith("FFC7CE")
    for ws in books:
        assert (ws.freeze_panes, ws.auto_filter.ref, [str(r) for r in ws.merged_cells.ranges]) == ("A3", "A2:E3", ["A1:E1"])
    assert [normal.row_dimensions[r].height for r in (1, 2, 3)] == [streamed.row_dimensions[r].height for r in (1, 2, 3)]
