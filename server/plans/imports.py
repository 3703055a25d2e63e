"""计划导入 (issue 15 point 4): HR's company plan and a unit's plan from .xlsx — template, preview, apply.

The columns are those of the plan export (``server.plans.exports.COLUMNS``), so an exported plan
re-imports unchanged: 序号 (ignored), 计划 (公司年度访谈计划 / 单位访谈计划; empty: by the 类别), 类别,
时段 (``2027年第一季度``, ``2027年3月``, ``2027年度``; the year may be left out when the import names
it), 访谈干部 / 干部工号 (the cadre: 工号 wins, the name must then agree), 访谈单位 / 单位路径 (the unit:
the path of names wins, a name alone must be unique), 开始日期 / 截止日期 (optional: the whole
quarter / month / year), 事项 (the title), 加访原因 (required for 临时加访).

Every row is checked on its own, with the rules of ``plan.save`` (``sync.mutations.plan``) and the
caller's authority (``sync.policy`` ``plan.save``: HR any plan and unit, a unit lead the unit plans of
their own subtree). A row whose item is already in the plan — the duplicate rule of 复制上年计划,
``server.plans.carryover.duplicate_key`` — is *unchanged*, so importing the same file twice creates
nothing the second time. Applying pushes one ``plan.save`` per added row through the sync engine in
one push (one transaction) from the caller's server-side device (``carryover.push_as_server``), so
the items reach the cadres' tablets like any other; nothing is applied while a row is refused,
unless the caller asks for the valid rows only.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlite_utils import Database

from server.org.service import PATH_SEPARATOR, name_paths
from server.plans import queries
from server.plans.carryover import duplicate_key, push_as_server
from server.plans.errors import PlanFileTooLarge, PlanFileUnreadable, PlanImportRefused
from server.plans.exports import COLUMNS, KIND_ZH, SCOPE_ZH, WIDTHS
from server.platform.xlsx import append_text_row, new_workbook, table_sheet, workbook_bytes
from sync import policy
from sync.actor import Actor
from sync.engine import MAX_BATCH
from sync.entities import PlanItemRow
from sync.ids import new_id
from sync.mutations.base import SHORT
from sync.mutations.plan import KINDS_BY_SCOPE, MAX_YEAR, MIN_YEAR, period_bounds

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = MAX_BATCH
"""One import is one push of the sync engine (one transaction): at most its batch of mutations."""
SHEET = "访谈计划"
HELP_SHEET = "说明"

(NO, SCOPE, KIND, PERIOD, CADRE, UNIT, START, END, TITLE, REASON, CADRE_NO, UNIT_PATH) = COLUMNS
SCOPE_BY_ZH = {SCOPE_ZH["company"]: "company", "公司": "company", "公司计划": "company", "公司年度计划": "company",
               SCOPE_ZH["unit"]: "unit", "单位": "unit", "单位计划": "unit"}
KIND_BY_ZH = {**{v: k for k, v in KIND_ZH.items()}, "季度访谈": "quarterly", "年度深度复盘": "deep_review",
              "深度复盘": "deep_review", "月度访谈": "monthly", "每月 1 次": "monthly", "加访": "adhoc"}
SCOPE_OF_KIND = {k: s for s, kinds in KINDS_BY_SCOPE.items() for k in kinds}
QUARTER_ZH = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
REFUSED_SCOPE = {"company": "只有人力资源部可以导入公司年度访谈计划",
                 "unit": "只能导入本单位（及所属单位）的单位访谈计划"}


@dataclass
class Refusal:
    row: int
    """Row number as the spreadsheet shows it."""
    column: str
    reason: str
    value: str = ""
    column_letter: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "column_letter": self.column_letter, "value": self.value,
                "reason": self.reason}


@dataclass
class ImportPlan:
    year: int | None
    scope: str | None
    added: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    args: list[dict[str, Any]] = field(default_factory=list)
    """The ``plan.save`` arguments of the added rows, in their order."""

    def summary(self) -> dict[str, int]:
        return {"added": len(self.added), "unchanged": len(self.unchanged), "refused": len(self.refused),
                "refused_rows": len({r.row for r in self.refused})}

    def as_dict(self) -> dict[str, Any]:
        return {"year": self.year, "scope": self.scope, "summary": self.summary(), "added": self.added,
                "unchanged": self.unchanged, "refused": [r.as_dict() for r in self.refused]}


@dataclass
class ImportAnswer:
    summary: dict[str, int]
    created: int = 0
    rejected: list[str] = field(default_factory=list)
    """Reasons of rows the engine refused (none in practice: the rows passed the same rules)."""

    def as_dict(self) -> dict[str, Any]:
        return {"summary": self.summary, "created": self.created, "rejected": self.rejected}


# --- reading the file ------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def _clean_header(text: str) -> str:
    return text.replace(" ", "").replace("（可选）", "").replace("(可选)", "").replace("*", "")


def read_table(data: bytes) -> list[list[object]]:
    """The plan sheet of an .xlsx as rows of cell values (the header first)."""
    if len(data) > MAX_BYTES:
        raise PlanFileTooLarge(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB (the file is larger than 5 MB)", field="file")
    if not data.strip():
        raise PlanFileUnreadable("文件是空的 (the file is empty)", field="file")
    if data[:4] != b"PK\x03\x04":
        old = data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        raise PlanFileUnreadable("这是旧版 .xls 文件，请在 Excel 中另存为 .xlsx (old .xls: save as .xlsx)" if old
                                 else "不是 Excel .xlsx 文件，请使用计划模板 (not an .xlsx file)", field="file")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise PlanFileUnreadable(f"无法读取 Excel 文件 (cannot read the .xlsx): {type(exc).__name__}",
                                 field="file") from None
    try:
        sheets = {ws.title: ws for ws in wb.worksheets}
        ws = sheets.get(SHEET)
        if ws is None:
            ws = next((s for s in wb.worksheets if s.title != HELP_SHEET), wb.worksheets[0])
        table: list[list[object]] = []
        for row in ws.iter_rows(values_only=True):
            table.append(list(row))
            if len(table) > 10 * MAX_ROWS:
                raise PlanFileTooLarge(f"一次最多导入 {MAX_ROWS} 项计划，请分批导入 (at most {MAX_ROWS} rows)",
                                       field="file")
    finally:
        wb.close()
    return table


def _header_index(header: list[str]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        name = _clean_header(name)
        if name in COLUMNS and name not in index:
            index[name] = i
    missing = [c for c in (KIND, PERIOD) if c not in index]
    if CADRE not in index and CADRE_NO not in index:
        missing.append(f"{CADRE_NO}或{CADRE}")
    if UNIT not in index and UNIT_PATH not in index:
        missing.append(f"{UNIT_PATH}或{UNIT}")
    if missing:
        raise PlanFileUnreadable(
            f"缺少必填列：{'、'.join(missing)}；表头应为 {'、'.join(COLUMNS)}，请使用计划模板 "
            "(missing required columns; the header must be the plan template's)",
            field="file", details={"missing": missing})
    return index


def _parse_period(text: str) -> tuple[int | None, int | None, int | None] | None:
    """(year, quarter, month) of ``2027年第一季度`` / ``2027年3月`` / ``2027年度`` / ``第二季度`` / ``3月``;
    ``None`` when unreadable."""
    t = text.replace(" ", "").replace("　", "")
    m = re.match(r"(\d{4})(?:年|-|/|\.)?", t)
    year = int(m.group(1)) if m else None
    rest = t[m.end():] if m else t
    if rest in ("", "度", "年度", "全年", "全年度"):
        return (year, None, None) if year is not None or rest else None
    if q := re.fullmatch(r"第?([一二三四1-4])季度?|[Qq]([1-4])", rest):
        return year, QUARTER_ZH[q.group(1) or q.group(2)], None
    if mo := re.fullmatch(r"(\d{1,2})月份?", rest):
        month = int(mo.group(1))
        return (year, None, month) if 1 <= month <= 12 else None
    return None


def _parse_date(value: object) -> dt.date | None | str:
    """A date cell or text (2027-01-05, 2027/1/5, 2027年1月5日); ``""`` when empty, ``None`` when unreadable."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", str(value).strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _split_path(text: str) -> str:
    return PATH_SEPARATOR.join(p.strip() for p in text.replace("／", "/").replace("\\", "/").split("/") if p.strip())


# --- planning against the database -----------------------------------------------------------------


class _World:
    """What the rows are checked against: cadres, units, the items already planned."""

    def __init__(self, db: Database) -> None:
        self.db = db
        cadres = queries.cadres(db)
        self.by_username = {c[1]: c for c in cadres}
        self.by_id = {c[0]: c for c in cadres}
        self.by_name: dict[str, list[tuple[str, str, str, bool]]] = {}
        for c in cadres:
            self.by_name.setdefault(c[2], []).append(c)
        self.users = queries.usernames(db)
        self.paths = name_paths(db)
        self.by_path = {p: uid for uid, p in self.paths.items()}
        self.by_leaf: dict[str, list[str]] = {}
        for uid, p in self.paths.items():
            self.by_leaf.setdefault(p.rsplit(PATH_SEPARATOR, 1)[-1], []).append(uid)
        self.id_paths = queries.unit_paths(db)
        self.disabled = {r[0] for r in db.conn.execute("SELECT id FROM org_unit WHERE disabled = 1")}
        self._planned: dict[int, set[tuple]] = {}

    def planned(self, year: int) -> set[tuple]:
        if year not in self._planned:
            self._planned[year] = {duplicate_key(i) for i in queries.plan_items(self.db, year=year, scope=None)}
        return self._planned[year]


def plan_import(db: Database, actor: Actor, data: bytes, *, year: int | None = None,
                scope: str | None = None) -> ImportPlan:
    """What importing ``data`` would add, leave unchanged and refuse (nothing is saved).

    ``year``: the year of the screen / ``--year``; rows naming another year are refused, rows
    without one take it. ``scope``: the screen's plan (公司 / 单位); rows of the other plan are refused."""
    table = read_table(data)
    first = next((i for i, line in enumerate(table) if any(cell_text(v) for v in line)), None)
    if first is None:
        raise PlanFileUnreadable("文件中没有表头和数据 (no header and no rows)", field="file")
    # The template and the export open with a title row (《××××年度干部访谈计划》) above the header.
    header_at = next((i for i in range(first, min(first + 3, len(table)))
                      if sum(_clean_header(cell_text(v)) in COLUMNS for v in table[i]) >= 3), first)
    index = _header_index([cell_text(v) for v in table[header_at]])
    letters = {col: get_column_letter(i + 1) for col, i in index.items()}
    body = table[header_at + 1:]
    if sum(1 for line in body if any(cell_text(v) for v in line[1:])) > MAX_ROWS:
        raise PlanFileTooLarge(f"一次最多导入 {MAX_ROWS} 项计划，请分批导入 (at most {MAX_ROWS} rows)", field="file")
    world = _World(db)
    out = ImportPlan(year=year, scope=scope)
    seen: dict[tuple, int] = {}

    def raw(line: list[object], col: str) -> object:
        i = index.get(col)
        return line[i] if i is not None and i < len(line) else None

    for rowno, line in enumerate(body, start=header_at + 2):
        text = {col: cell_text(raw(line, col)) for col in COLUMNS}
        if not any(v for c, v in text.items() if c != NO):
            continue  # blank lines (and a 序号 column filled in advance)
        refusals: list[Refusal] = []

        def refuse(col: str, reason: str, value: str = "", *, _r: list[Refusal] = refusals, _n: int = rowno) -> None:
            _r.append(Refusal(_n, col, reason, value, letters.get(col, "")))

        item = _row(world, actor, text, raw, line, refuse, year=year, scope=scope)
        if refusals or item is None:
            out.refused.extend(refusals)
            continue
        key = duplicate_key(item)
        entry = _entry(rowno, item, world)
        if key in seen:
            refuse(CADRE_NO if CADRE_NO in index else CADRE,
                   f"与第 {seen[key]} 行重复（同一干部、单位、类别和时段只计划一次）", entry["cadre"])
            out.refused.extend(refusals)
            continue
        seen[key] = rowno
        if key in world.planned(item.year):
            out.unchanged.append(entry)
            continue
        out.added.append(entry)
        out.args.append(_args(item))
    return out


def _row(world: _World, actor: Actor, text: dict[str, str], raw, line, refuse, *, year: int | None,
         scope: str | None) -> PlanItemRow | None:
    """One row as the plan item it would create, or ``None`` (its refusals given to ``refuse``)."""
    kind_text = text[KIND]
    kind = KIND_BY_ZH.get(kind_text.replace(" ", "")) or (kind_text if kind_text in KIND_ZH else None)
    if kind is None:
        refuse(KIND, "类别不能为空" if not kind_text else
               f"类别只能填 {'、'.join(KIND_ZH.values())}", kind_text)
    scope_text = text[SCOPE]
    row_scope = SCOPE_BY_ZH.get(scope_text.replace(" ", "")) if scope_text else (SCOPE_OF_KIND.get(kind or ""))
    if scope_text and row_scope is None:
        refuse(SCOPE, f"计划只能填「{SCOPE_ZH['company']}」或「{SCOPE_ZH['unit']}」", scope_text)
    elif row_scope and kind and kind not in KINDS_BY_SCOPE[row_scope]:
        allowed = "、".join(KIND_ZH[k] for k in KINDS_BY_SCOPE[row_scope])
        refuse(KIND, f"{SCOPE_ZH[row_scope]}的类别只能是 {allowed}", kind_text)
    elif row_scope and scope and row_scope != scope:
        refuse(SCOPE, f"本页面导入{SCOPE_ZH[scope]}，这一行属于{SCOPE_ZH[row_scope]}，请到相应页面导入",
               scope_text or SCOPE_ZH[row_scope])

    period = _parse_period(text[PERIOD]) if text[PERIOD] else (None, None, None)
    row_year = quarter = month = None
    if period is None:
        refuse(PERIOD, "时段格式应为「2027年第一季度」「2027年3月」或「2027年度」", text[PERIOD])
    else:
        row_year, quarter, month = period
        if row_year is None:
            row_year = year
        if row_year is None:
            refuse(PERIOD, "时段须写明年份，如「2027年第一季度」", text[PERIOD])
        elif not MIN_YEAR <= row_year <= MAX_YEAR:
            refuse(PERIOD, f"年份应在 {MIN_YEAR}—{MAX_YEAR} 之间", text[PERIOD])
        elif year is not None and row_year != year:
            refuse(PERIOD, f"时段为 {row_year} 年，与导入的年度 {year} 年不符", text[PERIOD])
        if kind == "quarterly" and quarter is None:
            refuse(PERIOD, "每季度访谈须写明季度，如「2027年第一季度」", text[PERIOD])
        elif kind == "monthly" and month is None:
            refuse(PERIOD, "每月访谈须写明月份，如「2027年3月」", text[PERIOD])
        elif kind == "deep_review" and (quarter or month):
            refuse(PERIOD, "年度深度复盘访谈的时段是全年，如「2027年度」", text[PERIOD])
        elif kind == "adhoc" and quarter:
            refuse(PERIOD, "临时加访的时段写月份（如「2027年3月」）或全年", text[PERIOD])
        elif kind == "quarterly" and month:
            refuse(PERIOD, "每季度访谈的时段写季度，如「2027年第一季度」", text[PERIOD])

    cadre_id = _cadre(world, text, refuse)
    unit_id = _unit(world, text, refuse)
    if unit_id and row_scope and not policy.can(actor, "plan.save", (row_scope, world.id_paths.get(unit_id))):
        refuse(SCOPE if row_scope == "company" else (UNIT_PATH if text[UNIT_PATH] else UNIT),
               REFUSED_SCOPE[row_scope], world.paths.get(unit_id, ""))

    title, reason = text[TITLE] or None, text[REASON] or None
    for col, value in ((TITLE, title), (REASON, reason)):
        if value and len(value) > SHORT:
            refuse(col, f"不能超过 {SHORT} 个字", value[:20] + "…")
    if kind == "adhoc" and not reason:
        refuse(REASON, "临时加访须写明加访原因（重点项目或突发问题）")

    window: dict[str, dt.date] = {}
    if row_year is not None and period is not None and MIN_YEAR <= row_year <= MAX_YEAR:
        lo, hi = period_bounds(row_year, quarter, month)
        for col, default, name in ((START, lo, "window_start"), (END, hi, "window_end")):
            day = _parse_date(raw(line, col))
            if day is None:
                refuse(col, "日期格式应为 2027-01-05", text[col])
            elif day == "":
                window[name] = default
            elif not lo <= day <= hi:  # type: ignore[operator]
                refuse(col, f"日期应在时段之内（{lo.isoformat()} 至 {hi.isoformat()}）", text[col])
            else:
                window[name] = day  # type: ignore[assignment]
        if len(window) == 2 and window["window_start"] > window["window_end"]:
            refuse(END, "截止日期早于开始日期", text[END])
    if not (kind and row_scope and row_year and cadre_id and unit_id and len(window) == 2):
        return None
    return PlanItemRow(id="", scope=row_scope, kind=kind, year=row_year, quarter=quarter, month=month,  # type: ignore[arg-type]
                       cadre_id=cadre_id, unit_id=unit_id, title=title, reason=reason, created_by="",
                       created_at="", updated_at="", **window)


def _cadre(world: _World, text: dict[str, str], refuse) -> str | None:
    no, name = text[CADRE_NO], text[CADRE]
    if no:
        found = world.by_username.get(no)
        if found is None:
            refuse(CADRE_NO, "没有这个工号的干部（须为有「干部」角色的在职人员）", no)
            return None
        if found[3]:
            refuse(CADRE_NO, f"{found[2]}（{no}）的账号已停用", no)
            return None
        if name and name != found[2]:
            refuse(CADRE, f"姓名与工号 {no} 不符（系统中为 {found[2]}）", name)
            return None
        return found[0]
    if not name:
        refuse(CADRE, "访谈干部不能为空（填写干部工号或姓名）")
        return None
    matches = [c for c in world.by_name.get(name, []) if not c[3]]
    if not matches:
        refuse(CADRE, "没有这个姓名的在职干部", name)
        return None
    if len(matches) > 1:
        refuse(CADRE, f"有 {len(matches)} 位干部同名（工号 {'、'.join(c[1] for c in matches)}），请填写干部工号", name)
        return None
    return matches[0][0]


def _unit(world: _World, text: dict[str, str], refuse) -> str | None:
    """The planned unit; a disabled one (停用) is refused, as ``plan.save`` would refuse it."""
    unit_id = _named_unit(world, text, refuse)
    if unit_id is not None and unit_id in world.disabled:
        column = UNIT_PATH if _split_path(text[UNIT_PATH]) else UNIT
        refuse(column, f"单位「{world.paths[unit_id]}」已停用，不能再选用", text[column])
        return None
    return unit_id


def _named_unit(world: _World, text: dict[str, str], refuse) -> str | None:
    path, name = _split_path(text[UNIT_PATH]), text[UNIT]
    if path:
        unit_id = world.by_path.get(path)
        if unit_id is None:
            refuse(UNIT_PATH, "没有这个单位，请写出从公司开始的完整路径，如 西北能化/甲醇生产车间", text[UNIT_PATH])
            return None
        if name and name != path.rsplit(PATH_SEPARATOR, 1)[-1]:
            refuse(UNIT, f"访谈单位与单位路径不符（路径中为 {path.rsplit(PATH_SEPARATOR, 1)[-1]}）", name)
            return None
        return unit_id
    if not name:
        refuse(UNIT, "访谈单位不能为空（填写单位路径或单位名称）")
        return None
    matches = world.by_leaf.get(name, [])
    if not matches:
        refuse(UNIT, "没有这个单位", name)
        return None
    if len(matches) > 1:
        refuse(UNIT, f"有 {len(matches)} 个单位同名（{'、'.join(world.paths[u] for u in matches)}），请填写单位路径", name)
        return None
    return matches[0]


def _entry(rowno: int, item: PlanItemRow, world: _World) -> dict[str, Any]:
    from server.plans.exports import period_zh

    return {"row": rowno, "scope": item.scope, "scope_zh": SCOPE_ZH[item.scope], "kind": item.kind,
            "kind_zh": KIND_ZH[item.kind], "year": item.year, "period": period_zh(item),
            "cadre": world.by_id[item.cadre_id][2],
            "cadre_no": world.users.get(item.cadre_id, ""), "unit": world.paths.get(item.unit_id, item.unit_id),
            "window_start": item.window_start.isoformat(), "window_end": item.window_end.isoformat(),
            "title": item.title or "", "reason": item.reason or ""}


def _args(item: PlanItemRow) -> dict[str, Any]:
    args: dict[str, Any] = {"id": new_id(), "scope": item.scope, "kind": item.kind, "year": item.year,
                            "cadre_id": item.cadre_id, "unit_id": item.unit_id,
                            "window_start": item.window_start.isoformat(), "window_end": item.window_end.isoformat()}
    for name in ("quarter", "month", "title", "reason"):
        if getattr(item, name) is not None:
            args[name] = getattr(item, name)
    return args


def apply_import(db: Database, actor: Actor, data: bytes, *, year: int | None, scope: str | None,
                 apply_valid: bool, now: dt.datetime) -> ImportAnswer:
    """Plan again against the database as it is now, then push the added rows in one transaction
    (writer connection, no transaction open). Refused rows: 422 ``plan.import_refused``, nothing
    applied, unless ``apply_valid``."""
    plan = plan_import(db, actor, data, year=year, scope=scope)
    if plan.refused and not apply_valid:
        raise PlanImportRefused(
            f"有 {len(plan.refused)} 行被拒绝，未导入任何计划；请修改后重新导入，或选择仅导入有效行 "
            "(rows refused: nothing applied)", details={"summary": plan.summary(),
                                                         "refused": [r.as_dict() for r in plan.refused]})
    answer = ImportAnswer(summary=plan.summary())
    if not plan.args:
        return answer
    for r in push_as_server(db, actor, [("plan.save", args) for args in plan.args], now):
        if r.status == "applied":
            answer.created += 1
        else:
            answer.rejected.append(r.error.message if r.error else r.status)
    return answer


# --- the template --------------------------------------------------------------------------------

_HEAD = Font(bold=True, name="宋体")
_FILL = PatternFill("solid", fgColor="D9E1F2")


def template_xlsx(db: Database, actor: Actor | None, *, scope: str) -> bytes:
    """The plan template: sheet 访谈计划 (the export's columns, empty), sheet 说明 (the columns, the
    allowed values, the units the caller may plan — every unit for ``actor=None``, the CLI — and the
    cadres by 工号)."""
    kinds = KINDS_BY_SCOPE[scope]
    wb = new_workbook()
    ws = table_sheet(wb, SHEET, COLUMNS, WIDTHS)
    for i, col in enumerate(COLUMNS, 1):  # text, so Excel keeps 工号 00123 as typed
        if col not in (START, END, NO):
            for row in range(2, MAX_ROWS + 2):
                ws.cell(row, i).number_format = "@"
    col_of = {c: get_column_letter(i) for i, c in enumerate(COLUMNS, 1)}
    for col, values in ((SCOPE, [SCOPE_ZH[scope]]), (KIND, [KIND_ZH[k] for k in kinds])):
        dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        dv.error, dv.errorTitle = "请从下拉列表中选择", col
        ws.add_data_validation(dv)
        dv.add(f"{col_of[col]}2:{col_of[col]}{MAX_ROWS + 1}")

    help_ws = wb.create_sheet(HELP_SHEET)
    example_year = "2027"
    lines: list[tuple[str, str, str]] = [
        ("列", "必填", "说明"),
        (NO, "否", "可不填，导入时忽略。"),
        (SCOPE, "否", f"「{SCOPE_ZH[scope]}」" + ("（人力资源部）。" if scope == "company" else "（单位负责人：本单位及所属单位）。")
         + "不填时按类别判断。"),
        (KIND, "是", "可填：" + "、".join(KIND_ZH[k] for k in kinds) + "。"),
        (PERIOD, "是", "每季度访谈填季度，如「" + example_year + "年第一季度」；每月访谈填月份，如「" + example_year
         + "年3月」；年度深度复盘访谈填「" + example_year + "年度」；临时加访填月份或全年。可省略年份（按导入时选择的年度）。"),
        (CADRE, "是*", f"干部姓名；与「{CADRE_NO}」至少填一项，同名时须填工号。"),
        (UNIT, "是*", f"被访谈单位名称；与「{UNIT_PATH}」至少填一项，同名时须填路径。"),
        (START, "否", "不填则为整个季度/月份/年度；须在时段之内，格式 " + example_year + "-01-05。"),
        (END, "否", "同上，不早于开始日期。"),
        (TITLE, "否", f"访谈事项，不超过 {SHORT} 字。"),
        (REASON, "临时加访必填", "重点项目或突发问题。"),
        (CADRE_NO, "是*", "干部的工号（登录账号），须有「干部」角色。"),
        (UNIT_PATH, "是*", "从公司开始的完整路径，用 / 分隔，如 西北能化/甲醇生产车间。"),
        ("", "", ""),
        ("导入", "", "先预览：列出将新增、已在计划中（不变）和被拒绝的行（行号、列、原因）。有被拒绝的行时不会导入，"
                   "除非选择「仅导入有效行」。已在计划中的同一干部、单位、类别和时段不会重复新增，"
                   "同一文件再次导入不会产生任何更改；导出的计划表可直接再导入。"),
        ("", "", ""),
        ("可填的单位", "", "单位路径"),
    ]
    id_paths = queries.unit_paths(db)
    paths = name_paths(db)
    retired = {r[0] for r in db.conn.execute("SELECT id FROM org_unit WHERE disabled = 1")}
    for uid, path in sorted(paths.items(), key=lambda p: p[1]):
        if uid in retired:
            continue
        if actor is None or policy.can(actor, "plan.save", (scope, id_paths.get(uid))):
            lines.append(("", "", path))
    lines += [("", "", ""), ("干部", "工号", "姓名")]
    for _, username, name, disabled in sorted(queries.cadres(db), key=lambda c: c[1]):
        if not disabled:
            lines.append(("", username, name))
    for line in lines:
        append_text_row(help_ws, line)
    help_ws.column_dimensions["A"].width, help_ws.column_dimensions["B"].width = 14, 16
    help_ws.column_dimensions["C"].width = 100
    for cell in help_ws[1]:
        cell.font, cell.fill = _HEAD, _FILL
    for row in help_ws.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(wb)
