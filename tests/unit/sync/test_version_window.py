import msgspec
import pytest

from sync.engine import apply_push
from sync.errors import ClientTooOld, VersionUnsupported
from sync.ids import new_id
from tests.builders import T0, World, interview_args


def test_client_below_the_window_gets_426_and_nothing_applies(world: World, dev) -> None:
    d = dev("u-cadre1")
    req = msgspec.structs.replace(d.request(("interview.save", interview_args(new_id()))), protocol=0)
    with pytest.raises(ClientTooOld) as info:
        apply_push(world.db, d.actor, req, T0)
    assert info.value.status == 426
    assert world.db["interview"].count == 0


def test_client_above_the_window_gets_400(world: World, dev) -> None:
    d = dev("u-cadre1")
    req = msgspec.structs.replace(d.request(("interview.save", interview_args(new_id()))), schema_version=99)
    with pytest.raises(VersionUnsupported) as info:
        apply_push(world.db, d.actor, req, T0)
    assert info.value.status == 400 and info.value.field == "schema_version"
