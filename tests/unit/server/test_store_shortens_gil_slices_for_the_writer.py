"""Opening a Store bounds how long another thread may keep the writer waiting for the GIL."""

import sys

import pytest

from server.store import GIL_SWITCH_INTERVAL_S, Store


def test_opening_a_store_shortens_the_switch_interval(tmp_path) -> None:
    previous = sys.getswitchinterval()
    sys.setswitchinterval(0.005)  # CPython's default
    try:
        store = Store(tmp_path / "t.db", read_threads=1)
        store.close()
        assert sys.getswitchinterval() <= GIL_SWITCH_INTERVAL_S < 0.005
        sys.setswitchinterval(0.0001)  # never lengthened if something chose shorter
        Store(tmp_path / "t.db", read_threads=1).close()
        assert sys.getswitchinterval() == pytest.approx(0.0001)
    finally:
        sys.setswitchinterval(previous)
