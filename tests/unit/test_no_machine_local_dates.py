"""The company's day is Asia/Shanghai's, not the machine's.

``date.today()`` and naive ``datetime.now()`` give the server's (often UTC) day, which is
the next company day from 16:00 UTC on: a report notice dated yesterday, or a test that
commits a supervision draw "today" and is told the period already ended (CI failed so on
2026-12-02). Server, engine and tests use ``sync.calendar.local_date`` instead.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MACHINE_DAY = re.compile(r"\bdate\.today\(\)|\bdatetime\.now\(\)|\bdatetime\.utcnow\(\)|\bdatetime\.today\(\)")


def test_no_code_reads_the_machines_local_day() -> None:
    offenders = []
    for top in ("server", "sync", "tests", "bench", "tools"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if path == Path(__file__).resolve():
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if MACHINE_DAY.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == [], "use sync.calendar.local_date / tests.builders.company_today:\n" + "\n".join(offenders)
