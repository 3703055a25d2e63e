"""Plan items and planned interviews for tests (the small organisation of ``sync.testing``)."""

from __future__ import annotations

from sync.ids import new_id
from sync.testing import interview_args


def plan(dev, *, by: str = "u-hr", cadre: str = "u-cadre1", unit: str = "ws1", **fields) -> tuple[str, object]:
    """Push a ``plan.save`` creating an item (default: Q4 2025 company visit); returns (id, result)."""
    pid = new_id()
    args = {
        "id": pid,
        "scope": "company",
        "kind": "quarterly",
        "year": 2025,
        "quarter": 4,
        "cadre_id": cadre,
        "unit_id": unit,
        "title": "季度访谈",
    }
    args.update(fields)
    args = {k: v for k, v in args.items() if v is not None or k in fields}
    return pid, dev(by).push_one("plan.save", args)


def seq_of(world, row_id: str) -> int:
    return world.db.execute("SELECT seq FROM sync_change WHERE row_id = ?", [row_id]).fetchone()[0]


def hold(dev, plan_id: str, *, cadre: str = "u-cadre1", day: str = "2025-11-03", submitted: bool = True):
    """A (submitted) group interview in ws1 on ``day`` that fulfils ``plan_id``."""
    args = interview_args(
        new_id(),
        plan_item_id=plan_id,
        adhoc_reason=None,
        started_at=f"{day}T09:00:00+08:00",
        ended_at=f"{day}T10:30:00+08:00",
    )
    if submitted:
        args["status"] = "submitted"
    return dev(cadre).push_one("interview.save", args)
