"""Issue 17 point 4: HR exports exactly the tracking board's filtered rows. ``GET /api/exports/ledger``
takes the board's filters and sort (server/followup/board.py, the twin of the PWA's table) on top of
what the policy lets the caller pull; the rows are checked here against the pull itself, computed
independently with the one overdue rule."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from openpyxl import load_workbook

from server.app import create_app
from server.settings import Settings
from sync.followup_rules import is_overdue
from tests.builders import bearer, company_today, login, seed_demo_story


@pytest.fixture
def story(data_dir: Path, tmp_path: Path) -> Iterator[TestClient]:
    seed_demo_story(data_dir)
    settings = Settings.from_env(environ={}, data_dir=data_dir, static_dir=tmp_path / "no-pwa")
    with TestClient(create_app(settings)) as client:
        yield client


def _ledger(client: TestClient, headers: dict[str, str], **params) -> list[dict]:
    r = client.get("/api/exports/ledger", params=params, headers=headers)
    assert r.status_code == 200, r.text
    ws = load_workbook(io.BytesIO(r.content)).active
    header = [c.value for c in ws[2]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=3)]


def _pulled_issues(client: TestClient, headers: dict[str, str]) -> list[dict]:
    r = client.get("/api/sync/pull", params={"cursor": 0, "limit": 10000}, headers=headers)
    assert r.status_code == 200 and r.json()["has_more"] is False
    return [c["row"] for c in r.json()["changes"] if c["entity"] == "issue" and not c["deleted"]]


def test_the_ledger_holds_the_filtered_rows_in_the_boards_order(story: TestClient) -> None:
    hr = bearer(login(story, "hr"))
    issues = _pulled_issues(story, hr)
    assert len(issues) == 22
    everything = _ledger(story, hr)
    assert [r["序号"] for r in everything] == list(range(1, 23))  # no filter: every problem, as before

    today = company_today()
    overdue = sorted((i for i in issues if is_overdue(i["status"], i["due_date"], today)),
                     key=lambda i: (i["due_date"], i["created_at"], i["id"]))
    assert overdue, "the demo has overdue problems"
    rows = _ledger(story, hr, overdue="1", sort="overdue")
    assert [r["问题描述"] for r in rows] == [i["description"] for i in overdue]
    assert [r["序号"] for r in rows] == list(range(1, len(overdue) + 1))
    assert all("逾期" in r["状态"] for r in rows)

    units = {u["name"]: u["id"] for u in story.get("/api/org/units", headers=hr).json()}
    dept = _ledger(story, hr, dept=units["设备管理部"], sort="due")
    mine = [i for i in issues if i["handler_unit_id"] == units["设备管理部"]]
    assert mine and len(dept) == len(mine) and {r["责任部门"] for r in dept} == {"设备管理部"}
    dues = [r["完成时限"] for r in dept]
    assert dues == sorted(dues)

    word = "密封"
    hits = _ledger(story, hr, q=word, sort="newest")
    expected = sorted((i for i in issues if any(word in (i.get(f) or "") for f in ("description", "solution", "owner"))),
                      key=lambda i: i["created_at"], reverse=True)
    assert hits and [r["问题描述"] for r in hits] == [i["description"] for i in expected]

    assert _ledger(story, hr, category="suggestion", status="raised", due_to="2000-01-01") == []


def test_a_leader_gets_the_same_rows_and_a_handler_none(story: TestClient) -> None:
    hr, leader, handler = (bearer(login(story, u)) for u in ("hr", "leader", "handler"))
    assert _ledger(story, leader, overdue="1", sort="overdue") == _ledger(story, hr, overdue="1", sort="overdue")
    r = story.get("/api/exports/ledger", params={"overdue": "1"}, headers=handler)
    assert r.status_code == 403 and r.json()["error"]["code"] == "auth.forbidden"


@pytest.mark.parametrize(("name", "value"), [("status", "open"), ("sort", "random"), ("due_from", "2026-13-01"),
                                             ("unit", "no-such-unit"), ("overdue", "maybe")])
def test_a_bad_filter_gets_a_400_naming_it(story: TestClient, name: str, value: str) -> None:
    r = story.get("/api/exports/ledger", params={name: value}, headers=bearer(login(story, "hr")))
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["code"] == "request.invalid_field" and error["field"] == name, error
