"""Issue 13 point 14: every .xlsx the server hands out types user-supplied text as text. A problem
description, a name, a post or a unit name that starts like a formula (OWASP CSV/formula
injection) opens as exactly that text — string cell, quote prefix — never as a formula."""

from __future__ import annotations

import io
import sqlite3

from openpyxl import load_workbook

from tests.builders import company_today, demo_interview_with_problem, issue_args, new_id

PAYLOADS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]

# Every .xlsx endpoint, by the writer module behind it (the unit test of server.platform.xlsx checks
# that this covers every module that writes a workbook).
ENDPOINTS = {
    "server.followup.exports.ledger_xlsx": ("/api/exports/ledger", None),
    "server.assessment.xlsx": ("/api/assessment/export", "quarter"),
    "server.dashboards.xlsx": ("/api/dashboards/export", "quarter"),
    "server.plans.exports": ("/api/plans/export/xlsx", "quarter"),
    # The plan template: its 说明 sheet lists the units and the cadres by name (h2-plans).
    "server.plans.imports": ("/api/plans/import/template", None),
    # The roster template and the one-time password slips: test_roster_slips_keep_planted_formulas_as_text.
    "server.roster.workbooks": ("/api/admin/roster/slips/{token}", "roster"),
}


def _plant(client, data_dir) -> dict:
    w = demo_interview_with_problem(client)
    cadre = w["cadre"]
    mutations = [
        ("issue.raise", issue_args(new_id(), w["interview_id"], unit_ids=[w["units"]["合成班组"]],
                                   description=text, solution=text, owner=text))
        for text in PAYLOADS
    ]
    res = cadre.push(*mutations)
    assert {r["status"] for r in res["results"]} == {"applied"}, res
    # A plan item for every cadre (the plan export names them and the unit), planted text in its title.
    with sqlite3.connect(data_dir / "fangtan.db") as db:
        cadre_ids = [r[0] for r in db.execute("select id from user where roles like '%cadre%'")]
    res = w["hr"].push(*[
        ("plan.save", {"id": new_id(), "scope": "company", "kind": "deep_review", "year": company_today().year,
                       "cadre_id": cadre_id, "unit_id": w["units"]["合成班组"], "title": PAYLOADS[2]})
        for cadre_id in cadre_ids
    ])
    assert {r["status"] for r in res["results"]} == {"applied"}, res
    # Names come from administrators (fangtan user add, the org import): plant them in the real file.
    with sqlite3.connect(data_dir / "fangtan.db") as db:
        users = db.execute("select username from user order by roles not like '%cadre%', username").fetchall()
        for (username,), text in zip(users, PAYLOADS * 2, strict=False):
            db.execute("update user set name = ?, post = ? where username = ?", (text, text, username))
        depts = [r[0] for r in db.execute("select id from org_unit where is_handler_dept = 1 order by id")][:2]
        others = [r[0] for r in db.execute("select id from org_unit where is_handler_dept = 0 order by id")]
        for unit_id, text in zip(depts + others, PAYLOADS[:2] + PAYLOADS * 3, strict=False):
            db.execute("update org_unit set name = ? where id = ?", (text, unit_id))
        # Problems handled by those two departments: the dashboard names them.
        for n, (issue_id,) in enumerate(db.execute("select id from issue order by id").fetchall()):
            db.execute("update issue set handler_unit_id = ? where id = ?", (depts[n % 2], issue_id))
    return w


def test_every_xlsx_export_opens_planted_formulas_as_the_same_text(client, data_dir) -> None:
    w = _plant(client, data_dir)
    today = company_today()
    params = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    for module, (path, period) in ENDPOINTS.items():
        if period == "roster":
            continue
        r = client.get(path, params=params if period else None, headers=w["hr"].headers)
        assert r.status_code == 200, (path, r.text)
        book = load_workbook(io.BytesIO(r.content))
        cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        assert not [c.coordinate for c in cells if c.data_type == "f"], (module, "formula cells")
        found = set()
        for c in cells:
            if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t", "\r")):
                assert c.data_type == "s" and c.quotePrefix, (module, c.coordinate, c.value)
                found.add(c.value)
        planted = {p for p in PAYLOADS if p in found}
        # The two named by the issue reach every file unchanged (ledger: descriptions; others: names).
        assert {PAYLOADS[0], PAYLOADS[1]} <= planted, (module, found)
        assert all(any(p in str(c.value) for c in cells) for p in PAYLOADS[:2])


def test_roster_slips_keep_planted_formulas_as_text(client) -> None:
    """Names typed as formulas in HR's roster come back in the printable slips as the same text."""
    from tests.builders import bearer, login
    from tests.roster_files import csv_bytes

    admin = bearer(login(client, "admin"))
    rows = [[f"2000{i}", text, "西北能化公司/甲醇生产车间", text, "干部", "", "在职"]
            for i, text in enumerate(PAYLOADS[:2])]
    preview = client.post("/api/admin/roster/preview", content=csv_bytes(rows), headers=admin).json()
    assert preview["summary"]["refused"] == 0, preview["refused"]
    applied = client.post("/api/admin/roster/apply", json={"token": preview["token"]}, headers=admin).json()
    slips = client.get(applied["slips_url"], headers=admin)
    assert slips.status_code == 200
    cells = [c for ws in load_workbook(io.BytesIO(slips.content)).worksheets for row in ws.iter_rows()
             for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = [c for c in cells if c.value in PAYLOADS[:2]]
    assert {c.value for c in names} == set(PAYLOADS[:2]) and all(c.data_type == "s" and c.quotePrefix for c in names)
