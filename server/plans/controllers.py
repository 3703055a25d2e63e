"""HTTP endpoints of plans (docs/api.md §Plans): completion, counts and coverage warnings. The plan
items themselves travel by sync (``plan.save``)."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, Request, get
from litestar.params import FromQuery

from server.plans.coverage import CoverageWarning, coverage_warnings
from server.plans.progress import CompletionCount, PlanItemStatus, plan_completion, summarize
from server.web.deps import StoreDep
from server.web.guards import requires_role
from sync.actor import Actor, Role
from sync.errors import InvalidField


def _check_period(year: int, quarter: int | None, month: int | None) -> None:
    if not 2000 <= year <= 2100:
        raise InvalidField("`year` 应为 2000-2100 (year out of range)", field="year")
    if quarter is not None and not 1 <= quarter <= 4:
        raise InvalidField("`quarter` 应为 1-4 (quarter out of range)", field="quarter")
    if month is not None and not 1 <= month <= 12:
        raise InvalidField("`month` 应为 1-12 (month out of range)", field="month")


def _visible(db, actor: Actor, statuses: list[PlanItemStatus]) -> list[PlanItemStatus]:
    """Company-wide roles see every item; a unit lead the items of their subtree; a cadre their own."""
    if actor.company_wide:
        return statuses
    paths = dict(db.conn.execute("SELECT id, path FROM org_unit").fetchall())
    lead = actor.has_role(Role.UNIT_LEAD)
    return [
        s
        for s in statuses
        if s.cadre_id == actor.user_id or (lead and paths.get(s.unit_id, "").startswith(actor.unit_path))
    ]


class PlanController(Controller):
    path = "/api/plans"
    tags = ["plans"]

    @get("/completion")
    async def completion(
        self,
        request: Request[Actor, str, object],
        store: StoreDep,
        year: FromQuery[int],
        quarter: FromQuery[int | None] = None,
        month: FromQuery[int | None] = None,
        unit_id: FromQuery[str | None] = None,
        cadre_id: FromQuery[str | None] = None,
    ) -> list[PlanItemStatus]:
        """Status (planned/done/late/missed) of each active plan item the caller may see."""
        _check_period(year, quarter, month)
        actor = request.user
        return await store.read(
            lambda db: _visible(
                db,
                actor,
                plan_completion(db, year=year, quarter=quarter, month=month, unit_id=unit_id, cadre_id=cadre_id),
            )
        )

    @get("/summary")
    async def summary(
        self,
        request: Request[Actor, str, object],
        store: StoreDep,
        year: FromQuery[int],
        by: FromQuery[Literal["cadre", "unit", "month", "quarter"]] = "cadre",
        quarter: FromQuery[int | None] = None,
        month: FromQuery[int | None] = None,
    ) -> list[CompletionCount]:
        """Counts per cadre, unit, month or quarter over the items the caller may see."""
        _check_period(year, quarter, month)
        actor = request.user
        return await store.read(
            lambda db: summarize(_visible(db, actor, plan_completion(db, year=year, quarter=quarter, month=month)), by)
        )

    @get("/coverage", guards=[requires_role(Role.HR, Role.UNIT_LEAD, Role.LEADER, Role.SUPERVISOR)])
    async def coverage(
        self, request: Request[Actor, str, object], store: StoreDep, year: FromQuery[int]
    ) -> list[CoverageWarning]:
        """Where the year's plans miss 每季度 1 次 / 年度深度复盘 / 每月 1 次 (a unit lead: their units)."""
        _check_period(year, None, None)
        actor = request.user

        def run(db) -> list[CoverageWarning]:
            warnings = coverage_warnings(db, year=year)
            if actor.company_wide:
                return warnings
            paths = dict(db.conn.execute("SELECT id, path FROM org_unit").fetchall())
            return [w for w in warnings if w.unit_id and paths.get(w.unit_id, "").startswith(actor.unit_path)]

        return await store.read(run)
