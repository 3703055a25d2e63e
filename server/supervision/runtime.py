"""What supervision adds to the running server: once it has started, the formalism signals of the
current year are computed in the background (``warming``), so the first dashboard after a restart
reads kept digests instead of making HR wait while every interview's notes are digested (5–11 s at
a year of a 10,000-employee company, bench/growth.py). ``server.app`` enters it in its lifespan,
after ``platform_runtime``, whose ``state.clock`` it reads.

In the first quarter the year before is computed too: January is when the closed year's figures
are read and reported. Older years are computed when someone opens them, as before.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import AsyncIterator

from litestar.datastructures import State

from server.settings import Settings
from server.supervision.signals import formalism_signals
from server.tasks import running
from sync.calendar import local_date
from sync.mutations.plan import period_bounds

log = logging.getLogger("fangtan.supervision")


async def _warm(state: State, settings: Settings) -> None:
    today = local_date(state.clock())
    years = [today.year - 1, today.year] if today.month <= 3 else [today.year]
    for year in years:
        start, end = period_bounds(year, None)
        started = time.perf_counter()
        found = await state.store.read(lambda db, s=start, e=end: formalism_signals(
            db, start=s, end=e, k=settings.evaluation_min_responses, today=today))
        log.info("formalism signals of %d computed in %.1f s (%d)", year, time.perf_counter() - started, len(found))


@contextlib.asynccontextmanager
async def warming(state: State, settings: Settings) -> AsyncIterator[None]:
    async def run() -> None:
        try:
            await _warm(state, settings)
        except Exception:  # a dashboard then computes what it needs, as without the warm-up
            log.exception("computing the formalism signals at start failed")

    async with running(run(), "fangtan-signals-warm-up"):
        yield
