"""Issue 17 point 1: each role starts at its 待办. On the demo data (organisation, this year's plans and
two months of activity, as ``fangtan demo`` seeds them), ``pwa/scripts/todo.mjs`` signs in as HR, a
leader, a handler, the unit lead, the supervisor and a cadre at 1440×900 in zh-CN, checks that each
lands on /todo, that every count listed is what its target screen shows, and taps an entry onto its
screen. Two pushes make the walk meaningful: 陈晓东 submits the report of his last visit (two problems
HR has still to route), and 刘海涛 holds a visit whose report he has not written yet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.clock import utcnow
from server.demo import UNITS, seed_demo_plans_tx
from server.demo.activity import seed_demo_activity
from server.store import in_transaction
from sync.calendar import local_date
from sync.ids import new_id
from tests.builders import api_device, open_db, units_by_name
from tests.e2e.browser.conftest import DIST, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def demo_server(browser_ready, data_dir: Path) -> Iterator[LiveServer]:
    db = open_db(data_dir / "fangtan.db")
    names = dict(db.conn.execute("SELECT name, id FROM org_unit").fetchall())
    units = {key: names[name] for key, name, *_ in UNITS}
    now = utcnow()
    in_transaction(db, lambda d: seed_demo_plans_tx(d, units, now))
    seed_demo_activity(db, units, now, data_dir / "blobs")
    # The demo's last visit (陈晓东, 热电车间) has no report yet: its id, to submit it below.
    last = db.conn.execute("SELECT id FROM interview ORDER BY started_at DESC LIMIT 1").fetchone()[0]
    db.close()
    server = LiveServer(data_dir=data_dir, static_dir=DIST).start()
    server.last_interview = last  # type: ignore[attr-defined]
    yield server
    server.stop()


def test_each_role_lands_on_its_todo_with_counts_that_agree(demo_server: LiveServer, shots_dir: Path) -> None:
    with httpx.Client(base_url=demo_server.url, timeout=30, verify=demo_server.verify) as client:
        cadre2 = api_device(client, "cadre2")
        r = cadre2.push(("report.submit", {"interview_id": demo_server.last_interview}))["results"][0]  # type: ignore[attr-defined]
        assert r["status"] == "applied", r
        cadre = api_device(client, "cadre")
        unit = units_by_name(client, cadre.headers)["甲醇生产车间"]
        held = cadre.push(("interview.save", {
            "id": new_id(), "adhoc_reason": "设备故障后临时加访", "form": "walkthrough", "unit_id": unit,
            "started_at": f"{local_date(utcnow()).isoformat()}T09:00:00+08:00", "place": "合成工段",
            "topics": ["business.2"], "summary": "循环泵密封问题突出", "status": "submitted",
            "participants": [{"post": "操作工", "name": "李师傅"}]}))["results"][0]
        assert held["status"] == "applied", held
    output = run_script("todo.mjs", demo_server, shots_dir, timeout=900)
    for role in ("HR", "the leader", "the handler", "the unit lead", "the supervisor", "the cadre"):
        assert f"ok: {role} lands on 待办" in output, output
    assert "ok: HR: the inbox badge counts only unprocessed reports" in output, output
    assert (shots_dir / "hr-todo.png").is_file() and (shots_dir / "cadre-todo.png").is_file()
