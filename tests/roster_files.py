"""Rosters as HR would write them, for the import tests and bench/roster.py (deterministic)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

HEADER = ["工号", "姓名", "单位", "职务", "角色", "手机号", "状态"]
COMPANY = "西北能化"
DEPARTMENTS = ["人力资源部", "生产技术部", "设备管理部", "综合部", "财务部", "安全环保部", "工会"]
WORKSHOPS = ["甲醇生产车间", "设备检修车间", "热电车间", "气化车间", "净化车间", "储运车间", "动力车间", "质检车间"]
TEAMS = ["一班组", "二班组", "精馏班组"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def unit_paths(company: str = COMPANY) -> list[str]:
    """40 units: the company, 7 departments, 8 workshops with 3 teams each."""
    paths = [company] + [f"{company}/{d}" for d in DEPARTMENTS]
    for w in WORKSHOPS:
        paths.append(f"{company}/{w}")
        paths += [f"{company}/{w}/{t}" for t in TEAMS]
    return paths


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + GIVEN[(i * 7) % len(GIVEN)]


def roster_rows(accounts: int = 500, employees: int = 0, company: str = COMPANY) -> list[list[str]]:
    """``accounts`` cadres and officers (工号 A0001…; a few HR, leaders, an admin, handlers in the
    departments) and ``employees`` employees without a role (工号 E00001…) spread over the teams."""
    COMPANY = company  # noqa: N806
    paths = unit_paths(company)
    rows = []
    for i in range(accounts):
        if i == 0:
            unit, roles, post = f"{COMPANY}/人力资源部", "人力资源", "人力资源部主任"
        elif i == 1:
            unit, roles, post = f"{COMPANY}/综合部", "管理员", "信息化管理员"
        elif i < 4:
            unit, roles, post = COMPANY, "公司领导", "副总经理"
        elif i < 20:
            unit, roles, post = f"{COMPANY}/{DEPARTMENTS[1 + i % 5]}", "责任部门", "副部长"
        else:
            unit = paths[8 + i % (len(paths) - 8)] if i % 3 else paths[1 + i % (len(paths) - 1)]
            roles, post = ("干部、单位负责人", "党支部书记") if i % 10 == 0 else ("干部", "管理干部")
        rows.append([f"A{i:04d}", _name(i), unit, post, roles, f"139{i:08d}", "在职"])
    teams = [p for p in paths if p.count("/") == 2]
    for j in range(employees):
        rows.append([f"E{j:05d}", _name(j + 7), teams[j % len(teams)], "操作工", "", "", "在职"])
    return rows


def write_xlsx(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员名单")
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)
