"""HR enters next year's working-day calendar from the State Council's notice in the PWA
(``pwa/scripts/calendar.mjs``): the banner while the server says next year is unknown, the parsed
days shown before saving, a refusal in Chinese, the year entered afterwards (checked over HTTP too)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.e2e.browser.conftest import api_login, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTICE = Path(__file__).resolve().parents[2] / "fixtures" / "notice-2031-example.txt"


def test_hr_imports_the_notice_from_the_calendar_screen(pwa_server: LiveServer, shots_dir: Path) -> None:
    _, hr = api_login(pwa_server, "hr")
    with httpx.Client(base_url=pwa_server.url, timeout=30) as client:
        unknown = client.get("/api/calendar/", headers=hr).json()["next_year_unknown"]
        output = run_script("calendar.mjs", pwa_server, shots_dir, str(NOTICE), "2031",
                            str(unknown) if unknown else "none")
        assert "ok: 2031 now shows as entered (complete)" in output, output
        years = client.get("/api/calendar/", headers=hr).json()["years"]
        assert any(y["year"] == 2031 and y["complete"] for y in years)
        due = client.get("/api/calendar/working-days", params={"start": "2031-01-21", "days": 1}, headers=hr)
        assert due.json()["date"] == "2031-01-29"  # 22-28 Jan off
