"""Read a roster (.xlsx or .csv) into rows, each cell checked; refusals name row, column and reason.

Columns (Chinese headers, any order; see ``COLUMNS``): 工号 (the stable key, also the sign-in name),
姓名, 单位 (a path of names from the company down, ``西北能化/甲醇生产车间/精馏班组``), 职务, 角色 (Chinese
role names or ids separated by 、; empty: an employee without an account), 手机号 (optional), 状态
(在职/停用, empty: 在职). An .xlsx may carry a sheet 单位 (单位路径, 类型 公司/部门/车间/班组, 责任部门 是/否)
giving the kind of units the import creates. A CSV is UTF-8 (with or without BOM) or GB18030 (what
Excel on a Chinese Windows saves as "CSV").
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from server.org.people import normalise_phone
from server.org.roles import parse_roles, split_roles
from server.roster.errors import RosterUnreadable

ROSTER_SHEET = "人员名单"
UNITS_SHEET = "单位"
INSTRUCTIONS_SHEET = "填写说明"

EMPLOYEE_NO, NAME, UNIT, POST, ROLES, PHONE, STATUS = "工号", "姓名", "单位", "职务", "角色", "手机号", "状态"
COLUMNS = (EMPLOYEE_NO, NAME, UNIT, POST, ROLES, PHONE, STATUS)
REQUIRED = (EMPLOYEE_NO, NAME, UNIT)
ACTIVE, INACTIVE = "在职", "停用"

UNIT_PATH, UNIT_KIND, UNIT_HANDLER = "单位路径", "类型", "责任部门"
KIND_BY_ZH = {"公司": "company", "部门": "department", "车间": "workshop", "班组": "team"}
ZH_BY_KIND = {v: k for k, v in KIND_BY_ZH.items()}
YES, NO = ("是", "Y", "y", "yes", "1", "√"), ("否", "", "N", "n", "no", "0")

MAX_USERNAME = 64


@dataclass
class Refusal:
    row: int
    """Row number as the spreadsheet shows it (the header is row 1)."""
    column: str
    """The column's header (工号, 单位 …), or ``""`` for the whole row."""
    reason: str
    value: str = ""
    column_letter: str = ""

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "column_letter": self.column_letter, "value": self.value,
                "reason": self.reason}


@dataclass
class RosterRow:
    row: int
    employee_no: str
    name: str
    unit_path: tuple[str, ...]
    post: str
    roles: list[str]
    phone: str
    active: bool

    @property
    def is_employee(self) -> bool:
        """No role: an employee without an account, counted in their unit's headcount."""
        return not self.roles


@dataclass
class UnitSpec:
    kind: str | None = None
    is_handler_dept: bool | None = None


@dataclass
class ParsedRoster:
    rows: list[RosterRow] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    units: dict[tuple[str, ...], UnitSpec] = field(default_factory=dict)
    """Kinds given in the 单位 sheet, by path of names."""
    letters: dict[str, str] = field(default_factory=dict)
    """Column header → its letter in the file (A, B …)."""

    def refusal(self, row: int, column: str, reason: str, value: str = "") -> Refusal:
        return Refusal(row, column, reason, value, self.letters.get(column, ""))


def cell_text(value: object) -> str:
    """A cell as text: Excel keeps 工号 and phone numbers as numbers (``10023.0``), dates as dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value).strip()


def split_path(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace("／", "/").replace("\\", "/").split("/") if part.strip())


def _table_from_csv(data: bytes) -> list[list[str]]:
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                raise RosterUnreadable(
                    "CSV 文件的文字编码无法识别，请另存为 xlsx 文件 (the CSV is neither UTF-8 nor GB18030)") from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in line] for line in csv.reader(io.StringIO(text), dialect)]


def _tables_from_xlsx(data: bytes) -> tuple[list[list[str]], list[list[str]] | None]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise RosterUnreadable(f"无法读取 Excel 文件 (cannot read the .xlsx): {type(exc).__name__}") from None
    try:
        sheets = {ws.title: ws for ws in wb.worksheets}
        roster = sheets.get(ROSTER_SHEET)
        if roster is None:  # any sheet whose first row names 工号
            roster = next((ws for ws in wb.worksheets
                           if EMPLOYEE_NO in [cell_text(v) for v in next(ws.iter_rows(max_row=1, values_only=True), ())]),
                          wb.worksheets[0])
        table = [[cell_text(v) for v in row] for row in roster.iter_rows(values_only=True)]
        units = sheets.get(UNITS_SHEET)
        unit_table = [[cell_text(v) for v in row] for row in units.iter_rows(values_only=True)] if units else None
    finally:
        wb.close()
    return table, unit_table


def read_tables(data: bytes) -> tuple[list[list[str]], list[list[str]] | None]:
    """(roster table, units table or ``None``) of an .xlsx (a zip) or a CSV."""
    if not data.strip():
        raise RosterUnreadable("文件是空的 (the file is empty)")
    if data[:4] == b"PK\x03\x04":
        return _tables_from_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise RosterUnreadable("这是旧版 Excel 文件，请在 Excel 中另存为新版 xlsx 或 CSV 文件 (old .xls: save as .xlsx or CSV)")
    return _table_from_csv(data), None


def _header_index(header: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        name = name.replace(" ", "").replace("（可选）", "").replace("(可选)", "")
        if name in COLUMNS and name not in index:
            index[name] = i
    missing = [c for c in REQUIRED if c not in index]
    if missing:
        raise RosterUnreadable(
            f"缺少必填列：{'、'.join(missing)}；第 1 行应为表头 {'、'.join(COLUMNS)} "
            f"(missing required columns; row 1 must be the header)",
            details={"missing": missing},
        )
    return index


def parse_roster(data: bytes) -> ParsedRoster:
    """Every data row checked on its own; the file as a whole must have the required headers."""
    table, unit_table = read_tables(data)
    while table and not any(table[0]):
        table.pop(0)
    if not table:
        raise RosterUnreadable("文件中没有表头和数据 (no header and no rows)")
    index = _header_index(table[0])
    out = ParsedRoster(letters={col: get_column_letter(i + 1) for col, i in index.items()})
    seen: dict[str, int] = {}

    def get(line: list[str], col: str) -> str:
        i = index.get(col)
        return line[i].strip() if i is not None and i < len(line) else ""

    def refuse(rowno: int, col: str, reason: str, value: str = "") -> None:
        letter = get_column_letter(index[col] + 1) if col in index else ""
        out.refusals.append(Refusal(rowno, col, reason, value, letter))

    for rowno, line in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in line):
            continue  # blank lines between blocks are common in HR's sheets
        before = len(out.refusals)
        no, name, unit_text = get(line, EMPLOYEE_NO), get(line, NAME), get(line, UNIT)
        post, roles_text, phone_text, status = get(line, POST), get(line, ROLES), get(line, PHONE), get(line, STATUS)
        if not no:
            refuse(rowno, EMPLOYEE_NO, "工号不能为空")
        elif len(no) > MAX_USERNAME or any(c.isspace() for c in no):
            refuse(rowno, EMPLOYEE_NO, f"工号不能含空格，且不超过 {MAX_USERNAME} 个字符", no)
        elif no in seen:
            refuse(rowno, EMPLOYEE_NO, f"工号与第 {seen[no]} 行重复", no)
        else:
            seen[no] = rowno
        if not name:
            refuse(rowno, NAME, "姓名不能为空")
        elif len(name) > 64:
            refuse(rowno, NAME, "姓名超过 64 个字符", name)
        path = split_path(unit_text)
        if not path:
            refuse(rowno, UNIT, "单位不能为空，请写出从公司开始的路径，如 西北能化/甲醇生产车间/精馏班组")
        elif len(path) > 6:
            refuse(rowno, UNIT, "单位路径超过 6 级", unit_text)
        roles, unknown = parse_roles(split_roles(roles_text))
        if unknown:
            refuse(rowno, ROLES, f"未知角色：{'、'.join(unknown)}；可用角色为 干部、人力资源、单位负责人、责任部门、"
                                 "公司领导、监督小组、保密管理员、管理员，多个用「、」分隔", roles_text)
        phone = normalise_phone(phone_text)
        if phone is None:
            refuse(rowno, PHONE, "手机号应为 11 位数字，以 1 开头", phone_text)
        if status not in ("", ACTIVE, INACTIVE):
            refuse(rowno, STATUS, f"状态只能填「{ACTIVE}」或「{INACTIVE}」", status)
        if len(out.refusals) == before:
            out.rows.append(RosterRow(rowno, no, name, path, post, roles, phone or "", status != INACTIVE))
    if unit_table:
        _read_units(unit_table, out)
    return out


def _read_units(table: list[list[str]], out: ParsedRoster) -> None:
    header = [c.replace(" ", "") for c in table[0]] if table else []
    if UNIT_PATH not in header:
        return
    ip, ik = header.index(UNIT_PATH), header.index(UNIT_KIND) if UNIT_KIND in header else None
    ih = header.index(UNIT_HANDLER) if UNIT_HANDLER in header else None
    def cell(line: list[str], i: int | None) -> str:
        return line[i].strip() if i is not None and i < len(line) else ""

    for rowno, line in enumerate(table[1:], start=2):
        path = split_path(cell(line, ip))
        if not path:
            continue
        kind_text, handler_text = cell(line, ik), cell(line, ih)
        spec = UnitSpec()
        if kind_text:
            spec.kind = KIND_BY_ZH.get(kind_text) or (kind_text if kind_text in ZH_BY_KIND else None)
            if spec.kind is None:
                out.refusals.append(Refusal(rowno, f"{UNITS_SHEET}!{UNIT_KIND}",
                                            "类型只能填 公司、部门、车间 或 班组", kind_text))
                continue
        if handler_text in YES:
            spec.is_handler_dept = True
        elif handler_text and handler_text not in NO:
            out.refusals.append(Refusal(rowno, f"{UNITS_SHEET}!{UNIT_HANDLER}", "责任部门只能填 是 或 否", handler_text))
            continue
        out.units[path] = spec


def inferred_kind(path: tuple[str, ...]) -> str:
    """The kind of a unit the import creates without a 单位 sheet entry: by depth and name."""
    depth, name = len(path), path[-1]
    if depth == 1:
        return "company"
    if name.endswith(("车间", "分厂", "工段")):
        return "workshop"
    if name.endswith(("班组", "班", "组")) or depth >= 3:
        return "team"
    return "department"
