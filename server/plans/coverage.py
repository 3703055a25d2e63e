"""Warnings where a year's plans miss the rule book's frequencies (seed §三). Warnings, not errors:
HR decides; the screen shows them next to the plan.

* company plan — every cadre has a quarterly visit in each quarter (``cadre_quarter``); every unit a
  cadre is planned to visit in some quarter is visited in every quarter (``cadre_unit_quarter``);
  the year has its annual deep review (``deep_review``);
* unit plans — every unit with monthly visits planned this year has one in each month
  (``unit_month``; a unit with only ad-hoc visits is not warned).
"""

from __future__ import annotations

import msgspec
from sqlite_utils import Database

from sync import rowstore
from sync.followup_rules import users_with_role


class CoverageWarning(msgspec.Struct, kw_only=True):
    kind: str
    message_zh: str
    cadre_id: str | None = None
    unit_id: str | None = None
    quarter: int | None = None
    month: int | None = None


def _names(db: Database, table: str) -> dict[str, str]:
    return dict(db.conn.execute(f'SELECT id, name FROM "{table}"').fetchall())


def coverage_warnings(db: Database, *, year: int) -> list[CoverageWarning]:
    items = rowstore.load_where(db, "plan_item", "year = ? AND status = 'active'", [year])
    people, units = _names(db, "user"), _names(db, "org_unit")
    # A disabled unit (停用) takes no new visits: a gap there is not a warning anyone could act on.
    retired = {r[0] for r in db.conn.execute("SELECT id FROM org_unit WHERE disabled = 1")}
    out: list[CoverageWarning] = []
    quarterly = [i for i in items if i.scope == "company" and i.kind == "quarterly"]
    by_cadre: dict[str, set[int]] = {}
    by_pair: dict[tuple[str, str], set[int]] = {}
    for i in quarterly:
        by_cadre.setdefault(i.cadre_id, set()).add(i.quarter)
        by_pair.setdefault((i.cadre_id, i.unit_id), set()).add(i.quarter)
    for cadre in users_with_role(db, "cadre"):
        for q in range(1, 5):
            if q not in by_cadre.get(cadre, set()):
                out.append(
                    CoverageWarning(
                        kind="cadre_quarter",
                        cadre_id=cadre,
                        quarter=q,
                        message_zh=f"{people.get(cadre, cadre)} 在 {year} 年第 {q} 季度没有访谈安排（每季度 1 次）",
                    )
                )
    for (cadre, unit), quarters in sorted(by_pair.items()):
        if unit in retired:
            continue
        for q in sorted(set(range(1, 5)) - quarters):
            out.append(
                CoverageWarning(
                    kind="cadre_unit_quarter",
                    cadre_id=cadre,
                    unit_id=unit,
                    quarter=q,
                    message_zh=f"{people.get(cadre, cadre)} 第 {q} 季度未安排访谈{units.get(unit, unit)}",
                )
            )
    if not any(i.scope == "company" and i.kind == "deep_review" for i in items):
        out.append(CoverageWarning(kind="deep_review", message_zh=f"{year} 年尚未安排年度深度复盘访谈"))
    unit_months: dict[str, set[int]] = {}
    for i in items:
        if i.scope == "unit" and i.kind == "monthly" and i.month:
            unit_months.setdefault(i.unit_id, set()).add(i.month)
    for unit, months in sorted(unit_months.items()):
        if unit in retired:
            continue
        for m in sorted(set(range(1, 13)) - months):
            out.append(
                CoverageWarning(
                    kind="unit_month",
                    unit_id=unit,
                    month=m,
                    message_zh=f"{units.get(unit, unit)} {year} 年 {m} 月没有月度访谈安排（每月 1 次）",
                )
            )
    return out
