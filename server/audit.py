"""The admin audit log: who did what to accounts, units and devices, and when (docs/administration.md).

One row per admin action, written in the transaction that does it, so the log never claims what was
rolled back. ``actor`` is a user id for actions over HTTP and ``cli:<login name>`` for the
``fangtan`` command (whoever can run it holds the database file)."""

from __future__ import annotations

import getpass
import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from server.clock import iso


def cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in a container
        return "cli"


def record_tx(db: Database, *, actor: str, action: str, target: str = "", details: dict[str, Any] | None = None,
              now: datetime) -> None:
    db["admin_audit"].insert({"at": iso(now), "actor": actor, "action": action, "target": target,
                              "details": json.dumps(details or {}, ensure_ascii=False, sort_keys=True)})


def record_many_tx(db: Database, rows: list[dict[str, Any]], *, actor: str, now: datetime) -> None:
    """Several entries at once: ``rows`` of ``{action, target, details}``."""
    stamp = iso(now)
    db["admin_audit"].insert_all(
        {"at": stamp, "actor": actor, "action": r["action"], "target": r.get("target", ""),
         "details": json.dumps(r.get("details") or {}, ensure_ascii=False, sort_keys=True)} for r in rows
    )


def list_entries(db: Database, *, limit: int = 200, before_id: int | None = None) -> list[dict[str, Any]]:
    """Newest first; page with ``before_id``. An HTTP actor's id is shown with their name."""
    where, params = ("where a.id < ?", [before_id]) if before_id else ("", [])
    rows = db.query(
        f"""select a.id, a.at, a.actor, u.name as actor_name, a.action, a.target, a.details
            from admin_audit a left join user u on u.id = a.actor {where} order by a.id desc limit ?""",
        [*params, limit],
    )
    return [{**r, "details": json.loads(r["details"] or "{}"), "actor_name": r["actor_name"] or r["actor"]}
            for r in rows]
