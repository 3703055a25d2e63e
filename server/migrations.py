"""Core schema (organisation, accounts, devices, tokens): forward-only sqlite-utils migrations.

Never edit a migration that has shipped; add a new one. The sync engine's tables are a second
migration set (``sync.migrations``) applied after this one, see ``server.store.migrate``. Tables only
the server reads and writes (reminders, push, supervision) are here, not in the engine's set.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

core = Migrations("fangtan.core")


@core()
def m001_org_and_accounts(db: Database) -> None:
    db["org_unit"].create(
        {
            "id": str,
            "parent_id": str,
            "name": str,
            "kind": str,  # company | department | workshop | team
            "path": str,  # materialised path: /<root id>/<child id>/ ... always ends with /
            "is_handler_dept": int,  # can be assigned problems (责任部门)
            "sort": int,
            "created_at": str,
        },
        pk="id",
        not_null={"name", "kind", "path"},
        defaults={"is_handler_dept": 0, "sort": 0},
        foreign_keys=[("parent_id", "org_unit", "id")],
    )
    db["org_unit"].create_index(["path"], unique=True)
    db["user"].create(
        {
            "id": str,
            "username": str,
            "name": str,
            "unit_id": str,
            "roles": str,  # JSON array of role ids
            "post": str,  # job title, shown to others
            "password_hash": str,
            "disabled": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"username", "name", "unit_id", "roles", "password_hash"},
        defaults={"disabled": 0, "roles": "[]"},
        foreign_keys=[("unit_id", "org_unit", "id")],
    )
    db["user"].create_index(["username"], unique=True)
    db["device"].create(
        {
            "id": str,
            "user_id": str,
            "name": str,
            "created_at": str,
            "last_seen_at": str,
            "revoked_at": str,
            "revoked_by": str,
        },
        pk="id",
        not_null={"user_id", "name", "created_at"},
        foreign_keys=[("user_id", "user", "id")],
    )
    db["device"].create_index(["user_id"])
    # Refresh tokens are stored hashed (sha256); rotating on every use, one live token per device.
    db["refresh_token"].create(
        {
            "token_hash": str,
            "device_id": str,
            "issued_at": str,
            "expires_at": str,
            "replaced_at": str,
        },
        pk="token_hash",
        not_null={"device_id", "issued_at", "expires_at"},
        foreign_keys=[("device_id", "device", "id")],
    )
    db["refresh_token"].create_index(["device_id"])
    # Failed logins, for rate limiting per account and per address (kept 24 h).
    db["login_failure"].create(
        {"id": int, "username": str, "address": str, "at": str},
        pk="id",
    )
    db["login_failure"].create_index(["username", "at"])
    db["login_failure"].create_index(["address", "at"])


@core()
def m002_blobs(db: Database) -> None:
    # A blob counts only once its bytes hashed to its name; uploads in progress live as files only.
    db["blob"].create(
        {"sha256": str, "size": int, "mime": str, "created_at": str, "created_by": str},
        pk="sha256",
        not_null={"size", "created_at"},
    )


@core()
def m003_parked_pushes(db: Database) -> None:
    # Pushes from clients below the accepted protocol/schema window (426): kept verbatim so an
    # administrator can recover them even if the device is lost before it updates.
    db["parked_push"].create(
        {"id": int, "device_id": str, "user_id": str, "received_at": str, "protocol": int,
         "schema_version": int, "media": str, "body": bytes},
        pk="id",
        not_null={"user_id", "received_at", "body"},
    )


@core()
def m005_evaluation(db: Database) -> None:
    # Anonymous evaluation (DESIGN §6, docs/evaluation.md). Three tables that must stay unlinkable:
    # random primary keys and WITHOUT ROWID (no insertion order to line up), no timestamps finer
    # than the issue day of a ticket and the quarter of a response.
    db.execute(
        "CREATE TABLE evaluation_ticket (hash TEXT PRIMARY KEY, cadre_id TEXT NOT NULL REFERENCES user(id),"
        " issued_on TEXT NOT NULL) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX evaluation_ticket_cadre ON evaluation_ticket (cadre_id)")
    db.execute("CREATE TABLE evaluation_ticket_used (hash TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute(
        "CREATE TABLE evaluation_response (id TEXT PRIMARY KEY, cadre_id TEXT NOT NULL REFERENCES user(id),"
        " period TEXT NOT NULL,"
        " attitude INTEGER NOT NULL CHECK (attitude BETWEEN 1 AND 5),"
        " professionalism INTEGER NOT NULL CHECK (professionalism BETWEEN 1 AND 5),"
        " responsiveness INTEGER NOT NULL CHECK (responsiveness BETWEEN 1 AND 5),"
        " comment TEXT) WITHOUT ROWID"
    )
    db.execute("CREATE INDEX evaluation_response_cell ON evaluation_response (cadre_id, period)")


@core()
def m004_device_unlock_shares(db: Database) -> None:
    # One random share per device, mixed into the PWA's app-lock key (docs/security.md §6): a revoked
    # device cannot fetch it any more, so it stops unlocking once its cached copy expires.
    db["device_unlock_share"].create(
        {"device_id": str, "share": bytes, "created_at": str},
        pk="device_id",
        not_null={"share", "created_at"},
        foreign_keys=[("device_id", "device", "id")],
    )


@core()
def m006_server_tables_from_sync(db: Database) -> None:
    """The server-only tables that the engine's set created as shipped (``sync.migrations`` m010:
    reminder keys, push subscriptions and deliveries; m040: supervision draws, samples, findings).

    A database that already ran those finds each object in place and keeps it with its rows; a new
    one gets them here (the engine's set no longer creates them). The statements are the shipped
    text, byte for byte, so both end with the same schema (``sqlite_master.sql``)."""
    existing = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    for name, sql in _SERVER_TABLES_FROM_SYNC:
        if name not in existing:
            db.execute(sql)


def _server_tables_from_sync() -> list[tuple[str, str]]:
    # Indentation inside the strings is part of the stored schema: keep it as shipped.
    statements = (
        # Scheduler: one row per reminder ever sent, keyed by a deterministic idempotency key.
        """CREATE TABLE reminder (
            key TEXT PRIMARY KEY, kind TEXT NOT NULL, sent_at TEXT NOT NULL,
            recipients INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID""",
        """CREATE TABLE push_subscription (
            id TEXT PRIMARY KEY, user_id TEXT NOT NULL, device_id TEXT, endpoint TEXT NOT NULL,
            p256dh TEXT NOT NULL, auth TEXT NOT NULL, created_at TEXT NOT NULL,
            last_success_at TEXT, last_error TEXT)""",
        "CREATE UNIQUE INDEX push_subscription_endpoint ON push_subscription (endpoint)",
        "CREATE INDEX push_subscription_user ON push_subscription (user_id)",
        """CREATE TABLE push_delivery (
            id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, target TEXT NOT NULL,
            notification_id TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL, last_error TEXT, created_at TEXT NOT NULL)""",
        "CREATE INDEX push_delivery_next ON push_delivery (next_attempt_at)",
        # One verifiable draw per period: the seed's SHA-256 is committed before the period ends,
        # the seed itself revealed after; the sample is derived from it (server.supervision.draw).
        """CREATE TABLE supervision_draw (
            id TEXT PRIMARY KEY, period_start TEXT NOT NULL, period_end TEXT NOT NULL,
            rate REAL NOT NULL, seed_sha256 TEXT NOT NULL, committed_by TEXT NOT NULL,
            committed_at TEXT NOT NULL, seed TEXT, revealed_by TEXT, revealed_at TEXT,
            population TEXT)""",
        """CREATE TABLE supervision_sample (
            draw_id TEXT NOT NULL, entity TEXT NOT NULL, item_id TEXT NOT NULL, stratum TEXT NOT NULL,
            rank INTEGER NOT NULL, PRIMARY KEY (draw_id, entity, item_id)) WITHOUT ROWID""",
        """CREATE TABLE supervision_finding (
            id TEXT PRIMARY KEY, draw_id TEXT NOT NULL, entity TEXT NOT NULL, item_id TEXT NOT NULL,
            verdict TEXT NOT NULL, opinion TEXT, status TEXT NOT NULL, response TEXT, responded_by TEXT,
            responded_at TEXT, evidence TEXT, closed_by TEXT, closed_at TEXT, created_by TEXT NOT NULL,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
        "CREATE UNIQUE INDEX supervision_finding_item ON supervision_finding (draw_id, entity, item_id)",
    )
    return [(sql.split(" ON ")[0].split("(")[0].split()[-1], sql) for sql in statements]


_SERVER_TABLES_FROM_SYNC = _server_tables_from_sync()
"""(object name, shipped CREATE statement), in creation order."""


@core()
def m007_evaluation_pending(db: Database) -> None:
    # Responses not yet written out: sealed (AES-GCM, key outside the data directory), fixed length,
    # no cadre, no period, no ticket in clear (server.evaluation.seal, docs/evaluation.md).
    db.execute("CREATE TABLE evaluation_pending (id TEXT PRIMARY KEY, sealed BLOB NOT NULL) WITHOUT ROWID")


@core()
def m008_roster_import_and_admin_audit(db: Database) -> None:
    """Roster import (docs/administration.md): a user's phone and whether they must set their own
    password before anything else (one-time passwords); a unit's headcount of employees without an
    account (coverage); and the admin audit log (who did what, when)."""
    db["user"].add_column("phone", str)
    db["user"].add_column("must_change_password", int, not_null_default=0)
    db["org_unit"].add_column("employee_count", int, not_null_default=0)
    db["admin_audit"].create(
        {"id": int, "at": str, "actor": str, "action": str, "target": str, "details": str},
        pk="id",
        not_null={"at", "actor", "action"},
    )
    db["admin_audit"].create_index(["at"])


@core()
def m009_login_backoff_and_session_chains(db: Database) -> None:
    # Login limits count per (account, client address) pair; a failure row is reserved before the
    # password is verified, so concurrent guesses cannot all pass the check (docs/security.md).
    db["login_failure"].create_index(["username", "address", "at"])
    # Refresh-token rotation with reuse detection: every login starts a session chain; a refresh
    # token carries its chain, access tokens name it (``sid``), and the device names its live chain.
    # A replayed, already-used refresh token ends the live chain: all its tokens stop working.
    db.execute("ALTER TABLE device ADD COLUMN session_id TEXT")
    db.execute("ALTER TABLE refresh_token ADD COLUMN session_id TEXT")
    db.execute("ALTER TABLE refresh_token ADD COLUMN revoked_reason TEXT")


@core()
def m010_single_sign_on(db: Database) -> None:
    # Single sign-on (docs/security.md "Single sign-on"): a sign-in started at the issuer keeps its
    # state, nonce and PKCE verifier here (short-lived, single use); a finished one hands the PWA a
    # one-time code (stored hashed) that it exchanges for tokens, so no token travels in a URL.
    # ``password_login`` = 0 refuses password sign-in for that user (SSO only).
    db.execute("ALTER TABLE user ADD COLUMN password_login INTEGER NOT NULL DEFAULT 1")
    db["sso_pending"].create({"state_hash": str, "provider": str, "nonce": str, "verifier": str,
                              "created_at": str, "expires_at": str}, pk="state_hash")
    db["sso_handoff"].create({"code_hash": str, "user_id": str, "created_at": str, "expires_at": str,
                              "used_at": str}, pk="code_hash", foreign_keys=[("user_id", "user", "id")])


@core()
def m011_document_numbers(db: Database) -> None:
    # 发文字号 of the exported official documents (server/followup/exports/numbering.py): one per
    # document key, a yearly sequence, assigned on the first export and printed the same ever after.
    db["document_number"].create({"doc_key": str, "year": int, "seq": int, "number": str, "assigned_at": str},
                                 pk="doc_key", not_null={"year", "seq", "number", "assigned_at"})
    db["document_number"].create_index(["year", "seq"], unique=True)


@core()
def m012_unit_disabled(db: Database) -> None:
    # A retired unit (已停用, docs/administration.md §2 组织机构): kept with its name for history —
    # interviews, problems, ledgers and archives still name it — but never chosen for new work.
    # Who disabled it and when is in ``admin_audit`` (``unit.disable`` / ``unit.enable``).
    db.execute("ALTER TABLE org_unit ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0")


@core()
def m013_supervision_period_draws(db: Database) -> None:
    # Draws for any period, past or current (server/supervision/beacon.py): an append-only,
    # hash-chained draw log, the server's hash chain (its secret end and published anchor), and on a
    # draw its period (one draw per period, ever) and the log entries of its request and result.
    db.execute("""CREATE TABLE supervision_draw_log (
        seq INTEGER PRIMARY KEY, prev_hash TEXT NOT NULL, body TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL)""")
    for action in ("UPDATE", "DELETE"):
        db.execute(f"""CREATE TRIGGER supervision_draw_log_no_{action.lower()} BEFORE {action}
            ON supervision_draw_log BEGIN SELECT RAISE(ABORT, 'the draw log is append-only'); END""")
    db.execute("""CREATE TABLE supervision_chain (
        chain_id TEXT PRIMARY KEY, secret TEXT NOT NULL, length INTEGER NOT NULL, anchor TEXT NOT NULL,
        anchor_seq INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL)""")
    db.execute("ALTER TABLE supervision_draw ADD COLUMN scheme TEXT NOT NULL DEFAULT 'commit_reveal'")
    db.execute("ALTER TABLE supervision_draw ADD COLUMN period TEXT")
    db.execute("ALTER TABLE supervision_draw ADD COLUMN request_seq INTEGER")
    db.execute("ALTER TABLE supervision_draw ADD COLUMN draw_seq INTEGER")
    db.execute("CREATE UNIQUE INDEX supervision_draw_period ON supervision_draw (period)")


@core()
def m014_user_locale(db: Database) -> None:
    # The language a user chose for what the server writes to them (notifications, Web Push;
    # ``PUT /api/me/locale``). NULL: the company's, zh-CN. A webhook delivery carries its own
    # text (the company-language one), since the group it goes to is nobody's inbox.
    db.execute('ALTER TABLE "user" ADD COLUMN locale TEXT')
    db.execute("ALTER TABLE push_delivery ADD COLUMN text TEXT")


@core()
def m015_evaluation_period_index(db: Database) -> None:
    # Dashboards and the assessment sum a period's responses per cadre: this index holds what they
    # sum, so they read the period's responses only, not every year's (bench/growth.py). It holds
    # no more than the table does (no author, no time).
    db.execute("CREATE INDEX evaluation_response_period ON evaluation_response"
               " (period, cadre_id, attitude, professionalism, responsiveness)")
