"""Uploaded rosters waiting to be applied, and the slips of applied ones, kept in the server's memory.

A preview answers with a token; ``apply`` names it, so the file applied is exactly the one previewed
(re-planned against the database as it is then). Slips hold one-time passwords in clear: they are
never written to the database or a backup, only kept here for ``TTL_S`` for their importer to
download, and are gone on restart (reset the passwords then: ``fangtan user passwd``). One process
serves (``fangtan serve`` runs one worker), so memory is the right place."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

TTL_S = 30 * 60
MAX_ENTRIES = 32


@dataclass
class Entry:
    owner: str
    data: bytes
    at: float


class Holder:
    """Token → (owner, bytes), expiring after ``TTL_S``; thread-safe."""

    def __init__(self, ttl_s: int = TTL_S) -> None:
        self.ttl_s = ttl_s
        self._entries: dict[str, Entry] = {}
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        for token in [t for t, e in self._entries.items() if now - e.at > self.ttl_s]:
            del self._entries[token]
        while len(self._entries) >= MAX_ENTRIES:
            del self._entries[min(self._entries, key=lambda t: self._entries[t].at)]

    def put(self, owner: str, data: bytes) -> str:
        token = secrets.token_urlsafe(18)
        with self._lock:
            self._expire(time.monotonic())
            self._entries[token] = Entry(owner, data, time.monotonic())
        return token

    def get(self, token: str) -> Entry | None:
        with self._lock:
            self._expire(time.monotonic() - 0)
            return self._entries.get(token)

    def pop(self, token: str) -> Entry | None:
        with self._lock:
            return self._entries.pop(token, None)


class RosterMemory:
    def __init__(self) -> None:
        self.previews = Holder()
        self.slips = Holder()


def memory_of(state) -> RosterMemory:
    """The app's roster memory (created on first use)."""
    memory = getattr(state, "roster_memory", None)
    if memory is None:
        memory = RosterMemory()
        state.roster_memory = memory
    return memory
