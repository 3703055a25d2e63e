"""bench/growth.py ``write_results``: the section of bench/results.md says this run's figures — each
goal with its verdict, each goal missed with by how much and what would close it, the machine's
speed — and nothing quoted from an earlier run (issue 18 "Done when"). ``tests/data/growth_runs.json``
is a real run's ``bench/work/growth.json``."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from bench import growth, report

RUNS = json.loads((Path(__file__).parents[2] / "data" / "growth_runs.json").read_text(encoding="utf-8"))


@pytest.fixture
def render(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "RESULTS", tmp_path / "results.md")

    def rendered(runs: list[dict]) -> str:
        growth.write_results(runs)
        return report.RESULTS.read_text(encoding="utf-8")

    return rendered


def _runs(**changes) -> list[dict]:
    runs = copy.deepcopy(RUNS)
    for path, value in changes.items():
        years, *keys = path.split("__")
        target = runs[0 if years == "one" else 1]
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return runs


def test_every_goal_has_its_verdict_and_each_miss_what_would_close_it(render) -> None:
    text = render(_runs(three__browser__board_usable_ms=78_760, three__ledger__seconds=12.5))
    goals = [line for line in text.splitlines() if line.startswith("| ") and " of the goal — " in line]
    assert len(goals) >= 9  # Chromium, cadre, four reads, two ledgers, two RSS rows
    missed = text.split("**Where goals are not met, and what would close them.**")[1].split("**What this round")[0]
    assert "78.76 s, 1.31 of the 60.00 s goal" in missed
    assert "12.50 s, 1.25 of the 10.00 s goal" in missed
    assert growth.REMEDIES["ledger .xlsx of all problems"] in missed
    assert "history horizon" in missed
    assert "dashboard (year)" not in missed  # met: not listed


def test_a_run_that_meets_every_goal_says_so_and_quotes_its_own_machine(render) -> None:
    text = render(_runs(three__browser__board_usable_ms=51_100, one__machine__pull=400_000.0,
                        three__machine__pull=200_000.0))
    assert "**Every goal of this section was met in this run.**" in text
    assert "Where goals are not met" not in text
    assert "reads 400,000 against 200,000 rows/s" in text
    # the cost per row over the machine's slowdown: 3 y was twice as slow, so the ratio halves
    [chromium] = [line for line in text.splitlines() if line.startswith("| first sync in Chromium")]
    ratio, normalised = (float(cell) for cell in chromium.strip("| ").split(" | ")[3:5])
    assert normalised == pytest.approx(ratio / 2, abs=0.01)
