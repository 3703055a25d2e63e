"""The dashboard's figures for one period (a year or one quarter), computed from the database.

Evaluation figures come from released cells only (docs/evaluation.md), so a unit's bar never
includes a cadre-quarter below k.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

import msgspec
from sqlite_utils import Database

from server.evaluation import results
from server.evaluation.schemas import PendingPeriod
from server.evaluation.tickets import quarter_of
from server.plans.progress import plan_completion, summarize
from server.supervision.signals import formalism_signals
from sync.calendar import stamp_bounds, within_days
from sync.followup_rules import is_overdue
from sync.mutations.plan import period_bounds

CLOSURE_BUCKETS = ((7, "7天内"), (30, "8-30天"), (90, "31-90天"), (None, "90天以上"))


class Count(msgspec.Struct, kw_only=True):
    key: str
    label: str
    count: int


class PlanCount(msgspec.Struct, kw_only=True):
    key: str
    label: str
    total: int
    done: int
    late: int
    missed: int
    planned: int


class UnitScores(msgspec.Struct, kw_only=True):
    unit: str
    responses: int
    cadres: int
    attitude: float | None
    professionalism: float | None
    responsiveness: float | None


class SignalCount(msgspec.Struct, kw_only=True):
    kind: str
    label: str
    count: int


class Dashboard(msgspec.Struct, kw_only=True):
    year: int
    quarter: int | None
    k: int
    """Responses a cadre-quarter needs before its scores count (``FANGTAN_EVALUATION_MIN_RESPONSES``)."""
    start: dt.date
    end: dt.date
    plan_by_unit: list[PlanCount]
    plan_by_month: list[PlanCount]
    problems_total: int
    problems_by_category: list[Count]
    problems_by_status: list[Count]
    problems_by_department: list[Count]
    overdue: int
    median_days_to_close: float | None
    closure_time: list[Count]
    evaluation_company: UnitScores
    evaluation_by_unit: list[UnitScores]
    signals: list[SignalCount]
    """Formalism signals by kind (``server.supervision.signals``): hints for the supervision group."""
    evaluation_pending: list[PendingPeriod] = []
    """Quarters of the period not over yet: their ratings (and the all-5s signal) are 待发布 and left
    out of every evaluation figure until the release date."""


CATEGORY_ZH = {"business": "业务问题", "management": "管理问题", "demand": "职工诉求", "suggestion": "创新建议"}
SIGNAL_ZH = {
    "near_duplicate": "记录内容雷同",
    "boilerplate": "套话、空话",
    "short_interview": "实际时长明显短于填报",
    "walkthrough_no_evidence": "现场走访无现场佐证",
    "same_day_close": "问题当天提出当天销号",
    "ratings_at_max": "匿名评价全部满分",
}
STATUS_ZH = {
    "raised": "已提出",
    "assigned": "已交办",
    "in_progress": "整改中",
    "resolved": "已解决",
    "closed": "已销号",
}


def _unit_names(db: Database) -> dict[str, str]:
    return {r[0]: r[1] for r in db.conn.execute("SELECT id, name FROM org_unit")}


def _counts(counter: Counter, labels: dict[str, str]) -> list[Count]:
    return [Count(key=k, label=labels.get(k, k), count=n) for k, n in counter.most_common()]


def _plans(db: Database, year: int, quarter: int | None, today: dt.date, units: dict[str, str]):
    statuses = plan_completion(db, year=year, quarter=quarter, today=today)  # once for both groupings
    by_unit = [
        PlanCount(
            key=c.key,
            label=units.get(c.key, c.key),
            total=c.total,
            done=c.done,
            late=c.late,
            missed=c.missed,
            planned=c.planned,
        )
        for c in summarize(statuses, "unit")
    ]
    by_month = [
        PlanCount(key=c.key, label=c.key, total=c.total, done=c.done, late=c.late, missed=c.missed, planned=c.planned)
        for c in summarize(statuses, "month")
    ]
    return by_unit, by_month


def _evaluation(db: Database, periods: list[str], k: int, today: dt.date) -> tuple[UnitScores, list[UnitScores]]:
    cells, _ = results.released_cells(db, periods=periods, k=k, k_comments=None, today=today)
    home = {r[0]: r[1] for r in db.conn.execute("SELECT u.id, o.name FROM user u JOIN org_unit o ON o.id = u.unit_id")}

    def scores(label: str, group: list[results.Cell]) -> UnitScores:
        p = results.pool(group)
        return UnitScores(unit=label, responses=p.responses, cadres=p.cadres, **p.means())

    by_unit: dict[str, list[results.Cell]] = {}
    for c in cells:
        by_unit.setdefault(home.get(c.cadre_id, ""), []).append(c)
    return scores("全公司", cells), [scores(u, g) for u, g in sorted(by_unit.items())]


def _signals(db: Database, start: dt.date, end: dt.date, k: int, today: dt.date) -> list[SignalCount]:
    counter = Counter(s.kind for s in formalism_signals(db, start=start, end=end, k=k, today=today))
    return [SignalCount(kind=k, label=SIGNAL_ZH.get(k, k), count=n) for k, n in counter.most_common()]


def dashboard(db: Database, *, year: int, quarter: int | None, k: int, today: dt.date) -> Dashboard:
    start, end = period_bounds(year, quarter)
    units = _unit_names(db)
    plan_by_unit, plan_by_month = _plans(db, year, quarter, today, units)
    near = stamp_bounds(start, end)  # the problems raised in the period (the exact day below)
    closed_at = dict(  # by problem (``+kind``: not by the kind index, which holds every year's closes)
        db.conn.execute(
            "SELECT f.issue_id, MIN(f.created_at) FROM issue s JOIN followup f ON f.issue_id = s.id"
            " AND +f.kind = 'close' WHERE s.created_at >= :low AND s.created_at < :below GROUP BY f.issue_id", near,
        ).fetchall()
    )
    cats: Counter = Counter()
    statuses: Counter = Counter()
    depts: Counter = Counter()
    overdue, close_days = 0, []
    raised = within_days(start, end)
    for issue_id, created_at, status, category, handler, due in db.conn.execute(
        "SELECT id, created_at, status, category, handler_unit_id, due_date FROM issue"
        " WHERE created_at >= :low AND created_at < :below", near,
    ):
        if not raised(created_at):
            continue
        cats[category] += 1
        statuses[status] += 1
        depts[handler or ""] += 1
        if is_overdue(status, due, today):
            overdue += 1
        if status == "closed" and issue_id in closed_at:
            close_days.append(
                (
                    dt.datetime.fromisoformat(closed_at[issue_id].replace("Z", "+00:00"))
                    - dt.datetime.fromisoformat(created_at.replace("Z", "+00:00"))
                ).total_seconds()
                / 86400
            )
    buckets: Counter = Counter()
    for d in close_days:
        buckets[next(label for limit, label in CLOSURE_BUCKETS if limit is None or d <= limit)] += 1
    periods = results.quarters_between(start, end) if quarter is None else [quarter_of(start)]
    company, by_unit = _evaluation(db, periods, k, today)
    return Dashboard(
        year=year,
        quarter=quarter,
        k=k,
        start=start,
        end=end,
        plan_by_unit=plan_by_unit,
        plan_by_month=plan_by_month,
        problems_total=sum(cats.values()),
        problems_by_category=_counts(cats, CATEGORY_ZH),
        problems_by_status=_counts(statuses, STATUS_ZH),
        problems_by_department=_counts(depts, {**units, "": "未交办"}),
        overdue=overdue,
        median_days_to_close=round(statistics.median(close_days), 1) if close_days else None,
        closure_time=[Count(key=label, label=label, count=buckets[label]) for _, label in CLOSURE_BUCKETS],
        evaluation_company=company,
        evaluation_by_unit=by_unit,
        signals=_signals(db, start, end, k, today),
        evaluation_pending=[PendingPeriod(period=p, release_on=d) for p, d in results.pending_periods(periods, today)],
    )
