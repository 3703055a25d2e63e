"""Completion of plan items: planned / done / late / missed (docs/plans-and-supervision.md).

An item is fulfilled by a **submitted** interview that links it (``plan_item_id``); the day it was
held is ``started_at`` (else ``submitted_at``) in China Standard Time. Per active item:

* ``done``    — an interview was held on or before ``window_end`` (an early visit counts);
* ``late``    — the first interview was held after ``window_end``;
* ``missed``  — ``window_end`` has passed and no interview was held;
* ``planned`` — the window is still open and nothing was held yet.

Cancelled items are not counted. An item belongs to the month and quarter of its ``window_end``
(its deadline). The PWA computes the same status offline (``pwa/src/views/plans/status.ts``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Literal

import msgspec
from sqlite_utils import Database

from sync import rowstore
from sync.calendar import local_date
from sync.entities import PlanItemRow

Completion = Literal["planned", "done", "late", "missed"]
GroupBy = Literal["cadre", "unit", "month", "quarter"]


class PlanItemStatus(msgspec.Struct, kw_only=True):
    item_id: str
    scope: str
    kind: str
    year: int
    quarter: int
    """Quarter of ``window_end`` (the item's deadline)."""
    month: int
    """Month of ``window_end``."""
    cadre_id: str
    unit_id: str
    window_start: dt.date
    window_end: dt.date
    title: str | None
    status: Completion
    interview_id: str | None = None
    held_on: dt.date | None = None


class CompletionCount(msgspec.Struct, kw_only=True):
    key: str
    """The cadre id, unit id, month (``YYYY-MM``) or quarter (``YYYY-Qn``)."""
    total: int = 0
    planned: int = 0
    done: int = 0
    late: int = 0
    missed: int = 0

    @property
    def due(self) -> int:
        """Items whose window has closed or that were held: 按时完成 + 逾期完成 + 未完成 (not 未到期)."""
        return self.total - self.planned

    @property
    def held(self) -> int:
        """Items held, on time or late."""
        return self.done + self.late

    @property
    def rate(self) -> float | None:
        """到期完成率 = held / due, rounded to 0.1 % (None while nothing is due): the one computation
        the assessment screen, its .xlsx and anything else showing a plan completion rate use, so the
        fraction beside it is over the same items (2/2 到期完成率 100% · 未到期 4, never 2/6 100%)."""
        return round(self.held / self.due, 3) if self.due else None


def status_of(window_end: dt.date, held_on: dt.date | None, today: dt.date) -> Completion:
    if held_on is not None:
        return "done" if held_on <= window_end else "late"
    return "missed" if today > window_end else "planned"


def _held(db: Database, item_ids: list[str]) -> dict[str, tuple[dt.date, str]]:
    """Per plan item: the first day a submitted interview linking it was held, and that interview."""
    out: dict[str, tuple[dt.date, str]] = {}
    for chunk in (item_ids[i : i + 500] for i in range(0, len(item_ids), 500)):
        marks = ",".join("?" * len(chunk))
        for iid, plan_id, started, submitted, created in db.conn.execute(  # by plan item (``+status``:
            "SELECT id, plan_item_id, started_at, submitted_at, created_at FROM interview"  # not every year's)
            f" WHERE +status = 'submitted' AND plan_item_id IN ({marks})",
            chunk,
        ).fetchall():
            day = local_date(started or submitted or created)
            if plan_id not in out or day < out[plan_id][0]:
                out[plan_id] = (day, iid)
    return out


def plan_completion(
    db: Database,
    *,
    year: int,
    quarter: int | None = None,
    month: int | None = None,
    unit_id: str | None = None,
    cadre_id: str | None = None,
    today: dt.date | None = None,
) -> list[PlanItemStatus]:
    """Status of every active plan item of ``year`` (optionally of one quarter/month/unit/cadre)."""
    today = today or local_date(dt.datetime.now(dt.UTC))
    where, params = ["year = ?", "status = 'active'"], [year]
    if unit_id is not None:
        where.append("unit_id = ?")
        params.append(unit_id)
    if cadre_id is not None:
        where.append("cadre_id = ?")
        params.append(cadre_id)
    items: list[PlanItemRow] = sorted(
        rowstore.load_where(db, "plan_item", " AND ".join(where), params), key=lambda i: (i.window_end, i.id)
    )
    items = [
        i
        for i in items
        if (quarter is None or (i.window_end.month - 1) // 3 + 1 == quarter)
        and (month is None or i.window_end.month == month)
    ]
    held = _held(db, [i.id for i in items])
    out = []
    for i in items:
        day, interview_id = held.get(i.id, (None, None))
        out.append(
            PlanItemStatus(
                item_id=i.id,
                scope=i.scope,
                kind=i.kind,
                year=i.year,
                quarter=(i.window_end.month - 1) // 3 + 1,
                month=i.window_end.month,
                cadre_id=i.cadre_id,
                unit_id=i.unit_id,
                window_start=i.window_start,
                window_end=i.window_end,
                title=i.title,
                status=status_of(i.window_end, day, today),
                interview_id=interview_id,
                held_on=day,
            )
        )
    return out


def _key(s: PlanItemStatus, by: GroupBy) -> str:
    if by == "cadre":
        return s.cadre_id
    if by == "unit":
        return s.unit_id
    if by == "month":
        return f"{s.window_end.year}-{s.month:02d}"
    return f"{s.window_end.year}-Q{s.quarter}"


def summarize(statuses: Iterable[PlanItemStatus], by: GroupBy) -> list[CompletionCount]:
    counts: dict[str, CompletionCount] = defaultdict(lambda: CompletionCount(key=""))
    for s in statuses:
        c = counts[_key(s, by)]
        c.total += 1
        setattr(c, s.status, getattr(c, s.status) + 1)
    return [msgspec.structs.replace(c, key=k) for k, c in sorted(counts.items())]


def completion_summary(
    db: Database,
    *,
    year: int,
    by: GroupBy,
    quarter: int | None = None,
    month: int | None = None,
    unit_id: str | None = None,
    cadre_id: str | None = None,
    today: dt.date | None = None,
) -> list[CompletionCount]:
    """Counts planned/done/late/missed per cadre, unit, month or quarter."""
    return summarize(
        plan_completion(db, year=year, quarter=quarter, month=month, unit_id=unit_id, cadre_id=cadre_id, today=today),
        by,
    )
