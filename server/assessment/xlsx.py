"""干部考核 as .xlsx (openpyxl): one row per cadre for the quarter, frozen two-line header."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from server.assessment.schemas import Assessment
from server.platform.xlsx import append_text_row, fit_row_height, new_workbook, print_setup, title_row, workbook_bytes

GROUPS = (("干部", 3), ("匿名评价", 4), ("访谈计划", 6), ("访谈报告", 5), ("问题响应", 5))
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
    "未到期",
    "到期完成率",
    "应交",
    "按时提交",
    "逾期提交",
    "逾期未交",
    "未到期",
    "提出问题",
    "已交办",
    "交办用时中位数（天）",
    "办结用时中位数（天）",
    "逾期未办结",
)
WIDTHS = (10, 16, 14) + (9, 7, 7, 9) + (7, 7, 7, 7, 7, 9) + (7, 7, 7, 7, 7) + (7, 7, 11, 11, 9)
"""Wide enough that every header wraps on whole words; ``fit_row_height`` sizes the header row."""
RATE_COLUMN = COLUMNS.index("到期完成率") + 1
SUPPRESSED = "样本不足"
PENDING = "待发布"
TITLE_ROW, GROUP_ROW, HEADER_ROW = 1, 2, 3


def _not_released(r) -> str:
    if r.evaluation_status == "pending":
        return f"{PENDING}（{r.evaluation_release_on.isoformat()} 发布）"
    return SUPPRESSED


def render_assessment(a: Assessment) -> bytes:
    """Per 访谈计划 row: 计划数 = 按时完成 + 逾期完成 + 未完成 + 未到期, the rate over the items already
    due; per 访谈报告 row: 应交 = 按时提交 + 逾期提交 + 逾期未交 + 未到期."""
    wb = new_workbook()
    ws = wb.active
    ws.title = f"干部考核 {a.period}"
    for i, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head = Font(bold=True, name="宋体")
    fill = PatternFill("solid", fgColor="D9E1F2")
    title_row(ws, f"干部考核表（{a.year}年第{'一二三四'[a.quarter - 1]}季度）", len(COLUMNS))
    col = 1
    for title, width in GROUPS:
        ws.cell(GROUP_ROW, col, title)
        ws.merge_cells(start_row=GROUP_ROW, start_column=col, end_row=GROUP_ROW, end_column=col + width - 1)
        col += width
    append_text_row(ws, COLUMNS)
    for row in (GROUP_ROW, HEADER_ROW):
        for cell in ws[row]:
            cell.font, cell.fill, cell.border = head, fill, border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fit_row_height(ws, HEADER_ROW, bold_scale=1.1)
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
                r.plan.planned,
                r.plan.rate,
                r.reports.due,
                r.reports.on_time,
                r.reports.late,
                r.reports.overdue,
                r.reports.not_yet_due,
                r.problems.raised,
                r.problems.assigned,
                r.problems.median_days_to_assign,
                r.problems.median_days_to_close,
                r.problems.overdue,
            ]
        )
        row = ws._current_row  # ws.max_row and ws[row] scan the whole sheet (server/platform/xlsx.py)
        cells = [ws.cell(row, col) for col in range(1, len(COLUMNS) + 1)]
        for cell in cells:
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        if s is None:  # not released: said once across the four evaluation cells
            ws.merge_cells(start_row=row, start_column=4, end_row=row, end_column=7)
        ws.cell(row, RATE_COLUMN).number_format = "0.0%"
        fit_row_height(ws, row, cells=[ws.cell(row, col) for col in range(1, len(COLUMNS) + 1)])  # after the merge
    ws.freeze_panes = f"B{HEADER_ROW + 1}"
    print_setup(ws, title_rows=f"{GROUP_ROW}:{HEADER_ROW}")
    note = ws.cell(
        ws.max_row + 2,
        1,
        f"说明：匿名评价在季度结束后发布（此前为“{PENDING}”），每位干部每季度不少于 {a.k} 份方显示，"
        f"否则为“{SUPPRESSED}”；计划数 = 按时完成 + 逾期完成 + 未完成 + 未到期，到期完成率 = "
        "（按时完成 + 逾期完成）÷（计划数 − 未到期），不计尚未到期的计划；应交 = 按时提交 + 逾期提交 + 逾期未交 + 未到期。",
    )
    ws.merge_cells(start_row=note.row, start_column=1, end_row=note.row, end_column=len(COLUMNS))
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[note.row].height = 3 * 15 + 3
    return workbook_bytes(wb)
