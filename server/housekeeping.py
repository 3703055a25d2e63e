"""Daily housekeeping inside the server process: purge sync tombstones and receipts past the
retention horizon (180 days; ``sync.maintenance.purge``) and stale login failures."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from server.clock import utcnow
from server.store import Store
from server.tasks import running
from sync.maintenance import purge

log = logging.getLogger("fangtan.housekeeping")
INTERVAL_S = 24 * 3600


async def run_once(store: Store) -> dict[str, int]:
    result = await store.write(lambda db: purge(db, utcnow()))
    log.info("purged %s", result)
    return result


async def _loop(store: Store) -> None:
    while True:
        try:
            await run_once(store)
        except Exception:  # keep serving; the next run retries
            log.exception("housekeeping failed")
        await asyncio.sleep(INTERVAL_S)


@contextlib.asynccontextmanager
async def housekeeping(store: Store) -> AsyncIterator[None]:
    async with running(_loop(store), "fangtan-housekeeping"):
        yield
