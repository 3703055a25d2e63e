"""Sync schema: the ``fangtan.sync`` migration set, applied after ``fangtan.core``.

Forward-only: never edit a migration that has shipped; add a new one.

Tables, and why they exist:

* entity tables (``interview``, ``note``, ``issue``, ``followup``, ``remark``, ``attachment``,
  ``conflict``, ``rejection``): the current state, with real columns so domain code (reports,
  ledgers, exports) can query them. Lists and nested objects are JSON text; booleans are 0/1.
* ``sync_change``: one row per synced row id (entity, row_id) holding the row's latest global
  ``seq`` and its wire JSON. Every write replaces the entry, so AUTOINCREMENT hands out a new,
  never reused seq; SQLite's single writer makes seq order equal commit order. The visibility
  columns (``kind``, ``unit_path``, ``handler_path``, ``users``) are denormalised here so a pull page
  is one range scan of the primary key with a cheap per-row predicate and no joins.
  Deleted rows stay as tombstones (``deleted = 1``, ``data`` NULL) until purged.
* ``sync_field``: per (entity, row, field) the seq/device/mutation of its last client change;
  this is what makes base-version conflict detection field-exact.
* ``sync_device``: per device ``last_mutation_id`` (advanced in the push transaction), the seq the
  database had reached at that push (so a pull can report a ``last_mutation_id`` consistent with
  its ``upto``), and the device clock offset of its last push.
* ``sync_receipt``: the stored result of every applied/rejected mutation, so a replay gets the
  identical answer.
* ``sync_meta``: small key/values, e.g. ``horizon_seq`` (cursors below it get 410).
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from sync.reference import backfill_reference, ensure_catalogue


class _SyncMigrations(Migrations):
    """After the schema migrations, publish the shipped checklist if it changed (a new catalogue
    version ships as data, not as a migration)."""

    def apply(self, db: Database, **kwargs) -> None:  # type: ignore[override]
        super().apply(db, **kwargs)
        if "sync_change" in db.table_names():
            with db.atomic():
                ensure_catalogue(db)


migrations = _SyncMigrations("fangtan.sync")


def apply(db: Database) -> None:
    """Apply pending sync migrations (``fangtan.core`` must already be applied)."""
    migrations.apply(db)


@migrations()
def m001_sync_core(db: Database) -> None:
    for sql in _M001:
        db.execute(sql)


@migrations()
def m002_reference_backfill(db: Database) -> None:
    # Rows the core set already holds (a seeded demo, an upgraded install) must reach devices.
    backfill_reference(db)


_M001 = [
    # --- the log -------------------------------------------------------------------------
    """CREATE TABLE sync_change (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        entity TEXT NOT NULL,
        row_id TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        data TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('ref', 'work', 'remark', 'personal')),
        unit_path TEXT,
        handler_path TEXT,
        users TEXT NOT NULL DEFAULT '',
        changed_at TEXT NOT NULL
    )""",
    "CREATE UNIQUE INDEX sync_change_row ON sync_change (entity, row_id)",
    "CREATE INDEX sync_change_tombstones ON sync_change (changed_at) WHERE deleted = 1",
    """CREATE TABLE sync_field (
        entity TEXT NOT NULL,
        row_id TEXT NOT NULL,
        field TEXT NOT NULL,
        seq INTEGER NOT NULL,
        device_id TEXT,
        mutation_id INTEGER,
        user_id TEXT,
        PRIMARY KEY (entity, row_id, field)
    ) WITHOUT ROWID""",
    """CREATE TABLE sync_device (
        device_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        last_mutation_id INTEGER NOT NULL DEFAULT 0,
        last_seq INTEGER NOT NULL DEFAULT 0,
        clock_offset_ms INTEGER,
        last_client_time TEXT,
        last_push_at TEXT,
        pushes INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE sync_receipt (
        device_id TEXT NOT NULL,
        mutation_id INTEGER NOT NULL,
        status TEXT NOT NULL,
        seq INTEGER NOT NULL,
        result TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (device_id, mutation_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX sync_receipt_created ON sync_receipt (created_at)",
    "CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value TEXT)",
    "INSERT INTO sync_meta (key, value) VALUES ('horizon_seq', '0')",
    # --- entities --------------------------------------------------------------------------
    """CREATE TABLE interview (
        id TEXT PRIMARY KEY,
        plan_item_id TEXT,
        adhoc_reason TEXT,
        form TEXT NOT NULL,
        unit_id TEXT NOT NULL,
        cadre_ids TEXT NOT NULL DEFAULT '[]',
        started_at TEXT,
        ended_at TEXT,
        place TEXT,
        participants TEXT NOT NULL DEFAULT '[]',
        participant_count INTEGER,
        theme TEXT,
        channel TEXT,
        absence_reason TEXT,
        topic TEXT,
        departments TEXT NOT NULL DEFAULT '[]',
        consensus TEXT NOT NULL DEFAULT '[]',
        disagreements TEXT NOT NULL DEFAULT '[]',
        topics TEXT NOT NULL DEFAULT '[]',
        briefing TEXT,
        summary TEXT,
        status TEXT NOT NULL,
        author_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        submitted_at TEXT
    )""",
    "CREATE INDEX interview_unit ON interview (unit_id)",
    "CREATE INDEX interview_status ON interview (status)",
    """CREATE TABLE note (
        id TEXT PRIMARY KEY,
        interview_id TEXT NOT NULL,
        prompt_id TEXT,
        text TEXT NOT NULL,
        author_id TEXT NOT NULL,
        client_time TEXT,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX note_interview ON note (interview_id)",
    """CREATE TABLE issue (
        id TEXT PRIMARY KEY,
        interview_id TEXT NOT NULL,
        note_id TEXT,
        category TEXT NOT NULL,
        description TEXT NOT NULL,
        unit_ids TEXT NOT NULL DEFAULT '[]',
        solution TEXT,
        owner TEXT,
        owner_user_id TEXT,
        due_date TEXT,
        major INTEGER NOT NULL DEFAULT 0,
        receipt_code TEXT NOT NULL,
        status TEXT NOT NULL,
        handler_unit_id TEXT,
        raised_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        flagged_events INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE UNIQUE INDEX issue_receipt_code ON issue (receipt_code)",
    "CREATE INDEX issue_interview ON issue (interview_id)",
    "CREATE INDEX issue_handler ON issue (handler_unit_id)",
    "CREATE INDEX issue_status ON issue (status)",
    """CREATE TABLE followup (
        id TEXT PRIMARY KEY,
        issue_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        text TEXT,
        handler_unit_id TEXT,
        owner TEXT,
        due_date TEXT,
        evidence TEXT NOT NULL DEFAULT '[]',
        evidence_text TEXT,
        verifier_id TEXT,
        from_status TEXT NOT NULL,
        to_status TEXT NOT NULL,
        flagged INTEGER NOT NULL DEFAULT 0,
        flag_reason TEXT,
        author_id TEXT NOT NULL,
        client_time TEXT,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX followup_issue ON followup (issue_id)",
    "CREATE INDEX followup_flagged ON followup (flagged) WHERE flagged = 1",
    """CREATE TABLE remark (
        id TEXT PRIMARY KEY,
        interview_id TEXT NOT NULL,
        author_id TEXT NOT NULL,
        envelope TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX remark_interview ON remark (interview_id)",
    """CREATE TABLE attachment (
        id TEXT PRIMARY KEY,
        parent_entity TEXT NOT NULL,
        parent_id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        mime TEXT NOT NULL,
        size INTEGER NOT NULL,
        name TEXT,
        author_id TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX attachment_parent ON attachment (parent_entity, parent_id)",
    "CREATE INDEX attachment_sha256 ON attachment (sha256)",
    """CREATE TABLE conflict (
        id TEXT PRIMARY KEY,
        entity TEXT NOT NULL,
        row_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        field TEXT,
        fields TEXT NOT NULL DEFAULT '[]',
        winner_value TEXT,
        loser_value TEXT,
        winner_user_id TEXT,
        winner_device_id TEXT,
        winner_mutation_id INTEGER,
        loser_user_id TEXT,
        loser_device_id TEXT,
        loser_mutation_id INTEGER,
        loser_seq INTEGER,
        base INTEGER,
        status TEXT NOT NULL,
        resolved_by TEXT,
        resolved_at TEXT,
        note TEXT,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX conflict_row ON conflict (entity, row_id)",
    """CREATE TABLE rejection (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        mutation_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        args TEXT NOT NULL,
        base INTEGER,
        client_time TEXT,
        error TEXT NOT NULL,
        author_id TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE UNIQUE INDEX rejection_mutation ON rejection (device_id, mutation_id)",
]


@migrations()
def m020_keys_access_log_signatures(db: Database) -> None:
    """Confidentiality (docs/security.md): public keys, key backups, decryption log, signatures."""
    for sql in (
        """CREATE TABLE user_key (
            id TEXT PRIMARY KEY, user_id TEXT NOT NULL, purpose TEXT NOT NULL, device_id TEXT,
            public_key TEXT NOT NULL, created_at TEXT NOT NULL, retired_at TEXT)""",
        "CREATE INDEX user_key_user ON user_key (user_id, purpose)",
        """CREATE TABLE key_backup (
            id TEXT PRIMARY KEY, user_id TEXT NOT NULL, key_id TEXT NOT NULL, method TEXT NOT NULL,
            kdf TEXT NOT NULL, iterations INTEGER NOT NULL, salt TEXT NOT NULL, nonce TEXT NOT NULL,
            wrapped TEXT NOT NULL, created_at TEXT NOT NULL)""",
        """CREATE TABLE remark_access (
            id TEXT PRIMARY KEY, remark_id TEXT NOT NULL, remark_author_id TEXT NOT NULL,
            user_id TEXT NOT NULL, device_id TEXT NOT NULL, client_time TEXT, created_at TEXT NOT NULL)""",
        "CREATE INDEX remark_access_remark ON remark_access (remark_id)",
        """CREATE TABLE interview_signature (
            id TEXT PRIMARY KEY, interview_id TEXT NOT NULL, user_id TEXT NOT NULL, device_id TEXT NOT NULL,
            key_id TEXT NOT NULL, canonical_sha256 TEXT NOT NULL, signature TEXT NOT NULL,
            client_time TEXT, created_at TEXT NOT NULL)""",
        "CREATE INDEX interview_signature_interview ON interview_signature (interview_id)",
    ):
        db.execute(sql)


@migrations()
def m030_rejection_dismissal(db: Database) -> None:
    """``rejection.dismiss``: who discarded a rejection deliberately, and when (NULL while open)."""
    db.execute("ALTER TABLE rejection ADD COLUMN dismissed_by TEXT")
    db.execute("ALTER TABLE rejection ADD COLUMN dismissed_at TEXT")


@migrations()
def m010_followup_loop(db: Database) -> None:
    """The follow-up loop (docs/followup.md): reports, the in-app inbox and its outbox, archive
    records, the working-day calendar overrides (the report mutation reads them).

    As shipped it also created the server's reminder and push tables; they belong to the server's
    set now (``server.migrations.m006_server_tables_from_sync``), which creates them on a new
    database and finds them in place on one that already ran this migration."""
    for sql in (
        """CREATE TABLE report (
            id TEXT PRIMARY KEY, interview_id TEXT NOT NULL, title TEXT, summary TEXT,
            status TEXT NOT NULL, issue_ids TEXT NOT NULL DEFAULT '[]', interview_date TEXT,
            due_date TEXT, calendar_unknown_year INTEGER, author_id TEXT NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL, submitted_at TEXT, submitted_by TEXT)""",
        "CREATE UNIQUE INDEX report_interview ON report (interview_id)",
        """CREATE TABLE notification (
            id TEXT PRIMARY KEY, user_id TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
            body TEXT NOT NULL, entity TEXT, entity_id TEXT, created_at TEXT NOT NULL, read_at TEXT)""",
        "CREATE INDEX notification_user ON notification (user_id, read_at)",
        """CREATE TABLE archive (
            id TEXT PRIMARY KEY, interview_id TEXT NOT NULL, file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL, size INTEGER NOT NULL, manifest_sha256 TEXT NOT NULL,
            archived_by TEXT NOT NULL, archived_at TEXT NOT NULL)""",
        "CREATE UNIQUE INDEX archive_interview ON archive (interview_id)",
        # Notifications created but not yet handed to the delivery channels (same transaction).
        "CREATE TABLE notification_outbox (notification_id TEXT PRIMARY KEY, created_at TEXT NOT NULL)",
        """CREATE TABLE calendar_override (
            day TEXT PRIMARY KEY, workday INTEGER NOT NULL, note TEXT, updated_by TEXT,
            updated_at TEXT NOT NULL)""",
        """CREATE TABLE calendar_year (
            year INTEGER PRIMARY KEY, complete INTEGER NOT NULL DEFAULT 1, note TEXT, updated_by TEXT,
            updated_at TEXT NOT NULL)""",
    ):
        db.execute(sql)


@migrations()
def m040_plans_supervision(db: Database) -> None:
    """Plans (synced ``plan_item``). See docs/plans-and-supervision.md.

    As shipped it also created the supervision group's spot-check tables (server-side: supervisors
    work online on a PC); they belong to the server's set now, like m010's reminder and push tables."""
    for sql in (
        """CREATE TABLE plan_item (
            id TEXT PRIMARY KEY, scope TEXT NOT NULL, kind TEXT NOT NULL, year INTEGER NOT NULL,
            quarter INTEGER, month INTEGER, cadre_id TEXT NOT NULL, unit_id TEXT NOT NULL,
            window_start TEXT NOT NULL, window_end TEXT NOT NULL, title TEXT, reason TEXT,
            status TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
        "CREATE INDEX plan_item_year ON plan_item (year, scope)",
        "CREATE INDEX plan_item_cadre ON plan_item (cadre_id)",
        "CREATE INDEX interview_plan_item ON interview (plan_item_id)",
    ):
        db.execute(sql)


@migrations()
def m060_change_log_covering_index(db: Database) -> None:
    """A pull page first picks the visible seqs from this index (``sync.pull``), so rows the caller
    may not see are skipped without reading their stored JSON (bench/results.md: 200 devices)."""
    db.execute("CREATE INDEX sync_change_pull ON sync_change (seq, kind, deleted, users, unit_path, handler_path)")


@migrations()
def m070_remark_interview_label(db: Database) -> None:
    """A remark names its interview (form, unit, place, start) for officers, who do not pull interviews
    (docs/security.md §4): set from the interview at each ``remark.put``; an older row gets it at its
    next put (the author's next edit or re-wrap), and until then the list shows the remark's date."""
    db.execute("ALTER TABLE remark ADD COLUMN interview TEXT")


@migrations()
def m075_blob_holders(db: Database) -> None:
    """Who holds a blob's bytes (docs/security.md "Access rules: threat model"): its uploaders, and
    whoever attached it while they could already read it. An attachment lets others read a blob only
    when its author is a holder, so naming a sha256 in ``attachment.add`` grants nothing by itself.
    Blobs recorded before this version keep their one recorded uploader."""
    db.execute("""CREATE TABLE blob_holder (
        sha256 TEXT NOT NULL, user_id TEXT NOT NULL, since TEXT NOT NULL,
        PRIMARY KEY (sha256, user_id)) WITHOUT ROWID""")
    if "blob" in db.table_names():
        db.execute("INSERT OR IGNORE INTO blob_holder (sha256, user_id, since)"
                   " SELECT sha256, created_by, created_at FROM blob WHERE created_by IS NOT NULL")


@migrations()
def m080_amendments(db: Database) -> None:
    """Changes after submission are amendments kept on the record (docs/followup.md §Amendments)."""
    for table in ("interview", "report"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN amendments TEXT NOT NULL DEFAULT '[]'")


@migrations()
def m090_receipt_code_pool(db: Database) -> None:
    """Every 回执码 ever handed out, one row each, so one PRIMARY KEY makes codes unique across the
    server's own (``issue.raise`` without a code) and the ones reserved for devices to spend offline
    (docs/followup.md "回执码 in the employee's hand"). ``device_id`` NULL: assigned by the server;
    ``issue_id`` NULL: reserved, not spent yet; ``released_at``: the device was revoked, never usable."""
    db.execute("""CREATE TABLE receipt_code (
        code TEXT PRIMARY KEY, device_id TEXT, issue_id TEXT UNIQUE, reserved_at TEXT NOT NULL,
        used_at TEXT, released_at TEXT) WITHOUT ROWID""")
    db.execute("CREATE INDEX receipt_code_device_free ON receipt_code (device_id) WHERE issue_id IS NULL")
    if "issue" in db.table_names():
        db.execute("INSERT OR IGNORE INTO receipt_code (code, device_id, issue_id, reserved_at, used_at)"
                   " SELECT receipt_code, NULL, id, created_at, created_at FROM issue")
    # The receipt page's short description (公开摘要, no names of people; docs/followup.md §Privacy).
    db.execute("ALTER TABLE issue ADD COLUMN public_summary TEXT")


@migrations()
def m100_remark_written_at(db: Database) -> None:
    """When a remark was written on the device (issue 16 point 7), apart from when the server
    received it: people are shown the writing time, rows stay ordered by the server's times. An older
    row has none; it shows its receipt time until it is written again."""
    db.execute("ALTER TABLE remark ADD COLUMN written_at TEXT")


@migrations()
def m101_notification_group_text(db: Database) -> None:
    """Notifications are written in each recipient's language (sync/notices.py); the queue entry
    keeps the company-language (zh-CN) text for the group webhook, which speaks for everyone."""
    db.execute("ALTER TABLE notification_outbox ADD COLUMN group_text TEXT")


@migrations()
def m102_period_indexes(db: Database) -> None:
    """Dashboards, the assessment and the formalism signals read a period's interviews, problems and
    closes (``sync.calendar.stamp_bounds``): these indexes let them read the period's rows only, not
    scan every year's (bench/growth.py). The interview expressions are exactly the queries' — the
    day an interview was held, as the signals (server/supervision/signals.py) and the report
    deadlines (server/assessment/measures.py) each take it — after the status, so the planner
    (which has no statistics) prefers them to ``interview_status`` without being told."""
    for sql in (
        "CREATE INDEX issue_created ON issue (created_at)",
        "CREATE INDEX followup_kind_created ON followup (kind, created_at)",
        "CREATE INDEX interview_held ON interview (status, coalesce(started_at, submitted_at, created_at))",
        "CREATE INDEX interview_started ON interview (status, coalesce(started_at, created_at))",
    ):
        db.execute(sql)


@migrations()
def m103_followup_by_issue_and_kind(db: Database) -> None:
    """One problem's events of one kind (its last close, whether it was escalated) through
    ``(issue_id, kind, created_at)``. With ``followup_kind_created`` (m102) beside ``(issue_id)`` the planner,
    which has no statistics, took the index of every close in the history for such a lookup: per
    problem, that read every year's closes (a draw's population over three years: minutes). Two
    equal columns win over one, and the last event of a kind is the index's last entry; the index
    serves ``issue_id`` alone as well."""
    db.execute("CREATE INDEX followup_issue_kind ON followup (issue_id, kind, created_at)")
    db.execute("DROP INDEX followup_issue")


@migrations()
def m104_change_log_index_names_the_entity(db: Database) -> None:
    """The pull's covering index gains the entity: a device of a company-wide role holds the notes
    of other people's interviews only once it opens them (``sync.pull.held_filter``), and the page
    query decides that from the index like every other part of its filter (docs/sync-protocol.md
    §3.1)."""
    db.execute("DROP INDEX sync_change_pull")
    db.execute("CREATE INDEX sync_change_pull ON sync_change"
               " (seq, kind, deleted, users, unit_path, handler_path, entity)")


@migrations()
def m105_notification_outbox_in_order(db: Database) -> None:
    """The delivery worker takes the outbox oldest first, 500 at a time: without an index each take
    sorted the whole queue. A queue is short while the server runs, but notifications written with
    no server to deliver them (an import, a restored backup, the generated years of bench/year.py:
    245,000) are taken 500 at a time, and each take scanned and sorted them all in the writer
    thread, minute after minute."""
    db.execute("CREATE INDEX notification_outbox_created ON notification_outbox (created_at)")
