"""Web Push end to end against a real local push service: RFC 8291 payload decrypted with the
subscription's key, VAPID JWT verified (ES256, aud/exp/sub), 410 deletes the subscription, a 500 is
retried with backoff — all from the background worker, driven by an injected clock."""

import asyncio
import datetime as dt
import os
import stat
import time

import pytest

from server.platform.channels import WebhookChannel, WebPushChannel
from server.platform.notifications import OUTBOX_TAKE, Deliverer, list_subscriptions, subscribe_tx
from server.platform.webpush import load_or_create_vapid_keys
from server.store import Store
from sync.actor import Actor
from sync.followup_rules import notify
from sync.notices import Join, Notice, receipt
from tests.fake_push_service import FakePushService

T = dt.datetime(2025, 11, 24, 1, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T

    def __call__(self) -> dt.datetime:
        return self.now


def actor(user: str, device: str) -> Actor:
    return Actor(user_id=user, device_id=device, roles=frozenset({"handler"}), unit_id="emd", unit_path="/co/emd/")


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "push.db", read_threads=1)
    yield s
    s.close()


DIGEST = Notice("digest", "digest.hr", {"week": "", "open": 3, "overdue": 0, "unassigned": 0, "late_reports": 0,
                                       "units": Join([], sep=""), "calendar": ""})


def _people(db, **locales: str | None) -> None:
    """Users with the language each chose (None: never chose; the company's)."""
    db.conn.execute("INSERT OR IGNORE INTO org_unit (id, name, kind, path) VALUES ('co', '公司', 'company', '/co/')")
    for user, locale in locales.items():
        db.conn.execute('INSERT INTO "user" (id, username, name, unit_id, roles, password_hash, locale)'
                        " VALUES (?, ?, ?, 'co', '[\"handler\"]', 'x', ?)", (user, user, user, locale))


async def _subscribe(store, sub, user="u-handler", device="d1"):
    j = sub.json()
    return await store.write_tx(lambda db: subscribe_tx(db, actor(user, device), j["endpoint"], j["keys"]["p256dh"],
                                                        j["keys"]["auth"], T.isoformat()))


async def _notify(store, user="u-handler", kind="assigned"):
    said = Notice(kind, "assigned", {"receipt": receipt("ABCD-EFGH", "循环泵"), "due": ""})
    return await store.write_tx(lambda db: notify(db, T.isoformat(), [user], said, "issue", "i-1"))


async def test_payload_is_decrypted_and_the_vapid_jwt_verifies(store, tmp_path) -> None:
    keys = load_or_create_vapid_keys(tmp_path)
    assert stat.S_IMODE(os.stat(tmp_path / "vapid_private.pem").st_mode) == 0o600
    assert load_or_create_vapid_keys(tmp_path).public_key == keys.public_key  # kept, not regenerated
    clock = Clock()
    channel = WebPushChannel(keys, subject="mailto:ops@example.com", ttl=3600, timeout=5)
    with FakePushService() as push:
        tablet, phone = push.subscription("tablet"), push.subscription("phone")
        await _subscribe(store, tablet, device="d1")
        await _subscribe(store, phone, device="d2")
        [nid] = await _notify(store)
        worker = Deliverer(store, {"webpush": channel}, clock, poll_s=1, retry_base_s=30, max_attempts=3)
        started = time.monotonic()
        assert await worker.run_once() == 2
        assert time.monotonic() - started < 5
        got = push.wait_for(2)
    assert [r.error for r in got] == [None, None]
    assert {r.name for r in got} == {"tablet", "phone"}
    for r in got:
        assert r.payload["id"] == nid and r.payload["title"] == "新交办问题" and "循环泵" in r.payload["body"]
        assert r.payload["entity"] == "issue" and r.payload["entity_id"] == "i-1"
        assert r.vapid_key == keys.public_key
        assert r.claims["sub"] == "mailto:ops@example.com" and r.claims["aud"] == push.origin
        assert time.time() < r.claims["exp"] <= time.time() + 24 * 3600
        assert r.ttl == "3600"
    assert await store.read(lambda db: db.execute("SELECT count(*) FROM push_delivery").fetchone()[0]) == 0
    subs = await store.read(lambda db: list_subscriptions(db, "u-handler"))
    assert all(s["last_success_at"] for s in subs)


async def test_gone_subscription_is_deleted_and_a_500_is_retried_with_backoff(store, tmp_path) -> None:
    keys = load_or_create_vapid_keys(tmp_path)
    clock = Clock()
    channel = WebPushChannel(keys, subject="mailto:ops@example.com", ttl=60, timeout=5)
    with FakePushService() as push:
        old, flaky = push.subscription("old", "gone"), push.subscription("flaky", "flaky")
        await _subscribe(store, old, device="d1")
        await _subscribe(store, flaky, device="d2")
        await _notify(store)
        worker = Deliverer(store, {"webpush": channel}, clock, poll_s=1, retry_base_s=30, max_attempts=3)
        assert await worker.run_once() == 2
        endpoints = {s["endpoint"] for s in await store.read(lambda db: list_subscriptions(db, "u-handler"))}
        assert endpoints == {flaky.endpoint}  # 410: removed at once
        pending = await store.read(lambda db: db.execute(
            "SELECT attempts, next_attempt_at, last_error FROM push_delivery").fetchall())
        assert len(pending) == 1 and pending[0][0] == 1 and "500" in pending[0][2]
        assert pending[0][1] == (T + dt.timedelta(seconds=30)).isoformat()
        assert await worker.run_once() == 0  # not yet due
        clock.now = T + dt.timedelta(seconds=31)
        assert await worker.run_once() == 1
        got = push.wait_for(3)
    assert sorted((r.name, r.status) for r in got) == [("flaky", 201), ("flaky", 500), ("old", 410)]
    assert got[-1].error is None and got[-1].payload["title"] == "新交办问题"
    assert await store.read(lambda db: db.execute("SELECT count(*) FROM push_delivery").fetchone()[0]) == 0


async def test_webhook_channel_gets_digests_once_per_text_and_no_personal_items(store, tmp_path) -> None:
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    bodies: list[dict] = []

    class Robot(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):  # noqa: N802
            bodies.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            out = b'{"errcode":0,"errmsg":"ok"}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Robot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=k"
        await store.write_tx(lambda db: _people(db, a="en", b=None))
        await store.write_tx(lambda db: notify(db, T.isoformat(), ["a", "b"], DIGEST))
        await _notify(store, user="a", kind="assigned")
        worker = Deliverer(store, {"webhook": WebhookChannel(url, timeout=5)}, Clock(), poll_s=1, retry_base_s=1,
                           max_attempts=2)
        assert await worker.run_once() == 1
    finally:
        server.shutdown()
        server.server_close()
    # The group hears the digest once, in the company's language, though a reads English.
    [body] = bodies
    assert body["msgtype"] == "text" and body["text"]["content"].startswith("【干部访谈】每周整改跟踪")
    assert "全公司在办问题 3 个" in body["text"]["content"]
    inbox = await store.read(lambda db: dict(db.execute(
        "SELECT user_id, title FROM notification WHERE kind = 'digest'").fetchall()))
    assert inbox["a"].startswith("Weekly follow-up tracking") and inbox["b"].startswith("每周整改跟踪")


async def test_a_reader_who_chose_english_is_pushed_english_and_others_chinese(store, tmp_path) -> None:
    keys = load_or_create_vapid_keys(tmp_path)
    channel = WebPushChannel(keys, subject="mailto:ops@example.com", ttl=60, timeout=5)
    with FakePushService() as push:
        english, chinese = push.subscription("english"), push.subscription("chinese")
        await store.write_tx(lambda db: _people(db, en_user="en", zh_user=None))
        await _subscribe(store, english, user="en_user", device="d1")
        await _subscribe(store, chinese, user="zh_user", device="d2")
        said = Notice("assigned", "assigned", {"receipt": receipt("ABCD-EFGH", "循环泵"), "due": ""})
        await store.write_tx(lambda db: notify(db, T.isoformat(), ["en_user", "zh_user"], said, "issue", "i-1"))
        worker = Deliverer(store, {"webpush": channel}, Clock(), poll_s=1, retry_base_s=30, max_attempts=3)
        assert await worker.run_once() == 2
        got = {r.name: r.payload for r in push.wait_for(2)}
    assert got["english"]["title"] == "New problem assigned"
    assert got["english"]["body"] == "Receipt code ABCD-EFGH: 循环泵"  # what people wrote stays as written
    assert got["chinese"]["title"] == "新交办问题" and got["chinese"]["body"] == "回执码 ABCD-EFGH：循环泵"


async def test_a_backlog_in_the_outbox_drains_at_once_not_a_batch_per_poll(store) -> None:
    """Notifications written while no server ran (an import, a restore, bench/year.py's generated
    years) wait in the outbox: the worker takes them oldest first through an index, one batch after
    another, instead of sorting the whole queue once per poll interval (245,000 entries took the
    writer thread minutes of CPU an hour)."""
    def backlog(db) -> None:
        _people(db, u1="zh-CN")
        for i in range(OUTBOX_TAKE * 2 + 7):
            notify(db, (T + dt.timedelta(seconds=i)).isoformat(), ["u1"],
                   Notice("assigned", "assigned", {"receipt": receipt("ABCD-EFGH", "循环泵"), "due": ""}), "issue", f"i-{i}")

    await store.write_tx(backlog)
    plan = await store.read(lambda db: db.conn.execute(
        "EXPLAIN QUERY PLAN SELECT notification_id FROM notification_outbox ORDER BY created_at LIMIT 500").fetchall())
    assert "notification_outbox_created" in str(plan) and "TEMP B-TREE" not in str(plan)
    worker = Deliverer(store, {}, Clock(), poll_s=3600, retry_base_s=30, max_attempts=3)  # an hour between polls
    task = asyncio.create_task(worker.run())
    try:
        for _ in range(600):
            left = await store.read(lambda db: db.conn.execute("SELECT count(*) FROM notification_outbox").fetchone()[0])
            if left == 0:
                break
            await asyncio.sleep(0.05)
        assert left == 0, f"{left} still queued: one take per hour-long poll"
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
