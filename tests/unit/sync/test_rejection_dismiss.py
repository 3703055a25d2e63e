"""``rejection.dismiss``: the author discards a refused mutation deliberately, and the decision
syncs to the author's other devices; nobody else may dismiss it."""

from sync.ids import new_id
from tests.builders import Device, World, pull_all


def _rejection(world: World, dev) -> tuple[str, int]:
    result = dev("u-cadre1").push_one("note.add", {"id": new_id(), "interview_id": "gone", "text": "离线写下的"})
    assert result.status == "rejected"
    rows, cursor = pull_all(world.db, dev("u-cadre1").actor)
    [(key, rej)] = [(k, r) for k, r in rows.items() if k[0] == "rejection"]
    assert rej["dismissed_by"] is None and rej["dismissed_at"] is None
    return key[1], cursor


def test_author_dismisses_and_other_devices_of_the_author_receive_it(world: World, dev) -> None:
    rej_id, cursor = _rejection(world, dev)
    other = Device(world, "u-cadre1", world.add_device("u-cadre1", "d-cadre1-tablet2"))
    _, other_cursor = pull_all(world.db, other.actor)

    result = dev("u-cadre1").push_one("rejection.dismiss", {"id": rej_id})
    assert result.status == "applied" and result.seq is not None

    changed, _ = pull_all(world.db, other.actor, cursor=other_cursor)
    row = changed[("rejection", rej_id)]
    assert row["dismissed_by"] == "u-cadre1" and row["dismissed_at"]
    assert row["name"] == "note.add" and row["args"]["text"] == "离线写下的"  # the record stays
    assert world.db["rejection"].get(rej_id)["dismissed_by"] == "u-cadre1"


def test_dismissing_twice_is_harmless(world: World, dev) -> None:
    rej_id, _ = _rejection(world, dev)
    first = dev("u-cadre1").push_one("rejection.dismiss", {"id": rej_id})
    when = world.db["rejection"].get(rej_id)["dismissed_at"]
    again = dev("u-cadre1").push_one("rejection.dismiss", {"id": rej_id})
    assert (first.status, again.status) == ("applied", "applied")
    assert world.db["rejection"].get(rej_id)["dismissed_at"] == when


def test_only_the_author_may_dismiss(world: World, dev) -> None:
    rej_id, _ = _rejection(world, dev)
    for user in ("u-cadre2", "u-hr"):
        result = dev(user).push_one("rejection.dismiss", {"id": rej_id})
        assert result.status == "rejected" and result.error.code == "auth.forbidden"
    assert world.db["rejection"].get(rej_id)["dismissed_by"] is None


def test_unknown_rejection_is_not_found(world: World, dev) -> None:
    result = dev("u-cadre1").push_one("rejection.dismiss", {"id": "no-such-rejection"})
    assert result.status == "rejected" and result.error.code == "not_found" and result.error.field == "id"
