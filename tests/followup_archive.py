"""An archived interview with an evidence photo, for archive tests (sync and server)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from server.blobs.storage import BlobFiles
from server.followup.archive import archive_tx
from server.store import in_transaction
from tests.builders import World, close, held_interview, raise_issue, submit_report

PHOTO = b"\x89PNG\r\n\x1a\n" + b"evidence-photo" * 100


def put_blob(blobs: BlobFiles, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    path = blobs.final_path(sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return sha


def archived_interview(world: World, dev, tmp: Path):
    """Returns (interview id, issue id, attachment id, archive row, archive dir)."""
    iid = held_interview(dev)
    issue = raise_issue(dev, iid)
    assert submit_report(dev, iid).status == "applied"
    blobs = BlobFiles(tmp / "blobs")
    att = close(dev, issue, photo_sha256=put_blob(blobs, PHOTO), photo_name="整改后照片.png", photo_size=len(PHOTO))
    actor = world.actor("u-hr")
    row = in_transaction(world.db, lambda db: archive_tx(db, actor, iid, tmp / "archives", blobs,
                                                         "2025-12-01T02:00:00+00:00"))
    return iid, issue, att, row, tmp / "archives"
