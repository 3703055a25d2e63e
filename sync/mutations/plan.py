"""``plan.save``: create or change one plan item (seed §三 访谈组织与频次).

Two plans share one row shape (``PlanItemRow``):

* the **company plan** (``scope = "company"``), made by HR: a cadre visits a unit once in a
  quarter (``kind = "quarterly"``), plus the annual deep review (``"deep_review"``, 年度深度复盘访谈);
* a **unit plan** (``scope = "unit"``), made by the unit lead for units in their subtree (or HR):
  monthly visits (``"monthly"``) and ad-hoc visits (``"adhoc"``, 临时加访) that need a ``reason``.

The window defaults to the quarter / month / year the item belongs to and must lie inside it.
Cancelling is ``status = "cancelled"`` (the row stays, so interviews that link it keep their link).
``check_plan_link`` is the rule ``interview.save`` applies to ``plan_item_id``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from sync import policy, rowstore
from sync.actor import Role
from sync.entities import InterviewRow, PlanItemRow, PlanItemState, PlanKind, PlanScope
from sync.mutations.base import (
    SHORT,
    Args,
    Context,
    MutationSpec,
    check_id,
    check_text,
    check_units_for_new_work,
    fail,
    require,
    set_fields,
    unit_exists,
)
from sync.visibility import unit_path

KINDS_BY_SCOPE: dict[str, tuple[str, ...]] = {
    "company": ("quarterly", "deep_review"),
    "unit": ("monthly", "adhoc"),
}
MIN_YEAR, MAX_YEAR = 2000, 2100


class PlanSaveArgs(Args, kw_only=True):
    id: str
    scope: PlanScope | UnsetType = UNSET
    kind: PlanKind | UnsetType = UNSET
    year: int | UnsetType = UNSET
    quarter: int | None | UnsetType = UNSET
    month: int | None | UnsetType = UNSET
    cadre_id: str | UnsetType = UNSET
    unit_id: str | UnsetType = UNSET
    window_start: dt.date | UnsetType = UNSET
    window_end: dt.date | UnsetType = UNSET
    title: str | None | UnsetType = UNSET
    reason: str | None | UnsetType = UNSET
    status: PlanItemState | UnsetType = UNSET


IMMUTABLE = ("scope", "kind", "year", "quarter", "month")
"""What an item *is*; changing it is a new item (cancel this one)."""


def period_bounds(year: int, quarter: int | None = None, month: int | None = None) -> tuple[dt.date, dt.date]:
    """First and last day of a month, a quarter or a whole year."""
    if month is not None:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    if quarter is not None:
        first = 3 * (quarter - 1) + 1
        return dt.date(year, first, 1), dt.date(year, first + 2, calendar.monthrange(year, first + 2)[1])
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def is_cadre(db: Any, user_id: str) -> bool:
    r = db.conn.execute('SELECT roles FROM "user" WHERE id = ?', (user_id,)).fetchone()
    return r is not None and Role.CADRE.value in json.loads(r[0] or "[]")


def _candidate(ctx: Context, args: PlanSaveArgs, current: PlanItemRow | None) -> PlanItemRow:
    patch = set_fields(args)
    if current is not None:
        for name in IMMUTABLE:
            if name in patch and patch[name] != getattr(current, name):
                raise fail(f"计划事项的 `{name}` 不能修改，请取消后重新计划 (`{name}` of a plan item cannot change; cancel it and plan a new one)", name)
        return msgspec.structs.replace(current, **patch)
    for name in ("scope", "kind", "year", "cadre_id", "unit_id"):
        require(getattr(args, name) is not UNSET, f"计划访谈须填写 `{name}` (`{name}` is required when planning a visit)", name)
    year = args.year
    require(isinstance(year, int) and MIN_YEAR <= year <= MAX_YEAR, f"年度应为 {MIN_YEAR}-{MAX_YEAR} (`year` must be {MIN_YEAR}-{MAX_YEAR})", "year")
    quarter = patch.get("quarter")
    month = patch.get("month")
    require(quarter is None or 1 <= quarter <= 4, "季度应为 1-4 (`quarter` must be 1-4)", "quarter")
    require(month is None or 1 <= month <= 12, "月份应为 1-12 (`month` must be 1-12)", "month")
    if args.kind == "quarterly":
        require(quarter is not None, "季度访谈须选择季度 (a quarterly visit needs its `quarter`)", "quarter")
    if args.kind == "monthly":
        require(month is not None, "月度访谈须选择月份 (a monthly visit needs its `month`)", "month")
    lo, hi = period_bounds(year, quarter, month)  # type: ignore[arg-type]
    patch.setdefault("window_start", lo)
    patch.setdefault("window_end", hi)
    now = ctx.now_iso
    return PlanItemRow(id=args.id, created_by=ctx.actor.user_id, created_at=now, updated_at=now, **patch)


def _check(ctx: Context, row: PlanItemRow, current: PlanItemRow | None) -> None:
    check_id(row.id)
    require(
        row.kind in KINDS_BY_SCOPE[row.scope],
        f"这类计划不能包含该类访谈 (a {row.scope} plan holds {' / '.join(KINDS_BY_SCOPE[row.scope])} items, "
        f"not {row.kind!r})",
        "kind",
    )
    if row.kind == "deep_review":
        require(
            row.quarter is None and row.month is None, "年度深度访谈覆盖全年，不选季度和月份 (the annual deep review belongs to the whole year)", "quarter"
        )
    if row.kind == "quarterly":
        require(row.month is None, "季度访谈不选月份 (a quarterly visit has no `month`)", "month")
    if row.kind == "adhoc":
        require(
            bool(row.reason and row.reason.strip()),
            "临时加访须写明原因：重点项目或突发事件 (ad-hoc visit needs the `reason`: a key project or an incident)",
            "reason",
        )
    check_text(row.title, "title", SHORT)
    check_text(row.reason, "reason", SHORT)
    require(unit_exists(ctx.db, row.unit_id), f"没有这个单位 (unknown org unit {row.unit_id!r})", "unit_id")
    check_units_for_new_work(ctx.db, [row.unit_id], "unit_id", kept=[current.unit_id] if current else [], single=True)
    require(is_cadre(ctx.db, row.cadre_id), f"所选人员不是管理干部 ({row.cadre_id!r} is not a cadre)", "cadre_id")
    require(row.window_start <= row.window_end, "截止日期早于开始日期 (`window_end` is before `window_start`)", "window_end")
    lo, hi = period_bounds(row.year, row.quarter, row.month)
    require(
        lo <= row.window_start and row.window_end <= hi,
        f"时间窗口应在 {lo.isoformat()} 至 {hi.isoformat()} 之内 (the window must lie within {lo.isoformat()} - {hi.isoformat()})",
        "window_start",
    )


class PlanSave(MutationSpec[PlanSaveArgs]):
    name = "plan.save"
    Args = PlanSaveArgs

    def load(self, ctx: Context, args: PlanSaveArgs) -> tuple[PlanItemRow | None, PlanItemRow]:
        current = rowstore.load(ctx.db, "plan_item", args.id)
        return current, _candidate(ctx, args, current)

    def authorize(self, ctx: Context, args: PlanSaveArgs, state: Any) -> None:
        current, candidate = state
        for row in (current, candidate):
            if row is not None:
                policy.can_or_reject(ctx.actor, self.name, (row.scope, unit_path(ctx.db, row.unit_id)),
                                     refusal="only HR (人力资源部) edits the company plan" if row.scope == "company"
                                     else None)

    def validate(self, ctx: Context, args: PlanSaveArgs, state: Any) -> None:
        _check(ctx, state[1], state[0])

    def apply(self, ctx: Context, args: PlanSaveArgs, state: Any) -> None:
        current, candidate = state
        if current is None:
            ctx.create("plan_item", candidate)
            return
        ctx.update("plan_item", current, set_fields(args), updated_at=ctx.now_iso)


def check_plan_link(db: Any, interview: InterviewRow) -> None:
    """``interview.save`` with a ``plan_item_id``: the item exists, is assigned to one of the
    interview's cadres, and is not cancelled."""
    item = rowstore.load(db, "plan_item", interview.plan_item_id)
    if item is None:
        raise fail(f"访谈计划不存在 (no plan item {interview.plan_item_id!r})", "plan_item_id")
    if item.cadre_id not in interview.cadre_ids:
        raise fail("该计划不是分配给本人的 (the plan item is assigned to another cadre)", "plan_item_id")
    if item.status == "cancelled":
        raise fail("该访谈计划已取消 (the plan item was cancelled)", "plan_item_id")


__all__ = ["PlanSave", "check_plan_link", "period_bounds"]
