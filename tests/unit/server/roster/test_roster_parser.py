"""The roster parser (server/roster/parse.py): encodings, headers, and every bad cell refused with its
row, column and a reason in Chinese."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from server.platform.xlsx import append_text_row
from server.roster.errors import RosterUnreadable
from server.roster.parse import inferred_kind, parse_roster
from server.roster.workbooks import slips_xlsx, template_xlsx
from tests.roster_files import HEADER, csv_bytes

GOOD = ["10023", "刘海涛", "西北能化/甲醇生产车间/精馏班组", "班组长", "干部、单位负责人", "138 0000 0000", "在职"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk_reads_the_same(encoding: str) -> None:
    parsed = parse_roster(csv_bytes([GOOD], encoding))
    assert parsed.refusals == []
    [row] = parsed.rows
    assert (row.employee_no, row.name, row.unit_path) == ("10023", "刘海涛", ("西北能化", "甲醇生产车间", "精馏班组"))
    assert row.roles == ["cadre", "unit_lead"] and row.phone == "13800000000" and row.active


def test_bad_cells_are_refused_with_row_column_and_reason() -> None:
    rows = [
        GOOD,
        ["", "张三", "西北能化/综合部", "", "干部", "", ""],  # row 3: no 工号
        ["10023", "李四", "西北能化/综合部", "", "干部", "", ""],  # row 4: duplicate
        ["10025", "", "西北能化/综合部", "", "干部", "", ""],  # row 5: no name
        ["10026", "王五", "", "", "干部", "", ""],  # row 6: no unit
        ["10027", "赵六", "西北能化/综合部", "", "干部、老板", "", ""],  # row 7: unknown role
        ["10028", "钱七", "西北能化/综合部", "", "", "12345", ""],  # row 8: bad phone
        ["10029", "孙八", "西北能化/综合部", "", "", "", "离职"],  # row 9: bad status
        ["10 30", "周九", "西北能化/综合部", "", "", "", ""],  # row 10: space in 工号
    ]
    parsed = parse_roster(csv_bytes(rows))
    got = {(r.row, r.column, r.column_letter): r.reason for r in parsed.refusals}
    assert set(got) == {(3, "工号", "A"), (4, "工号", "A"), (5, "姓名", "B"), (6, "单位", "C"), (7, "角色", "E"),
                        (8, "手机号", "F"), (9, "状态", "G"), (10, "工号", "A")}
    assert got[(4, "工号", "A")] == "工号与第 2 行重复"
    assert got[(7, "角色", "E")].startswith("未知角色：老板")
    assert "在职" in got[(9, "状态", "G")] and "停用" in got[(9, "状态", "G")]
    assert [r.employee_no for r in parsed.rows] == ["10023"]  # a refused row is not half-kept
    assert all("\u4e00" <= r.reason[0] <= "\u9fff" for r in parsed.refusals)  # reasons in Chinese


def test_columns_in_any_order_blank_lines_and_numbers_as_excel_keeps_them() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "人员名单"
    ws.append(["状态", "姓名", "工号", "单位", "角色", "备注"])
    ws.append([])
    ws.append(["停用", "刘海涛", 10023, "西北能化／甲醇生产车间", "cadre", "调走"])  # a number, a full-width slash
    out = io.BytesIO()
    wb.save(out)
    parsed = parse_roster(out.getvalue())
    assert parsed.refusals == []
    [row] = parsed.rows
    assert row.employee_no == "10023" and row.row == 3 and not row.active
    assert row.unit_path == ("西北能化", "甲醇生产车间") and row.roles == ["cadre"]


def test_a_file_without_the_required_headers_or_not_a_roster_is_unreadable() -> None:
    with pytest.raises(RosterUnreadable, match="工号"):
        parse_roster("姓名,单位\n张三,综合部\n".encode())
    with pytest.raises(RosterUnreadable):
        parse_roster(b"")
    with pytest.raises(RosterUnreadable, match=".xls"):
        parse_roster(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(RosterUnreadable):
        parse_roster(b"PK\x03\x04 not really a zip")


def test_the_units_sheet_gives_kinds_and_handler_departments() -> None:
    wb = load_workbook(io.BytesIO(template_xlsx()))
    append_text_row(wb["人员名单"], GOOD)
    append_text_row(wb["单位"], ["西北能化/甲醇生产车间", "部门", "是"])
    append_text_row(wb["单位"], ["西北能化/综合部", "科室", ""])
    out = io.BytesIO()
    wb.save(out)
    parsed = parse_roster(out.getvalue())
    spec = parsed.units[("西北能化", "甲醇生产车间")]
    assert spec.kind == "department" and spec.is_handler_dept
    assert [(r.row, r.column) for r in parsed.refusals] == [(3, "单位!类型")]
    assert inferred_kind(("西北能化",)) == "company"
    assert inferred_kind(("西北能化", "甲醇生产车间")) == "workshop"
    assert inferred_kind(("西北能化", "财务部")) == "department"
    assert inferred_kind(("西北能化", "甲醇生产车间", "精馏班组")) == "team"


def test_the_template_headers_are_the_parsers_columns() -> None:
    wb = load_workbook(io.BytesIO(template_xlsx()))
    assert [c.value for c in wb["人员名单"][1]] == HEADER
    assert wb.sheetnames == ["人员名单", "单位", "填写说明"]


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3", "@SUM(A1)"])
def test_slip_cells_that_look_like_formulas_stay_text(value: str) -> None:
    data = slips_xlsx([{"username": value, "name": value, "unit": value, "password": value, "roles": value}])
    wb = load_workbook(io.BytesIO(data))
    row = next(wb.active.iter_rows(min_row=3, max_row=3))
    assert [c.value for c in row[:5]] == [value] * 5
    assert {c.data_type for c in row[:5]} == {"s"}
    assert b"<f>" not in _sheet_xml(data)


def _sheet_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
