"""``GET /api/health`` (liveness plus the versions a client needs to decide whether it may sync) and
``GET /api/health/ready`` (readiness: can this instance do its work right now?)."""

from __future__ import annotations

import asyncio
import shutil
import time

import msgspec
from litestar import Request, Response, get

from server import __version__
from server.clock import utcnow
from server.settings import Settings
from server.store import Store
from server.web.deps import SettingsDep, StoreDep
from server.web.guards import allows
from sync.errors import FangtanError
from sync.wire import SCHEMA_VERSION

WRITE_PROBE_TIMEOUT_S = 5.0
"""A database write the writer thread does not finish within this is "not ready" (a stuck writer)."""


class Health(msgspec.Struct):
    status: str
    version: str
    schema_version: int


class Readiness(msgspec.Struct):
    status: str
    disk_free_bytes: int
    scheduler_age_s: float | None


class NotReady(FangtanError):
    """503 ``health.not_ready``: ``details.reasons`` lists every failed check."""

    code = "health.not_ready"
    status = 503
    retry_after = 10


@get("/api/health", exclude_from_auth=True, guards=[allows("health.read")], tags=["meta"], sync_to_thread=False)
def health() -> Health:
    """Liveness and versions."""
    return Health(status="ok", version=__version__, schema_version=SCHEMA_VERSION)


def _probe_write(db) -> None:
    # A real committed write (one small row), so a full disk or a read-only file shows up here.
    with db.conn:
        db.conn.execute(
            "INSERT INTO sync_meta (key, value) VALUES ('health_probe', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (utcnow().isoformat(),),
        )


async def _database_takes_a_write(store: Store) -> str | None:
    try:
        await asyncio.wait_for(store.write(_probe_write), timeout=WRITE_PROBE_TIMEOUT_S)
    except TimeoutError:
        return f"数据库写入超过 {WRITE_PROBE_TIMEOUT_S:g} 秒未完成 (database write timed out)"
    except Exception as exc:  # noqa: BLE001 — any failure means "not ready"; the type says which
        return f"数据库无法写入 (database does not take a write): {type(exc).__name__}"
    return None


def _scheduler_age(request: Request) -> float | None:
    last = request.app.state.get("scheduler_last_tick")
    return None if last is None else time.monotonic() - last


@get("/api/health/ready", exclude_from_auth=True, guards=[allows("health.ready.read")], tags=["meta"])
async def ready(request: Request, store: StoreDep, settings: SettingsDep) -> Response[Readiness]:
    """Readiness: the database takes a write, disk space is above the threshold, the scheduler ran
    recently. 503 with the reasons otherwise (container HEALTHCHECK, systemd, load balancers)."""
    reasons: list[str] = []
    failure = await _database_takes_a_write(store)
    if failure:
        reasons.append(failure)
    free = await asyncio.to_thread(lambda: shutil.disk_usage(settings.data_dir).free)
    if free < settings.ready_min_free_disk_bytes:
        reasons.append(
            f"数据目录磁盘剩余 {free // (1 << 20)} MiB，低于 {settings.ready_min_free_disk_bytes // (1 << 20)} MiB"
            " (disk free space below the threshold)"
        )
    age = _scheduler_age(request)
    limit = scheduler_stale_after_s(settings)
    if age is None:
        reasons.append("定时任务尚未运行 (the scheduler has not run yet)")
    elif age > limit:
        reasons.append(f"定时任务已 {age:.0f} 秒未运行，超过 {limit} 秒 (the scheduler has not run recently)")
    rounded_age = None if age is None else round(age, 1)
    if reasons:
        raise NotReady("；".join(reasons), details={"reasons": reasons, "disk_free_bytes": free,
                                                   "scheduler_age_s": rounded_age})
    return Response(Readiness(status="ok", disk_free_bytes=free, scheduler_age_s=rounded_age),
                    headers={"Cache-Control": "no-store"})


def scheduler_stale_after_s(settings: Settings) -> int:
    """Three missed runs (and at least two minutes) before the scheduler counts as stalled."""
    return max(3 * settings.scheduler_interval_s, 120)
