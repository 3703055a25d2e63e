"""``key.publish``, ``key.retire``, ``key.backup``: the public half of end-to-end encryption.

Key pairs are made on the device (docs/security.md). The server only stores public keys (so any
author can seal a remark for every officer) and passphrase-wrapped backups it cannot open.
"""

from __future__ import annotations

from typing import Any

from sync import envelope as shape
from sync import policy, rowstore
from sync.entities import BackupMethod, KeyBackupRow, KeyPurpose, UserKeyRow
from sync.mutations.base import Args, Context, MutationSpec, check_id, fail, require
from sync.signing import public_key_from_b64

KDF = "PBKDF2-SHA256"
MIN_ITERATIONS = 600_000
MAX_WRAPPED_BYTES = 1024


class KeyPublishArgs(Args, kw_only=True):
    id: str
    purpose: KeyPurpose
    public_key: str


class KeyPublish(MutationSpec[KeyPublishArgs]):
    """Publish one of your own public keys; a signing key is bound to the pushing device."""

    name = "key.publish"
    Args = KeyPublishArgs

    def authorize(self, ctx: Context, args: KeyPublishArgs, state: Any) -> None:
        return None  # every user publishes only for themselves: user_id comes from the actor

    def validate(self, ctx: Context, args: KeyPublishArgs, state: Any) -> None:
        check_id(args.id)
        try:
            public_key_from_b64(args.public_key)
        except ValueError as exc:
            raise fail(f"`public_key` is not a P-256 public key: {exc}", "public_key") from None

    def apply(self, ctx: Context, args: KeyPublishArgs, state: Any) -> None:
        ctx.create("user_key", UserKeyRow(
            id=args.id, user_id=ctx.actor.user_id, purpose=args.purpose,
            device_id=ctx.device_id if args.purpose == "signing" else None,
            public_key=args.public_key, created_at=ctx.now_iso,
        ))


class KeyRetireArgs(Args, kw_only=True):
    id: str


class KeyRetire(MutationSpec[KeyRetireArgs]):
    """Stop using a key (lost tablet, new key): new remarks and signatures no longer use it."""

    name = "key.retire"
    Args = KeyRetireArgs

    def load(self, ctx: Context, args: KeyRetireArgs) -> UserKeyRow:
        row = rowstore.load(ctx.db, "user_key", args.id)
        if row is None:
            raise fail(f"no key {args.id!r}", "id")
        return row

    def authorize(self, ctx: Context, args: KeyRetireArgs, key: UserKeyRow) -> None:
        policy.can_or_reject(ctx.actor, self.name, key.user_id)

    def apply(self, ctx: Context, args: KeyRetireArgs, key: UserKeyRow) -> None:
        if key.retired_at is None:
            ctx.save("user_key", UserKeyRow(**{**_fields(key), "retired_at": ctx.now_iso}))


class KeyBackupArgs(Args, kw_only=True):
    id: str
    key_id: str
    method: BackupMethod
    kdf: str
    iterations: int
    salt: str
    nonce: str
    wrapped: str


class KeyBackup(MutationSpec[KeyBackupArgs]):
    """Keep a passphrase- (or recovery-code-) wrapped copy of your private key for a new tablet."""

    name = "key.backup"
    Args = KeyBackupArgs

    def load(self, ctx: Context, args: KeyBackupArgs) -> UserKeyRow | None:
        return rowstore.load(ctx.db, "user_key", args.key_id)

    def authorize(self, ctx: Context, args: KeyBackupArgs, key: UserKeyRow | None) -> None:
        if key is not None:
            policy.can_or_reject(ctx.actor, self.name, key.user_id)

    def validate(self, ctx: Context, args: KeyBackupArgs, key: UserKeyRow | None) -> None:
        check_id(args.id)
        require(key is not None and key.purpose == "encryption", "`key_id` must be one of your encryption keys",
                "key_id")
        require(args.kdf == KDF, f"`kdf` must be {KDF!r}", "kdf")
        require(args.iterations >= MIN_ITERATIONS, f"`iterations` must be at least {MIN_ITERATIONS}", "iterations")
        require(16 <= shape.b64url_len(args.salt, "salt") <= 64, "`salt` must be 16-64 bytes", "salt")
        require(shape.b64url_len(args.nonce, "nonce") == shape.NONCE_BYTES, "`nonce` must be 12 bytes", "nonce")
        size = shape.b64url_len(args.wrapped, "wrapped")
        require(shape.TAG_BYTES < size <= MAX_WRAPPED_BYTES, f"`wrapped` must be 17-{MAX_WRAPPED_BYTES} bytes",
                "wrapped")

    def apply(self, ctx: Context, args: KeyBackupArgs, key: Any) -> None:
        ctx.create("key_backup", KeyBackupRow(
            id=args.id, user_id=ctx.actor.user_id, key_id=args.key_id, method=args.method, kdf=args.kdf,
            iterations=args.iterations, salt=args.salt, nonce=args.nonce, wrapped=args.wrapped,
            created_at=ctx.now_iso,
        ))


def _fields(row: Any) -> dict[str, Any]:
    return {f: getattr(row, f) for f in row.__struct_fields__}
