"""A period's dashboard, assessment and formalism signals read the period's rows through an index,
never by scanning a table that grows with the years (bench/growth.py: a year's dashboard went from
0.32 s at one year of history to 0.52 s at three while it scanned every problem and close). Each
statement they run is traced and planned again here; a full scan of a history table fails. A
lookup of one problem's events (its last close, whether it was escalated) goes through that
problem's entries, never through every year's events of a kind: the draw's population once did,
and revealing a draw over three years took minutes."""

import datetime as dt
import re
from pathlib import Path

import pytest

from server.assessment.table import assessment
from server.dashboards.figures import dashboard
from server.supervision.draws import population
from server.supervision.signals import formalism_signals
from tests.builders import open_db
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
    "supervision draw's population": lambda db: population(db, dt.date(YEAR, 10, 1), dt.date(YEAR, 12, 31)),
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
    assert len(statements) >= 2
    assert not _scans(db, statements), _scans(db, statements)


def test_a_problems_events_are_looked_up_through_that_problem(data_dir: Path, monkeypatch) -> None:
    """Every statement the demo's year of work runs (pushes, reminders, draws) that asks for one
    problem's events is planned: none reads the events of every problem (a ``kind=?`` search, a scan)."""
    from tests.unit.server import test_demo_activity_fills_every_dashboard as demo

    traced: list[str] = []

    def tracing(path):
        opened = open_db(path)
        opened.conn.set_trace_callback(traced.append)
        return opened

    monkeypatch.setattr(demo, "open_db", tracing)
    db, *_ = seeded(data_dir, NOW)
    db.conn.set_trace_callback(None)
    lookups = {sql for sql in traced if re.search(r"\bfollowup\b", sql) and re.search(r"issue_id\s*(=|IN)", sql)
               and sql.lstrip().upper().startswith(("SELECT", "WITH"))}
    assert len(lookups) >= 3, lookups
    bad = set()
    for sql in lookups:
        for *_, detail in db.conn.execute("EXPLAIN QUERY PLAN " + sql):
            if re.match(r"SCAN (followup|f)\b", detail) or re.search(r"followup_kind_created \(kind=\?\)", detail):
                bad.add((detail, sql[:200]))
    assert not bad, bad
