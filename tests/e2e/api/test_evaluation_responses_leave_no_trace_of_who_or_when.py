"""Anonymity, proven on a real server: after responses from a phone (with a distinctive user agent
and a forwarded address) the SQLite file and its WAL hold no ticket, no user agent, no address and
no time for a response; the server's log has no ticket path, address or user agent for them, and
the used-mark and the response share no key or order that would link them."""

from __future__ import annotations

import re
import sqlite3

import httpx

from tests.live_server import LiveServer

UA = "Mozilla/5.0 (iPhone; ZZ-Anon-Probe-7731) Mobile/15E148"
FORWARDED = "203.0.113.77"


def test_no_ticket_address_agent_or_time_is_kept_for_a_response(live_server: LiveServer) -> None:
    base = live_server.url
    login = httpx.post(
        f"{base}/api/auth/login",
        json={"username": "cadre", "password": "fangtan-demo", "device_name": "tablet"},
        timeout=30,
    ).json()
    issued = httpx.post(
        f"{base}/api/evaluation/tickets",
        json={"count": 6},
        timeout=30,
        headers={"Authorization": f"Bearer {login['access_token']}"},
    ).json()["tickets"]
    phone = httpx.Client(headers={"User-Agent": UA, "X-Forwarded-For": FORWARDED, "X-Real-IP": FORWARDED}, timeout=30)
    for i, t in enumerate(issued[:5]):
        assert phone.get(f"{base}/e/{t['ticket']}").status_code == 200
        assert phone.get(f"{base}/e/rate.js").status_code == 200
        r = phone.post(
            f"{base}/api/evaluation/responses",
            json={
                "ticket": t["ticket"],
                "attitude": 1 + i,
                "professionalism": 5,
                "responsiveness": 4,
                "comment": f"意见{i}",
            },
        )
        assert r.status_code == 201, r.text
    assert (
        phone.post(
            f"{base}/api/evaluation/responses",
            json={"ticket": issued[0]["ticket"], "attitude": 1, "professionalism": 1, "responsiveness": 1},
        ).status_code
        == 409
    )

    # The database, read while the server runs (the WAL still holds the recent pages), then after it stops.
    data = live_server.data_dir
    for phase in ("running", "stopped"):
        raw = b"".join(p.read_bytes() for p in sorted(data.glob("fangtan.db*")))
        for t in issued:
            for form in (t["ticket"], t["number"]):
                assert form.encode() not in raw, f"{phase}: ticket {form} in the database"
        for secret in (UA, "ZZ-Anon-Probe", FORWARDED):
            assert secret.encode() not in raw, f"{phase}: {secret} in the database"
        if phase == "running":
            live_server.stop()

    db = sqlite3.connect(data / "fangtan.db")
    try:
        columns = [r[1] for r in db.execute("PRAGMA table_info(evaluation_response)")]
        assert columns == ["id", "cadre_id", "period", "attitude", "professionalism", "responsiveness", "comment"]
        assert [r[1] for r in db.execute("PRAGMA table_info(evaluation_ticket_used)")] == ["hash"]
        rows = db.execute("SELECT id, period FROM evaluation_response").fetchall()
        assert len(rows) == 5
        assert all(re.fullmatch(r"\d{4}Q[1-4]", period) for _, period in rows)
        # Random 128-bit ids, no shared counter: WITHOUT ROWID tables have no rowid to line up.
        assert all(re.fullmatch(r"[0-9a-f]{32}", rid) for rid, _ in rows)
        for table in ("evaluation_response", "evaluation_ticket_used"):
            sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
            assert "WITHOUT ROWID" in sql, table
        used = {r[0] for r in db.execute("SELECT hash FROM evaluation_ticket_used")}
        assert len(used) == 5 and not used & {rid for rid, _ in rows}
    finally:
        db.close()

    log = live_server.log()
    for t in issued:
        assert t["ticket"] not in log and t["number"] not in log
    for secret in (UA, "ZZ-Anon-Probe", FORWARDED, "/e/", "/api/evaluation/responses"):
        assert secret not in log, f"{secret} in the server log"
    assert "/api/evaluation/tickets" in log  # the cadre's authenticated request is logged as usual
