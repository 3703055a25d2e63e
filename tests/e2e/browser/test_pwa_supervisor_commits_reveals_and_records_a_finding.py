"""The supervisor's screen against a real server: commit a draw, reveal an earlier one whose period
has ended, see its sample by stratum, record a finding, read the signals (``pwa/scripts/supervision.mjs``).
The earlier draw and a held interview of its period are put in the database before the server
starts, as if committed last month."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.store import in_transaction
from server.supervision import draws as supervision_draws
from sync.actor import load_actor
from sync.ids import new_id
from tests.builders import Device, World, company_today, interview_args, open_db
from tests.e2e.browser.conftest import DIST, api_login, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def last_month() -> tuple[dt.date, dt.date]:
    end = company_today().replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def seed_last_month(data_dir: Path, seed: str) -> tuple[str, str]:
    """A held interview (summary 情况良好) and a draw committed during last month."""
    start, end = last_month()
    db = open_db(data_dir / "fangtan.db")
    ids = dict(db.conn.execute('SELECT username, id FROM "user"').fetchall())
    unit = db.conn.execute("SELECT id FROM org_unit WHERE name = '甲醇生产车间'").fetchone()[0]
    device = "d-seed-" + new_id()[:8]
    db.conn.execute(
        "INSERT INTO device (id, user_id, name, created_at) VALUES (?, ?, 'seed', ?)",
        (device, ids["cadre"], f"{start}T00:00:00+00:00"),
    )
    day = start + dt.timedelta(days=9)
    iv = new_id()
    args = interview_args(
        iv,
        unit_id=unit,
        status="submitted",
        summary="情况良好。",
        started_at=f"{day}T09:00:00+08:00",
        ended_at=f"{day}T10:30:00+08:00",
    )
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    cadre = Device(World(db, devices={ids["cadre"]: device}), ids["cadre"])
    result = cadre.push(("interview.save", args), now=moment, client_time=moment).results[0]
    assert result.status == "applied", result
    draw = in_transaction(
        db,
        lambda d: supervision_draws.commit_tx(
            d,
            load_actor(d, ids["supervisor"]),
            period_start=start,
            period_end=end,
            rate=1.0,
            seed_sha256=hashlib.sha256(bytes.fromhex(seed)).hexdigest(),
            now=moment,
        ),
    )
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return draw.id, iv


@pytest.fixture
def seeded(browser_ready, data_dir: Path) -> Iterator[tuple[LiveServer, str, str, str]]:
    seed = secrets.token_hex(32)
    draw_id, iv = seed_last_month(data_dir, seed)
    server = LiveServer(data_dir=data_dir, static_dir=DIST).start()
    yield server, draw_id, iv, seed
    server.stop()


def test_supervisor_commits_reveals_and_records_a_finding(seeded, shots_dir: Path) -> None:
    server, draw_id, iv, seed = seeded
    start, end = last_month()
    output = run_script("supervision.mjs", server, shots_dir, draw_id, seed, start.isoformat(), end.isoformat())
    for needle in (
        "ok: the supervisor lands on 待办",
        "ok: the new draw is listed with its committed hash",
        "ok: revealing draws the sample, shown by stratum",
        "ok: the sample recomputes from the revealed seed",
        "ok: a 形式主义 finding is recorded on a sampled item",
        "ok: the boilerplate signal is explained in Chinese",
    ):
        assert needle in output, output

    import httpx

    _, sup = api_login(server, "supervisor")
    draws = {d["id"]: d for d in httpx.get(f"{server.url}/api/supervision/draws", headers=sup, timeout=30).json()}
    assert draws[draw_id]["seed"] == seed and draws[draw_id]["sample_size"] == 1
    new = [d for d in draws.values() if d["id"] != draw_id]
    assert len(new) == 1 and new[0]["seed"] is None  # only the hash was sent
    sample = httpx.get(f"{server.url}/api/supervision/draws/{draw_id}/sample", headers=sup, timeout=30).json()
    assert [(s["entity"], s["item_id"], s["verdict"]) for s in sample] == [("interview", iv, "formalism")]
    cadre, cadre_headers = api_login(server, "cadre")
    findings = httpx.get(f"{server.url}/api/supervision/findings", headers=cadre_headers, timeout=30).json()
    assert [(f["item_id"], f["status"]) for f in findings] == [(iv, "open")]
