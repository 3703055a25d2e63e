"""Shared fixtures: real SQLite files in tmp dirs, the app under Litestar's TestClient, demo data.

Seeding hashes nine Argon2id passwords, so the demo database is built once per session and each
test gets its own copy of the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from server.app import create_app
from server.clock import utcnow
from server.demo import seed_demo_tx
from server.settings import Settings
from server.store import connect, in_transaction, migrate
from tests.builders import Device, World, bearer, build_world, demo_data_dir, login, open_db


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-template") / "fangtan.db"
    db = connect(path)
    migrate(db)
    in_transaction(db, lambda d: seed_demo_tx(d, utcnow()))
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path


@pytest.fixture
def data_dir(tmp_path: Path, demo_template: Path) -> Path:
    """A data directory holding a private copy of the seeded demo database."""
    return demo_data_dir(demo_template, tmp_path)


@pytest.fixture
def settings(data_dir: Path, tmp_path: Path) -> Settings:
    return Settings.from_env(environ={}, data_dir=data_dir, static_dir=tmp_path / "no-pwa")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def as_user(client: TestClient):
    """``as_user("cadre")`` → auth headers for a fresh device of that demo user."""

    def make(username: str) -> dict[str, str]:
        return bearer(login(client, username))

    return make


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """The small test organisation of ``tests.builders`` on a real SQLite file."""
    db = open_db(tmp_path / "server.db")
    yield build_world(db)
    db.close()


@pytest.fixture
def dev(world: World):
    """``dev("u-cadre1")`` → a Device pushing as that user (one Device per user per test)."""
    cache: dict[str, Device] = {}

    def make(user_id: str) -> Device:
        if user_id not in cache:
            cache[user_id] = Device(world, user_id)
        return cache[user_id]

    return make
