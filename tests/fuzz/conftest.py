"""Fuzzing over real HTTP: one real uvicorn server per module over a copy of the demo database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.demo import DEMO_PASSWORD
from tests.builders import demo_data_dir
from tests.live_server import LiveServer


@pytest.fixture(scope="module")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[LiveServer]:
    data_dir = demo_data_dir(demo_template, tmp_path_factory.mktemp("fuzz"))
    server = LiveServer(data_dir=data_dir).start()
    yield server
    server.stop()


def session_of(server: LiveServer, username: str) -> dict:
    response = httpx.post(
        f"{server.url}/api/auth/login",
        timeout=10,
        json={"username": username, "password": DEMO_PASSWORD, "device_name": "fuzz"},
    )
    response.raise_for_status()
    return response.json()
