"""HR pastes next year's holiday notice: preview shows the days and saves nothing; import saves them
and the year's report deadlines can be computed (issue 15 item 6). The CLI does the same."""

from __future__ import annotations

import subprocess
from pathlib import Path

from litestar.testing import TestClient

from server.store import connect
from sync.calendar import WorkCalendar
from tests.builders import bearer, login
from tests.fangtan_cli import fangtan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NOTICE = (FIXTURES / "notice-2031-example.txt").read_text(encoding="utf-8")


def test_preview_then_import_over_http(client: TestClient) -> None:
    hr, cadre = bearer(login(client, "hr")), bearer(login(client, "cadre"))
    # 2031: a made-up notice for a year the library will not know for years; 2030 entered as complete.
    assert client.put("/api/calendar/years/2030", json={"complete": True}, headers=hr).status_code == 200
    due = {"start": "2030-12-24", "days": 7}
    unknown = client.get("/api/calendar/working-days", params=due, headers=hr)
    assert unknown.status_code == 422 and unknown.json()["error"]["code"] == "calendar.unknown"

    assert client.post("/api/calendar/notice/preview", json={"text": NOTICE}, headers=cadre).status_code == 403
    preview = client.post("/api/calendar/notice/preview", json={"text": NOTICE}, headers=hr)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["year"] == 2031 and body["saved"] is False
    assert body["holidays_off"] == 8 and body["makeup_workdays"] == 2
    assert {"day": "2031-02-08", "workday": True, "holiday": "春节"} in body["days"]
    assert client.get("/api/calendar/working-days", params=due, headers=hr).status_code == 422  # nothing saved

    saved = client.post("/api/calendar/notice", json={"text": NOTICE}, headers=hr)
    assert saved.status_code == 201 and saved.json()["saved"] is True
    info = client.get("/api/calendar/", headers=hr).json()
    assert {"year": 2031, "complete": True}.items() <= next(y for y in info["years"] if y["year"] == 2031).items()
    assert client.get("/api/calendar/working-days", params=due, headers=hr).json()["date"] == "2031-01-03"


def test_bad_notices_are_a_400_naming_the_text_and_save_nothing(client: TestClient) -> None:
    hr = bearer(login(client, "hr"))
    for body, field in (({"text": "春节：1月22日至28日放假，共7天。"}, "text"),
                        ({"text": "春节：1月22日至28日放假调休，共8天。", "year": 2031}, "text"),
                        ({"text": "x" * 20_001}, "text"),
                        ({"text": NOTICE, "year": 1800}, "year")):
        r = client.post("/api/calendar/notice", json=body, headers=hr)
        assert r.status_code == 400 and r.json()["error"]["field"] == field, r.text
    r = client.post("/api/calendar/notice", json={"text": NOTICE, "days": []}, headers=hr)
    assert r.status_code == 400  # unknown fields refused
    assert not [y for y in client.get("/api/calendar/", headers=hr).json()["years"] if y["year"] == 2031]


def test_cli_import_dry_run_then_save(data_dir: Path, tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_bytes(NOTICE.encode("gb18030"))  # as saved by a Chinese Windows editor

    def cli(*args: str) -> subprocess.CompletedProcess:
        return fangtan("calendar", "import", str(notice), *args, data_dir=data_dir)

    dry = cli("--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "2031-02-08  上班  春节" in dry.stdout and "放假 8 天，调休上班 2 天" in dry.stdout
    assert not WorkCalendar.from_db(connect(data_dir / "fangtan.db")).knows(2031)
    done = cli()
    assert done.returncode == 0 and "已保存" in done.stdout, done.stderr
    assert WorkCalendar.from_db(connect(data_dir / "fangtan.db")).knows(2031)
    bad = tmp_path / "bad.txt"
    bad.write_text("国务院办公厅关于2031年部分节假日安排的通知 春节：1月22日至28日放假，共8天。", encoding="utf-8")
    refused = fangtan("calendar", "import", str(bad), data_dir=data_dir)
    assert refused.returncode != 0 and "写明共 8 天，识别出 7 天" in refused.stderr


def test_devices_get_the_calendar_table_with_hrs_days(client: TestClient) -> None:
    """What the tablet carries offline for report deadlines (GET /api/calendar/table): HR's days are in it."""
    import datetime as dt

    from sync.calendar import local_date

    hr, cadre = bearer(login(client, "hr")), bearer(login(client, "cadre"))
    year = local_date(dt.datetime.now(dt.UTC)).year + 1
    saturday = next(dt.date(year, 2, d) for d in range(1, 8) if dt.date(year, 2, d).weekday() == 5)
    assert client.put(f"/api/calendar/overrides/{saturday}", json={"workday": True, "note": "调休上班"},
                      headers=hr).status_code == 200
    assert client.put(f"/api/calendar/years/{year}", json={"complete": True}, headers=hr).status_code == 200
    r = client.get("/api/calendar/table", headers=cadre)
    assert r.status_code == 200, r.text
    table = r.json()
    assert table["from_year"] <= year <= table["to_year"] and year in table["known_years"]
    assert table["exceptions"][saturday.isoformat()] is True
    assert client.get("/api/calendar/table").status_code == 401
