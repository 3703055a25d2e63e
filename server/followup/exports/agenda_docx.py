"""经理层会议议题 as .docx: the problems HR put on the agenda, with the decision when recorded."""

from __future__ import annotations

import datetime as dt

from server.followup.exports.data import CATEGORY_ZH, STATUS_ZH
from server.followup.exports.official_docx import Issue, OfficialDocument, date_zh
from sync.calendar import local_date
from sync.entities import FollowupRow, IssueRow

NUMERALS = "一二三四五六七八九十"


RECIPIENTS = "公司经理层"


def agenda_key(today: dt.date) -> str:
    """The 发文字号 key: the agenda as of one day is one document."""
    return f"agenda:{today.isoformat()}"


def render_agenda(rows: list[tuple[IssueRow, list[FollowupRow]]], units: dict[str, str], today: dt.date, *,
                  organ: str, number: str | None) -> bytes:
    doc = OfficialDocument(Issue(organ=organ, date=today, recipients=RECIPIENTS, number=number))
    doc.title("经理层会议议题")
    pending = [(i, f) for i, f in rows if not any(e.kind == "decide" for e in f)]
    decided = [(i, f) for i, f in rows if any(e.kind == "decide" for e in f)]
    doc.para(f"截至{date_zh(today)}，干部访谈中需公司决策的重大问题共{len(rows)}项，"
             f"其中待研究{len(pending)}项、已作出决定{len(decided)}项。")
    present = [(title, group) for title, group in (("待研究议题", pending), ("已决定事项", decided)) if group]
    for n, (title, group) in enumerate(present):  # numbered as present: 一、 is the first one shown
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
                doc.para(f"会议决定（{date_zh(local_date(decisions[-1].created_at))}）：{decisions[-1].text}")
    if not rows:
        doc.para("目前没有列入议题的问题。")
    doc.signature()
    return doc.to_bytes()
