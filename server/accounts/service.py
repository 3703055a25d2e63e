"""Account operations over a sqlite-utils ``Database``: plain functions, run on the store's threads.

Functions named ``*_tx`` write and expect to run inside a transaction (``Store.write_tx``).
"""

from __future__ import annotations

import json
import logging
import math
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from server.accounts import passwords
from server.accounts.tokens import hash_refresh_token, new_refresh_token
from server.clock import iso
from sync import policy, receipt_codes
from sync.actor import ALL_ROLES, Actor
from sync.errors import (
    BadCredentials,
    DeviceRevoked,
    InvalidField,
    NotFound,
    TokenInvalid,
    TooManyAttempts,
    UnitDisabled,
    UserDisabled,
)
from sync.ids import new_id
from sync.reference import touch_reference


def user_by_username(db: Database, username: str) -> dict[str, Any] | None:
    rows = list(db.query("select * from user where username = ?", [username]))
    return rows[0] if rows else None


def user_row(db: Database, user_id: str) -> dict[str, Any] | None:
    rows = list(db.query("select * from user where id = ?", [user_id]))
    return rows[0] if rows else None


def set_locale_tx(db: Database, user_id: str, locale: str) -> None:
    """Remember the user's language for what the server writes to them (sync/notices.py). Not an
    edit of the account (``updated_at`` stays): nobody else sees it, and the directory is unchanged."""
    db.conn.execute('UPDATE "user" SET locale = ? WHERE id = ?', (locale, user_id))


def public_user(row: dict[str, Any]) -> dict[str, Any]:
    """What others may see of a user: never the password hash."""
    return {
        "id": row["id"],
        "username": row["username"],
        "name": row["name"],
        "roles": json.loads(row["roles"]),
        "unit_id": row["unit_id"],
        "post": row.get("post") or "",
        "disabled": bool(row["disabled"]),
    }


def validate_roles(roles: list[str]) -> list[str]:
    unknown = sorted(set(roles) - ALL_ROLES)
    if unknown:
        raise InvalidField(f"未知角色 (unknown roles): {', '.join(unknown)}", field="roles")
    if not roles:
        raise InvalidField("至少需要一个角色 (at least one role)", field="roles")
    return sorted(set(roles))


DEMO_PASSWORD = "fangtan-demo"  # published in the README; re-exported by server.demo


def is_demo_database(db: Database) -> bool:
    """Marked by ``seed_demo_tx``: the only database where the published demo password is allowed."""
    return any(db.query("select 1 from sync_meta where key = 'demo' and value = '1'"))


def mark_demo_database_tx(db: Database) -> None:
    db.execute("insert or replace into sync_meta (key, value) values ('demo', '1')")


def validate_password(db: Database, password: str, field: str = "password") -> None:
    """The password policy (``passwords.password_problem``) for every place a password is set."""
    problem = passwords.password_problem(password, demo_password=DEMO_PASSWORD, demo_database=is_demo_database(db))
    if problem:
        raise InvalidField(problem, field=field)


def add_user_tx(
    db: Database,
    *,
    username: str,
    name: str,
    password: str,
    unit_id: str,
    roles: list[str],
    post: str = "",
    now: datetime,
    user_id: str | None = None,
) -> dict[str, Any]:
    if user_by_username(db, username) is not None:
        raise InvalidField(f"用户名已存在 (username taken): {username}", field="username")
    units = list(db.query("select name, disabled from org_unit where id = ?", [unit_id]))
    if not units:
        raise InvalidField(f"单位不存在 (no such unit): {unit_id}", field="unit_id")
    if units[0]["disabled"]:
        raise UnitDisabled(f"单位「{units[0]['name']}」已停用，不能再选用 (the unit is disabled)", field="unit_id")
    validate_password(db, password)
    row = {
        "id": user_id or new_id(),
        "username": username,
        "name": name,
        "unit_id": unit_id,
        "roles": json.dumps(validate_roles(roles)),
        "post": post,
        "password_hash": passwords.hash_password(password),
        "disabled": 0,
        "created_at": iso(now),
        "updated_at": iso(now),
    }
    db["user"].insert(row)
    touch_reference(db, "user", row["id"])
    return public_user(row)


def set_password_tx(db: Database, username: str, password: str, now: datetime) -> None:
    user = user_by_username(db, username)
    if user is None:
        raise NotFound(f"没有这个用户 (no such user): {username}")
    validate_password(db, password)
    db["user"].update(user["id"], {"password_hash": passwords.hash_password(password), "updated_at": iso(now)})


def set_disabled_tx(db: Database, username: str, disabled: bool, now: datetime) -> None:
    user = user_by_username(db, username)
    if user is None:
        raise NotFound(f"没有这个用户 (no such user): {username}")
    db["user"].update(user["id"], {"disabled": int(disabled), "updated_at": iso(now)})
    touch_reference(db, "user", user["id"])


def set_password_login_tx(db: Database, username: str, allowed: bool, *, now: datetime) -> dict[str, tuple]:
    """Allow or refuse password sign-in for one user (single sign-on only); returns what changed."""
    user = user_by_username(db, username)
    if user is None:
        raise NotFound(f"没有这个用户 (no such user): {username}")
    old = "on" if user.get("password_login", 1) else "off"
    new = "on" if allowed else "off"
    if old == new:
        return {}
    db["user"].update(user["id"], {"password_login": int(allowed), "updated_at": iso(now)})
    return {"password_login": (old, new)}


# -- login and rate limits ------------------------------------------------------------------
# Counted per (account, client address) and per address, with growing delays rather than a hard
# lockout: after ``free`` failures the next attempt must wait base, 2·base, 4·base … (capped) after
# the latest failure, so a shared plant NAT address is slowed for the guesser, never locked for all.
# The attempt is *reserved* (written as a failure) in the writer's transaction before the password
# is verified, so concurrent guesses cannot all pass the check; a success deletes the pair's rows.
log = logging.getLogger("fangtan.security")


def backoff_wait_s(failures: int, last_at: datetime | None, now: datetime, *, free: int, base_s: float,
                   max_s: float) -> float:
    """Seconds still to wait after ``failures`` within the window, the latest at ``last_at``."""
    if failures < free or last_at is None:
        return 0.0
    delay = min(float(max_s), float(base_s) * 2 ** min(failures - free, 62))
    return max(0.0, (last_at + timedelta(seconds=delay) - now).total_seconds())


def _failures(db: Database, where: str, params: list[str], since: datetime) -> tuple[int, datetime | None]:
    row = next(db.query(f"select count(*) as n, max(at) as last from login_failure where {where} and at >= ?",
                        [*params, iso(since)]))
    return int(row["n"]), (datetime.fromisoformat(row["last"].replace("Z", "+00:00")) if row["last"] else None)


def reserve_login_attempt_tx(
    db: Database, *, username: str, address: str, now: datetime, window_s: int, per_account: int,
    per_address: int, backoff_base_s: float, backoff_max_s: float,
) -> int:
    """Check the limits and reserve this attempt as a failure, atomically (one write transaction).

    Returns the reserved row's id; raises ``TooManyAttempts`` with ``retry_after`` when a delay is
    still running (a refused attempt is not counted: hammering does not lengthen anyone's wait)."""
    since = now - timedelta(seconds=window_s)
    db.execute("delete from login_failure where at < ?", [iso(now - timedelta(seconds=max(window_s, 86400)))])
    pair = _failures(db, "username = ? and address = ?", [username, address], since)
    wide = _failures(db, "address = ?", [address], since)
    pair_wait = backoff_wait_s(*pair, now, free=per_account, base_s=backoff_base_s, max_s=backoff_max_s)
    wide_wait = backoff_wait_s(*wide, now, free=per_address, base_s=backoff_base_s, max_s=backoff_max_s)
    wait = max(pair_wait, wide_wait)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        if pair_wait >= wide_wait:
            error = TooManyAttempts(f"该账号登录失败次数过多，请 {seconds} 秒后再试 (too many failed logins for this "
                                    f"account; retry in {seconds} s)")
        else:
            error = TooManyAttempts(f"此地址登录失败次数过多，请 {seconds} 秒后再试 (too many failed logins from "
                                    f"this address; retry in {seconds} s)")
        error.retry_after = seconds
        raise error
    return int(db["login_failure"].insert({"username": username, "address": address, "at": iso(now)}).last_pk)


def login_succeeded_tx(db: Database, *, username: str, address: str) -> None:
    """A right password from this address: its pair's failures (and the reservation) are gone."""
    db.execute("delete from login_failure where username = ? and address = ?", [username, address])


def authenticate(db: Database, username: str, password: str) -> dict[str, Any]:
    """The user row for valid credentials; the same error for unknown user and wrong password."""
    user = user_by_username(db, username)
    if not passwords.verify_password(user["password_hash"] if user else None, password) or user is None:
        raise BadCredentials("用户名或密码错误 (wrong username or password)")
    if user["disabled"]:
        raise UserDisabled("账号已停用，请联系管理员 (account disabled)")
    return user


# -- devices and refresh tokens -------------------------------------------------------------
def device_row(db: Database, device_id: str) -> dict[str, Any] | None:
    rows = list(db.query("select * from device where id = ?", [device_id]))
    return rows[0] if rows else None


def enrol_device_tx(
    db: Database, *, user_id: str, device_name: str, now: datetime, device_id: str | None = None
) -> str:
    """Enrol a new install, or re-use ``device_id`` when it is this user's live device (re-login)."""
    if device_id:
        existing = device_row(db, device_id)
        if existing is not None:
            if existing["user_id"] != user_id:
                raise InvalidField("该设备属于其他用户 (device belongs to another user)", field="device_id")
            if existing["revoked_at"]:
                raise DeviceRevoked("该设备已被吊销，请以新设备登录 (device revoked)")
            db["device"].update(device_id, {"name": device_name, "last_seen_at": iso(now)})
            return device_id
    new_device = device_id or new_id()
    db["device"].insert(
        {"id": new_device, "user_id": user_id, "name": device_name, "created_at": iso(now), "last_seen_at": iso(now)}
    )
    return new_device


def start_session_tx(db: Database, *, device_id: str, now: datetime, ttl_s: int) -> tuple[str, str]:
    """A sign-in: a new session chain for the device and its first refresh token; returns (session id,
    token). Tokens of the device's earlier chains stop working (they no longer name its live chain)."""
    session_id = new_id()
    db["device"].update(device_id, {"session_id": session_id})
    return session_id, issue_refresh_token_tx(db, device_id=device_id, session_id=session_id, now=now, ttl_s=ttl_s)


def issue_refresh_token_tx(
    db: Database, *, device_id: str, now: datetime, ttl_s: int, session_id: str | None = None
) -> str:
    token = new_refresh_token()
    db["refresh_token"].insert(
        {
            "token_hash": hash_refresh_token(token),
            "device_id": device_id,
            "session_id": session_id,
            "issued_at": iso(now),
            "expires_at": iso(now + timedelta(seconds=ttl_s)),
        }
    )
    return token


REFRESH_REUSED = "刷新令牌已被使用过：为安全起见，本设备的登录已全部失效，请重新登录 (refresh token reused; this device's session was ended, sign in again)"


def rotate_refresh_token_tx(
    db: Database, token: str, *, now: datetime, ttl_s: int
) -> tuple[dict[str, Any], str] | TokenInvalid:
    """Exchange a live refresh token for a new one; returns (device row, new token).

    A token is single-use: once replaced it answers ``auth.token_invalid``. Presenting an already
    used token of the device's live chain is a replay (OAuth 2.0 security BCP, reuse detection):
    the whole chain ends — every refresh and access token of it stops working — and the error is
    *returned*, not raised, so the caller commits the revocation before answering 401."""
    rows = list(db.query("select * from refresh_token where token_hash = ?", [hash_refresh_token(token)]))
    if not rows:
        raise TokenInvalid("刷新令牌无效或已过期，请重新登录 (refresh token invalid or expired)")
    row = rows[0]
    device = device_row(db, row["device_id"])
    assert device is not None
    if device["revoked_at"]:
        raise DeviceRevoked("该设备已被吊销 (device revoked)")
    live_chain = row["session_id"] == device["session_id"]
    if row["replaced_at"] and live_chain and not row["revoked_reason"]:
        end_session_chain_tx(db, device=device, session_id=row["session_id"], now=now, reason="refresh_reuse")
        return TokenInvalid(REFRESH_REUSED)
    if row["replaced_at"] or row["revoked_reason"] or not live_chain or row["expires_at"] < iso(now):
        raise TokenInvalid("刷新令牌无效或已过期，请重新登录 (refresh token invalid or expired)")
    user = user_row(db, device["user_id"])
    if user is None or user["disabled"]:
        raise UserDisabled("账号已停用 (account disabled)")
    db["refresh_token"].update(row["token_hash"], {"replaced_at": iso(now)})
    db["device"].update(device["id"], {"last_seen_at": iso(now)})
    new = issue_refresh_token_tx(db, device_id=device["id"], session_id=row["session_id"], now=now, ttl_s=ttl_s)
    return device, new


def end_session_chain_tx(db: Database, *, device: dict[str, Any], session_id: str | None, now: datetime,
                         reason: str) -> None:
    """End the device's live chain: its refresh tokens are marked, and its access tokens (which name
    the chain) fail because the device now names a chain nobody holds. The device itself stays
    enrolled — its unsynced work is not purged; the user signs in again."""
    db.execute(
        "update refresh_token set revoked_reason = ?, replaced_at = coalesce(replaced_at, ?)"
        " where device_id = ? and session_id is ?",
        [reason, iso(now), device["id"], session_id],
    )
    db["device"].update(device["id"], {"session_id": "ended:" + new_id()})
    log.warning(json.dumps({"event": "security.refresh_token_reuse", "reason": reason, "device_id": device["id"],
                            "user_id": device["user_id"], "at": iso(now)}))


def revoke_device_tx(db: Database, *, device_id: str, by: Actor, now: datetime) -> dict[str, Any]:
    device = device_row(db, device_id)
    if device is None:
        raise NotFound("没有这个设备 (no such device)")
    policy.can_or_reject(by, "device.revoke", device["user_id"])  # 404 too: never confirm others' device ids
    if not device["revoked_at"]:
        # Refresh tokens are kept (hashed) so that a revoked tablet presenting one learns
        # ``auth.device_revoked`` — and purges itself — rather than a vague ``token_invalid``.
        db["device"].update(device_id, {"revoked_at": iso(now), "revoked_by": by.user_id})
        receipt_codes.release_device(db, device_id, iso(now))  # its unspent 回执码 can never be used
    return device_row(db, device_id) or device


def list_devices(db: Database, user_id: str) -> list[dict[str, Any]]:
    return list(
        db.query(
            "select id, name, created_at, last_seen_at, revoked_at from device where user_id = ? order by created_at",
            [user_id],
        )
    )


# -- the actor behind an access token ---------------------------------------------------------
def actor_for(db: Database, user_id: str, device_id: str, session_id: str | None = None) -> Actor:
    """Look up user, device and home unit for every request: revocation, disabling and an ended
    session chain (``session_id``, the access token's ``sid``) act at once."""
    rows = list(
        db.query(
            """select u.id, u.name, u.roles, u.unit_id, u.disabled, o.path, d.user_id as device_user, d.revoked_at,
                      d.session_id
               from user u join org_unit o on o.id = u.unit_id
               left join device d on d.id = ?
               where u.id = ?""",
            [device_id, user_id],
        )
    )
    if not rows or rows[0]["device_user"] != user_id:
        raise TokenInvalid("访问令牌无效 (access token invalid)")
    row = rows[0]
    if row["revoked_at"]:
        raise DeviceRevoked("该设备已被吊销，请重新登录 (device revoked)")
    if row["disabled"]:
        raise UserDisabled("账号已停用 (account disabled)")
    if row["session_id"] != session_id:
        raise TokenInvalid("登录已失效，请重新登录 (session ended; sign in again)")
    return Actor(
        user_id=row["id"],
        device_id=device_id,
        roles=frozenset(json.loads(row["roles"])),
        unit_id=row["unit_id"],
        unit_path=row["path"],
        name=row["name"],
    )
