"""Anonymous evaluation in real Chromium (``pwa/scripts/evaluation.mjs``): the cadre's tablet shows
QR tickets while offline, a phone-sized browser rates with its signal dropping and submits once it
is back, HR sees the quarter still collecting as 待发布 with its release date — after one response,
after k and after a paper questionnaire — and the previous quarter (over, seeded here) pooled for
the cadre with k responses and 样本不足 for the one without. The database is then read directly:
the response rows hold scores and the quarter only, sealed or written out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from server.clock import utcnow
from server.evaluation import seal, tickets
from server.store import connect, in_transaction
from sync.calendar import local_date
from tests.e2e.browser.conftest import run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def seed_previous_quarter(db_path: Path) -> str:
    """6 responses for 刘海涛 and 2 for 陈晓东 on the last day of the previous quarter (over: released)."""
    today = local_date(utcnow())
    last_day = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - dt.timedelta(days=1)
    db = connect(db_path)
    try:
        for user, scores in (("cadre", [(5, 4, 3)] * 3 + [(4, 4, 4)] * 3), ("cadre2", [(2, 2, 2)] * 2)):
            uid = db.conn.execute("SELECT id FROM user WHERE username = ?", (user,)).fetchone()[0]
            issued = in_transaction(db, lambda d, uid=uid, n=len(scores): tickets.issue_tickets_tx(d, uid, n, last_day))
            for t, (a, p, r) in zip(issued, scores, strict=True):
                s = tickets.Scores(attitude=a, professionalism=p, responsiveness=r)
                in_transaction(db, lambda d, t=t, s=s: tickets.redeem_tx(d, t, s, last_day))
    finally:
        db.conn.close()
    return tickets.quarter_of(last_day)


def test_offline_tablet_ticket_to_phone_rating_to_pooled_result(pwa_server: LiveServer, shots_dir: Path) -> None:
    previous = seed_previous_quarter(pwa_server.data_dir / "fangtan.db")
    output = run_script("evaluation.mjs", pwa_server, shots_dir, timeout=300)
    for needle in (
        "ok: the tablet holds a pool of 50 tickets after syncing",
        "ok: offline tablet shows a ticket number",
        "ok: the QR code links to the rating page",
        "ok: shown tickets are marked handed out on the tablet",
        "ok: print sheet: 6 new slips with their numbers",
        "ok: printed tickets are marked handed out too (39 left)",
        "ok: offline phone keeps the answer: 等待网络",
        "ok: back online, the phone submits: 已提交",
        "ok: a used ticket says 此评价码已使用",
        "ok: HR: after 1 response: ",
        "ok: HR: after 1 response: no cell, no score, no count",
        "ok: HR: after k = 5 responses: no cell, no score, no count",
        "ok: HR: pooled result of a quarter that is over",
        "ok: HR: a cadre below k in a quarter that is over is listed as suppressed, no scores",
        "ok: HR: a paper questionnaire entered by its printed number is recorded",
        "ok: HR: after the paper questionnaire: no cell, no score, no count",
        "ok: HR: the same printed number twice is refused: 此评价码已经使用过",
        "ok: ECharts is not loaded outside the dashboards",
        "ok: dashboard: no rating of the open quarter counted",
        "ok: the dashboard loads ECharts and draws the scores chart",
        "ok: dashboard: the 6 released ratings of the quarter that is over counted",
        "ok: assessment: the open quarter shows 待发布 with its release date",
        "ok: assessment: pooled scores of 刘海涛",
        "ok: assessment: a cadre without k ratings shows 样本不足",
    ):
        assert needle in output, output

    db = connect(pwa_server.data_dir / "fangtan.db")
    try:
        columns = [r[1] for r in db.conn.execute("PRAGMA table_info(evaluation_response)")]
        rows = list(
            db.conn.execute(
                "SELECT period, attitude, professionalism, responsiveness, comment FROM evaluation_response"
                " WHERE period != ?",
                (previous,),
            )
        )
        rows += [
            (r["period"], r["attitude"], r["professionalism"], r["responsiveness"], r["comment"])
            for _, r in seal.pending(db)
            if r["period"] != previous
        ]
    finally:
        db.conn.close()
    assert columns == ["id", "cadre_id", "period", "attitude", "professionalism", "responsiveness", "comment"]
    assert len(rows) == 6  # five from phones (written out together at k) and the paper one (sealed)
    assert sorted(r[1:4] for r in rows) == [(3, 4, 2), (4, 5, 3)] + [(5, 4, 4)] * 4
    assert "iPhone" not in pwa_server.log() and "/e/" not in pwa_server.log().replace("/e/<ticket>", "")

    for name in (
        "70-tablet-tickets-offline",
        "71-tablet-ticket-fullscreen",
        "72-phone-waiting-offline",
        "73-phone-submitted",
        "74-hr-results-pending",
        "75-hr-results-pooled",
        "76-hr-dashboard",
        "77-hr-assessment",
        "78-tablet-print-sheet",
        "79-hr-paper-refused",
    ):
        assert (shots_dir / f"{name}.png").is_file(), name
