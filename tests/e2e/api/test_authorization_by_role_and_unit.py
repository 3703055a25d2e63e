"""One mechanism (sync.actor.Actor) decides what a caller sees: role + unit subtree."""

from tests.builders import bearer, login


def _usernames(client, username):
    return {u["username"] for u in client.get("/api/org/users", headers=bearer(login(client, username))).json()}


def test_company_wide_roles_see_every_user(client):
    everyone = {"hr", "leader", "cadre", "cadre2", "unitlead", "handler", "supervisor", "officer", "admin"}
    for username in ("hr", "leader", "supervisor", "admin"):
        assert _usernames(client, username) == everyone


def test_a_workshop_cadre_sees_their_own_workshop_only(client):
    assert _usernames(client, "cadre") == {"cadre", "unitlead"}
    assert _usernames(client, "cadre2") == {"cadre2"}


def test_a_handler_sees_their_department(client):
    assert _usernames(client, "handler") == {"handler"}


def test_everyone_sees_the_whole_org_tree_with_the_seed_departments(client, as_user):
    units = client.get("/api/org/units", headers=as_user("handler")).json()
    names = {u["name"] for u in units}
    assert {"人力资源部（党群部）", "生产技术部", "设备管理部", "综合部", "财务部"} <= names
    by_id = {u["id"]: u for u in units}
    for unit in units:
        if unit["parent_id"]:
            assert unit["path"].startswith(by_id[unit["parent_id"]]["path"])
        else:
            assert unit["kind"] == "company"
    teams = [u for u in units if u["kind"] == "team"]
    assert teams and all(by_id[t["parent_id"]]["kind"] == "workshop" for t in teams)


def test_actor_subtree_rule(client):
    from sync.actor import Actor

    cadre = Actor(user_id="u", device_id="d", roles=frozenset({"cadre"}), unit_id="w", unit_path="/c/w/")
    hr = Actor(user_id="h", device_id="d", roles=frozenset({"hr"}), unit_id="hr", unit_path="/c/hr/")
    assert cadre.sees_unit("/c/w/t1/") and cadre.sees_unit("/c/w/")
    assert not cadre.sees_unit("/c/w2/") and not cadre.sees_unit("/c/")
    assert hr.sees_unit("/c/w2/t/") and hr.visible_path_prefix() == "/"


def test_role_guard_refuses_with_forbidden():
    import pytest

    from server.web.guards import allows
    from sync.actor import Actor
    from sync.errors import Forbidden

    class Conn:
        user = Actor(user_id="u", device_id="d", roles=frozenset({"cadre"}), unit_id="w", unit_path="/c/w/")

    with pytest.raises(Forbidden, match="hr"):
        allows("device.clock.list")(Conn(), None)  # type: ignore[arg-type]  # hr, admin
    allows("evaluation.ticket.issue")(Conn(), None)  # type: ignore[arg-type]  # cadre
