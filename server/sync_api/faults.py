"""Test-only fault injection: die between a push's commit and its response.

Off unless ``FANGTAN_FAULT_KILL_AFTER_PUSH_COMMITS=N`` is set in the server's environment (only the
fault tests in ``tests/faults/`` set it; it is not a setting and never read from a config file).
When armed, the process SIGKILLs itself right after the N-th push transaction has committed and
before a byte of the response is sent — the worst moment for a device: its changes are durable but
it never learns so. The device must retry after the restart and be answered from the stored
receipts (``duplicate``), so every mutation ends applied exactly once. See docs/testing.md.
"""

from __future__ import annotations

import os
import signal

KILL_AFTER_PUSH_COMMITS_ENV = "FANGTAN_FAULT_KILL_AFTER_PUSH_COMMITS"


class PushCommitFault:
    def __init__(self, environ: dict[str, str] | os._Environ[str] = os.environ) -> None:
        value = environ.get(KILL_AFTER_PUSH_COMMITS_ENV, "").strip()
        self.kill_after = int(value) if value else None
        self.commits = 0

    def after_commit(self) -> None:
        if self.kill_after is None:
            return
        self.commits += 1
        if self.commits >= self.kill_after:
            os.kill(os.getpid(), signal.SIGKILL)


push_commit_fault = PushCommitFault()
