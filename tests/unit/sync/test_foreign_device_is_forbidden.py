import pytest

from sync.engine import apply_push
from sync.errors import DeviceRevoked, Forbidden
from sync.ids import new_id
from tests.builders import T0, World, interview_args


def _request(dev, device_id):
    req = dev.request(("interview.save", interview_args(new_id())))
    import msgspec

    return msgspec.structs.replace(req, device_id=device_id)


def test_pushing_as_another_users_device_is_403(world: World, dev) -> None:
    d = dev("u-cadre1")
    actor = world.actor("u-cadre1", device=None)  # token without a device claim
    with pytest.raises(Forbidden) as info:
        apply_push(world.db, actor, _request(d, "d-u-cadre2"), T0)
    assert info.value.status == 403 and info.value.field == "device_id"
    assert world.db["interview"].count == 0


def test_device_id_must_match_the_signed_in_device(world: World, dev) -> None:
    d = dev("u-cadre1")
    world.add_device("u-cadre1", "d-second")
    with pytest.raises(Forbidden) as info:
        apply_push(world.db, world.actor("u-cadre1", "d-u-cadre1"), _request(d, "d-second"), T0)
    assert info.value.field == "device_id" and "signed in on" in info.value.message
    assert world.db["interview"].count == 0 and not world.db["sync_device"].count  # nothing recorded


def test_unknown_device_is_403(world: World, dev) -> None:
    d = dev("u-cadre1")
    with pytest.raises(Forbidden) as info:
        apply_push(world.db, world.actor("u-cadre1", None), _request(d, "d-nope"), T0)
    assert info.value.field == "device_id" and "enrolled" in info.value.message
    assert world.db["interview"].count == 0 and not world.db["sync_device"].count


def test_revoked_device_is_refused(world: World, dev) -> None:
    d = dev("u-cadre1")
    with world.db.atomic():
        world.db.execute("UPDATE device SET revoked_at = ? WHERE id = ?", [T0.isoformat(), d.device_id])
    with pytest.raises(DeviceRevoked):
        d.push(("interview.save", interview_args(new_id())))
    assert world.db["interview"].count == 0
