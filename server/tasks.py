"""Background tasks that live as long as the server: started in its lifespan, cancelled and
awaited when it stops (so none outlives the store it uses)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Coroutine
from typing import Any


@contextlib.asynccontextmanager
async def running(work: Coroutine[Any, Any, Any], name: str) -> AsyncIterator[asyncio.Task]:
    """Run ``work`` as a task for the duration of the block; cancel it and wait for it after."""
    task = asyncio.create_task(work, name=name)
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
