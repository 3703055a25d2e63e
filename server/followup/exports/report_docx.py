"""《访谈情况报告》 as .docx: problems sorted into the four categories, each with the five fields."""

from __future__ import annotations

from server.followup.exports.data import CATEGORY_ORDER, CATEGORY_ZH, FORM_ZH, ReportData
from server.followup.exports.official_docx import OfficialDocument

NUMERALS = "一二三四五六七八九十"


def render_report(data: ReportData) -> bytes:
    iv, report = data.interview, data.report
    doc = OfficialDocument()
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
            doc.para(f"预计完成时间：{issue.due_date.isoformat() if issue.due_date else '（未填写）'}"
                     f"　回执码：{issue.receipt_code}")
    doc.para("")
    doc.para(cadres, indent=False, align_right=True)
    when = report.submitted_at[:10] if report and report.submitted_at else data.day.isoformat()
    doc.para(when, indent=False, align_right=True)
    return doc.to_bytes()
