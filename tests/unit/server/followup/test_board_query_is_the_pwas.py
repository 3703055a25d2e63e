"""Issue 17 point 4: the ledger export reads the tracking board's filters as the PWA's table applies
them. Both twins (server/followup/board.py, pwa/src/domain/problemBoard.ts — pwa/tests/problemBoard.test.ts)
run the same cases, tests/data/board_query_cases.json, and must give the same ids in the same order."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import msgspec
import pytest

from server.followup.board import BoardLookup, parse_query, select
from sync.entities import IssueRow
from sync.errors import InvalidField

DATA = json.loads((Path(__file__).parents[3] / "data" / "board_query_cases.json").read_text("utf-8"))
LOOK = BoardLookup(today=dt.date.fromisoformat(DATA["today"]), unit_paths=DATA["units"],
                   cadres=DATA["interviews"], user_names=DATA["users"])
ISSUES = [msgspec.convert({**p, "raised_by": "u1", "updated_at": p["created_at"]}, IssueRow)
          for p in DATA["problems"]]


def _params(query: dict) -> dict[str, str]:
    """The query string the PWA sends (boardParams): booleans as 1, everything else as text."""
    return {k: ("1" if v is True else str(v)) for k, v in query.items() if v not in (False, None, "")}


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["name"] for c in DATA["cases"]])
def test_the_server_selects_what_the_table_shows(case: dict) -> None:
    query = parse_query(_params(case["query"]), LOOK)
    assert [i.id for i in select(ISSUES, query, LOOK)] == case["ids"]


def test_without_parameters_the_ledger_keeps_every_row_oldest_first() -> None:
    assert [i.id for i in select(ISSUES, parse_query({}, LOOK), LOOK)] == ["p1", "p2", "p7", "p3", "p4", "p5", "p6"]


@pytest.mark.parametrize(("name", "value"), [
    ("status", "open"), ("category", "other"), ("sort", "random"), ("due_from", "2026-13-01"),
    ("due_to", "yesterday"), ("overdue", "yes"), ("unit", "nowhere"), ("dept", "nowhere"), ("cadre", "nobody"),
])
def test_a_value_the_pwa_never_sends_is_refused_naming_its_parameter(name: str, value: str) -> None:
    with pytest.raises(InvalidField) as refused:
        parse_query({name: value}, LOOK)
    assert refused.value.field == name
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused.value))
