"""Mutations by role through the real engine: allowed, refused and out of scope, per user.

Every mutation name of the registry is either a row of ``MATRIX`` below (pushed by every user of
the ``tests.builders`` organisation, each on a fresh copy of the same database) or listed in
``COVERED_ELSEWHERE`` with the test that drives it by role; a new mutation in neither fails here.
Out-of-scope rows: the interview sits in ws1, so the unit lead of ws1 reads it but is not its
writer, the cadre of ws2 neither reads nor writes it, and the production department's handler
(ptd) is not the department a problem was assigned to (emd).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sync import policy
from sync.ids import new_id
from sync.mutations import REGISTRY
from tests.builders import USERS, Device, World, followup, interview_args, interview_with_issue, open_db, plan

EVERYONE = [u[0] for u in USERS]
SHA = "a" * 64


def seq_of(world: World, entity: str, row_id: str) -> int:
    return world.db.execute("SELECT seq FROM sync_change WHERE entity = ? AND row_id = ?",
                            [entity, row_id]).fetchone()[0]


@dataclass
class Case:
    mutation: str
    label: str
    args: Callable[[World, dict, str], tuple[dict, int | None]]
    """(world, what setup made, the pushing user) → (args, base)."""
    allowed: set[str]
    """Users for whom the push applies; every other user is refused with ``refused``."""
    refused: str = "auth.forbidden"


def _setup(world: World, dev) -> dict:
    iv, issue = interview_with_issue(dev)  # by u-cadre1, in ws1
    assigned_iv, assigned = interview_with_issue(dev)
    assert followup(dev("u-hr"), assigned, "assign", handler_unit_id="emd").status == "applied"
    att = new_id()
    r = dev("u-cadre1").push_one("attachment.add", {"id": att, "parent_entity": "interview", "parent_id": iv,
                                                    "sha256": SHA, "mime": "image/jpeg", "size": 10, "name": "a.jpg"})
    assert r.status == "applied", r
    company_item, r = plan(dev)
    assert r.status == "applied", r
    unit_item, r = plan(dev, by="u-lead1", scope="unit", kind="monthly", quarter=None, month=11, unit="ws1t1")
    assert r.status == "applied", r
    refused = dev("u-cadre2").push_one("note.add", {"id": new_id(), "interview_id": iv, "text": "不是我的访谈"})
    assert refused.status == "rejected", refused
    rejection = world.db.execute("SELECT id FROM rejection WHERE author_id = 'u-cadre2'").fetchone()[0]
    return {"iv": iv, "issue": issue, "assigned": assigned, "att": att, "company_item": company_item,
            "unit_item": unit_item, "rejection": rejection}


def _fu(kind: str, key: str = "issue", **extra) -> Callable[[World, dict, str], tuple[dict, int | None]]:
    return lambda w, s, u: ({"id": new_id(), "issue_id": s[key], "kind": kind, **extra}, None)


COMPANY_WIDE = {"u-hr", "u-leader", "u-super"}

MATRIX = [
    Case("interview.save", "edit an interview in ws1",
         lambda w, s, u: ({"id": s["iv"], "theme": "改过的主题"}, seq_of(w, "interview", s["iv"])),
         {"u-cadre1", "u-hr"}),
    Case("interview.save", "create an interview in ws1 listing yourself",
         lambda w, s, u: (interview_args(new_id(), cadre_ids=[u]), None),
         {"u-cadre1", "u-cadre2", "u-lead1", "u-hr"}),
    Case("interview.save", "create an interview in ws2 for u-cadre2",
         lambda w, s, u: (interview_args(new_id(), unit_id="ws2", cadre_ids=["u-cadre2"]), None),
         {"u-cadre2", "u-hr"}),
    Case("note.add", "note on an interview in ws1",
         lambda w, s, u: ({"id": new_id(), "interview_id": s["iv"], "text": "补充"}, None), {"u-cadre1"}),
    Case("issue.raise", "raise a problem on an interview in ws1",
         lambda w, s, u: ({"id": new_id(), "interview_id": s["iv"], "category": "business",
                           "description": "新问题", "unit_ids": ["ws1"]}, None), {"u-cadre1", "u-hr"}),
    Case("issue.update", "edit a problem",
         lambda w, s, u: ({"id": s["issue"], "description": "改过的描述"}, seq_of(w, "issue", s["issue"])),
         {"u-cadre1", "u-hr"}),
    Case("followup.add", "assign (issue.assign)", _fu("assign", handler_unit_id="emd"), {"u-hr", "u-leader"}),
    Case("followup.add", "escalate (issue.escalate)", _fu("escalate", text="上会"), {"u-hr"}),
    Case("followup.add", "progress by the assigned department (issue.work)", _fu("progress", "assigned",
                                                                                text="备件已订"),
         {"u-hr", "u-handler"}),
    Case("followup.add", "comment (issue.comment)", _fu("comment", text="关注"),
         {"u-cadre1", "u-lead1"} | COMPANY_WIDE),
    Case("attachment.add", "attach to an interview in ws1",
         lambda w, s, u: ({"id": new_id(), "parent_entity": "interview", "parent_id": s["iv"], "sha256": SHA,
                           "mime": "image/jpeg", "size": 10, "name": "b.jpg"}, None), {"u-cadre1", "u-hr"}),
    Case("attachment.add", "attach to a problem assigned to emd",
         lambda w, s, u: ({"id": new_id(), "parent_entity": "issue", "parent_id": s["assigned"], "sha256": SHA,
                           "mime": "image/jpeg", "size": 10, "name": "c.jpg"}, None),
         {"u-cadre1", "u-hr", "u-handler"}),
    Case("attachment.remove", "remove u-cadre1's attachment",
         lambda w, s, u: ({"id": s["att"]}, seq_of(w, "attachment", s["att"])), {"u-cadre1"}),
    Case("rejection.dismiss", "dismiss u-cadre2's rejection",
         lambda w, s, u: ({"id": s["rejection"]}, None), {"u-cadre2"}),
    Case("plan.save", "edit the company plan",
         lambda w, s, u: ({"id": s["company_item"], "title": "改"}, seq_of(w, "plan_item", s["company_item"])),
         {"u-hr"}),
    Case("plan.save", "edit ws1's unit plan",
         lambda w, s, u: ({"id": s["unit_item"], "title": "改"}, seq_of(w, "plan_item", s["unit_item"])),
         {"u-hr", "u-lead1"}),
]

# Mutations whose by-role rules need sealed envelopes, keys, signatures or server-made rows; each is
# driven by role in the test named here (they ask the policy under the same name).
COVERED_ELSEWHERE = {
    "remark.put": "test_remark_visible_only_to_author_and_officers.py",
    "remark.access": "test_keys_backups_and_access_log.py",
    "key.publish": "test_keys_backups_and_access_log.py",
    "key.retire": "test_keys_backups_and_access_log.py",
    "key.backup": "test_keys_backups_and_access_log.py",
    "interview.sign": "test_signed_interview_verifies_against_the_record.py",
    "report.save": "test_report_due_date_and_submission_rules.py",
    "report.submit": "test_report_due_date_and_submission_rules.py",
    "notification.read": "test_comment_reaches_everyone_following_the_problem.py",
    "conflict.resolve": "test_conflict_resolve.py",
    "mutation.void": "test_client_voids_undecodable_mutation.py",
}


def test_every_mutation_is_in_the_matrix_or_named_elsewhere() -> None:
    in_matrix = {c.mutation for c in MATRIX}
    assert set(REGISTRY) == in_matrix | set(COVERED_ELSEWHERE), set(REGISTRY) ^ (in_matrix | set(COVERED_ELSEWHERE))
    assert not in_matrix & set(COVERED_ELSEWHERE)
    here = Path(__file__).parent
    assert all((here / name).is_file() for name in COVERED_ELSEWHERE.values())
    assert all(policy.permission(name).mutation for name in REGISTRY)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, dict[str, int]]:
    from tests.builders import build_world

    path = tmp_path_factory.mktemp("matrix") / "server.db"
    db = open_db(path)
    world = build_world(db)
    devices: dict[str, Device] = {}

    def dev(user: str) -> Device:
        return devices.setdefault(user, Device(world, user))

    made = _setup(world, dev)
    db.close()
    return path, made, {u: d.next_id for u, d in devices.items()}


@pytest.mark.parametrize("case", MATRIX, ids=lambda c: f"{c.mutation}: {c.label}")
def test_each_user_is_allowed_or_refused_as_the_matrix_says(
    case: Case, template: tuple[Path, dict, dict[str, int]], tmp_path: Path
) -> None:
    path, made, next_ids = template
    outcomes = {}
    for user in EVERYONE:
        copy = tmp_path / f"{user}.db"
        shutil.copy(path, copy)
        db = open_db(copy)
        try:
            world = World(db, devices={u[0]: f"d-{u[0]}" for u in USERS})
            device = Device(world, user)
            device.next_id = next_ids.get(user, 1)
            args, base = case.args(world, made, user)
            result = device.push_one(case.mutation, args, base=base)
            outcomes[user] = result.status if result.status == "applied" else result.error.code
        finally:
            db.close()
    expected = {u: "applied" if u in case.allowed else case.refused for u in EVERYONE}
    assert outcomes == expected
