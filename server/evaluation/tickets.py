"""Evaluation tickets: random bearer tokens, issued in advance to a cadre's tablet, redeemed once.

A ticket is 100 random bits written as 20 Crockford base32 characters (``XXXX-XXXX-XXXX-XXXX-XXXX``
on paper). The server keeps only its SHA-256 with the cadre it was issued to, so the database
never holds a usable ticket.

Redeeming commits two things at once, because both must survive a crash: the used-mark (the hash
alone, in its own table) and the response **sealed** in the pending pool (``server.evaluation.seal``:
fixed length, key outside the data directory). A copy of the data directory therefore sees that a
ticket was used, never what it said. A cell's (cadre x quarter) sealed responses are written out
in plain text only together, shuffled, with fresh random ids, once there are at least k of them
(``flush_tx``): the plain-text rows appear in the WAL only in groups of k or more.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
import sqlite3

import msgspec
from sqlite_utils import Database

from server.evaluation import seal
from server.evaluation.errors import TicketUnknown, TicketUsed
from sync.errors import ValidationFailed

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
TICKET_CHARS = 20  # 20 x 5 = 100 bits
MAX_BATCH = 50
"""Tickets one request may ask for (the tablet's pool size)."""
MAX_OUTSTANDING = 200
"""Unused tickets a cadre may hold at once: a lost tablet exposes at most this many."""
COMMENT_MAX_CHARS = 500
SCORE_FIELDS = ("attitude", "professionalism", "responsiveness")
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})


class Scores(msgspec.Struct, kw_only=True):
    attitude: int
    professionalism: int
    responsiveness: int
    comment: str | None = None


def new_ticket() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(TICKET_CHARS))


def printable(ticket: str) -> str:
    """``XXXX-XXXX-XXXX-XXXX-XXXX``: the number printed under a QR code and typed in from paper."""
    return "-".join(ticket[i : i + 4] for i in range(0, len(ticket), 4))


def normalize(text: str) -> str | None:
    """Case, spaces and dashes do not matter and O/I/L read as 0/1; None if it cannot be a ticket."""
    value = "".join(text.split()).replace("-", "").upper().translate(_CONFUSABLE)
    if len(value) != TICKET_CHARS or any(c not in ALPHABET for c in value):
        return None
    return value


def ticket_hash(ticket: str) -> str:
    return hashlib.sha256(ticket.encode("ascii")).hexdigest()


def quarter_of(day: dt.date) -> str:
    """The period a response counts for: ``2026Q4``. Never anything finer (anonymity)."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def outstanding(db: Database, cadre_id: str) -> int:
    """Tickets issued to the cadre and not yet used."""
    row = db.conn.execute(
        "SELECT COUNT(*) FROM evaluation_ticket t WHERE t.cadre_id = ?"
        " AND NOT EXISTS (SELECT 1 FROM evaluation_ticket_used u WHERE u.hash = t.hash)",
        (cadre_id,),
    ).fetchone()
    return int(row[0])


def issue_tickets_tx(db: Database, cadre_id: str, count: int, today: dt.date) -> list[str]:
    """New tickets for the cadre's tablet, at most up to ``MAX_OUTSTANDING`` unused ones."""
    if not 1 <= count <= MAX_BATCH:
        raise ValidationFailed(f"`count` 应在 1-{MAX_BATCH} 之间 (must be 1-{MAX_BATCH})", field="count")
    count = min(count, MAX_OUTSTANDING - outstanding(db, cadre_id))
    tickets = [new_ticket() for _ in range(max(count, 0))]
    db.conn.executemany(
        "INSERT INTO evaluation_ticket (hash, cadre_id, issued_on) VALUES (?, ?, ?)",
        [(ticket_hash(t), cadre_id, today.isoformat()) for t in tickets],
    )
    return tickets


def ticket_cadre_name(db: Database, ticket_text: str) -> str:
    """The name of the cadre a ticket rates (shown on the rating page; nothing about the rater)."""
    ticket = normalize(ticket_text)
    r = db.conn.execute(
        'SELECT u.name FROM evaluation_ticket t JOIN "user" u ON u.id = t.cadre_id WHERE t.hash = ?',
        (ticket_hash(ticket),)).fetchone() if ticket else None
    return r[0] if r else ""


def ticket_state(db: Database, ticket_text: str) -> str:
    """``open`` | ``used`` | ``unknown`` (for the page; submission re-checks in its transaction)."""
    ticket = normalize(ticket_text)
    if ticket is None:
        return "unknown"
    digest = ticket_hash(ticket)
    if db.conn.execute("SELECT 1 FROM evaluation_ticket WHERE hash = ?", (digest,)).fetchone() is None:
        return "unknown"
    used = db.conn.execute("SELECT 1 FROM evaluation_ticket_used WHERE hash = ?", (digest,)).fetchone()
    return "used" if used else "open"


def validate_scores(scores: Scores) -> None:
    for name in SCORE_FIELDS:
        value = getattr(scores, name)
        if not 1 <= value <= 5:
            raise ValidationFailed(f"`{name}` 评分应为 1-5 分 (must be 1-5), 收到 {value}", field=name)
    if scores.comment is not None and len(scores.comment) > COMMENT_MAX_CHARS:
        raise ValidationFailed(
            f"意见建议最多 {COMMENT_MAX_CHARS} 字 (comment is limited to {COMMENT_MAX_CHARS} characters),"
            f" 当前 {len(scores.comment)} 字",
            field="comment",
        )


def redeem_tx(db: Database, ticket_text: str, scores: Scores, today: dt.date, *, k: int = 5) -> None:
    """Store one response for a valid, unused ticket; refuse anything else with nothing stored.

    Runs inside the writer's transaction: the used-mark and the sealed response commit together or
    not at all; when the response's cell then holds k sealed responses, they are written out too.
    """
    validate_scores(scores)
    ticket = normalize(ticket_text)
    if ticket is None:
        raise TicketUnknown("评价码格式不正确，请核对（20 位字母数字）(malformed ticket number)", field="ticket")
    digest = ticket_hash(ticket)
    row = db.conn.execute("SELECT cadre_id FROM evaluation_ticket WHERE hash = ?", (digest,)).fetchone()
    if row is None:
        raise TicketUnknown("没有这个评价码，请核对后重试 (no such ticket)", field="ticket")
    try:
        db.conn.execute("INSERT INTO evaluation_ticket_used (hash) VALUES (?)", (digest,))
    except sqlite3.IntegrityError:
        raise TicketUsed(
            "此评价码已经使用过，每张评价码只能评价一次，本次未保存 (ticket already used)", field="ticket"
        ) from None
    record = {
        "cadre_id": row[0],
        "period": quarter_of(today),
        "attitude": scores.attitude,
        "professionalism": scores.professionalism,
        "responsiveness": scores.responsiveness,
        "comment": (scores.comment or "").strip() or None,
    }
    db.conn.execute(
        "INSERT INTO evaluation_pending (id, sealed) VALUES (?, ?)",
        (secrets.token_hex(16), seal.seal(seal.key_for(db), record)),
    )
    flush_tx(db, k=k)


def flush_tx(db: Database, *, k: int) -> int:
    """Write out every cell that holds at least ``k`` sealed responses: all of that cell's sealed
    responses at once, in random order, with fresh random ids; their sealed rows are deleted in the
    same transaction. Returns how many were written. Cells below k stay sealed."""
    by_cell: dict[tuple[str, str], list[tuple[str, dict]]] = {}
    for rid, rec in seal.pending(db):
        by_cell.setdefault((rec["cadre_id"], rec["period"]), []).append((rid, rec))
    written = 0
    shuffle = random.SystemRandom().shuffle
    for group in by_cell.values():
        if len(group) < k:
            continue
        shuffle(group)
        # Deleted sealed rows are overwritten with zeros in the database file (defence in depth should
        # the key ever leak; many builds default to it already). The WAL keeps its frames until the next
        # checkpoint, but they hold only ciphertext.
        secure = db.conn.execute("PRAGMA secure_delete").fetchone()[0]
        db.conn.execute("PRAGMA secure_delete = 1")
        db.conn.executemany("DELETE FROM evaluation_pending WHERE id = ?", [(rid,) for rid, _ in group])
        db.conn.execute(f"PRAGMA secure_delete = {int(secure)}")
        db.conn.executemany(
            "INSERT INTO evaluation_response (id, cadre_id, period, attitude, professionalism, responsiveness, comment)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    secrets.token_hex(16),
                    r["cadre_id"],
                    r["period"],
                    r["attitude"],
                    r["professionalism"],
                    r["responsiveness"],
                    r["comment"],
                )
                for _, r in group
            ],
        )
        written += len(group)
    return written
