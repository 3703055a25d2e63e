"""Anonymous evaluation in real Chromium (``pwa/scripts/evaluation.mjs``): the cadre's tablet shows
QR tickets while offline, a phone-sized browser rates with its signal dropping and submits once it
is back, HR sees the cadre's quarter suppressed below k and pooled once k responses exist. The
database is then read directly: the response rows hold scores and the quarter only."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.e2e.browser.conftest import run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_offline_tablet_ticket_to_phone_rating_to_pooled_result(pwa_server: LiveServer, shots_dir: Path) -> None:
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
        "ok: HR: below k the cadre is listed as suppressed, no scores",
        "ok: HR: pooled result once k is reached",
        "ok: HR: a paper questionnaire entered by its printed number counts (6 responses)",
        "ok: HR: the same printed number twice is refused: 此评价码已经使用过",
        "ok: ECharts is not loaded outside the dashboards",
        "ok: the dashboard loads ECharts and draws the scores chart",
        "ok: assessment: pooled scores of 刘海涛",
        "ok: assessment: a cadre without k ratings shows 样本不足",
    ):
        assert needle in output, output

    db = sqlite3.connect(pwa_server.data_dir / "fangtan.db")
    try:
        columns = [r[1] for r in db.execute("PRAGMA table_info(evaluation_response)")]
        rows = db.execute(
            "SELECT period, attitude, professionalism, responsiveness, comment FROM evaluation_response"
        ).fetchall()
    finally:
        db.close()
    assert columns == ["id", "cadre_id", "period", "attitude", "professionalism", "responsiveness", "comment"]
    assert len(rows) == 6
    assert sorted(r[1:4] for r in rows) == [(3, 4, 2), (4, 5, 3)] + [(5, 4, 4)] * 4
    assert "iPhone" not in pwa_server.log() and "/e/" not in pwa_server.log().replace("/e/<ticket>", "")

    for name in (
        "70-tablet-tickets-offline",
        "71-tablet-ticket-fullscreen",
        "72-phone-waiting-offline",
        "73-phone-submitted",
        "74-hr-results-suppressed",
        "75-hr-results-pooled",
        "76-hr-dashboard",
        "77-hr-assessment",
        "78-tablet-print-sheet",
        "79-hr-paper-refused",
    ):
        assert (shots_dir / f"{name}.png").is_file(), name
