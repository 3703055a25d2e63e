"""What the plans endpoints answer, limited to what the caller may see (``sync.policy``)."""

from __future__ import annotations

from typing import Literal

from sqlite_utils import Database

from server.org.service import name_paths
from server.plans import queries
from server.plans.coverage import CoverageWarning, coverage_warnings
from server.plans.exports import PlanExport
from server.plans.progress import CompletionCount, PlanItemStatus, plan_completion, summarize
from sync import policy
from sync.actor import Actor


def _visible(db: Database, actor: Actor, statuses: list[PlanItemStatus]) -> list[PlanItemStatus]:
    """``plan.completion.read``: company-wide roles every item, a unit lead their subtree's, a cadre their own."""
    paths = queries.unit_paths(db)
    return [s for s in statuses if policy.can(actor, "plan.completion.read", (s.cadre_id, paths.get(s.unit_id)))]


def visible_completion(
    db: Database, actor: Actor, *, year: int, quarter: int | None, month: int | None, unit_id: str | None,
    cadre_id: str | None,
) -> list[PlanItemStatus]:
    statuses = plan_completion(db, year=year, quarter=quarter, month=month, unit_id=unit_id, cadre_id=cadre_id)
    return _visible(db, actor, statuses)


def visible_summary(
    db: Database, actor: Actor, *, year: int, quarter: int | None, month: int | None,
    by: Literal["cadre", "unit", "month", "quarter"],
) -> list[CompletionCount]:
    return summarize(_visible(db, actor, plan_completion(db, year=year, quarter=quarter, month=month)), by)


def visible_coverage(db: Database, actor: Actor, *, year: int) -> list[CoverageWarning]:
    """``plan.coverage.read``: company-wide roles every warning, a unit lead those of their units."""
    warnings = coverage_warnings(db, year=year)
    paths = queries.unit_paths(db)
    return [w for w in warnings if policy.can(actor, "plan.coverage.read", paths.get(w.unit_id) if w.unit_id else None)]


def visible_plan_export(db: Database, actor: Actor, *, year: int, scope: str | None) -> PlanExport:
    """``plan.export``: the year's active items the caller may see (a unit lead: their subtree's)."""
    paths = queries.unit_paths(db)
    items = [i for i in queries.plan_items(db, year=year, scope=scope)
             if policy.can(actor, "plan.export", (i.cadre_id, paths.get(i.unit_id)))]
    return PlanExport(year=year, scope=scope, items=items, units=queries.unit_names(db), users=queries.user_names(db),
                      usernames=queries.usernames(db), unit_paths=name_paths(db))
