"""The push-commit fault hook does nothing unless its environment variable arms it."""

from __future__ import annotations

import signal

from server.sync_api import faults
from server.sync_api.faults import KILL_AFTER_PUSH_COMMITS_ENV, PushCommitFault


def test_unarmed_hook_never_signals(monkeypatch) -> None:
    sent: list[tuple[int, int]] = []
    monkeypatch.setattr(faults.os, "kill", lambda pid, sig: sent.append((pid, sig)))
    hook = PushCommitFault(environ={})
    for _ in range(1000):
        hook.after_commit()
    assert sent == [] and hook.kill_after is None


def test_the_server_process_is_unarmed_by_default() -> None:
    assert faults.push_commit_fault.kill_after is None, f"{KILL_AFTER_PUSH_COMMITS_ENV} leaked into the test run"


def test_armed_hook_sigkills_after_the_nth_commit(monkeypatch) -> None:
    sent: list[int] = []
    monkeypatch.setattr(faults.os, "kill", lambda pid, sig: sent.append(sig))
    hook = PushCommitFault(environ={KILL_AFTER_PUSH_COMMITS_ENV: "3"})
    hook.after_commit()
    hook.after_commit()
    assert sent == []
    hook.after_commit()
    assert sent == [signal.SIGKILL]
