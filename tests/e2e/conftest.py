from collections.abc import Iterator

import pytest

from tests.live_server import LiveServer


@pytest.fixture
def live_server(data_dir) -> Iterator[LiveServer]:
    server = LiveServer(data_dir=data_dir).start()
    yield server
    server.stop()
