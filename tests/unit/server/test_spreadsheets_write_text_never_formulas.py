"""Every .xlsx the server writes from data writes its cells through ``server.spreadsheet`` (text, never
a formula): a problem description, a name or a password typed as ``=HYPERLINK(…)`` stays text."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from server.spreadsheet import append_text_row

SERVER = Path(__file__).resolve().parents[3] / "server"


def _writers() -> list[Path]:
    return sorted(p for p in SERVER.rglob("*.py") if "openpyxl" in p.read_text(encoding="utf-8")
                  and "Workbook(" in p.read_text(encoding="utf-8"))


def test_no_xlsx_writer_appends_raw_values() -> None:
    writers = _writers()
    assert {p.name for p in writers} >= {"ledger_xlsx.py", "xlsx.py", "workbooks.py"}
    offenders = [f"{p.relative_to(SERVER.parent)}:{n}: {line.strip()}" for p in writers
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"\bws\.append\(|\.value\s*=", line)]
    assert offenders == [], "write cells through server.spreadsheet.append_text_row:\n" + "\n".join(offenders)


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
