"""Shared setup for tests that need an interview with one issue (imported by test modules)."""

from sync.ids import new_id
from sync.testing import World, interview_args


def interview_with_issue(world: World, dev, cadre: str = "u-cadre1") -> tuple[str, str]:
    iid, issue_id = new_id(), new_id()
    d = dev(cadre)
    d.push_one("interview.save", interview_args(iid))
    d.push_one("issue.raise", {"id": issue_id, "interview_id": iid, "category": "business",
                               "description": "循环泵密封频繁泄漏", "unit_ids": ["ws1"]})
    return iid, issue_id


def seq_of(world: World, entity: str, row_id: str) -> int:
    return world.db.execute("SELECT seq FROM sync_change WHERE entity = ? AND row_id = ?", [entity, row_id]).fetchone()[0]


def followup(d, issue_id: str, kind: str, **kw):
    return d.push_one("followup.add", {"id": new_id(), "issue_id": issue_id, "kind": kind, **kw})
