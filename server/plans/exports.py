"""A year's plan as .xlsx (to work on) and as .docx (to issue as a document), docs/plans-and-supervision.md
§Export. Both list the same active items, in the same order and with the same columns; the .docx uses the
GB/T 9704 layout of the other official documents (``server.followup.exports.official_docx``): 版头 with
the 发文字号 (HR's export), title 《××××年度干部访谈计划》, 主送, one table of the items, 落款."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from server.followup.exports.official_docx import BODY_FONT, H1_FONT, Issue, OfficialDocument, text_run
from server.platform.xlsx import append_table_row, new_workbook, table_sheet, workbook_bytes
from sync.entities import PlanItemRow

SCOPE_ZH = {"company": "公司年度访谈计划", "unit": "单位访谈计划"}
KIND_ZH = {"quarterly": "每季度访谈", "deep_review": "年度深度复盘访谈", "monthly": "每月访谈", "adhoc": "临时加访"}
COLUMNS = ("序号", "计划", "类别", "时段", "访谈干部", "访谈单位", "开始日期", "截止日期", "事项", "加访原因",
           "干部工号", "单位路径")
"""Also the columns of the plan template: an exported plan re-imports unchanged (``server.plans.imports``);
干部工号 and 单位路径 name the cadre and the unit without ambiguity."""
WIDTHS = (6, 16, 16, 14, 12, 18, 12, 12, 30, 30, 12, 36)
DOCX_COLUMNS = ("序号", "类别", "时段", "访谈干部", "访谈单位", "时间窗口", "事项")
DOCX_WIDTHS_MM = (10, 26, 26, 18, 22, 32, 22)
"""The 156 mm text block shared out so that dates and 类别 fit on one line of 12 pt."""


@dataclass(frozen=True)
class PlanExport:
    year: int
    scope: str | None
    items: list[PlanItemRow]
    units: dict[str, str]
    users: dict[str, str]
    usernames: dict[str, str] = field(default_factory=dict)
    """User id → 工号 (sign-in name)."""
    unit_paths: dict[str, str] = field(default_factory=dict)
    """Unit id → path of names, ``西北能化/甲醇生产车间``."""

    @property
    def title(self) -> str:
        return f"{self.year}年度干部访谈计划"


def period_zh(item: PlanItemRow) -> str:
    if item.kind == "quarterly" and item.quarter:
        return f"{item.year}年第{'一二三四'[item.quarter - 1]}季度"
    if item.kind in ("monthly", "adhoc") and item.month:
        return f"{item.year}年{item.month}月"
    return f"{item.year}年度"


def _row(n: int, item: PlanItemRow, plan: PlanExport) -> list[object]:
    return [
        n, SCOPE_ZH.get(item.scope, item.scope), KIND_ZH.get(item.kind, item.kind), period_zh(item),
        plan.users.get(item.cadre_id, item.cadre_id), plan.units.get(item.unit_id, item.unit_id),
        item.window_start, item.window_end, item.title or "", item.reason or "",
        plan.usernames.get(item.cadre_id, ""), plan.unit_paths.get(item.unit_id, ""),
    ]


def render_plan_xlsx(plan: PlanExport) -> bytes:
    wb = new_workbook()
    ws = table_sheet(wb, "访谈计划", COLUMNS, WIDTHS, heading=plan.title)
    for n, item in enumerate(plan.items, 1):
        append_table_row(ws, _row(n, item, plan), formats={7: "yyyy-mm-dd", 8: "yyyy-mm-dd"})
    return workbook_bytes(wb)


def _date_zh(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


RECIPIENTS = "各单位、各访谈干部"


def plan_key(year: int, scope: str | None) -> str:
    """The 发文字号 key of a year's plan (one scope or both)."""
    return f"plan:{year}:{scope or 'all'}"


def render_plan_docx(plan: PlanExport, today: dt.date, *, organ: str, number: str | None) -> bytes:
    doc = OfficialDocument(Issue(organ=organ, date=today, recipients=RECIPIENTS, number=number))
    doc.title(plan.title)
    scopes = "、".join(SCOPE_ZH[s] for s in ("company", "unit") if any(i.scope == s for i in plan.items))
    doc.para(f"根据干部访谈工作要求，现将{plan.year}年度{scopes or '访谈计划'}印发如下，共{len(plan.items)}项，"
             "请各访谈干部按时间窗口完成访谈并及时提交访谈记录。")
    table = doc.doc.add_table(rows=1, cols=len(DOCX_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, DOCX_COLUMNS, strict=True):
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        text_run(p, text, H1_FONT, 12)
    for n, item in enumerate(plan.items, 1):
        values = [str(n), KIND_ZH.get(item.kind, item.kind), period_zh(item),
                  plan.users.get(item.cadre_id, item.cadre_id), plan.units.get(item.unit_id, item.unit_id),
                  f"{_date_zh(item.window_start)}—{_date_zh(item.window_end)}",
                  "；".join(t for t in (item.title, item.reason) if t)]
        row = table.add_row()
        _keep_together(row)
        for cell, text in zip(row.cells, values, strict=True):
            p = cell.paragraphs[0]
            p.paragraph_format.line_spacing = Pt(18)
            text_run(p, text, BODY_FONT, 12)
    for column, width in zip(table.columns, DOCX_WIDTHS_MM, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
    doc.signature()
    return doc.to_bytes()


def _repeat_header(row) -> None:
    """The header row is printed again at the top of every page the table runs onto."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)
    _keep_together(row)


def _keep_together(row) -> None:
    """A row is never split across two pages."""
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(cant)
