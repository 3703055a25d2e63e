"""Out-of-band delivery of inbox notifications: Web Push per subscription and the group webhook.

The inbox row (entity ``notification``) is the record and is written in the transaction that
caused it (a push, a scheduler tick) together with a ``notification_outbox`` entry. This worker,
a background task of the server process, turns outbox entries into ``push_delivery`` rows (one per
subscription of the recipient, plus the webhook for digest/overdue kinds) and sends them off the
event loop with a timeout. Outcomes:

* delivered → the delivery row is deleted;
* 404/410 from the push service → the subscription is dead: deleted with its pending deliveries;
* anything else (5xx, 429, timeout, refused) → retried with exponential backoff
  (``push_retry_base_s`` · 2^(attempt-1), at most an hour) up to ``push_max_attempts``, then dropped
  and logged. Push is best effort: nothing depends on it.

No request ever waits for a push service.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from sqlite_utils import Database

from server.platform.channels import WEBHOOK_KINDS, Channel, Message
from server.platform.webpush import PushFailed
from server.store import Store
from server.tasks import running
from sync.actor import Actor
from sync.errors import NotFound, ValidationFailed
from sync.ids import new_id

log = logging.getLogger("fangtan.push")

BACKOFF_MAX_S = 3600
BATCH = 50


# --- subscriptions (per device) ---------------------------------------------------------------------


def _b64url_bytes(value: str, field: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise ValidationFailed(f"`{field}` 编码格式不正确 (not base64url)", field=field) from None


def check_subscription(endpoint: str, p256dh: str, auth: str) -> None:
    url = urlparse(endpoint)
    loopback = url.hostname in ("127.0.0.1", "localhost", "::1")
    if not (url.scheme == "https" or (url.scheme == "http" and loopback)) or not url.netloc or len(endpoint) > 2000:
        raise ValidationFailed("`endpoint` 必须是推送服务的 https 地址 (endpoint must be an https URL)", field="endpoint")
    key = _b64url_bytes(p256dh, "keys.p256dh")
    if len(key) != 65 or key[0] != 4:
        raise ValidationFailed("`keys.p256dh` 应为 65 字节的 P-256 公钥 (must be an uncompressed P-256 point)",
                               field="keys.p256dh")
    if len(_b64url_bytes(auth, "keys.auth")) != 16:
        raise ValidationFailed("`keys.auth` 应为 16 字节 (must be 16 bytes)", field="keys.auth")


def subscribe_tx(db: Database, actor: Actor, endpoint: str, p256dh: str, auth: str, now_iso: str) -> dict:
    """Register (or move to this user/device) a browser's push subscription; keyed by endpoint."""
    check_subscription(endpoint, p256dh, auth)
    row = db.conn.execute("SELECT id FROM push_subscription WHERE endpoint = ?", (endpoint,)).fetchone()
    sub_id = row[0] if row else new_id()
    db.conn.execute(
        "INSERT INTO push_subscription (id, user_id, device_id, endpoint, p256dh, auth, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id,"
        " device_id = excluded.device_id, p256dh = excluded.p256dh, auth = excluded.auth, last_error = NULL",
        (sub_id, actor.user_id, actor.device_id, endpoint, p256dh, auth, now_iso),
    )
    return subscription(db, sub_id)


def subscription(db: Database, sub_id: str) -> dict:
    r = db.conn.execute(
        "SELECT id, user_id, device_id, endpoint, created_at, last_success_at, last_error FROM push_subscription"
        " WHERE id = ?", (sub_id,)).fetchone()
    if r is None:
        raise NotFound("没有这个推送订阅 (no such push subscription)")
    keys = ("id", "user_id", "device_id", "endpoint", "created_at", "last_success_at", "last_error")
    return dict(zip(keys, r, strict=True))


def unsubscribe_tx(db: Database, actor: Actor, endpoint: str) -> bool:
    r = db.conn.execute("SELECT id FROM push_subscription WHERE endpoint = ? AND user_id = ?",
                        (endpoint, actor.user_id)).fetchone()
    if r is None:
        raise NotFound("没有这个推送订阅 (no such push subscription of yours)", field="endpoint")
    _drop_subscription(db, r[0])
    return True


def _drop_subscription(db: Database, sub_id: str) -> None:
    db.conn.execute("DELETE FROM push_delivery WHERE channel = 'webpush' AND target = ?", (sub_id,))
    db.conn.execute("DELETE FROM push_subscription WHERE id = ?", (sub_id,))


def list_subscriptions(db: Database, user_id: str) -> list[dict]:
    ids = [r[0] for r in db.conn.execute("SELECT id FROM push_subscription WHERE user_id = ? ORDER BY created_at",
                                         (user_id,)).fetchall()]
    return [subscription(db, i) for i in ids]


# --- the delivery queue ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    id: int
    channel: str
    target: dict[str, Any]
    message: Message
    attempts: int


OUTBOX_TAKE = 500
"""Outbox entries turned into deliveries per transaction."""


def expand_outbox_tx(db: Database, now_iso: str, channels: frozenset[str]) -> int:
    """Turn new inbox notifications into per-channel deliveries (one transaction); returns how
    many outbox entries it took (``OUTBOX_TAKE`` when more may be waiting)."""
    rows = db.conn.execute(
        "SELECT o.notification_id, n.user_id, n.kind, coalesce(o.group_text, json_array(n.title, n.body))"
        " FROM notification_outbox o"
        " LEFT JOIN notification n ON n.id = o.notification_id ORDER BY o.created_at LIMIT ?", (OUTBOX_TAKE,)).fetchall()
    webhook_texts: set[str] = set()
    # Deliveries nobody can send any more (channel switched off, subscription or notification gone)
    # would otherwise stay due forever.
    marks = ", ".join("?" for _ in channels) or "''"
    db.conn.execute(f"DELETE FROM push_delivery WHERE channel NOT IN ({marks})", tuple(channels))
    db.conn.execute("DELETE FROM push_delivery WHERE notification_id NOT IN (SELECT id FROM notification)"
                    " OR (channel = 'webpush' AND target NOT IN (SELECT id FROM push_subscription))")
    for nid, user_id, kind, group_text in rows:
        db.conn.execute("DELETE FROM notification_outbox WHERE notification_id = ?", (nid,))
        if user_id is None:
            continue
        if "webpush" in channels:
            for (sub_id,) in db.conn.execute("SELECT id FROM push_subscription WHERE user_id = ?", (user_id,)).fetchall():
                _enqueue(db, "webpush", sub_id, nid, now_iso)
        # The group hears each message once, in the company's language, whatever its members chose.
        if "webhook" in channels and kind in WEBHOOK_KINDS and group_text and group_text not in webhook_texts:
            webhook_texts.add(group_text)
            _enqueue(db, "webhook", "webhook", nid, now_iso, group_text)
    return len(rows)


def _enqueue(db: Database, channel: str, target: str, nid: str, now_iso: str, text: str | None = None) -> None:
    db.conn.execute(
        "INSERT INTO push_delivery (channel, target, notification_id, next_attempt_at, created_at, text)"
        " VALUES (?, ?, ?, ?, ?, ?)", (channel, target, nid, now_iso, now_iso, text))


def due_deliveries(db: Database, now_iso: str, limit: int = BATCH) -> list[Delivery]:
    out = []
    for did, channel, target, nid, attempts, text in db.conn.execute(
        "SELECT id, channel, target, notification_id, attempts, text FROM push_delivery WHERE next_attempt_at <= ?"
        " ORDER BY next_attempt_at, id LIMIT ?", (now_iso, limit)).fetchall():
        n = db.conn.execute("SELECT kind, title, body, entity, entity_id FROM notification WHERE id = ?",
                            (nid,)).fetchone()
        if n is None:
            continue
        kind, title, body, entity, entity_id = n
        if text:  # the webhook's own words (the company's language), not the recipient's
            title, body = json.loads(text)
        message = Message(nid, kind, title, body, entity, entity_id)
        if channel == "webpush":
            s = db.conn.execute("SELECT endpoint, p256dh, auth FROM push_subscription WHERE id = ?",
                                (target,)).fetchone()
            if s is None:
                continue
            tgt: dict[str, Any] = {"id": target, "endpoint": s[0], "p256dh": s[1], "auth": s[2]}
        else:
            tgt = {"id": target}
        out.append(Delivery(did, channel, tgt, message, attempts))
    return out


def record_outcome_tx(db: Database, d: Delivery, outcome: str, error: str | None, now: dt.datetime,
                      *, base_s: float, max_attempts: int) -> None:
    now_iso = now.astimezone(dt.UTC).isoformat()
    if outcome == "ok":
        db.conn.execute("DELETE FROM push_delivery WHERE id = ?", (d.id,))
        if d.channel == "webpush":
            db.conn.execute("UPDATE push_subscription SET last_success_at = ?, last_error = NULL WHERE id = ?",
                            (now_iso, d.target["id"]))
        return
    if outcome == "gone":
        log.info(json.dumps({"push": "subscription_gone", "subscription": d.target["id"]}))
        _drop_subscription(db, d.target["id"])
        return
    attempts = d.attempts + 1
    if d.channel == "webpush":
        db.conn.execute("UPDATE push_subscription SET last_error = ? WHERE id = ?", (error, d.target["id"]))
    if attempts >= max_attempts:
        log.warning(json.dumps({"push": "gave_up", "channel": d.channel, "attempts": attempts, "error": error}))
        db.conn.execute("DELETE FROM push_delivery WHERE id = ?", (d.id,))
        return
    delay = min(BACKOFF_MAX_S, base_s * 2 ** (attempts - 1))
    db.conn.execute("UPDATE push_delivery SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                    (attempts, (now + dt.timedelta(seconds=delay)).astimezone(dt.UTC).isoformat(), error, d.id))


class Deliverer:
    """The background worker. ``wake()`` makes it look at the queue at once."""

    def __init__(self, store: Store, channels: dict[str, Channel], clock: Callable[[], dt.datetime], *,
                 poll_s: float, retry_base_s: float, max_attempts: int) -> None:
        self.store, self.channels, self.clock = store, channels, clock
        self.poll_s, self.retry_base_s, self.max_attempts = poll_s, retry_base_s, max_attempts
        self._event = asyncio.Event()
        self.backlog = False
        """Whether the last run took a full batch from the outbox (more may be waiting)."""

    def wake(self) -> None:
        self._event.set()

    async def run_once(self) -> int:
        """Expand the outbox, then send every delivery that is due; returns how many were attempted."""
        names = frozenset(self.channels)
        now_iso = self.clock().astimezone(dt.UTC).isoformat()
        taken = await self.store.write_tx(lambda db: expand_outbox_tx(db, now_iso, names))
        self.backlog = taken >= OUTBOX_TAKE
        batch = await self.store.read(lambda db: due_deliveries(db, now_iso))
        for d in batch:
            channel = self.channels.get(d.channel)
            if channel is None:
                continue
            error = None
            try:
                outcome = await asyncio.to_thread(channel.send, d.target, d.message)
            except PushFailed as exc:
                outcome, error = "retry", str(exc)
            except Exception as exc:  # a bug in a channel must not stop the worker
                outcome, error = "retry", f"{type(exc).__name__}: {exc}"
            when = self.clock()
            await self.store.write_tx(lambda db, d=d, o=outcome, e=error, w=when: record_outcome_tx(
                db, d, o, e, w, base_s=self.retry_base_s, max_attempts=self.max_attempts))
        return len(batch)

    async def run(self) -> None:
        while True:
            try:
                # A full batch sent, or a full take from the outbox (notifications written while no
                # server ran: an import, a restore): go on at once rather than one take per poll.
                if await self.run_once() >= BATCH or self.backlog:
                    continue
            except Exception:
                log.exception("push delivery failed")
            self._event.clear()
            # asyncio.timeout, not asyncio.wait_for: on Python 3.11 wait_for can swallow the task's
            # cancellation when the wait ends at the same moment, and shutdown then waits forever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_s):
                    await self._event.wait()


@contextlib.asynccontextmanager
async def delivering(deliverer: Deliverer) -> AsyncIterator[Deliverer]:
    async with running(deliverer.run(), "fangtan-push"):
        yield deliverer
