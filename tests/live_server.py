"""A real ``fangtan serve`` (uvicorn) on a free port over a real SQLite file — Datasette's pattern."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    data_dir: Path
    static_dir: Path | None = None
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    serve_args: list[str] = field(default_factory=list)
    """Extra ``fangtan serve`` options, e.g. ``["--tls"]``."""
    ca_cert: Path | None = None
    """With TLS: the CA the health check verifies the server against (the URL is then https)."""

    @property
    def url(self) -> str:
        scheme = "https" if self.ca_cert is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    @property
    def verify(self) -> ssl.SSLContext | bool:
        """What httpx verifies this server's certificate with."""
        return ssl.create_default_context(cafile=str(self.ca_cert)) if self.ca_cert is not None else True

    def start(self, timeout: float = 120) -> LiveServer:
        # A deadline for a hung start, not a wait: the loop returns as soon as /api/health answers.
        # Importing the app and migrating took over 30 s on a loaded 2-core machine (load ~13).
        env = {**os.environ, "FANGTAN_DATA_DIR": str(self.data_dir), **self.env}
        if self.static_dir is not None:
            env["FANGTAN_STATIC_DIR"] = str(self.static_dir)
        self.log_path = self.data_dir.parent / f"server-{self.port}.log"
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(self.port), *self.serve_args],
            stdout=log, stderr=subprocess.STDOUT, env=env,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1, verify=self.verify).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"server did not start:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    def stop(self, *, kill: bool = False) -> None:
        if self.process and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                # A server that ignores SIGTERM (a stuck writer) must not outlive the test: an orphan
                # spinning on a core slowed a whole CI run past its limit. Kill it, then fail loudly.
                self.process.kill()
                self.process.wait(timeout=15)
                raise RuntimeError(f"server did not stop on SIGTERM within 15 s:\n{self.log()[-4000:]}") from None
