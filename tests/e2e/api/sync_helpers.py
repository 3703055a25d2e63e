"""Small builders for sync API tests: a device session that pushes numbered mutations."""

from __future__ import annotations

from dataclasses import dataclass, field

from sync.ids import new_id
from tests.conftest import bearer, login


@dataclass
class Device:
    client: object
    session: dict
    next_id: int = 1
    units: dict[str, str] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.session)

    @property
    def user_id(self) -> str:
        return self.session["user"]["id"]

    def body(self, *mutations: tuple[str, dict] | tuple[str, dict, int]) -> dict:
        items = []
        for m in mutations:
            item = {"id": self.next_id, "name": m[0], "args": m[1], "client_time": "2026-11-24T09:00:00+08:00"}
            if len(m) > 2:
                item["base"] = m[2]
            items.append(item)
            self.next_id += 1
        return {"protocol": 1, "schema_version": 1, "device_id": self.session["device_id"],
                "client_time": "2026-11-24T09:00:00+08:00", "mutations": items}

    def push(self, *mutations, expect: int = 200):
        response = self.client.post("/api/sync/push", json=self.body(*mutations), headers=self.headers)
        assert response.status_code == expect, response.text
        return response.json()

    def pull_all(self) -> dict[tuple[str, str], dict | None]:
        rows: dict[tuple[str, str], dict | None] = {}
        cursor, upto = 0, None
        while True:
            params = {"cursor": cursor, "limit": 100}
            if upto is not None:
                params["upto"] = upto
            page = self.client.get("/api/sync/pull", params=params, headers=self.headers).json()
            for change in page["changes"]:
                rows[(change["entity"], change["id"])] = None if change["deleted"] else change["row"]
            cursor, upto = page["cursor"], page["upto"]
            if not page["has_more"]:
                return rows


def device(client, username: str) -> Device:
    return Device(client=client, session=login(client, username))


def units_by_name(client, headers) -> dict[str, str]:
    return {u["name"]: u["id"] for u in client.get("/api/org/units", headers=headers).json()}


def draft_interview(unit_id: str, **extra) -> dict:
    return {"id": new_id(), "adhoc_reason": "设备故障后临时加访", "form": "walkthrough", "unit_id": unit_id, **extra}
