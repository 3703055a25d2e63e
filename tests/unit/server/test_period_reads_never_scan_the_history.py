"""A period's dashboard, assessment and formalism signals read the period's rows through an index,
never by scanning a table that grows with the years (bench/growth.py: a year's dashboard went from
0.32 s at one year of history to 0.52 s at three while it scanned every problem and close). Each
statement they run is traced and planned again here; a full scan of a history table fails."""

import datetime as dt
import re
from pathlib import Path

import pytest

from server.assessment.table import assessment
from server.dashboards.figures import dashboard
from server.supervision.signals import formalism_signals
from tests.unit.server.test_demo_activity_fills_every_dashboard import NOW, seeded

HISTORY = {"interview", "note", "issue", "followup", "report", "attachment", "evaluation_response",
           "sync_change", "sync_receipt", "notification"}
"""Tables whose rows accumulate with every year of use."""

YEAR, QUARTER, TODAY = NOW.year, 4, dt.date(NOW.year, 12, 31)
READS = {
    "dashboard (year)": lambda db: dashboard(db, year=YEAR, quarter=None, k=1, today=TODAY),
    "dashboard (quarter)": lambda db: dashboard(db, year=YEAR, quarter=QUARTER, k=1, today=TODAY),
    "assessment": lambda db: assessment(db, year=YEAR, quarter=QUARTER, k=1, today=TODAY),
    "formalism signals": lambda db: formalism_signals(db, start=dt.date(YEAR, 10, 1), end=dt.date(YEAR, 12, 31), k=1),
}


def _scans(db, statements: list[str]) -> set[tuple[str, str]]:
    """(plan step, statement) for each step that reads a history table whole: a ``SCAN``, or a
    ``SEARCH`` whose only constraint is a column that every year shares (``status=?``, ``kind=?``)."""
    out = set()
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        tables = {alias or table: table for table, alias in re.findall(
            r'(?:FROM|JOIN)\s+"?(\w+)"?(?:\s+(?:AS\s+)?(?!WHERE|JOIN|ON|GROUP|ORDER|LEFT|INNER|LIMIT)(\w+))?', sql, re.I)}
        for *_, detail in db.conn.execute("EXPLAIN QUERY PLAN " + sql):
            step = re.match(r"(SCAN|SEARCH) (\w+)(?: USING (?:COVERING )?INDEX \w+ \((.*)\))?", detail)
            if not step or tables.get(step.group(2), step.group(2)) not in HISTORY:
                continue
            if step.group(1) == "SCAN" or re.fullmatch(r"(status|kind)=\?", step.group(3) or ""):
                out.add((detail, sql[:200]))
    return out


@pytest.mark.parametrize("name", READS)
def test_a_period_read_scans_no_history_table(data_dir: Path, name: str) -> None:
    db, *_ = seeded(data_dir, NOW)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    READS[name](db)
    db.conn.set_trace_callback(None)
    assert len(statements) > 3
    assert not _scans(db, statements), _scans(db, statements)
