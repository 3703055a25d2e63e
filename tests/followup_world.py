"""Builders for follow-up loop tests over ``sync.testing``'s small organisation (a real SQLite file).

Interview 26 Sep 2025 (a Friday before the National Day week) → report due Monday 13 Oct 2025.
"""

from __future__ import annotations

from sync.ids import new_id
from sync.testing import World, interview_args

STARTED = "2025-09-26T09:00:00+08:00"


def held_interview(dev, cadre: str = "u-cadre1", started: str = STARTED, **over) -> str:
    iid = new_id()
    r = dev(cadre).push_one("interview.save", interview_args(
        iid, status="submitted", started_at=started, ended_at=started.replace("09:00", "10:30"), **over))
    assert r.status == "applied", r
    return iid


def raise_issue(dev, iid: str, cadre: str = "u-cadre1", complete: bool = True, **over) -> str:
    issue_id = new_id()
    args = {"id": issue_id, "interview_id": iid, "category": "business", "description": "循环泵密封频繁泄漏",
            "unit_ids": ["ws1"]}
    if complete:
        args.update(solution="改用机械密封", owner="钱工", due_date="2025-11-28")
    args.update(over)
    r = dev(cadre).push_one("issue.raise", args)
    assert r.status == "applied", r
    return issue_id


def fu(dev, user: str, issue_id: str, kind: str, **kw):
    return dev(user).push_one("followup.add", {"id": new_id(), "issue_id": issue_id, "kind": kind, **kw})


def assign(dev, issue_id: str, unit: str = "emd", due: str = "2025-11-28", **kw):
    r = fu(dev, "u-hr", issue_id, "assign", handler_unit_id=unit, owner="钱工", due_date=due, **kw)
    assert r.status == "applied", r
    return r


def close(dev, issue_id: str) -> None:
    assign(dev, issue_id)
    for kind, kw in (("start", {}), ("progress", {"text": "备件已到货，正在更换"}),
                     ("resolve", {"text": "更换为机械密封，试运行两周无泄漏"})):
        assert fu(dev, "u-handler", issue_id, kind, **kw).status == "applied"
    r = fu(dev, "u-hr", issue_id, "close", evidence_text="现场核实无泄漏", verifier_id="u-super")
    assert r.status == "applied", r


def submit_report(dev, iid: str, cadre: str = "u-cadre1"):
    return dev(cadre).push_one("report.submit", {"interview_id": iid})


def notifications(world: World, user: str) -> list[dict]:
    cur = world.db.execute("SELECT kind, title, body, entity, entity_id, read_at, id FROM notification"
                           " WHERE user_id = ? ORDER BY rowid", [user])
    return [dict(zip(("kind", "title", "body", "entity", "entity_id", "read_at", "id"), r, strict=True))
            for r in cur.fetchall()]
