"""What the follow-up loop adds to the running server: the receipt-page guess counter and routes.
``server.app`` enters ``followup_runtime`` in its lifespan (inside ``platform_runtime``, which runs
the scheduler and push delivery) and mounts ``ROUTES``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from litestar.datastructures import State

from server.followup.controllers import (
    ArchiveController,
    CalendarController,
    ExportController,
    LateReportController,
    PushController,
)
from server.followup.receipts import MissCounter, receipt_page

ROUTES: list[Any] = [PushController, CalendarController, ExportController, ArchiveController, LateReportController,
                     receipt_page]


@contextlib.asynccontextmanager
async def followup_runtime(state: State) -> AsyncIterator[None]:
    state.receipt_misses = MissCounter()
    yield
