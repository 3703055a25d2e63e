"""Issue 17 point 3: one definition of overdue (docs/followup.md "Overdue"). The dashboard, the weekly
digests, the overdue list (the PWA's, pinned by tests/data/overdue_cases.json), the assessment, the
ledger's red, the problem reminders — and for reports the late-report list, the HR digest, the report
reminders and the assessment's 逾期未交 — all agree, on the fresh demo and on generated data."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from server.assessment import measures
from server.clock import utcnow
from server.dashboards.figures import dashboard
from server.demo import UNITS, seed_demo_plans_tx
from server.demo.activity import seed_demo_activity
from server.followup.exports.data import ledger_rows, light, unit_names, user_names
from server.followup.exports.ledger_xlsx import render_ledger
from server.followup.late_reports import late_reports
from server.followup.reminders import digest_reminders, issue_reminders, report_reminders
from server.platform.scheduler import Policy
from server.store import in_transaction
from sync.actor import load_actor
from sync.calendar import TZ, WorkCalendar, local_date
from sync.followup_rules import is_overdue
from tests.builders import (
    World,
    assign,
    close,
    company_today,
    followup,
    held_interview,
    open_db,
    raise_issue,
    submit_report,
)

CASES = json.loads((Path(__file__).parents[3] / "data" / "overdue_cases.json").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['status']}-{c['due_date']}-{c['today']}")
def test_the_shared_cases(case) -> None:
    assert is_overdue(case["status"], case["due_date"], dt.date.fromisoformat(case["today"])) is case["overdue"]


def _truth(db, today: dt.date) -> tuple[set[str], set[str]]:
    """Spelled out as docs/followup.md words it: past its due date, neither 已解决 nor 已办结."""
    problems = {i for i, status, due in db.conn.execute("SELECT id, status, due_date FROM issue")
                if due and dt.date.fromisoformat(due) < today and status not in ("resolved", "closed")}
    per_cadre, _ = late_reports(db, today, WorkCalendar.from_db(db))
    return problems, {r.interview_id for c in per_cadre for r in c.reports}


def _hr_id(db) -> str:
    return next(uid for uid, roles in db.conn.execute('SELECT id, roles FROM "user"') if "hr" in json.loads(roles))


def _agree(db, today: dt.date) -> tuple[set[str], set[str]]:
    cal = WorkCalendar.from_db(db)
    overdue, late = _truth(db, today)
    years = {local_date(c).year for (c,) in db.conn.execute("SELECT created_at FROM issue")}

    # Dashboard (per year of raising).
    assert sum(dashboard(db, year=y, quarter=None, k=5, today=today).overdue for y in years) == len(overdue)

    # HR's weekly digest: problems and late reports.
    local_now = dt.datetime.combine(today, dt.time(23, 0), tzinfo=TZ)
    digests = {r.key.split(":")[1]: r for r in digest_reminders(db, local_now, cal, Policy()) if r.kind == "digest"}
    hr = digests.pop("hr").notice.render("zh-CN")[1]
    assert int(re.search(r"其中逾期 (\d+) 个", hr).group(1)) == len(overdue)
    assert int(re.search(r"逾期未交的访谈情况报告 (\d+) 份", hr).group(1)) == len(late)
    # The departments' digests: each assigned overdue problem in its department's figure.
    assigned = {i for i, unit in db.conn.execute("SELECT id, handler_unit_id FROM issue WHERE handler_unit_id IS NOT NULL")
                if i in overdue}
    dept_total = sum(int(re.search(r"逾期 (\d+) 个", d.notice.render("zh-CN")[1]).group(1)) for d in digests.values())
    assert dept_total == len(assigned)

    # The ledger: red rows, in the data and in the .xlsx HR downloads.
    actor = load_actor(db, _hr_id(db), None)
    rows = list(ledger_rows(db, actor))
    assert {i.id for i, _ in rows if light(i, today, cal) == "red"} == overdue
    ws = load_workbook(io.BytesIO(render_ledger(rows, unit_names(db), user_names(db), today, cal))).active
    assert sum(1 for (v,) in ws.iter_rows(min_row=3, min_col=10, max_col=10, values_only=True)
               if v and v.endswith("（逾期）")) == len(overdue)

    # Reminders: an overdue reminder for each assigned overdue problem; a report reminder per late report.
    keys = [r.key for r in issue_reminders(db, today, cal, Policy())]
    assert {k.split(":")[1] for k in keys if k.startswith("overdue:")} == assigned
    report_keys = [r.key for r in report_reminders(db, today, cal, Policy())]
    assert {k.split(":")[1] for k in report_keys if k.startswith("report_overdue:")} == late

    # The assessment, per cadre and quarter: its 逾期未办结 and 逾期未交.
    periods = {f"{y}Q{q}" for y in years | {today.year} for q in (1, 2, 3, 4)}
    speeds = measures.problem_speed(db, periods, today)
    expected: Counter = Counter()
    for issue_id, created, cadre_ids, author in db.conn.execute(
        "SELECT s.id, s.created_at, i.cadre_ids, i.author_id FROM issue s JOIN interview i ON i.id = s.interview_id"
    ):
        if issue_id in overdue:
            d = local_date(created)
            for cadre in json.loads(cadre_ids or "[]") or [author]:
                expected[(cadre, f"{d.year}Q{(d.month - 1) // 3 + 1}")] += 1
    assert {k: v.overdue for k, v in speeds.items() if v.overdue} == dict(expected)
    reports = measures.report_timeliness(db, periods, today)
    per_cadre, _ = late_reports(db, today, cal)
    assert {c for (c, _), t in reports.items() if t.overdue} == {c.cadre_id for c in per_cadre}
    assert sum(t.overdue for t in reports.values()) == sum(len(c.reports) for c in per_cadre)
    return overdue, late


def test_the_fresh_demo_agrees_everywhere(data_dir: Path) -> None:
    db = open_db(data_dir / "fangtan.db")
    names = dict(db.conn.execute("SELECT name, id FROM org_unit").fetchall())
    units = {key: names[name] for key, name, *_ in UNITS}
    now = utcnow()
    in_transaction(db, lambda d: seed_demo_plans_tx(d, units, now))
    seed_demo_activity(db, units, now, data_dir / "blobs")
    today = company_today()
    overdue, _ = _agree(db, today)
    assert overdue
    # The demo holds the case that used to split the figures: resolved (not yet 销号) past its due date.
    assert db.conn.execute("SELECT count(*) FROM issue WHERE status = 'resolved' AND due_date < ?",
                           (today.isoformat(),)).fetchone()[0] >= 1
    db.close()


def test_generated_data_agrees_everywhere(world: World, dev) -> None:
    iv = held_interview(dev, "u-cadre1", day="2025-10-16")  # report due 27 Oct 2025
    iv2 = held_interview(dev, "u-cadre2", day="2025-10-20")
    submit_report(dev, iv2, cadre="u-cadre2")
    ids = {}
    ids["raised_past"] = raise_issue(dev, iv, due_date="2025-11-10")
    ids["raised_none"] = raise_issue(dev, iv, complete=False)
    for name, due in (("assigned_past", "2025-11-10"), ("assigned_today", "2025-11-20"),
                      ("assigned_later", "2025-11-28")):
        ids[name] = raise_issue(dev, iv)
        assign(dev, ids[name], due=due)
    ids["progress_past"] = raise_issue(dev, iv2, cadre="u-cadre2")
    assign(dev, ids["progress_past"], due="2025-11-12")
    assert followup(dev("u-handler"), ids["progress_past"], "start").status == "applied"
    ids["resolved_past"] = raise_issue(dev, iv2, cadre="u-cadre2")
    assign(dev, ids["resolved_past"], due="2025-11-12")
    assert followup(dev("u-handler"), ids["resolved_past"], "resolve", text="已更换").status == "applied"
    ids["closed"] = raise_issue(dev, iv)
    close(dev, ids["closed"])  # due 28 Nov; the day below is after it
    ids["reopened_past"] = raise_issue(dev, iv2, cadre="u-cadre2")
    assign(dev, ids["reopened_past"], due="2025-11-12")
    assert followup(dev("u-handler"), ids["reopened_past"], "resolve", text="已处理").status == "applied"
    assert followup(dev("u-hr"), ids["reopened_past"], "reopen", text="复查仍漏").status == "applied"

    overdue, late = _agree(world.db, dt.date(2025, 11, 20))
    assert overdue == {ids[k] for k in ("raised_past", "assigned_past", "progress_past", "reopened_past")}
    assert late == {iv}
    # A day later the one due on the 20th joins; after the 28th so does the last open one.
    assert _agree(world.db, dt.date(2025, 11, 21))[0] == overdue | {ids["assigned_today"]}
    assert _agree(world.db, dt.date(2025, 12, 1))[0] == overdue | {ids["assigned_today"], ids["assigned_later"]}
