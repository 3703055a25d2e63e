"""A real uvicorn server: a reminder that fell due while the server was down is sent once when it
comes back — also after a crash (SIGKILL) and another restart — never twice."""

import datetime as dt
import time

import httpx

from sync.calendar import library_years
from sync.ids import new_id
from tests.builders import company_today
from tests.live_server import LiveServer


def _login(url: str, user: str, device_id: str | None = None) -> dict:
    r = httpx.post(f"{url}/api/auth/login", json={"username": user, "password": "fangtan-demo",
                                                   "device_name": "t", "device_id": device_id}, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def _inbox(url: str, session: dict) -> list[dict]:
    h = {"Authorization": f"Bearer {session['access_token']}"}
    page = httpx.get(f"{url}/api/sync/pull", params={"limit": 1000}, headers=h, timeout=10).json()
    return [c["row"] for c in page["changes"] if c["entity"] == "notification"]


def _wait_inbox(url: str, session: dict, iid: str) -> list[dict]:
    deadline = time.monotonic() + 10  # the start-up tick runs right after the server answers health checks
    while True:
        mine = [n for n in _inbox(url, session) if n["entity_id"] == iid]
        if mine or time.monotonic() > deadline:
            return mine
        time.sleep(0.1)


def test_report_overdue_reminder_sent_once_across_restarts(data_dir) -> None:
    # A long interval: the only ticks are the ones at start-up.
    server = LiveServer(data_dir=data_dir, env={"FANGTAN_SCHEDULER_INTERVAL_S": "3600"}).start()
    try:
        url = server.url
        admin = _login(url, "admin")
        year = company_today().year
        if year > library_years()[1]:  # keep the test meaningful after the bundled calendar runs out
            httpx.put(f"{url}/api/calendar/years/{year}", json={"complete": True},
                      headers={"Authorization": f"Bearer {admin['access_token']}"}, timeout=10)
        cadre = _login(url, "cadre")
        h = {"Authorization": f"Bearer {cadre['access_token']}"}
        units = {u["name"]: u["id"] for u in httpx.get(f"{url}/api/org/units", headers=h, timeout=10).json()}
        started = (dt.datetime.now(dt.UTC) - dt.timedelta(days=30)).astimezone(dt.timezone(dt.timedelta(hours=8)))
        iid = new_id()
        body = {"protocol": 1, "schema_version": 1, "device_id": cadre["device_id"],
                "client_time": dt.datetime.now(dt.UTC).isoformat(),
                "mutations": [{"id": 1, "name": "interview.save", "args": {
                    "id": iid, "adhoc_reason": "临时加访", "form": "walkthrough", "unit_id": units["甲醇生产车间"],
                    "started_at": started.isoformat(), "place": "合成工段", "topics": ["business.2"],
                    "summary": "设备老化", "status": "submitted"}}]}
        r = httpx.post(f"{url}/api/sync/push", json=body, headers=h, timeout=10)
        assert r.json()["results"][0]["status"] == "applied", r.text
        assert [n for n in _inbox(url, cadre) if n["entity_id"] == iid] == []  # due, but no tick ran since
        server.stop()

        server = LiveServer(data_dir=data_dir, port=server.port, env=server.env).start()  # back up: catches up
        cadre = _login(url, "cadre", cadre["device_id"])
        mine = _wait_inbox(url, cadre, iid)
        assert [n["kind"] for n in mine] == ["report_overdue"] and "已逾期" in mine[0]["body"]
        server.stop(kill=True)  # a crash

        server = LiveServer(data_dir=data_dir, port=server.port, env=server.env).start()
        cadre = _login(url, "cadre", cadre["device_id"])
        _wait_inbox(url, cadre, iid)
        time.sleep(0.5)  # let the start-up tick finish
        assert [n["kind"] for n in _inbox(url, cadre) if n["entity_id"] == iid] == ["report_overdue"]
    finally:
        server.stop()
