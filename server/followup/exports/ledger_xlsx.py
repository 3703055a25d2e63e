"""问题整改台账 as .xlsx (openpyxl): one row per problem, red/yellow/green status, frozen header,
autofilter. Red = overdue, yellow = due within 3 working days, green = on track or closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from server.followup.exports.data import CATEGORY_ZH, STATUS_ZH, light
from server.platform.xlsx import StreamedTable
from sync.calendar import WorkCalendar
from sync.entities import FollowupRow, IssueRow

COLUMNS = ("序号", "问题描述", "涉及单位", "类别", "整改措施", "责任部门", "责任人", "完成时限", "整改进度", "状态", "销号")
WIDTHS = (6, 40, 18, 10, 36, 14, 10, 12, 40, 16, 16)
FILLS = {"red": "FFC7CE", "yellow": "FFEB9C", "green": "C6EFCE"}
LIGHT_ZH = {"red": "逾期", "yellow": "临期", "green": "正常"}


def render_ledger(rows: Iterable[tuple[IssueRow, list[FollowupRow]]], units: dict[str, str], users: dict[str, str],
                  today: dt.date, cal: WorkCalendar) -> bytes:
    table = StreamedTable("问题整改台账", COLUMNS, WIDTHS)  # a ledger of years: rows go to a file as written
    for n, (issue, events) in enumerate(rows, 1):
        progress = [e for e in events if e.kind in ("progress", "resolve") and e.text]
        closed = [e for e in events if e.kind == "close"] if issue.status == "closed" else []
        owner = issue.owner or users.get(issue.owner_user_id or "", "")
        tone = light(issue, today, cal)
        table.append([
            n, issue.description, "、".join(units.get(u, u) for u in issue.unit_ids),
            CATEGORY_ZH.get(issue.category, issue.category), issue.solution or "",
            units.get(issue.handler_unit_id or "", ""), owner, issue.due_date,
            "\n".join(f"{e.created_at[:10]} {e.text}" for e in progress[-3:]),
            f"{STATUS_ZH.get(issue.status, issue.status)}（{LIGHT_ZH[tone]}）",
            f"已销号 {closed[-1].created_at[:10]}" if closed else "",
        ], formats={8: "yyyy-mm-dd"}, fills={10: FILLS[tone]})
    return table.to_bytes()
