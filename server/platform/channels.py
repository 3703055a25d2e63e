"""Delivery channels for notifications beyond the in-app inbox (which is always the record).

A channel takes one message for one target and answers ``ok``, ``gone`` (forget the target) or
raises ``PushFailed`` (retry with backoff). Sends are blocking and run off the event loop
(``asyncio.to_thread``) in the delivery worker, never inside a request.

* ``WebPushChannel`` — per browser subscription (``push_subscription``), VAPID-signed, encrypted.
* ``WebhookChannel`` — a WeCom (企业微信) or DingTalk (钉钉) group robot, configured by URL
  (``FANGTAN_WEBHOOK_URL``); receives digests and overdue reminders only, as plain text without
  people's names.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from server.platform import webpush
from server.platform.links import app_url
from server.platform.webpush import PushFailed, PushGone, VapidKeys

Outcome = Literal["ok", "gone"]

WEBHOOK_KINDS = frozenset({"digest", "overdue", "overdue_escalation"})
"""Notification kinds copied to the group webhook (no personal items such as assignments)."""


@dataclass(frozen=True)
class Message:
    notification_id: str
    kind: str
    title: str
    body: str
    entity: str | None = None
    entity_id: str | None = None

    def payload(self) -> dict[str, Any]:
        url = app_url(self.entity, self.entity_id)
        return {"id": self.notification_id, "kind": self.kind, "title": self.title, "body": self.body[:1000],
                "entity": self.entity, "entity_id": self.entity_id, "url": url}


class Channel(Protocol):
    name: str

    def send(self, target: dict[str, Any], message: Message) -> Outcome: ...


class WebPushChannel:
    name = "webpush"

    def __init__(self, keys: VapidKeys, *, subject: str, ttl: int, timeout: float) -> None:
        self.keys, self.subject, self.ttl, self.timeout = keys, subject, ttl, timeout

    def send(self, target: dict[str, Any], message: Message) -> Outcome:
        subscription = {"endpoint": target["endpoint"], "keys": {"p256dh": target["p256dh"], "auth": target["auth"]}}
        try:
            webpush.send(self.keys, subscription, message.payload(), subject=self.subject, ttl=self.ttl,
                         timeout=self.timeout)
        except PushGone:
            return "gone"
        return "ok"


class WebhookChannel:
    """WeCom and DingTalk group robots take the same text message shape."""

    name = "webhook"

    def __init__(self, url: str, *, flavour: str = "wecom", timeout: float = 10) -> None:
        self.url, self.flavour, self.timeout = url, flavour, timeout

    def body(self, message: Message) -> dict[str, Any]:
        return {"msgtype": "text", "text": {"content": f"【干部访谈】{message.title}\n{message.body}"}}

    def send(self, target: dict[str, Any], message: Message) -> Outcome:
        data = json.dumps(self.body(message), ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=data, method="POST",
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (admin-set URL)
                answer = response.read(65536)
        except urllib.error.HTTPError as exc:
            raise PushFailed(f"webhook answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise PushFailed(f"webhook unreachable: {exc}") from exc
        try:
            errcode = json.loads(answer or b"{}").get("errcode", 0)
        except ValueError:
            errcode = 0
        if errcode not in (0, None):
            raise PushFailed(f"webhook refused the message: errcode {errcode}")
        return "ok"
