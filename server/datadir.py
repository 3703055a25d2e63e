"""The data directory is private to the service account: 0700, every file in it 0600 (or tighter),
whatever the umask fangtan was started with (issue 13 point 16; docs/security.md).

``make_private`` runs before anything is opened (``fangtan serve`` and every CLI command, the app's
start-up): it sets the process umask to 077 — so SQLite's database, ``-wal`` and ``-shm``, blobs,
key files, backups, archives and TLS files are all created owner-only — creates the directory 0700
and takes group/other bits off whatever is already in it (a copy restored by hand, an old install).
Files that are deliberately read-only (archive bundles, 0400) stay read-only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077


def make_private(data_dir: Path) -> None:
    os.umask(PRIVATE_UMASK)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    tighten(data_dir)


def tighten(root: Path) -> None:
    """Drop group and other permission bits from ``root`` and everything under it (no symlinks)."""
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [dirpath, *(os.path.join(dirpath, n) for n in (*dirnames, *filenames))]:
            try:
                st = os.lstat(name)
            except FileNotFoundError:  # removed while we walked (an upload finishing)
                continue
            if stat.S_ISLNK(st.st_mode) or not st.st_mode & 0o077:
                continue
            os.chmod(name, stat.S_IMODE(st.st_mode) & ~0o077)
