"""The server's plan status rule, against the cases the PWA's twin is tested with
(tests/data/plan_status_cases.json, pwa/tests/plans.test.ts)."""

import datetime as dt
import json
from pathlib import Path

import pytest

from server.plans.progress import status_of
from sync.calendar import local_date

CASES = json.loads((Path(__file__).parents[3] / "data" / "plan_status_cases.json").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['held_at']}->{c['status']}" for c in CASES])
def test_status_and_held_day(case: dict) -> None:
    held = local_date(case["held_at"]) if case["held_at"] else None
    assert (held.isoformat() if held else None) == case["held_on"]
    assert (
        status_of(dt.date.fromisoformat(case["window_end"]), held, dt.date.fromisoformat(case["today"]))
        == case["status"]
    )
