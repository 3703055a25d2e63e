"""What every named mutation is made of, and the context it runs in.

A mutation is a class with an ``Args`` Struct and four steps, run in this order by the engine
inside a savepoint: ``load`` (fetch the rows it needs) → ``authorize`` (may this actor do it?) →
``validate`` (domain rules) → ``apply`` (effects through ``Context.create``/``Context.update``).
Raising a ``FangtanError`` from any step rejects the mutation; the savepoint is rolled back
(mutations that set ``writes_only_in_last_step`` run without one: see ``sync.engine``).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

import msgspec
from sqlite_utils import Database

from sync import conflicts, policy, rowstore, visibility
from sync.actor import Actor
from sync.archive_guard import refuse_if_archived
from sync.entities import Amendment
from sync.errors import AmendForbidden, AmendmentReasonRequired, Forbidden, NotFound, UnitDisabled, ValidationFailed
from sync.wire import ConflictRef

A = TypeVar("A", bound=msgspec.Struct)

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

SHORT = 200
LONG = 20_000
MAX_LIST = 100


class Args(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of every mutation's args: unknown fields are request errors (400)."""


@dataclass
class Context:
    """One mutation being applied: who, from which device, at which base, and what it wrote."""

    db: Database
    actor: Actor
    device_id: str
    mutation_id: int
    base: int | None
    client_time: str | None
    now: dt.datetime
    seq: int | None = None
    """Seq of the mutation's primary row (returned to the client)."""
    max_seq: int = 0
    """Highest seq this mutation wrote (its effects are in any pull whose upto reaches it)."""
    conflicts: list[ConflictRef] = field(default_factory=list)
    now_iso: str = ""
    """``now`` as ISO text, stamped on every row the mutation writes (the engine passes the push's
    once instead of formatting it per mutation)."""
    device_clock_offset: dt.timedelta = dt.timedelta(0)
    """The server's clock minus the pushing device's (``now`` − the push's ``client_time``)."""
    appends: rowstore.Appends | None = None
    """Set by the engine for an ``appends_only`` mutation: its creates are written in bulk."""

    def __post_init__(self) -> None:
        if not self.now_iso:
            self.now_iso = self.now.isoformat()

    def written_at_iso(self) -> str:
        """When the mutation was made on the device, on the server's clock: its ``client_time`` moved
        by the push's clock offset, so a tablet whose clock is hours off still shows the true time of
        writing; never later than ``now``. ``now`` when the device sent no time. Shown to people only:
        ordering stays with the server's own times."""
        if not self.client_time:
            return self.now_iso
        written = dt.datetime.fromisoformat(self.client_time) + self.device_clock_offset
        return min(written, self.now).astimezone(self.now.tzinfo).isoformat() if written.tzinfo else self.now_iso

    def _wrote(self, seq: int, primary: bool) -> None:
        if primary and self.seq is None:
            self.seq = seq
        self.max_seq = max(self.max_seq, seq)

    def save(self, entity: str, row: Any, *, primary: bool = True) -> int:
        """Write a row (create, or a server-side change of derived fields) and log it."""
        vis = visibility.visibility_for(self.db, entity, row)
        store = self.appends.save if self.appends is not None else functools.partial(rowstore.save, self.db)
        seq = store(entity, row, vis, self.now_iso)
        self._wrote(seq, primary)
        return seq

    def refuse_existing(self, entity: str, row_id: str) -> None:
        """A create of an id that exists is refused; call it in ``validate`` when ``apply`` has
        effects (a receipt code, a key) before its ``create``."""
        if (self.appends is not None and self.appends.holds(entity, row_id)) or rowstore.exists(self.db, entity, row_id):
            raise ValidationFailed(f"这条记录已经存在 ({entity} {row_id} already exists)", field="id")

    def create(self, entity: str, row: Any) -> int:
        self.refuse_existing(entity, row.id)
        return self.save(entity, row)

    def update(self, entity: str, current: Any, patch: dict[str, Any], *,
               derive: Callable[[list[str]], dict[str, Any]] | None = None, **derived: Any) -> Any:
        """Apply a client patch with base-version conflict detection; returns the new row.

        ``derived`` are server-computed fields (e.g. ``updated_at``) written, without conflict
        tracking, only when the patch changed something; ``derive(changed field names)`` computes
        more of them from what actually changed (an amendment's entry).
        """
        outcome = conflicts.merge(self.db, self, entity, current, patch)
        if not outcome.changed:
            return current  # nothing new: no write, no seq, derived fields untouched
        if derive is not None:
            derived = {**derived, **derive(outcome.changed)}
        new_row = msgspec.structs.replace(outcome.row, **derived)
        seq = self.save(entity, new_row)
        conflicts.record_fields(self.db, self, entity, current.id, outcome.changed, seq)
        self.conflicts += conflicts.record(self, entity, current.id, outcome)
        return new_row

    def delete(self, entity: str, row_id: str) -> int:
        seq = rowstore.delete(self.db, entity, row_id, self.now_iso)
        self._wrote(seq, True)
        return seq

    def cascade(self, entity: str, row_id: str) -> None:
        before = rowstore.max_seq(self.db)
        visibility.cascade(self.db, entity, row_id, self.now_iso)
        after = rowstore.max_seq(self.db)
        if after > before:
            self._wrote(after, False)


class MutationSpec(Generic[A]):
    """A named mutation. Subclasses set ``name`` and ``Args`` and override the steps they need."""

    name: ClassVar[str]
    Args: ClassVar[type[msgspec.Struct]]
    writes_only_in_last_step: ClassVar[bool] = False
    """True when ``load``/``authorize``/``validate`` only read and ``apply`` cannot raise a
    ``FangtanError`` after its first write: a refusal then leaves nothing to undo, so the engine
    runs the mutation without a savepoint (any other error still aborts the whole push)."""
    creates: ClassVar[tuple[str, str] | None] = None
    """(entity, args field) of the row an ``appends_only`` mutation creates under that id: the engine
    asks whether a push's ids exist with one query (``rowstore.prefetch_exists``)."""
    appends_only: ClassVar[bool] = False
    """True when, beyond ``writes_only_in_last_step``, ``apply`` only creates new rows through
    ``Context.create`` and no step reads rows of its own entity but for the id check: the engine
    then collects a run of such mutations' rows and writes them in bulk (``rowstore.Appends``)."""

    def load(self, ctx: Context, args: A) -> Any:
        return None

    def authorize(self, ctx: Context, args: A, state: Any) -> None:
        raise NotImplementedError  # every mutation must decide; there is no default allow

    def validate(self, ctx: Context, args: A, state: Any) -> None:
        return None

    def apply(self, ctx: Context, args: A, state: Any) -> None:
        raise NotImplementedError

    def run(self, ctx: Context, args: A) -> None:
        state = self.load(ctx, args)
        self.authorize(ctx, args, state)
        refuse_if_archived(ctx.db, self.name, args)  # archived interviews are read-only
        self.validate(ctx, args, state)
        self.apply(ctx, args, state)


# --- small helpers shared by the mutations ---------------------------------------------------


def fail(message: str, field: str | None = None) -> ValidationFailed:
    return ValidationFailed(message, field=field)


def require(cond: bool, message: str, field: str | None = None) -> None:
    if not cond:
        raise fail(message, field)


def forbid(message: str) -> Forbidden:
    return Forbidden(message)


# check_id and check_text run for every note of a push: the message is built only on refusal.


def check_id(value: str, field: str = "id") -> None:
    if not UUID_RE.match(value):
        raise fail(f"`{field}` 编号格式不正确 (`{field}` must be a lowercase canonical UUID, v7)", field)


def check_text(value: str | None, field: str, limit: int = SHORT, *, required: bool = False) -> None:
    if value is None:
        if required:
            raise fail(f"`{field}` 必须填写 (`{field}` is required)", field)
        return
    if len(value) > limit:
        raise fail(f"`{field}` 超过 {limit} 字 (`{field}` is longer than {limit} characters)", field)
    if required and not value.strip():
        raise fail(f"`{field}` 不能为空 (`{field}` must not be empty)", field)


def check_list(values: list[Any], field: str, limit: int = MAX_LIST) -> None:
    require(len(values) <= limit, f"`{field}` 超过 {limit} 项 (`{field}` has more than {limit} items)", field)


def unit_exists(db: Database, unit_id: str) -> bool:
    return db.conn.execute("SELECT 1 FROM org_unit WHERE id = ?", (unit_id,)).fetchone() is not None


def user_exists(db: Database, user_id: str) -> bool:
    return db.conn.execute('SELECT 1 FROM "user" WHERE id = ?', (user_id,)).fetchone() is not None


def check_units(db: Database, ids: list[str], field: str) -> None:
    for i, uid in enumerate(ids):
        require(unit_exists(db, uid), f"没有这个单位 (unknown org unit {uid!r})", f"{field}[{i}]")


def unit_name_path(db: Database, unit_id: str) -> str:
    """``西北能化公司/甲醇生产车间/精馏班组``: how a person names the unit in a refusal."""
    names, current = [], unit_id
    for _ in range(64):  # the tree is shallow; a bound instead of trusting it has no cycle
        r = db.conn.execute("SELECT name, parent_id FROM org_unit WHERE id = ?", (current,)).fetchone()
        if r is None:
            break
        names.append(r[0])
        if r[1] is None:
            break
        current = r[1]
    return "/".join(reversed(names)) or unit_id


def check_units_for_new_work(db: Database, ids: list[str], field: str, *, kept: Iterable[str | None] = (),
                             single: bool = False) -> None:
    """``check_units``, and a disabled (停用) unit is not chosen for new work. Ids the row already
    held (``kept``) stay allowed: an old interview of a now-disabled unit can still be edited."""
    check_units(db, ids, field)
    kept = set(kept)
    for i, uid in enumerate(ids):
        if uid in kept:
            continue
        r = db.conn.execute("SELECT disabled FROM org_unit WHERE id = ?", (uid,)).fetchone()
        if r is not None and r[0]:
            raise UnitDisabled(f"单位「{unit_name_path(db, uid)}」已停用，不能再选用 (the unit is disabled)",
                               field=field if single else f"{field}[{i}]")


def check_users(db: Database, ids: list[str], field: str) -> None:
    for i, uid in enumerate(ids):
        require(user_exists(db, uid), f"没有这个用户 (unknown user {uid!r})", f"{field}[{i}]")


def load_or_missing(db: Database, entity: str, row_id: str, field: str) -> Any:
    row = rowstore.load(db, entity, row_id)
    if row is None:
        raise NotFound(f"没有找到这条记录 (no {entity} {row_id!r})", field=field)
    return row


def can_read(ctx: Context, entity: str, row: Any) -> bool:
    return policy.may_read(ctx.actor, visibility.visibility_for(ctx.db, entity, row))


def set_fields(args: msgspec.Struct, names: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The args fields the client actually sent (UNSET ones are absent), minus ``id``."""
    out = {}
    for name in names or args.__struct_fields__:
        if name == "id":
            continue
        value = getattr(args, name)
        if value is not msgspec.UNSET:
            out[name] = value
    return out


# --- amendments: changes to a submitted record ------------------------------------------------


def changes_anything(current: Any, patch: dict[str, Any]) -> bool:
    return any(getattr(current, name) != value for name, value in patch.items())


def authorize_amendment(ctx: Context, interview: Any) -> None:
    """A change to a submitted interview or report: only its cadres (``record.amend``)."""
    policy.can_or_reject(ctx.actor, "record.amend", interview, error=AmendForbidden)


def check_amendment_reason(reason: str | None) -> None:
    if reason is None or not reason.strip():
        raise AmendmentReasonRequired("修改已提交的记录须注明原因 (a change to a submitted record needs "
                                      "`amendment_reason`)", field="amendment_reason")
    check_text(reason, "amendment_reason", 500)


def amendment_entry(ctx: Context, current: Any, reason: str) -> Callable[[list[str]], dict[str, Any]]:
    """``Context.update``'s ``derive``: the record's history grows by one entry naming what changed."""

    def derive(changed: list[str]) -> dict[str, Any]:
        entry = Amendment(at=ctx.now_iso, author_id=ctx.actor.user_id, reason=reason.strip(), fields=sorted(changed),
                          before={n: msgspec.to_builtins(getattr(current, n)) for n in changed})
        return {"amendments": [*current.amendments, entry]}

    return derive
