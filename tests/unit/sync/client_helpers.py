"""Building device clients against a test world (imported by client test modules)."""

from __future__ import annotations

from pathlib import Path

from sync.client import SyncClient
from sync.transport import InProcessTransport
from tests.builders import T0, World


class Faults:
    """A queue of faults to inject into the next transport calls: ``faults.push("drop_response")``."""

    def __init__(self) -> None:
        self.queue: list[tuple[str, str]] = []
        self.calls: list[str] = []

    def add(self, op: str, fault: str) -> None:
        self.queue.append((op, fault))

    def __call__(self, op: str):
        self.calls.append(op)
        if self.queue and self.queue[0][0] == op:
            return self.queue.pop(0)[1]
        return None


def make_client(world: World, tmp_path: Path, user: str, faults: Faults | None = None,
                device: str | None = None, media: str = "json") -> tuple[SyncClient, list[float]]:
    device = device or world.devices[user]
    sleeps: list[float] = []
    transport = InProcessTransport(lambda: world.db, world.actor(user, device), clock=lambda: T0,
                                   fault=faults, media=media)  # type: ignore[arg-type]
    client = SyncClient(tmp_path / f"{device}.sqlite", transport, device, sleep=sleeps.append, clock=lambda: T0)
    return client, sleeps
