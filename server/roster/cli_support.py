"""Text of a roster preview for the terminal (``fangtan roster import``)."""

from __future__ import annotations

from server.roster.plan import Plan

FIELD_ZH = {"name": "姓名", "post": "职务", "phone": "手机号", "unit": "单位", "roles": "角色", "disabled": "停用"}


def _value(key: str, value: object) -> str:
    if key == "roles":
        from server.org.roles import roles_zh

        return roles_zh(list(value)) or "（无）"  # type: ignore[arg-type]
    if key == "disabled":
        return "是" if value else "否"
    return str(value) if value not in ("", None) else "（空）"


def preview_lines(plan: Plan, *, limit: int = 50) -> list[str]:
    s = plan.summary()
    lines = [
        f"新增 {s['added']} 人，修改 {s['changed']} 人，停用 {s['disabled']} 人，不变 {s['unchanged']} 人，"
        f"拒绝 {s['refused']} 行；新建单位 {s['units_added']} 个，员工 {s['employees']} 人"
        f"（人数有变化的单位 {s['headcount_changed']} 个）",
        f"(added {s['added']}, changed {s['changed']}, disabled {s['disabled']}, unchanged {s['unchanged']}, "
        f"refused {s['refused']}; units added {s['units_added']}, employees {s['employees']})",
    ]
    for r in plan.refused:
        col = f"{r.column}（{r.column_letter} 列）" if r.column_letter else (r.column or "整行")
        lines.append(f"  拒绝 第 {r.row} 行 {col}：{r.reason}" + (f"［{r.value}］" if r.value else ""))
    for u in plan.units_added[:limit]:
        lines.append(f"  新建单位 {u['path']} ({u['kind']}{', 责任部门' if u['is_handler_dept'] else ''})")
    for a in plan.added[:limit]:
        lines.append(f"  新增 第 {a['row']} 行 {a['username']} {a['name']} {a['unit']} [{a['roles_zh']}]")
    if len(plan.added) > limit:
        lines.append(f"  … 另有 {len(plan.added) - limit} 人新增")
    for c in (plan.changed + plan.disabled)[:limit]:
        verb = "停用" if c in plan.disabled else "修改"
        fields = "；".join(f"{FIELD_ZH.get(k, k)} {_value(k, old)} → {_value(k, new)}"
                          for k, (old, new) in c["fields"].items())
        lines.append(f"  {verb} 第 {c['row']} 行 {c['username']} {c['name']}" + (f"：{fields}" if fields else ""))
    for h in plan.headcount[:limit]:
        lines.append(f"  员工人数 {h['unit']}：{h['old']} → {h['new']}")
    return lines
