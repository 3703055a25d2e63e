"""Moving the server's clock past a quarter's end, for the in-process app (Litestar's TestClient):
the release rule of the anonymous evaluation (docs/evaluation.md) opens a quarter's cells on the
second day of the next quarter, and tests cannot wait three months."""

from __future__ import annotations

import datetime as dt

import pytest

from server.evaluation.results import release_date
from server.evaluation.tickets import quarter_of

READ_SIDE = (
    "server.clock",
    "server.evaluation.controllers",
    "server.assessment.controllers",
    "server.dashboards.controllers",
    "server.supervision.controllers",
)
"""Modules whose ``utcnow`` decides what HR and leaders read (submissions keep the real clock)."""


def after_release(monkeypatch: pytest.MonkeyPatch, today: dt.date) -> dt.date:
    """Make the read side see noon (Asia/Shanghai) of the day ``today``'s quarter is released."""
    day = release_date(quarter_of(today))
    moment = dt.datetime(day.year, day.month, day.day, 4, 0, tzinfo=dt.UTC)
    for module in READ_SIDE:
        monkeypatch.setattr(f"{module}.utcnow", lambda: moment)
    return day
