"""The sync test organisation (``sync.testing``) on a real SQLite file, for follow-up services."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.testing import Device, World, build_world, open_db


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    db = open_db(tmp_path / "server.db")
    yield build_world(db)
    db.close()


@pytest.fixture
def dev(world: World):
    cache: dict[str, Device] = {}

    def make(user_id: str) -> Device:
        if user_id not in cache:
            cache[user_id] = Device(world, user_id)
        return cache[user_id]

    return make
