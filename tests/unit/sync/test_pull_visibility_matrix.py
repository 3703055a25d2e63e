"""Who pulls what (docs/sync-protocol.md §5)."""

import msgspec
import pytest

from sync.errors import NotFound
from sync.ids import new_id
from sync.pull import interview_notes
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


def seen(world: World, user: str, notes: str = "all") -> set:
    rows, _ = pull_all(world.db, world.actor(user), notes=notes)
    return {k for k in rows if k[0] not in ("org_unit", "user", "catalogue")}


def test_matrix(world: World, dev) -> None:
    ws1, note1, ws2, issue = _world_rows(world, dev)
    everything = {("interview", ws1), ("note", note1), ("interview", ws2), ("issue", issue)}
    assert seen(world, "u-cadre1") == {("interview", ws1), ("note", note1)}   # own work, elsewhere
    assert seen(world, "u-lead1") == {("interview", ws1), ("note", note1)}    # unit subtree (ws1)
    assert seen(world, "u-cadre2") == {("interview", ws2), ("issue", issue)}
    for user in ("u-hr", "u-leader", "u-super"):
        assert seen(world, user) == everything
        # A device that asks (the PWA): every row, but other people's notes when their interview is opened.
        assert seen(world, user, notes="opened") == everything - {("note", note1)}
        assert [c.id for c in interview_notes(world.db, world.actor(user), ws1)] == [note1]
    for user in ("u-cadre1", "u-lead1", "u-cadre2"):  # a device that holds its scope holds it all
        assert seen(world, user, notes="opened") == seen(world, user)
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
        # What a device that pulls with notes="opened" holds, with the notes of the interviews it
        # opens (sync.pull.OPENED_ENTITIES): the same rows.
        opened, _ = pull_all(world.db, actor, notes="opened")
        for rec in world.db["interview"].rows:
            if ("interview", rec["id"]) in opened:
                opened.update({("note", c.id): c.row for c in interview_notes(world.db, actor, rec["id"])})
        for entity in ("interview", "note", "issue"):
            for rec in world.db[entity].rows:
                row = rowstore.load(world.db, entity, rec["id"])
                expect = policy.may_read(actor, visibility.visibility_for(world.db, entity, row))
                assert ((entity, rec["id"]) in rows) is expect, (user, entity)
                assert ((entity, rec["id"]) in opened) is expect, (user, entity, "opened")


def test_a_company_wide_device_holds_its_own_notes_and_fetches_the_others_by_interview(world: World, dev) -> None:
    """HR, leaders and supervision pull every work row but other people's notes: those come with
    their interview when it is opened (``GET /api/sync/notes``), as the same rows a pull gives.
    Their own interviews' notes (a leader who also visits) they hold like any cadre."""
    ws1, note1, ws2, _ = _world_rows(world, dev)
    world.db.conn.execute("""UPDATE "user" SET roles = '["leader","cadre"]' WHERE id = 'u-leader'""")
    own = new_id()
    assert dev("u-leader").push_one("interview.save", interview_args(own, cadre_ids=["u-leader"])).status == "applied"
    mine = new_id()
    assert dev("u-leader").push_one("note.add", {"id": mine, "interview_id": own, "text": "领导自己的记录"}).status == "applied"
    assert ("note", mine) in seen(world, "u-leader", "opened") and ("note", mine) not in seen(world, "u-hr", "opened")
    assert ("note", mine) in seen(world, "u-hr")  # a pull of every note, as every other client's
    fetched = interview_notes(world.db, world.actor("u-hr"), ws1)
    rows, _ = pull_all(world.db, world.actor("u-cadre1"))
    assert [(c.entity, c.id, c.deleted) for c in fetched] == [("note", note1, False)]
    assert msgspec.json.decode(bytes(fetched[0].row)) == rows[("note", note1)]


def test_notes_of_an_interview_one_may_not_see_are_not_found(world: World, dev) -> None:
    ws1, _, ws2, _ = _world_rows(world, dev)
    for user, interview in (("u-cadre2", ws1), ("u-cadre1", ws2), ("u-handler", ws2), ("u-officer", ws1),
                            ("u-hr", "no-such-interview")):
        with pytest.raises(NotFound):
            interview_notes(world.db, world.actor(user), interview)
    assert interview_notes(world.db, world.actor("u-lead1"), ws1)  # a unit lead sees the unit's


def test_the_app_knows_which_roles_fetch_notes_when_opening_an_interview() -> None:
    """The PWA says 联网后再打开本页即可查看 only for the roles the server holds notes back from."""
    import json
    import re
    from pathlib import Path

    from sync.actor import COMPANY_WIDE_ROLES

    source = (Path(__file__).parents[3] / "pwa/src/sync/opened.ts").read_text(encoding="utf-8")
    listed = re.search(r"COMPANY_WIDE_ROLES: readonly string\[\] = (\[[^\]]*\])", source)
    assert listed, "pwa/src/sync/opened.ts no longer lists COMPANY_WIDE_ROLES"
    assert set(json.loads(listed.group(1).replace("'", '"'))) == set(COMPANY_WIDE_ROLES)


def test_a_pull_names_its_notes_choice_or_is_refused(world: World) -> None:
    from sync.errors import InvalidField
    from sync.pull import pull

    with pytest.raises(InvalidField) as refused:
        pull(world.db, world.actor("u-hr"), 0, notes="some")
    assert refused.value.field == "notes"
