"""A migrated demo database and a few ways to fill it with evaluation responses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlite_utils import Database

from server.evaluation import seal, tickets
from server.store import connect, in_transaction

Q4 = dt.date(2026, 11, 20)
AFTER_2026 = dt.date(2027, 1, 2)
"""A day on which every 2026 quarter is over, so its cells are released."""


def open_demo(data_dir: Path) -> Database:
    return connect(data_dir / "fangtan.db")


def user_id(db: Database, username: str) -> str:
    return db.conn.execute("SELECT id FROM user WHERE username = ?", (username,)).fetchone()[0]


def respond(
    db: Database,
    cadre_id: str,
    n: int,
    day: dt.date = Q4,
    scores: tuple[int, int, int] = (4, 4, 4),
    comment: str | None = None,
) -> list[str]:
    """``n`` responses for the cadre on ``day``, each with a fresh ticket; returns the tickets."""
    issued = in_transaction(db, lambda d: tickets.issue_tickets_tx(d, cadre_id, n, day))
    for t in issued:
        s = tickets.Scores(attitude=scores[0], professionalism=scores[1], responsiveness=scores[2], comment=comment)
        in_transaction(db, lambda d, t=t, s=s: tickets.redeem_tx(d, t, s, day))
    return issued


def count(db: Database, table: str) -> int:
    return db.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def responses(db: Database) -> list[tuple]:
    """Every stored response as (cadre_id, period, attitude, professionalism, responsiveness, comment),
    written-out and sealed alike, sorted."""
    rows = list(
        db.conn.execute(
            "SELECT cadre_id, period, attitude, professionalism, responsiveness, comment FROM evaluation_response"
        )
    )
    fields = ("cadre_id", "period", *tickets.SCORE_FIELDS, "comment")
    rows += [tuple(rec[f] for f in fields) for _, rec in seal.pending(db)]
    return sorted(rows, key=repr)
