"""bench/servers.py ``CpuWatch``: the growth bench's figures beside a timed step say whether its wall
time was the server's CPU or the machine's (issue 18; bench/results.md, the ledger at three years).
A process that burns CPU is counted as the server; one that sleeps is not."""

from __future__ import annotations

import subprocess
import sys
import time

from bench.servers import CpuWatch, cpu_seconds, machine_cpu

BURN = "import time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\ntime.sleep(30)"


def _child(code: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code])


def _after_burn(child: subprocess.Popen, watch: CpuWatch) -> dict[str, float]:
    deadline = time.monotonic() + 20
    while cpu_seconds(child.pid) - watch.server < 0.4 and time.monotonic() < deadline:
        time.sleep(0.05)
    return watch.done()


def test_a_busy_server_is_counted_as_the_server() -> None:
    child = _child(BURN)
    try:
        figures = _after_burn(child, CpuWatch(child.pid))
    finally:
        child.kill()
        child.wait()
    assert figures["server_cpu_s"] >= 0.35
    assert figures["wall_s"] >= figures["server_cpu_s"] * 0.9  # one thread: no more CPU than time
    assert figures["others_cpu_s"] >= 0 and figures["steal_s"] >= 0


def test_a_sleeping_server_is_not_and_the_busy_one_beside_it_is_another_process() -> None:
    sleeper, burner = _child("import time; time.sleep(30)"), _child(BURN)
    try:
        watch = CpuWatch(sleeper.pid)
        start = cpu_seconds(burner.pid)
        deadline = time.monotonic() + 20
        while cpu_seconds(burner.pid) - start < 0.3 and time.monotonic() < deadline:
            time.sleep(0.05)
        figures = watch.done()
    finally:
        for child in (sleeper, burner):
            child.kill()
            child.wait()
    assert figures["server_cpu_s"] <= 0.05
    assert figures["others_cpu_s"] >= 0.25


def test_the_machine_counters_only_grow() -> None:
    before = machine_cpu()
    end = time.process_time() + 0.1
    while time.process_time() < end:
        pass
    after = machine_cpu()
    assert after["busy"] - before["busy"] >= 0.05
    assert after["steal"] >= before["steal"]
