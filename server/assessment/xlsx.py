"""干部考核 as .xlsx (openpyxl): one row per cadre for the quarter, frozen two-line header."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from server.assessment.schemas import Assessment
from server.platform.xlsx import append_text_row, new_workbook, workbook_bytes

GROUPS = (("干部", 3), ("匿名评价", 4), ("访谈计划", 5), ("访谈报告", 4), ("问题响应", 5))
COLUMNS = (
    "姓名",
    "单位",
    "职务",
    "评价份数",
    "态度",
    "专业性",
    "问题响应速度",
    "计划数",
    "按时完成",
    "逾期完成",
    "未完成",
    "完成率",
    "应交",
    "按时提交",
    "逾期提交",
    "逾期未交",
    "提出问题",
    "已交办",
    "交办用时中位数（天）",
    "办结用时中位数（天）",
    "逾期未办结",
)
SUPPRESSED = "样本不足"
PENDING = "待发布"


def _not_released(r) -> str:
    if r.evaluation_status == "pending":
        return f"{PENDING}（{r.evaluation_release_on.isoformat()} 发布）"
    return SUPPRESSED


def render_assessment(a: Assessment) -> bytes:
    wb = new_workbook()
    ws = wb.active
    ws.title = f"干部考核 {a.period}"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head = Font(bold=True, name="宋体")
    fill = PatternFill("solid", fgColor="D9E1F2")
    col = 1
    for title, width in GROUPS:
        ws.cell(1, col, title)
        ws.merge_cells(start_row=1, start_column=col, end_row=1, end_column=col + width - 1)
        col += width
    append_text_row(ws, COLUMNS)
    for row in (1, 2):
        for cell in ws[row]:
            cell.font, cell.fill, cell.border = head, fill, border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r in a.rows:
        s = r.scores
        append_text_row(ws,
            [
                r.cadre_name,
                r.unit_name,
                r.post or "",
                r.evaluation_responses if r.evaluation_responses is not None else _not_released(r),
                s.attitude if s else _not_released(r),
                s.professionalism if s else _not_released(r),
                s.responsiveness if s else _not_released(r),
                r.plan.total,
                r.plan.done,
                r.plan.late,
                r.plan.missed,
                r.plan.rate,
                r.reports.due,
                r.reports.on_time,
                r.reports.late,
                r.reports.overdue,
                r.problems.raised,
                r.problems.assigned,
                r.problems.median_days_to_assign,
                r.problems.median_days_to_close,
                r.problems.overdue,
            ]
        )
        for cell in ws[ws.max_row]:
            cell.border = border
        ws.cell(ws.max_row, 12).number_format = "0.0%"
    for i, width in enumerate((10, 16, 18) + (9,) * 4 + (8,) * 5 + (8,) * 4 + (9, 9, 12, 12, 10), 1):
        ws.column_dimensions[ws.cell(2, i).column_letter].width = width
    ws.freeze_panes = "B3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.cell(
        ws.max_row + 2,
        1,
        f"说明：匿名评价在季度结束后发布（此前为“{PENDING}”），每位干部每季度不少于 {a.k} 份方显示，"
        f"否则为“{SUPPRESSED}”；完成率不计尚未到期的计划。",
    )
    return workbook_bytes(wb)
