"""重新打开: HR, the supervisor and the cadres who raised a problem may reopen it once resolved or
closed; it goes back to work — the assigned department sees it in progress again and is notified,
and so are HR and the raisers. Handlers and other cadres may not reopen."""

import pytest

from tests.builders import World, close, followup, held_interview, notifications, pull_all, raise_issue


@pytest.mark.parametrize("who", ["u-super", "u-cadre1", "u-hr"])
def test_reopen_by_an_allowed_role_returns_the_problem_to_its_department(world: World, dev, who: str) -> None:
    issue = raise_issue(dev, held_interview(dev))
    close(dev, issue)
    _, cursor = pull_all(world.db, world.actor("u-handler"))
    before = {u: len(notifications(world, u)) for u in ("u-handler", "u-hr", "u-cadre1")}

    r = followup(dev(who), issue, "reopen", text="职工反映仍有泄漏")

    assert r.status == "applied", r
    later, _ = pull_all(world.db, world.actor("u-handler"), cursor)
    assert later[("issue", issue)]["status"] == "in_progress"
    assert later[("issue", issue)]["handler_unit_id"] == "emd"
    for user, n in before.items():
        fresh = notifications(world, user)[n:]
        if user == who:
            assert fresh == []  # nobody is told about their own action
        else:
            assert [x["kind"] for x in fresh] == ["reopened"], (user, fresh)
            assert "职工反映仍有泄漏" in fresh[0]["body"] and fresh[0]["entity_id"] == issue
    # Back in the handler's hands: progress and resolve are accepted again.
    assert followup(dev("u-handler"), issue, "progress", text="重新更换密封").status == "applied"


@pytest.mark.parametrize("who", ["u-handler", "u-cadre2", "u-leader"])
def test_reopen_by_anyone_else_is_forbidden_and_changes_nothing(world: World, dev, who: str) -> None:
    issue = raise_issue(dev, held_interview(dev))
    close(dev, issue)
    r = followup(dev(who), issue, "reopen", text="再看看")
    assert r.status == "rejected" and r.error.code == "auth.forbidden", r
    assert world.db["issue"].get(issue)["status"] == "closed"


def test_reopen_of_an_open_problem_is_out_of_order(world: World, dev) -> None:
    issue = raise_issue(dev, held_interview(dev))
    r = followup(dev("u-super"), issue, "reopen", text="再看看")
    assert r.status == "rejected" and r.error.code == "followup.out_of_order" and r.error.field == "kind"
