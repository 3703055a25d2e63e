"""The servers under measurement: a real ``fangtan serve`` (uvicorn) over a fresh demo database,
with as many enrolled devices as a benchmark needs, and the server process's memory figures."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from server.accounts import passwords
from server.accounts.service import add_user_tx, enrol_device_tx, user_by_username
from server.accounts.tokens import issue_access_token, load_or_create_signing_key
from server.demo import seed_demo_tx
from server.store import connect, in_transaction, migrate

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(__file__).resolve().parent / "work"
"""Scratch space for databases and logs (gitignored), wiped per benchmark."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up within {timeout}s")


@dataclass
class Device:
    user_id: str
    device_id: str
    token: str


@dataclass
class FangtanServer:
    data_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    static_dir: Path | None = None
    """The built PWA to serve (None: the API only)."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def fresh(cls, name: str) -> FangtanServer:
        data_dir = WORK / name / "data"
        if data_dir.exists():
            for path in sorted(data_dir.rglob("*"), reverse=True):
                path.unlink() if path.is_file() or path.is_symlink() else path.rmdir()
        data_dir.mkdir(parents=True, exist_ok=True)
        db = connect(data_dir / "fangtan.db")
        migrate(db)
        in_transaction(db, lambda d: seed_demo_tx(d, datetime.now(UTC)))
        db.conn.close()
        return cls(data_dir=data_dir)

    def enrol(self, usernames: list[str]) -> list[Device]:
        """One new device per entry (before start: the server must not be writing yet). Tokens are
        issued directly, as a login would, to spare hundreds of Argon2 hashes."""
        key = load_or_create_signing_key(self.data_dir)
        db = connect(self.data_dir / "fangtan.db")
        now = datetime.now(UTC)
        devices = []

        def enrol_all(d) -> None:
            for i, username in enumerate(usernames):
                user_id = user_by_username(d, username)["id"]
                device_id = enrol_device_tx(d, user_id=user_id, device_name=f"bench-{i}", now=now)
                token = issue_access_token(key, user_id=user_id, device_id=device_id, ttl_s=6 * 3600, now=now)
                devices.append(Device(user_id, device_id, token))

        in_transaction(db, enrol_all)
        db.conn.close()
        return devices

    def add_cadres(self, count: int) -> list[tuple[str, str]]:
        """``count`` extra cadres spread over the demo's workshops and teams (before start), so each
        simulated device is a different person, as on the shop floor. Returns (username, unit id).
        They never sign in, so one Argon2 hash serves for all."""
        db = connect(self.data_dir / "fangtan.db")
        units = [r[0] for r in db.execute("SELECT id FROM org_unit WHERE kind IN ('workshop', 'team') ORDER BY sort")]
        one_hash = passwords.hash_password("bench-password")
        real_hash, passwords.hash_password = passwords.hash_password, lambda _pw: one_hash
        out = []
        try:

            def add_all(d) -> None:
                now = datetime.now(UTC)
                for i in range(count):
                    unit = units[i % len(units)]
                    add_user_tx(
                        d,
                        username=f"bench-cadre-{i}",
                        name=f"测试干部{i}",
                        password="bench-password",
                        unit_id=unit,
                        roles=["cadre"],
                        post="车间主任",
                        now=now,
                    )
                    out.append((f"bench-cadre-{i}", unit))

            in_transaction(db, add_all)
        finally:
            passwords.hash_password = real_hash
            db.conn.close()
        return out

    def start(self) -> FangtanServer:
        env = {**os.environ, "FANGTAN_DATA_DIR": str(self.data_dir), "FANGTAN_STATIC_DIR": str(self.static_dir or WORK / "no-pwa")}
        log = open(self.data_dir.parent / "server.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
        )
        wait_http(f"{self.url}/api/health", self.process)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=120)  # uvicorn lets a long request (an export) finish first
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


def memory_kb(pid: int) -> dict[str, int]:
    """``VmRSS`` (now) and ``VmHWM`` (peak) of a process, in kB, from /proc/<pid>/status."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) the process has used, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime (fields 14, 15 of proc(5))


def machine_cpu() -> dict[str, float]:
    """CPU seconds the whole machine has spent busy (every process) and stolen by the hypervisor,
    from /proc/stat: beside ``cpu_seconds`` of the server they say whether a slow step was the
    server's own work or the machine's (these machines are shared)."""
    user, nice, system, _idle, _iowait, irq, softirq, steal, *_ = (int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:])
    return {"busy": (user + nice + system + irq + softirq) / _TICK, "steal": steal / _TICK}


class CpuWatch:
    """Around one step: the server's CPU seconds, every other process's, and the stolen ones."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.server, self.machine, self.wall = cpu_seconds(pid), machine_cpu(), time.perf_counter()

    def done(self) -> dict[str, float]:
        server, machine = cpu_seconds(self.pid) - self.server, machine_cpu()
        return {"wall_s": time.perf_counter() - self.wall, "server_cpu_s": server,
                "others_cpu_s": max(machine["busy"] - self.machine["busy"] - server, 0.0),
                "steal_s": machine["steal"] - self.machine["steal"]}
