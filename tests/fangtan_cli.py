"""Run the ``fangtan`` command line as a user would: a subprocess of this interpreter, text output
kept for the test to read. One helper, so every CLI test runs it the same way."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def fangtan(*args: str, data_dir: Path | str | None = None, env: Mapping[str, str] | None = None,
            input: str | None = None, timeout: float = 120, check: bool = False) -> subprocess.CompletedProcess[str]:
    """``fangtan ARGS [--data-dir DIR]``; ``env`` is added to this process's environment."""
    command = [sys.executable, "-m", "server.cli", *args]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return subprocess.run(command, capture_output=True, text=True, input=input, timeout=timeout, check=check,
                          env={**os.environ, **(env or {})})
