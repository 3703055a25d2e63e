"""The peer: pouchdb-server (npm, installed into bench/pouchdb by ``make bench``) with LevelDB on
disk, driven over HTTP the way a PouchDB replicator drives it: ``_bulk_docs`` to push,
``_changes?include_docs=true`` to pull."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import msgspec

from bench.servers import WORK, free_port, wait_http

PEER_DIR = Path(__file__).resolve().parent / "pouchdb"
BIN = PEER_DIR / "node_modules" / ".bin" / "pouchdb-server"


def version() -> str:
    try:
        return json.loads((PEER_DIR / "node_modules" / "pouchdb-server" / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "not installed"


@dataclass
class PouchServer:
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> PouchServer:
        if not BIN.exists():
            raise SystemExit("pouchdb-server is not installed: `make bench` runs npm install in bench/pouchdb")
        home = WORK / "pouchdb"
        shutil.rmtree(home, ignore_errors=True)
        (home / "db").mkdir(parents=True)
        # It writes config.json and log.txt into its working directory: keep them in the scratch space.
        self.process = subprocess.Popen(
            [str(BIN), "--port", str(self.port), "--dir", str(home / "db"), "--no-stdout-logs"],
            cwd=home,
            stdout=open(home / "stdout.log", "ab"),
            stderr=subprocess.STDOUT,
        )
        wait_http(self.url + "/", self.process)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


_json = msgspec.json.Encoder()


def push(http: httpx.Client, db: str, docs: list[dict], batch: int) -> None:
    for start in range(0, len(docs), batch):
        response = http.post(
            f"/{db}/_bulk_docs",
            content=_json.encode({"docs": docs[start : start + batch]}),
            headers={"Content-Type": "application/json"},
        )
        response.raise_for_status()
        failed = [r for r in msgspec.json.decode(response.content) if "error" in r]
        if failed:
            raise RuntimeError(f"pouchdb-server refused {len(failed)} docs: {failed[:2]}")


def pull(http: httpx.Client, db: str, page: int) -> int:
    """A fresh replica: every change with its document, ``page`` at a time; returns docs pulled."""
    since: object = 0
    total = 0
    while True:
        response = http.get(f"/{db}/_changes", params={"include_docs": "true", "limit": page, "since": since})
        response.raise_for_status()
        body = msgspec.json.decode(response.content)
        total += len(body["results"])
        since = body["last_seq"]
        if len(body["results"]) < page:
            return total
