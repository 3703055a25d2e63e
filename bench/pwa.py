"""PWA budgets (issue 4): initial JS+CSS gzipped, offline cold start, 1,000 offline notes synced.

Starts a real ``fangtan serve`` over a fresh demo database with the built app, drives Debian
Chromium with ``bench/pwa.mjs`` (which asks this driver to stop and restart the server), and
writes the figures against the budgets. Budgets are reported, never asserted.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from contextlib import closing
from pathlib import Path

from bench.report import write_section
from tests.live_server import LiveServer  # the same real-server harness the browser tests use

REPO = Path(__file__).resolve().parent.parent
DIST = Path(os.environ.get("FANGTAN_PWA_DIST", REPO / "pwa" / "dist"))  # e.g. a private build
BUDGET_KB, BUDGET_COLD_MS, BUDGET_SYNC_MS = 150, 1500, 5000


def bundle_kb() -> float:
    out = subprocess.run(["node", "pwa/scripts/size.mjs"], cwd=REPO, capture_output=True, text=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("initial JS+CSS"))
    return float(line.split(",")[1].split("kB")[0])


def run_browser(server: LiveServer) -> dict:
    proc = subprocess.Popen(
        ["node", "bench/pwa.mjs", server.url], cwd=REPO, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    result = None
    for line in proc.stdout:
        if line.startswith("control: stop-server"):
            server.stop()
        elif line.startswith("control: start-server"):
            server.start()
        else:
            if line.startswith("{"):
                result = json.loads(line)
            continue
        proc.stdin.write("done\n")
        proc.stdin.flush()
    if proc.wait(timeout=300) != 0 or result is None:
        raise SystemExit("bench/pwa.mjs failed")
    return result


def _note_count(data: Path) -> int:
    with closing(sqlite3.connect(data / "fangtan.db")) as db:
        return db.execute("select count(*) from note").fetchone()[0]


def _edited_issues(data: Path) -> int:
    """Problems raised offline by the bench whose offline edit reached the server."""
    with closing(sqlite3.connect(data / "fangtan.db")) as db:
        return db.execute("select count(*) from issue where solution like '方案 %：增加在线测温'").fetchone()[0]


# Measured on main before `base_mutation` (commit 4c60d53, same machine, same workload): each sync
# got one edit through per push → pull round, five rounds a tap (2026-12-02 14:41 UTC, load average ~13
# on 2 cores: the time is noisy, the phase counts are not).
BEFORE_EDITS = {"push_phases": 101, "pull_phases": 101, "taps": 20, "ms": 231030}


def _before_text() -> str:
    b = BEFORE_EDITS
    if b["ms"] is None:
        return ""
    return (
        f"Before `base_mutation` (main at 4c60d53, an edit waited for the pull that brought its row back): "
        f"{b['push_phases']} push and {b['pull_phases']} pull phases, {b['taps']} extra taps, {b['ms']} ms."
    )


def main() -> None:
    if not (DIST / "index.html").exists():
        raise SystemExit("build the PWA first (make bench does)")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        subprocess.run(
            [sys.executable, "-m", "server.cli", "demo", "--data-dir", str(data)], check=True, capture_output=True
        )
        # The demo seeds some activity of its own (server/demo/activity.py): count what the bench adds.
        before = _note_count(data)
        server = LiveServer(data_dir=data, static_dir=DIST).start()
        try:
            figures = run_browser(server)
        finally:
            server.stop()
        arrived = _note_count(data) - before
        edits = figures["edits"]
        if arrived != figures["notes"] + edits["notes"]:  # an emptied outbox could also mean rejections
            raise SystemExit(f"{arrived} of {figures['notes'] + edits['notes']} offline notes reached the server")
        if (edited := _edited_issues(data)) != edits["edits"]:
            raise SystemExit(f"{edited} of {edits['edits']} offline edits reached the server")
    kb = bundle_kb()
    rows = [
        ("initial JS+CSS, gzipped", f"{kb:.1f} kB", f"≤ {BUDGET_KB} kB", kb / BUDGET_KB),
        (
            "offline cold start to interactive home (median)",
            f"{figures['cold_start_median_ms']} ms",
            f"≤ {BUDGET_COLD_MS} ms",
            figures["cold_start_median_ms"] / BUDGET_COLD_MS,
        ),
        (
            f"{figures['notes']} offline notes synced on reconnect",
            f"{figures['sync_ms']} ms",
            f"≤ {BUDGET_SYNC_MS} ms",
            figures["sync_ms"] / BUDGET_SYNC_MS,
        ),
        (
            f"{edits['notes']} offline notes + {edits['edits']} edits of problems raised offline, synced",
            f"{edits['ms']} ms, {edits['push_phases']} push + {edits['pull_phases']} pull phases",
            f"≤ {BUDGET_SYNC_MS} ms",
            edits["ms"] / BUDGET_SYNC_MS,
        ),
    ]
    table = "\n".join(
        f"| {name} | {value} | {budget} | {ratio:.2f} | {'met' if ratio <= 1 else 'NOT met'} |"
        for name, value, budget, ratio in rows
    )
    body = (
        "Headless Debian Chromium at 1024×768, against a real server on loopback over a fresh demo "
        "database. Cold start: a new tab with the server stopped and the network cut, from navigation to "
        f"the lock screen's PIN field being actionable; all runs (ms): {figures['cold_start_ms']}. Unlock "
        "(PIN + cached unlock share, PBKDF2-SHA256 600,000 iterations, to the 新建访谈 button being "
        f"actionable), median {figures['unlock_median_ms']} ms; all runs (ms): {figures['unlock_ms']}. Sync: "
        f"{figures['notes']} `note.add` mutations (~600 bytes of Chinese each) waiting in the outbox, "
        "from the network returning to an empty outbox (pushed in batches and pulled back). Edits: "
        f"{edits['notes']} more notes and {edits['edits']} problems raised offline, each edited five notes "
        "later (its issue.raise frozen by a sync attempt while the server was down, so the edit is a "
        f"mutation of its own); {edits['pushes']} push and {edits['pulls']} pull requests in "
        f"{edits['push_phases']} push and {edits['pull_phases']} pull phases, {edits['taps']} extra taps on "
        "立即同步 after the sync the network's return started. "
        + _before_text()
        + "\n\n"
        "| figure | measured | budget | fraction of budget | |\n|---|---|---|---|---|\n" + table
    )
    write_section("PWA budgets (issue 4)", body)
    print(body)


if __name__ == "__main__":
    main()
