"""《访谈情况报告》 as .docx: problems sorted into the four categories, each with the five fields."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from server.followup.exports import numbering
from server.followup.exports.data import CATEGORY_ORDER, CATEGORY_ZH, FORM_ZH, ReportData
from server.followup.exports.official_docx import Issue, OfficialDocument, date_zh
from sync.calendar import local_date

NUMERALS = "一二三四五六七八九十"


RECIPIENTS = "公司领导"
"""Rule book §五: HR submits the 《访谈情况报告》 to the company's leaders."""


def report_date(data: ReportData) -> dt.date:
    """成文日期: the day the report was submitted (company time zone); a draft: the interview's day."""
    report = data.report
    return local_date(report.submitted_at) if report and report.submitted_at else data.day


def report_key(data: ReportData) -> str | None:
    """The 发文字号 key: a submitted report is issued; a draft gets no number."""
    return f"report:{data.interview.id}" if data.report and data.report.submitted_at else None


def issued_report(db: Database, data: ReportData, now_iso: str, *, issuer: str = "",
                  prefix: str = numbering.DEFAULT_PREFIX) -> bytes:
    """The report as issued: a submitted one with its 发文字号 (assigned now if it has none yet —
    call inside a write transaction), a draft without."""
    key = report_key(data)
    number = None if key is None else numbering.assign(db, key, report_date(data).year, prefix, now_iso)
    return render_report(data, organ=numbering.issuer_name(db, issuer), number=number)


def render_report(data: ReportData, *, organ: str, number: str | None) -> bytes:
    iv, report = data.interview, data.report
    doc = OfficialDocument(Issue(organ=organ, date=report_date(data), recipients=RECIPIENTS, number=number))
    doc.title((report.title if report and report.title else None) or "访谈情况报告")
    cadres = "、".join(data.users.get(c, c) for c in iv.cadre_ids)
    unit = data.units.get(iv.unit_id, iv.unit_id)
    doc.para(f"{data.day.year}年{data.day.month}月{data.day.day}日，{cadres}到{unit}开展"
             f"{FORM_ZH.get(iv.form, iv.form)}" + (f"（{iv.theme or iv.topic}）" if (iv.theme or iv.topic) else "")
             + f"，共梳理问题{len(data.issues)}个。现将有关情况报告如下。")
    n = 0
    doc.heading(f"{NUMERALS[n]}、访谈基本情况")
    n += 1
    doc.para((report.summary if report and report.summary else None) or iv.summary or "（无）")
    for category in CATEGORY_ORDER:
        items = [i for i in data.issues if i.category == category]
        if not items:
            continue
        doc.heading(f"{NUMERALS[n]}、{CATEGORY_ZH[category]}")
        n += 1
        for k, issue in enumerate(items, 1):
            doc.heading(f"（{NUMERALS[k - 1] if k <= 10 else k}）{issue.description.splitlines()[0][:60]}", level=2)
            doc.para(f"问题描述：{issue.description}")
            doc.para("涉及单位：" + "、".join(data.units.get(u, u) for u in issue.unit_ids))
            doc.para(f"建议解决方案：{issue.solution or '（未填写）'}")
            owner = issue.owner or (data.users.get(issue.owner_user_id or "", "") if issue.owner_user_id else "")
            doc.para(f"责任人：{owner or '（未填写）'}")
            doc.para(f"预计完成时间：{date_zh(issue.due_date) if issue.due_date else '（未填写）'}"
                     f"　回执码：{issue.receipt_code}")
    doc.para(f"访谈干部：{cadres}", indent=True)
    doc.signature()
    return doc.to_bytes()
