"""``append_text_row`` (server/platform/xlsx.py): values that look like formulas stay text, numbers and
dates stay numbers and dates. That no writer bypasses the module is tests/unit/server/platform/
test_xlsx_cells_are_text.py; every endpoint's cells, tests/e2e/api/test_xlsx_exports_write_text_never_formulas.py."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook, load_workbook

from server.platform.xlsx import append_text_row


def test_values_that_look_like_formulas_stay_text_and_numbers_stay_numbers() -> None:
    import datetime as dt

    wb = Workbook()
    append_text_row(wb.active, ["=1+1", "+SUM(A1)", "-2", "@x", 3, 2.5, dt.date(2026, 12, 2), None, "普通"])
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
    row = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True))
    assert row[:6] == ("=1+1", "+SUM(A1)", "-2", "@x", 3, 2.5)
    assert row[6].date() == dt.date(2026, 12, 2) and row[7] is None and row[8] == "普通"
