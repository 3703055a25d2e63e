"""The supervision group looks back (issue 17 point 2), at 1440×900 in zh-CN, against a real server
(``pwa/scripts/supervision-look-back.mjs``): last month has ended and nothing was committed for it,
yet the supervisor draws it, opens a sampled interview, records a finding and sees it with the
interview's form · place · date and the cadre. The interview is put in the database before the
server starts, as if held last month."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

from sync.ids import new_id
from tests.builders import Device, World, company_today, interview_args, open_db
from tests.e2e.browser.conftest import DIST, api_login, run_script
from tests.fangtan_cli import fangtan
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PLACE = "甲醇车间控制室"


def last_month() -> tuple[dt.date, dt.date]:
    end = company_today().replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def hold_last_month(data_dir: Path) -> tuple[str, dt.date, str]:
    start, _ = last_month()
    db = open_db(data_dir / "fangtan.db")
    ids = dict(db.conn.execute('SELECT username, id FROM "user"').fetchall())
    cadre_name = db.conn.execute('SELECT name FROM "user" WHERE username = ?', ["cadre"]).fetchone()[0]
    unit = db.conn.execute("SELECT id FROM org_unit WHERE name = '甲醇生产车间'").fetchone()[0]
    device = "d-seed-" + new_id()[:8]
    db.conn.execute("INSERT INTO device (id, user_id, name, created_at) VALUES (?, ?, 'seed', ?)",
                    (device, ids["cadre"], f"{start}T00:00:00+00:00"))
    day = start + dt.timedelta(days=9)
    iv = new_id()
    args = interview_args(iv, unit_id=unit, status="submitted", place=PLACE, summary="情况良好。",
                          started_at=f"{day}T09:00:00+08:00", ended_at=f"{day}T10:30:00+08:00")
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    result = Device(World(db, devices={ids["cadre"]: device}), ids["cadre"]).push(
        ("interview.save", args), now=moment, client_time=moment).results[0]
    assert result.status == "applied", result
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return iv, day, cadre_name


def test_supervisor_draws_last_month_opens_an_item_and_records_a_finding(browser_ready, data_dir, shots_dir) -> None:
    iv, day, cadre_name = hold_last_month(data_dir)
    period = f"{last_month()[0]:%Y-%m}"
    server = LiveServer(data_dir=data_dir, static_dir=DIST).start()
    try:
        output = run_script("supervision-look-back.mjs", server, shots_dir, period, iv, PLACE, day.isoformat(), cadre_name)
        for needle in (
            "ok: the stratification is explained in Chinese",
            "ok: the sampled item shows form · place · date",
            "ok: the draw rechecks from its published record",
            "ok: the verification file downloads",
            "ok: the sampled interview opens from the list",
            "ok: a 走过场 finding is recorded",
            "ok: the finding shows form · place · date and the cadre",
        ):
            assert needle in output, output
        _, sup = api_login(server, "supervisor")
        (drawn,) = httpx.get(f"{server.url}/api/supervision/draws", headers=sup, timeout=30).json()
        assert drawn["period"] == period and drawn["scheme"] == "period"
        # Drawing the month again returns the same draw.
        again = httpx.post(f"{server.url}/api/supervision/period-draws", json={"period": period, "rate": 1.0},
                           headers=sup, timeout=30)
        assert again.status_code == 200 and again.json()["id"] == drawn["id"] and again.json()["rate"] == 0.1
        verify = httpx.get(f"{server.url}/api/supervision/draws/{drawn['id']}/verify", headers=sup, timeout=30).json()
        assert verify["ok"] and verify["population"] == [["interview", iv, verify["population"][0][2]]]
        # The file the supervisor downloaded rechecks with no server.
        checked = fangtan("verify-draw", str(shots_dir / "verify.json"), timeout=60)
        assert checked.returncode == 0 and "draw verified" in checked.stdout, checked.stdout + checked.stderr
    finally:
        server.stop()
