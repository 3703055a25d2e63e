"""Who pulls what (docs/sync-protocol.md §5)."""

from sync.ids import new_id
from tests.builders import World, followup, interview_args, pull_all


def _world_rows(world: World, dev):
    ws1 = new_id()
    dev("u-cadre1").push_one("interview.save", interview_args(ws1))
    note1 = new_id()
    dev("u-cadre1").push_one("note.add", {"id": note1, "interview_id": ws1, "text": "一车间"})
    ws2 = new_id()
    dev("u-cadre2").push_one("interview.save", interview_args(ws2, unit_id="ws2", cadre_ids=["u-cadre2"]))
    issue = new_id()
    dev("u-cadre2").push_one("issue.raise", {"id": issue, "interview_id": ws2, "category": "business",
                                             "description": "二车间问题", "unit_ids": ["ws2"]})
    return ws1, note1, ws2, issue


def seen(world: World, user: str) -> set:
    rows, _ = pull_all(world.db, world.actor(user))
    return {k for k in rows if k[0] not in ("org_unit", "user", "catalogue")}


def test_matrix(world: World, dev) -> None:
    ws1, note1, ws2, issue = _world_rows(world, dev)
    everything = {("interview", ws1), ("note", note1), ("interview", ws2), ("issue", issue)}
    assert seen(world, "u-cadre1") == {("interview", ws1), ("note", note1)}   # own work, elsewhere
    assert seen(world, "u-lead1") == {("interview", ws1), ("note", note1)}    # unit subtree (ws1)
    assert seen(world, "u-cadre2") == {("interview", ws2), ("issue", issue)}
    for user in ("u-hr", "u-leader", "u-super"):
        assert seen(world, user) == everything
    assert seen(world, "u-handler") == set()                                   # nothing assigned yet
    assert seen(world, "u-admin") == set()
    assert seen(world, "u-officer") == set()


def test_handler_sees_only_issues_assigned_to_their_department(world: World, dev) -> None:
    _, _, ws2, issue = _world_rows(world, dev)
    followup(dev("u-hr"), issue, "assign", handler_unit_id="emd")
    fu = followup(dev("u-handler"), issue, "progress", text="备件已订")
    assert fu.status == "applied"
    assert {k[0] for k in seen(world, "u-handler")} == {"issue", "followup", "notification"}  # + "assigned" inbox entry
    assert ("interview", ws2) not in seen(world, "u-handler")
    assert seen(world, "u-handler2") == set()   # production dept: not assigned


def test_reference_data_is_public_but_never_passwords(world: World) -> None:
    rows, _ = pull_all(world.db, world.actor("u-admin"))
    users = [r for (e, _), r in rows.items() if e == "user"]
    assert users and all(set(u) == {"id", "name", "unit_id", "roles", "post"} for u in users)
    assert "secret-hash" not in str(rows)


def test_python_and_sql_visibility_agree(world: World, dev) -> None:
    from sync import policy, rowstore, visibility

    _world_rows(world, dev)
    for user in ("u-cadre1", "u-cadre2", "u-lead1", "u-hr", "u-handler", "u-officer"):
        actor = world.actor(user)
        rows, _ = pull_all(world.db, actor)
        for entity in ("interview", "note", "issue"):
            for rec in world.db[entity].rows:
                row = rowstore.load(world.db, entity, rec["id"])
                expect = policy.may_read(actor, visibility.visibility_for(world.db, entity, row))
                assert ((entity, rec["id"]) in rows) is expect, (user, entity)
