"""Sealed, not lost (issue 13, point 2): responses acknowledged while their cell is below k are on
disk (sealed) when the server is killed; after the restart their tickets still count as used and
the responses are counted once the cell is written out. Without the key file the server refuses
to start instead of dropping them."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import httpx

from tests.live_server import LiveServer


def test_sealed_responses_survive_kill_and_tickets_stay_used(live_server: LiveServer) -> None:
    base = live_server.url
    login = httpx.post(
        f"{base}/api/auth/login", json={"username": "cadre", "password": "fangtan-demo", "device_name": "t"}, timeout=30
    ).json()
    issued = httpx.post(
        f"{base}/api/evaluation/tickets",
        json={"count": 5},
        headers={"Authorization": f"Bearer {login['access_token']}"},
        timeout=30,
    ).json()["tickets"]

    def rate(ticket: str) -> int:
        body = {"ticket": ticket, "attitude": 4, "professionalism": 4, "responsiveness": 4, "comment": "崩溃之前"}
        return httpx.post(f"{live_server.url}/api/evaluation/responses", json=body, timeout=30).status_code

    for t in issued[:3]:
        assert rate(t["ticket"]) == 201
    live_server.stop(kill=True)
    live_server.start()
    assert rate(issued[0]["ticket"]) == 409  # still used after the crash
    assert httpx.get(f"{live_server.url}/e/{issued[1]['ticket']}", timeout=30).status_code == 409
    for t in issued[3:]:
        assert rate(t["ticket"]) == 201
    live_server.stop()
    db = sqlite3.connect(live_server.data_dir / "fangtan.db")
    try:
        written = db.execute("SELECT COUNT(*) FROM evaluation_response WHERE comment = '崩溃之前'").fetchone()[0]
        pending = db.execute("SELECT COUNT(*) FROM evaluation_pending").fetchone()[0]
    finally:
        db.close()
    assert (written, pending) == (5, 0)  # the three from before the crash were written out with the two after


def test_without_its_key_the_server_refuses_to_start_rather_than_lose_sealed_responses(data_dir, tmp_path) -> None:
    from server.evaluation import seal, tickets
    from server.store import connect, in_transaction
    from tests.unit.server.evaluation.helpers_evaluation import Q4, user_id

    db = connect(data_dir / "fangtan.db")
    from server.store import migrate

    migrate(db)
    cadre = user_id(db, "cadre")
    [t] = in_transaction(db, lambda d: tickets.issue_tickets_tx(d, cadre, 1, Q4))
    s = tickets.Scores(attitude=3, professionalism=3, responsiveness=3)
    in_transaction(db, lambda d: tickets.redeem_tx(d, t, s, Q4))
    db.conn.close()
    key = seal.default_key_path(data_dir)
    assert key.is_file() and key.parent != data_dir
    key.rename(tmp_path / "elsewhere.key")
    code = (
        "import sys; from pathlib import Path; from server.store import connect; from server.evaluation import seal;"
        f" db = connect(Path({str(data_dir / 'fangtan.db')!r})); seal.key_for(db)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "sealed evaluation responses" in run.stderr and "FANGTAN_EVALUATION_KEY_FILE" in run.stderr
    assert not key.exists()  # no fresh key was made over the lost one
