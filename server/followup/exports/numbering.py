"""发文字号 (GB/T 9704-2012 §7.2.4): 机关代字 + 〔year〕 + sequence + 号, e.g. ``人资〔2026〕3号``.

The prefix (机关代字) is ``Settings.document_number_prefix``. Each issued document — a submitted
report, the agenda of a day, a year's plan — gets its number the first time it is exported: the
next of its year, stored in ``document_number`` under the document's key, so exporting it again
prints the same number (also after the prefix setting changed). Numbers are never reused.
"""

from __future__ import annotations

from sqlite_utils import Database

from server.settings import Settings


def format_number(prefix: str, year: int, seq: int) -> str:
    """``人资〔2026〕3号``: year in full in 六角括号, the sequence without leading zeros or 第."""
    return f"{prefix}〔{year}〕{seq}号"


def assign(db: Database, key: str, year: int, prefix: str, now_iso: str) -> str:
    """The document's number: the stored one, else the next of ``year`` (call inside a write
    transaction; ``document_number`` is unique per key and per year and sequence)."""
    row = db.conn.execute("SELECT number FROM document_number WHERE doc_key = ?", (key,)).fetchone()
    if row is not None:
        return row[0]
    seq = db.conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM document_number WHERE year = ?",
                          (year,)).fetchone()[0]
    number = format_number(prefix, year, seq)
    db.conn.execute("INSERT INTO document_number (doc_key, year, seq, number, assigned_at) VALUES (?, ?, ?, ?, ?)",
                    (key, year, seq, number, now_iso))
    return number


DEFAULT_PREFIX = Settings.document_number_prefix


def issuer(settings: Settings, db: Database) -> str:
    return issuer_name(db, settings.document_issuer)


def issuer_name(db: Database, configured: str = "") -> str:
    """The 发文机关: ``Settings.document_issuer``, else the company (the top unit) + 人力资源部（党群部）,
    the office the rule book gives the follow-up to."""
    if configured.strip():
        return configured.strip()
    row = db.conn.execute("SELECT name FROM org_unit WHERE parent_id IS NULL ORDER BY sort, id LIMIT 1").fetchone()
    return f"{row[0] if row else ''}人力资源部（党群部）"
