import pytest

from sync.engine import apply_push
from sync.errors import MutationGap
from sync.ids import new_id
from sync.wire import Mutation, PushRequest
from tests.builders import T0, World, interview_args


def test_gap_raises_409_with_expected_id(world: World, dev) -> None:
    d = dev("u-cadre1")
    req = PushRequest(protocol=1, schema_version=1, device_id=d.device_id, client_time=T0,
                      mutations=[Mutation(id=3, name="interview.save", args=interview_args(new_id()))])
    with pytest.raises(MutationGap) as info:
        apply_push(world.db, d.actor, req, T0)
    assert info.value.status == 409
    assert info.value.details["expected"] == 1
    assert world.db["interview"].count == 0
    assert world.db["sync_device"].count == 0
