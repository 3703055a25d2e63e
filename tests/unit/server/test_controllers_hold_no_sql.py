"""Controllers hold no SQL (ODK Central's lib/model/query/ style): queries live in services and
per-entity query modules, controllers call them. Fails when a ``server/**/controllers.py`` (or
``*_controllers.py``) touches the database directly, including in lambdas passed to ``store.read``."""

from __future__ import annotations

import re
from pathlib import Path

SERVER = Path(__file__).resolve().parents[3] / "server"
SQL = re.compile(
    r"\bdb\.conn\b|\.execute(many|script)?\(|\bdb\.query\(|\bdb\[|\bSELECT\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\b",
    re.IGNORECASE,
)


def controller_modules() -> list[Path]:
    return sorted(p for p in SERVER.rglob("*controllers.py") if ".venv" not in p.parts)


def test_there_are_controllers_to_check() -> None:
    assert len(controller_modules()) >= 10


def test_no_controller_runs_sql() -> None:
    offenders = []
    for path in controller_modules():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SQL.search(line):
                offenders.append(f"{path.relative_to(SERVER.parent)}:{number}: {line.strip()}")
    assert not offenders, "SQL in controllers:\n" + "\n".join(offenders)


def test_the_check_catches_sql() -> None:
    for line in ('db.conn.execute("SELECT 1")', "rows = db.query('select * from x')", 'db["user"].insert(r)',
                 "lambda db: db.execute('delete from t')"):
        assert SQL.search(line), line
