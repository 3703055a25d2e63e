"""经理层会议议题 as .docx: the problems HR put on the agenda, with the decision when recorded."""

from __future__ import annotations

import datetime as dt

from server.followup.exports.data import CATEGORY_ZH, STATUS_ZH
from server.followup.exports.official_docx import OfficialDocument
from sync.entities import FollowupRow, IssueRow

NUMERALS = "一二三四五六七八九十"


def render_agenda(rows: list[tuple[IssueRow, list[FollowupRow]]], units: dict[str, str], today: dt.date) -> bytes:
    doc = OfficialDocument()
    doc.title("经理层会议议题")
    pending = [(i, f) for i, f in rows if not any(e.kind == "decide" for e in f)]
    decided = [(i, f) for i, f in rows if any(e.kind == "decide" for e in f)]
    doc.para(f"截至{today.year}年{today.month}月{today.day}日，干部访谈中需公司决策的重大问题共{len(rows)}项，"
             f"其中待研究{len(pending)}项、已作出决定{len(decided)}项。")
    for n, (title, group) in enumerate((("待研究议题", pending), ("已决定事项", decided))):
        if not group:
            continue
        doc.heading(f"{NUMERALS[n]}、{title}")
        for k, (issue, events) in enumerate(group, 1):
            doc.heading(f"（{NUMERALS[k - 1] if k <= 10 else k}）{issue.description.splitlines()[0][:60]}", level=2)
            doc.para(f"类别：{CATEGORY_ZH.get(issue.category, issue.category)}；涉及单位："
                     + "、".join(units.get(u, u) for u in issue.unit_ids)
                     + f"；回执码：{issue.receipt_code}；状态：{STATUS_ZH.get(issue.status, issue.status)}")
            reasons = [e.text for e in events if e.kind == "escalate" and e.text]
            if reasons:
                doc.para(f"提请事由：{reasons[-1]}")
            doc.para(f"建议解决方案：{issue.solution or '（未填写）'}")
            decisions = [e for e in events if e.kind == "decide"]
            if decisions:
                doc.para(f"会议决定（{decisions[-1].created_at[:10]}）：{decisions[-1].text}")
    return doc.to_bytes()
