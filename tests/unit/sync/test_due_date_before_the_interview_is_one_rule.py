"""Issue 17 point 7: a due date before the interview's day is refused by the server (issue.raise,
issue.update, assign) and at once by the PWA — one rule, pinned for both languages by
tests/data/due_date_cases.json (pwa/tests/dueDate.test.ts reads the same cases)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from sync.followup_rules import due_date_before_interview, interview_date

CASES = json.loads((Path(__file__).parents[2] / "data" / "due_date_cases.json").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[f"{c['started_at']}|{c['created_at']}→{c['due_date']}" for c in CASES])
def test_the_server_refuses_exactly_the_shared_cases(case: dict) -> None:
    iv = SimpleNamespace(started_at=case["started_at"], created_at=case["created_at"])
    due = dt.date.fromisoformat(case["due_date"]) if case["due_date"] else None
    assert due_date_before_interview(due, interview_date(iv)) is case["refused"]


def test_the_cases_cover_both_answers_and_the_midnight_in_shanghai() -> None:
    assert {c["refused"] for c in CASES} == {True, False}
    assert any(c["started_at"] and c["started_at"].endswith("Z") and c["refused"] for c in CASES)
