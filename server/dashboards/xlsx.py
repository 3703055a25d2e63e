"""The dashboard's figures as .xlsx: one sheet per chart, the same numbers as on screen."""

from __future__ import annotations

from openpyxl.styles import Font, PatternFill

from server.dashboards.figures import Dashboard
from server.platform.xlsx import append_text_row, new_workbook, workbook_bytes


def _sheet(wb, title: str, header: list[str], rows: list[list]) -> None:
    ws = wb.create_sheet(title)
    append_text_row(ws, header)
    for cell in ws[1]:
        cell.font = Font(bold=True, name="宋体")
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
    for r in rows:
        append_text_row(ws, r)
    for i in range(1, len(header) + 1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = 16
    ws.freeze_panes = "A2"


def render_dashboard(d: Dashboard) -> bytes:
    wb = new_workbook()
    overview = wb.active
    overview.title = "概况"
    period = f"{d.year}年" + (f"第{d.quarter}季度" if d.quarter else "全年")
    for row in (
        ["统计期间", period],
        ["起止", f"{d.start} 至 {d.end}"],
        ["问题总数", d.problems_total],
        ["逾期未办结", d.overdue],
        ["办结用时中位数（天）", d.median_days_to_close],
        ["匿名评价份数（已发布且达到 k 的干部）", d.evaluation_company.responses],
        *(
            [f"匿名评价 {p.period}", f"待发布（季度结束后 {p.release_on.isoformat()} 发布）"]
            for p in d.evaluation_pending
        ),
    ):
        overview.append(row)
    overview.column_dimensions["A"].width = 30
    overview.column_dimensions["B"].width = 26
    plan_header = ["", "计划数", "按时完成", "逾期完成", "未完成", "未到期"]
    _sheet(
        wb,
        "计划完成-按单位",
        ["单位", *plan_header[1:]],
        [[p.label, p.total, p.done, p.late, p.missed, p.planned] for p in d.plan_by_unit],
    )
    _sheet(
        wb,
        "计划完成-按月",
        ["月份", *plan_header[1:]],
        [[p.label, p.total, p.done, p.late, p.missed, p.planned] for p in d.plan_by_month],
    )
    _sheet(wb, "问题-按类别", ["类别", "数量"], [[c.label, c.count] for c in d.problems_by_category])
    _sheet(wb, "问题-按状态", ["状态", "数量"], [[c.label, c.count] for c in d.problems_by_status])
    _sheet(wb, "问题-按责任部门", ["责任部门", "数量"], [[c.label, c.count] for c in d.problems_by_department])
    _sheet(wb, "办结用时", ["用时", "问题数"], [[c.label, c.count] for c in d.closure_time])
    _sheet(
        wb,
        "匿名评价",
        ["单位", "份数", "干部数", "态度", "专业性", "问题响应速度"],
        [
            [u.unit, u.responses, u.cadres, u.attitude, u.professionalism, u.responsiveness]
            for u in [d.evaluation_company, *d.evaluation_by_unit]
        ]
        + [[f"{p.period} 待发布", f"{p.release_on.isoformat()} 发布"] for p in d.evaluation_pending],
    )
    _sheet(wb, "形式主义信号", ["信号", "数量"], [[s.label, s.count] for s in d.signals])
    return workbook_bytes(wb)
