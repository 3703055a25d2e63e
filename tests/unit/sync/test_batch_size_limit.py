import pytest

from sync.engine import apply_push
from sync.errors import BatchTooLarge
from sync.ids import new_id
from tests.builders import T0, World, interview_args


def test_oversized_batch_is_refused_cleanly(world: World, dev) -> None:
    d = dev("u-cadre1")
    req = d.request(*[("interview.save", interview_args(new_id())) for _ in range(4)])
    with pytest.raises(BatchTooLarge) as info:
        apply_push(world.db, d.actor, req, T0, max_batch=3)
    assert info.value.status == 413 and info.value.details == {"max_batch": 3}
    assert world.db["interview"].count == 0
