"""The roster template and the one-time password slips, as .xlsx (openpyxl).

Every workbook is made and saved through ``server.platform.xlsx`` (text, never a formula)."""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation

from server.org.roles import ROLE_NAMES_ZH
from server.platform.xlsx import append_text_row, new_workbook, workbook_bytes
from server.roster.parse import (
    ACTIVE,
    COLUMNS,
    INACTIVE,
    INSTRUCTIONS_SHEET,
    KIND_BY_ZH,
    ROSTER_SHEET,
    UNIT_HANDLER,
    UNIT_KIND,
    UNIT_PATH,
    UNITS_SHEET,
)

_HEAD = Font(bold=True, name="宋体", size=12)
_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

WIDTHS = {"工号": 12, "姓名": 10, "单位": 40, "职务": 24, "角色": 26, "手机号": 15, "状态": 8}

INSTRUCTIONS = [
    ("列", "必填", "说明"),
    ("工号", "是", "每人唯一、长期不变；也是登录账号。再次导入时按工号找到同一个人。"),
    ("姓名", "是", "真实姓名。"),
    ("单位", "是", "从公司开始的完整路径，用 / 分隔，如 西北能化/甲醇生产车间/精馏班组。不存在的单位会被创建，"
               "类型按层级推断（公司/部门或车间/班组），也可在「单位」表中指定。"),
    ("职务", "否", "如 甲醇生产车间主任。"),
    ("角色", "否", "系统角色，多个用「、」分隔：" + "、".join(ROLE_NAMES_ZH.values())
               + "。留空表示普通员工：不建账号，只计入所在单位人数（用于访谈覆盖率）。"),
    ("手机号", "否", "11 位手机号。"),
    ("状态", "否", f"「{ACTIVE}」或「{INACTIVE}」，留空即{ACTIVE}。停用的人员账号立即失效；名单中没有的人员不会被改动。"),
    ("", "", ""),
    ("导入", "", "先预览：列出将新增、修改、停用、不变和被拒绝的行（行号、列、原因）。有被拒绝的行时不会导入，"
               "除非选择「只导入有效行」。同一文件再次导入不会产生任何更改。"),
    ("一次性密码", "", "新账号获得一次性密码，导出为密码条（.xlsx）当面发放；首次登录后必须设置自己的密码。"),
    ("示例", "", "10023 | 刘海涛 | 西北能化/甲醇生产车间 | 甲醇生产车间主任 | 干部、单位负责人 | 13800000000 | 在职"),
]


def _header(ws, names) -> None:
    append_text_row(ws, names)
    for cell in ws[1]:
        cell.font, cell.fill, cell.border = _HEAD, _FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.freeze_panes = "A2"


def template_xlsx() -> bytes:
    wb = new_workbook()
    ws = wb.active
    ws.title = ROSTER_SHEET
    _header(ws, COLUMNS)
    for i, name in enumerate(COLUMNS):
        letter = chr(ord("A") + i)
        ws.column_dimensions[letter].width = WIDTHS[name]
        for row in range(2, 2002):  # text format, so Excel keeps 工号 00123 and phone numbers as typed
            ws[f"{letter}{row}"].number_format = "@"
    status = DataValidation(type="list", formula1=f'"{ACTIVE},{INACTIVE}"', allow_blank=True)
    status.error, status.errorTitle = f"请填「{ACTIVE}」或「{INACTIVE}」", "状态"
    ws.add_data_validation(status)
    status.add(f"G2:G{2001}")
    units = wb.create_sheet(UNITS_SHEET)
    _header(units, (UNIT_PATH, UNIT_KIND, UNIT_HANDLER))
    units.column_dimensions["A"].width, units.column_dimensions["B"].width = 40, 10
    units.column_dimensions["C"].width = 10
    kinds = DataValidation(type="list", formula1='"' + ",".join(KIND_BY_ZH) + '"', allow_blank=True)
    yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    units.add_data_validation(kinds)
    units.add_data_validation(yes_no)
    kinds.add("B2:B500")
    yes_no.add("C2:C500")
    help_ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    for line in INSTRUCTIONS:
        append_text_row(help_ws, line)
    help_ws.column_dimensions["A"].width, help_ws.column_dimensions["B"].width = 12, 6
    help_ws.column_dimensions["C"].width = 100
    for cell in help_ws[1]:
        cell.font, cell.fill = _HEAD, _FILL
    for row in help_ws.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(wb)


SLIP_COLUMNS = ("工号（登录账号）", "姓名", "单位", "角色", "一次性密码", "签收")


def slips_xlsx(slips: list[dict[str, str]], *, server_hint: str = "") -> bytes:
    """One printable row per new account; the title says what to do with it."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "一次性密码"
    append_text_row(ws, [f"访谈系统首次登录密码条{'（' + server_hint + '）' if server_hint else ''}：请当面交给本人；"
                         "首次登录后须立即设置自己的密码，本条随即作废，请销毁。"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SLIP_COLUMNS))
    ws["A1"].font = Font(bold=True, size=13)
    append_text_row(ws, SLIP_COLUMNS)
    for cell in ws[2]:
        cell.font, cell.fill, cell.border = _HEAD, _FILL, _BORDER
    for s in slips:
        append_text_row(ws, [s["username"], s["name"], s["unit"], s.get("roles", ""), s["password"], ""])
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.border, cell.font = _BORDER, Font(size=13, name="宋体")
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        row[4].font = Font(size=15, name="Consolas", bold=True)
        ws.row_dimensions[row[0].row].height = 36
    for letter, width in zip("ABCDEF", (18, 10, 36, 20, 20, 12), strict=True):
        ws.column_dimensions[letter].width = width
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    return workbook_bytes(wb)
