"""``base_mutation: N`` = "the row as my mutation N left it": an edit of a row created earlier in the
same offline session goes out with its create, in one push, and keeps ``base`` semantics: a field
changed by another device after mutation N and by this edit is a conflict (docs/sync-protocol.md §1.1)."""

import msgspec
import pytest

from sync.errors import InvalidField
from sync.ids import new_id
from tests.builders import World, interview_args, seq_of


def _raise(iid: str, issue: str) -> dict:
    return {"id": issue, "interview_id": iid, "category": "business", "description": "循环泵密封频繁泄漏",
            "unit_ids": ["ws1"]}


def test_create_and_edit_of_the_new_row_apply_in_one_push(world: World, dev) -> None:
    iid, issue = new_id(), new_id()
    d = dev("u-cadre1")
    resp = d.push(("interview.save", interview_args(iid)), ("issue.raise", _raise(iid, issue)),
                  ("issue.update", {"id": issue, "solution": "建立备件库存"}, None, None, 2),
                  ("interview.save", {"id": iid, "summary": "意见集中在备件"}, None, None, 1))
    assert [r.status for r in resp.results] == ["applied"] * 4, resp.results
    assert world.db["issue"].get(issue)["solution"] == "建立备件库存"
    assert world.db["interview"].get(iid)["summary"] == "意见集中在备件"
    assert world.db["conflict"].count == 0 and world.db["rejection"].count == 0


def test_the_base_is_the_seq_its_mutation_ended_at(world: World, dev) -> None:
    """Resolved from the stored receipt when mutation N came in an earlier push."""
    iid, issue = new_id(), new_id()
    d = dev("u-cadre1")
    d.push(("interview.save", interview_args(iid)), ("issue.raise", _raise(iid, issue)))
    raised_at = seq_of(world, "issue", issue)
    receipt = world.db.execute("SELECT seq FROM sync_receipt WHERE mutation_id = 2").fetchone()[0]
    assert receipt >= raised_at
    # HR changes the description after the create; the cadre, offline, had changed it too.
    dev("u-hr").push_one("issue.update", {"id": issue, "description": "HR 的描述"}, base=raised_at)
    [r] = d.push(("issue.update", {"id": issue, "description": "干部的描述"}, None, None, 2)).results
    assert r.status == "conflict" and r.conflicts[0].field == "description"
    row = world.db["conflict"].get(r.conflicts[0].id)
    assert msgspec.json.decode(row["loser_value"]) == "HR 的描述" and row["base"] == receipt
    # A different field changed by HR after mutation 2 is merged (soft), not lost.
    dev("u-hr").push_one("issue.update", {"id": issue, "major": True}, base=seq_of(world, "issue", issue))
    [r] = d.push(("issue.update", {"id": issue, "solution": "方案"}, None, None, 2)).results
    assert r.status == "applied" and [c.kind for c in r.conflicts] == ["soft"]
    assert world.db["issue"].get(issue)["major"] in (1, True)


def test_a_later_edit_of_the_same_device_is_no_conflict(world: World, dev) -> None:
    iid, issue = new_id(), new_id()
    d = dev("u-cadre1")
    resp = d.push(("interview.save", interview_args(iid)), ("issue.raise", _raise(iid, issue)),
                  ("issue.update", {"id": issue, "solution": "方案一"}, None, None, 2),
                  ("issue.update", {"id": issue, "solution": "方案二"}, None, None, 3))
    assert [r.status for r in resp.results] == ["applied"] * 4
    assert world.db["issue"].get(issue)["solution"] == "方案二" and world.db["conflict"].count == 0


def test_an_edit_after_a_refused_create_is_refused_on_its_own(world: World, dev) -> None:
    iid, issue = new_id(), new_id()
    d = dev("u-cadre1")
    bad = {**_raise(iid, issue), "unit_ids": []}  # refused: a problem needs a unit
    resp = d.push(("interview.save", interview_args(iid)), ("issue.raise", bad),
                  ("issue.update", {"id": issue, "solution": "x"}, None, None, 2), ("note.add", {
                      "id": new_id(), "interview_id": iid, "prompt_id": None, "text": "照明不足"}))
    assert [r.status for r in resp.results] == ["applied", "rejected", "rejected", "applied"], resp.results
    assert resp.last_mutation_id == 4


def test_an_unknown_receipt_refuses_only_that_mutation(world: World, dev) -> None:
    iid = new_id()
    d = dev("u-cadre1")
    d.push(("interview.save", interview_args(iid)))
    world.db.execute("DELETE FROM sync_receipt")  # past the receipts' retention
    world.db.conn.commit()
    resp = d.push(("interview.save", {"id": iid, "summary": "x"}, None, None, 1),
                  ("note.add", {"id": new_id(), "interview_id": iid, "prompt_id": None, "text": "y"}))
    assert [r.status for r in resp.results] == ["rejected", "applied"]
    assert (resp.results[0].error.code, resp.results[0].error.field) == ("sync.base_unknown", "base_mutation")
    # Exactly once: the same push again is answered from the receipts, nothing applied twice.
    d.next_id = 2
    again = d.push(("interview.save", {"id": iid, "summary": "x"}, None, None, 1),
                   ("note.add", {"id": new_id(), "interview_id": iid, "prompt_id": None, "text": "y"}))
    assert [r.status for r in again.results] == ["duplicate", "duplicate"]
    assert world.db["rejection"].count == 1


@pytest.mark.parametrize(("mutation", "message"), [
    (("interview.save", {"id": "x", "summary": "y"}, 3, None, 1), "not both"),
    (("interview.save", {"id": "x", "summary": "y"}, None, None, 2), "earlier mutation"),
])
def test_a_base_mutation_that_cannot_mean_anything_is_a_400(world: World, dev, mutation, message) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    with pytest.raises(InvalidField) as exc:
        d.push(("interview.save", interview_args(iid)), mutation)
    assert exc.value.field == "mutations[1].base_mutation" and message in exc.value.message
    assert world.db["interview"].count == 0  # nothing applied
