"""What the platform adds to the running server: state (VAPID keys, the clock, ``wake_push``) and
background tasks (the reminder scheduler, push delivery). ``server.app`` enters ``platform_runtime``
in its lifespan.

``state.clock`` (default ``server.clock.utcnow``) is the time the scheduler and the delivery worker
see; tests replace it before start-up to drive time.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator

from litestar.datastructures import State

from server.clock import utcnow
from server.platform.channels import Channel, WebhookChannel, WebPushChannel
from server.platform.notifications import Deliverer, delivering
from server.platform.scheduler import Policy, scheduler
from server.platform.webpush import load_or_create_vapid_keys
from server.settings import Settings


def policy_from(settings: Settings) -> Policy:
    return Policy(due_soon_days=settings.reminder_due_soon_days,
                  escalate_after_days=settings.reminder_escalate_after_days, digest_hour=settings.digest_hour)


def channels_from(settings: Settings, state: State) -> dict[str, Channel]:
    channels: dict[str, Channel] = {
        "webpush": WebPushChannel(state.vapid_keys, subject=settings.vapid_subject, ttl=settings.push_ttl_s,
                                  timeout=settings.push_timeout_s),
    }
    if settings.webhook_url:
        channels["webhook"] = WebhookChannel(settings.webhook_url, timeout=settings.push_timeout_s)
    return channels


@contextlib.asynccontextmanager
async def platform_runtime(state: State, settings: Settings) -> AsyncIterator[None]:
    state.vapid_keys = load_or_create_vapid_keys(settings.data_dir)
    clock = state.get("clock") or utcnow
    state.clock = clock
    deliverer = Deliverer(state.store, channels_from(settings, state), lambda: state.clock(),
                          poll_s=settings.push_poll_s, retry_base_s=settings.push_retry_base_s,
                          max_attempts=settings.push_max_attempts)
    state.deliverer = deliverer
    state.wake_push = deliverer.wake
    state.scheduler_last_tick = None  # time.monotonic() of the last successful run (/api/health/ready)

    def ticked() -> None:
        state.scheduler_last_tick = time.monotonic()

    async with delivering(deliverer), scheduler(state.store, lambda: state.clock(), policy_from(settings),
                                                settings.scheduler_interval_s, deliverer.wake, ticked):
        yield
