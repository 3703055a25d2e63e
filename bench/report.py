"""bench/results.md: one section per benchmark, each stamped with the machine, versions and date."""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

RESULTS = Path(__file__).parent / "results.md"


def _version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "not found"


def machine() -> str:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else ""
    )
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {os.cpu_count()} cores ({cpu}) · {_ram()} RAM · "
        f"Python {platform.python_version()} · SQLite {sqlite3.sqlite_version} · "
        f"Litestar {_package('litestar')} · uvicorn {_package('uvicorn')} · "
        f"node {_version(['node', '--version'])} · {_version(['/usr/bin/chromium', '--version'])} · "
        f"load average when written: {' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1/5/15 min)"
    )


def _ram() -> str:
    try:
        kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
    except (OSError, StopIteration):
        return "?"
    return f"{kb / 1024 / 1024:.1f} GiB"


def _package(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def write_section(name: str, body: str, machine_line: str | None = None) -> None:
    """Replace (or add) the section ``## name`` in results.md, keeping the others. ``machine_line``:
    the machine as it was when the figures were measured (default: now)."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n\n"
    section = f"## {name}\n\n_{machine_line or machine()}_\n\n{body.strip()}\n\n"
    pattern = re.compile(rf"^## {re.escape(name)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text + section
    RESULTS.write_text(text, encoding="utf-8")
