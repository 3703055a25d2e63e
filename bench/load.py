"""Many devices at once against one real uvicorn server (issue 8 items 2, 4 and 7).

Each simulated device is a coroutine with its own HTTP connection speaking the device protocol
(``sync.wire`` bodies, as ``HttpTransport`` sends them): it creates an interview, then repeatedly
pushes a batch of notes and pulls what is new since its cursor. Latency is measured per request
(send to last byte received), errors are any non-200 answer or network failure, and the server's
memory comes from /proc/<pid>/status (VmHWM = peak RSS, VmRSS sampled for the soak).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import statistics
import time
from dataclasses import dataclass, field

import aiohttp

from bench.report import write_section
from bench.servers import Device, FangtanServer, cpu_seconds, memory_kb
from bench.workload import note_args
from sync import wire
from sync.ids import new_id
from sync.wire import Mutation, PullResponse, PushRequest, PushResponse

NOTES_PER_PUSH = 10
GOAL_P99_MS, GOAL_RSS_MB = 250, 300


@dataclass
class Stats:
    push_ms: list[float] = field(default_factory=list)
    pull_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cycles: int = 0


@dataclass
class SimulatedDevice:
    device: Device
    unit_id: str
    index: int
    stats: Stats
    next_id: int = 1
    cursor: int = 0
    interview_id: str = field(default_factory=new_id)
    note_seq: int = 0
    cycles: int = 0

    def _body(self, items: list[tuple[str, dict]]) -> bytes:
        now = dt.datetime.now(dt.UTC)
        muts = [Mutation(id=self.next_id + k, name=n, args=a, client_time=now) for k, (n, a) in enumerate(items)]
        self.next_id += len(items)
        return wire.encode(
            PushRequest(protocol=1, schema_version=1, device_id=self.device.device_id, client_time=now, mutations=muts)
        )

    async def _timed(self, http: aiohttp.ClientSession, into: list[float], method: str, url: str, **kw) -> bytes | None:
        """The response body (gunzipped) of a 200, else ``None`` with the error recorded."""
        started = time.perf_counter()
        try:
            async with http.request(method, url, **kw) as response:
                body = await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.stats.errors.append(f"{method} {url}: {type(exc).__name__} {exc}")
            return None
        into.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            self.stats.errors.append(f"{method} {url}: {response.status} {body[:200]!r}")
            return None
        return body

    async def push(self, http: aiohttp.ClientSession, items: list[tuple[str, dict]]) -> None:
        body = await self._timed(http, self.stats.push_ms, "POST", "/api/sync/push", data=self._body(items))
        if body is not None:
            result = wire.decode(body, PushResponse)
            bad = [r for r in result.results if r.status not in ("applied", "duplicate")]
            if bad:
                self.stats.errors.append(f"push: {bad[0]}")

    async def pull(self, http: aiohttp.ClientSession) -> None:
        upto = None
        while True:
            params = {"cursor": self.cursor, "limit": 1000, **({"upto": upto} if upto is not None else {})}
            body = await self._timed(http, self.stats.pull_ms, "GET", "/api/sync/pull", params=params)
            if body is None:
                return
            page = wire.decode(body, PullResponse)
            self.cursor, upto = page.cursor, page.upto
            if not page.has_more:
                return

    async def run(
        self, base_url: str, start: asyncio.Event, stop_at: float, max_cycles: int | None, think_s: float
    ) -> None:
        headers = {"Authorization": f"Bearer {self.device.token}", "Content-Type": wire.JSON}
        # aiohttp, not httpx: the client shares the 2 cores with the server, and httpx spent about
        # twice the CPU per request (bench/results.md); one connection per device either way.
        async with aiohttp.ClientSession(
            base_url=base_url,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=120),
            connector=aiohttp.TCPConnector(limit=1),
        ) as http:
            await start.wait()
            await self.push(
                http,
                [
                    (
                        "interview.save",
                        {
                            "id": self.interview_id,
                            "adhoc_reason": "负载测试",
                            "form": "walkthrough",
                            "unit_id": self.unit_id,
                        },
                    )
                ],
            )
            await self.pull(http)
            while (max_cycles is None or self.cycles < max_cycles) and time.monotonic() < stop_at:
                notes = []
                for _ in range(NOTES_PER_PUSH):
                    args = note_args(self.index * 1_000_000 + self.note_seq, self.interview_id)
                    args["id"] = new_id()
                    notes.append(("note.add", args))
                    self.note_seq += 1
                await self.push(http, notes)
                await self.pull(http)
                self.cycles += 1
                self.stats.cycles += 1
                if think_s:
                    await asyncio.sleep(think_s)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def _drive(
    server: FangtanServer,
    devices: list[SimulatedDevice],
    *,
    seconds: float,
    max_cycles: int | None,
    think_s: float,
    sample_every: float | None = None,
) -> tuple[float, list[tuple[float, float]]]:
    start = asyncio.Event()
    stop_at = time.monotonic() + seconds
    tasks = [asyncio.create_task(d.run(server.url, start, stop_at, max_cycles, think_s)) for d in devices]
    samples: list[tuple[float, float]] = []
    await asyncio.sleep(0.5)  # every connection set up before the start signal
    began = time.monotonic()
    start.set()
    if sample_every:
        while not all(t.done() for t in tasks):
            samples.append((time.monotonic() - began, memory_kb(server.process.pid)["VmRSS"] / 1024))
            await asyncio.wait(tasks, timeout=sample_every)
    await asyncio.gather(*tasks)
    return time.monotonic() - began, samples


def _setup(name: str, count: int) -> tuple[FangtanServer, list[SimulatedDevice], Stats]:
    server = FangtanServer.fresh(name)
    cadres = server.add_cadres(count)
    devices = server.enrol([username for username, _ in cadres])
    server.start()
    stats = Stats()
    sims = [SimulatedDevice(d, unit, i, stats) for i, (d, (_, unit)) in enumerate(zip(devices, cadres, strict=True))]
    return server, sims, stats


def concurrency_run(count: int, cycles: int) -> dict:
    server, sims, stats = _setup(f"concurrency-{count}", count)
    try:
        cpu0, client_cpu0 = cpu_seconds(server.process.pid), time.process_time()
        elapsed, _ = asyncio.run(_drive(server, sims, seconds=3600, max_cycles=cycles, think_s=0))
        cpu, client_cpu = cpu_seconds(server.process.pid) - cpu0, time.process_time() - client_cpu0
        mem = memory_kb(server.process.pid)
    finally:
        server.stop()
    return {
        "devices": count,
        "cycles": cycles,
        "elapsed": elapsed,
        "stats": stats,
        "hwm_mb": mem["VmHWM"] / 1024,
        "cpu": cpu,
        "client_cpu": client_cpu,
    }


def _row(r: dict) -> str:
    s: Stats = r["stats"]
    requests = len(s.push_ms) + len(s.pull_ms)
    return (
        f"| {r['devices']} | {len(s.push_ms):,} / {len(s.pull_ms):,} | "
        f"{percentile(s.push_ms, 50):.0f} / {percentile(s.push_ms, 95):.0f} / {percentile(s.push_ms, 99):.0f} | "
        f"{percentile(s.pull_ms, 50):.0f} / {percentile(s.pull_ms, 95):.0f} / {percentile(s.pull_ms, 99):.0f} | "
        f"{requests / r['elapsed']:,.0f} | {r['cpu'] / r['elapsed']:.0%} | {len(s.errors)} | {r['hwm_mb']:.0f} MB |"
    )


def _goal(value: float, goal: float, unit: str) -> str:
    return "met" if value <= goal else f"**not met**: {value:.0f} {unit}, {value / goal:.1f}× the goal"


def concurrency_main() -> None:
    cycles = int(os.environ.get("FANGTAN_BENCH_CYCLES", "5"))
    results = []
    for count in (50, 200):
        r = concurrency_run(count, cycles)
        print(_row(r), flush=True)
        for e in r["stats"].errors[:5]:
            print("  error:", e, flush=True)
        results.append(r)
    worst = results[-1]["stats"]
    p99 = max(percentile(worst.push_ms, 99), percentile(worst.pull_ms, 99))
    body = f"""
N simulated devices (the device protocol over HTTP, one connection each, from one asyncio client process
on the same machine) start at the same instant against one real uvicorn server over a fresh demo
database. Each device is a different cadre (created for the bench, spread over the demo's workshops and
teams); it creates an interview, pulls from zero (the org, every user, the catalogue), then {cycles} times
pushes {NOTES_PER_PUSH} notes and pulls what is new. No think time:
this is the burst of everyone syncing at once. Latency is per request, send to last byte. "Server CPU busy"
is the server process's CPU time over the run's wall time (100 % = one core saturated). The client
process shares the 2 cores with the server, so latencies include waiting for the CPU.

| devices | push / pull requests | push p50 / p95 / p99 (ms) | pull p50 / p95 / p99 (ms) | requests/s | server CPU busy | errors | server peak RSS (VmHWM) |
|---|---|---|---|---|---|---|---|
{chr(10).join(_row(r) for r in results)}

| goal (200 devices) | |
|---|---|
| p99 ≤ {GOAL_P99_MS} ms (worst of push/pull: {p99:.0f} ms) | {_goal(p99, GOAL_P99_MS, "ms")} |
| zero errors ({len(worst.errors)}) | {"met" if not worst.errors else "**not met**"} |
| server RSS ≤ {GOAL_RSS_MB} MB ({results[-1]["hwm_mb"]:.0f} MB) | {_goal(results[-1]["hwm_mb"], GOAL_RSS_MB, "MB")} |

**Why the tail is long, and what would close it.** Round 1 (group commit: pushes queued together share one
transaction and one fsync) measured 200 devices at push p99 3,577 ms, pull p99 3,078 ms, 120 requests/s.
**Round 2**, from py-spy profiles of the server under this load: (1) pulls were the largest cost — every row
since the device's cursor was read with its ~1 kB of JSON before the visibility predicate dropped other
people's rows; now the visible seqs come from the covering index `sync_change_pull` and only those rows
are read, as bytes; (2) gzip of pull pages ran on the event loop and held every other request behind it;
it now runs in the reader thread (the compressor releases the GIL; ISA-L since issue 18), not on the loop; (3) the writer thread gives the GIL
back around every SQLite call and waited up to CPython's 5 ms switch interval to win it back whenever a
reader or the event loop ran Python — measured in-process, 2,000 notes applied in ~0.26 s alone took
1.9–3.0 s beside two busy Python threads, 1.0–2.2 s with the 0.5 ms interval the server now sets
(`server/store.py`); (4) the per-note push work (the parent memo, see throughput); (5) the bench's own
client moved from httpx to aiohttp: it shares the 2 cores with the server and spent 4.8 ms of CPU per
request with httpx, 1.1–1.4 ms with aiohttp (client CPU this run: {results[-1]["client_cpu"]:.1f} s,
{results[-1]["client_cpu"] / max(1, len(worst.push_ms) + len(worst.pull_ms)) * 1000:.1f} ms per request;
server: {results[-1]["cpu"] / max(1, len(worst.push_ms) + len(worst.pull_ms)) * 1000:.1f} ms per request).
What remains is throughput, not waiting: in each cycle all 200 devices push 2,000 notes and then pull
what their units wrote — a workshop cadre ~750 rows per cycle, ~60,000 rows for the fleet — and the
server needs ~3 ms of CPU per request on average, so the last of the burst waits for everyone before it.
p99 ≤ 250 ms for a simultaneous burst of 400 requests needs ≤ ~0.6 ms of CPU per request on these two
shared cores. Since issue 18's pull round (pages gzipped by ISA-L, ~6× zlib's speed; see throughput) the
pull p99 went from 976 to 807 ms and the push p99 from 1,358 to 1,240 ms in two runs a morning apart.
What would close it: (1) per-request cost — a pull page's gzip is now ~10 % of its server CPU (it was
~40 %); the framework's own work per request (~1.5 ms on the event loop, see throughput) and a smaller
log row (the JSON out of the indexed table) are what is left; (2) the per-note push cost
(see throughput); (3) a second machine for the simulated devices, or more cores — the server's CPU
busy column is below 200 % because the client holds the rest.
"""
    write_section("Concurrency: 50 and 200 devices at once (issue 8)", body)


def slope_mb_per_min(samples: list[tuple[float, float]]) -> float:
    if len(samples) < 2:
        return 0.0
    xs = [t / 60 for t, _ in samples]
    ys = [m for _, m in samples]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    denominator = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / denominator if denominator else 0.0


def soak_main() -> None:
    seconds = float(os.environ.get("FANGTAN_SOAK_SECONDS", "300"))
    count = int(os.environ.get("FANGTAN_SOAK_DEVICES", "100"))
    think = 1.0
    server, sims, stats = _setup("soak", count)
    try:
        elapsed, samples = asyncio.run(
            _drive(server, sims, seconds=seconds, max_cycles=None, think_s=think, sample_every=5)
        )
        mem = memory_kb(server.process.pid)
    finally:
        server.stop()
    warm = [s for s in samples if s[0] >= elapsed * 0.2] or samples
    slope = slope_mb_per_min(warm)
    mean = statistics.fmean(m for _, m in warm)
    growth = slope * (warm[-1][0] - warm[0][0]) / 60 if len(warm) > 1 else 0.0
    flat = abs(growth) <= 0.05 * mean
    trace = ", ".join(f"{t:.0f}s {m:.0f}" for t, m in samples[:: max(1, len(samples) // 12)])
    requests = len(stats.push_ms) + len(stats.pull_ms)
    for e in stats.errors[:5]:
        print("  error:", e, flush=True)
    body = f"""
{count} simulated devices sync for {elapsed:.0f} s against one real uvicorn server (loopback): each pushes
{NOTES_PER_PUSH} notes, pulls what is new, waits {think:.0f} s, and again. `FANGTAN_SOAK_SECONDS` sets the
duration (default 300). Server RSS (VmRSS) is sampled every 5 s; the slope is a least-squares fit
after the first 20 % (warm-up), "flat" means the fitted growth over the run is ≤ 5 % of the mean RSS.

| figure | value |
|---|---|
| sync cycles / requests | {stats.cycles:,} / {requests:,} ({requests / elapsed:,.0f} requests/s) |
| notes written | {stats.cycles * NOTES_PER_PUSH:,} |
| errors | {len(stats.errors)} {"(none)" if not stats.errors else "— " + stats.errors[0][:120]} |
| push p50 / p99 | {percentile(stats.push_ms, 50):.0f} / {percentile(stats.push_ms, 99):.0f} ms |
| pull p50 / p99 | {percentile(stats.pull_ms, 50):.0f} / {percentile(stats.pull_ms, 99):.0f} ms |
| server RSS after warm-up: mean, slope | {mean:.0f} MB, {slope:+.2f} MB/min ({growth:+.1f} MB over the run) |
| memory flat? | {"yes" if flat else "**no**"} |
| peak RSS (VmHWM) | {mem["VmHWM"] / 1024:.0f} MB |

RSS over time (MB): {trace}
"""
    write_section("Soak: 100 devices for minutes (issue 8)", body)
