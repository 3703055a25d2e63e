"""Who is acting: the ``Actor`` every route and every push or pull is authorized for.

A user holds one or more roles and belongs to an org unit. Visibility of unit-scoped data is
"role + unit subtree": org units carry a materialised path (``/<company>/<dept>/<team>/``), so
"unit X is inside the caller's subtree" is a prefix test that SQL can do as well
(``substr(unit_path, 1, len(prefix)) = prefix``). The decisions themselves — which permission a
role has, which rows it reads — are the policy's (``sync.policy``), built on ``sees_unit`` and
``visible_path_prefix``.
"""

from __future__ import annotations

import enum
import json
from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    from sqlite_utils import Database


class Role(str, enum.Enum):
    """Role ids (DESIGN §1)."""

    CADRE = "cadre"
    """管理干部: plans visits, holds interviews, raises problems, writes reports."""
    HR = "hr"
    """人力资源部（党群部）: company plan, assignment, weekly tracking, archive. Sees all units."""
    UNIT_LEAD = "unit_lead"
    """基层单位负责人: the unit's own plan and ad-hoc visits, within their subtree."""
    HANDLER = "handler"
    """责任部门: works problems assigned to their department."""
    LEADER = "leader"
    """公司领导/经理层: reads everything that is not confidential, decides major problems."""
    SUPERVISOR = "supervisor"
    """监督小组: spot checks of records and rectification across all units."""
    OFFICER = "officer"
    """保密管理员: the only readers, besides the author, of confidential remarks."""
    ADMIN = "admin"
    """System administration: accounts, devices, calendar overrides. No interview content."""


ALL_ROLES = frozenset(r.value for r in Role)

# Roles whose reading scope is the whole company rather than their own unit subtree.
COMPANY_WIDE_ROLES = frozenset({Role.HR.value, Role.LEADER.value, Role.SUPERVISOR.value})


class Actor(msgspec.Struct, frozen=True):
    """The authenticated caller of a request or a push: one user on one enrolled device."""

    user_id: str
    device_id: str | None
    roles: frozenset[str]
    unit_id: str
    unit_path: str
    """Materialised path of the home unit, e.g. ``/co/ws1/t3/``; always starts and ends with ``/``."""
    name: str = ""

    def has_role(self, *roles: str | Role) -> bool:
        wanted = {r.value if isinstance(r, Role) else r for r in roles}
        return not wanted.isdisjoint(self.roles)

    @property
    def company_wide(self) -> bool:
        """True when the actor reads across all units (HR, leaders, supervisors)."""
        return not COMPANY_WIDE_ROLES.isdisjoint(self.roles)

    def sees_unit(self, unit_path: str) -> bool:
        """Whether a row scoped to ``unit_path`` is inside what this actor may read by unit."""
        return self.company_wide or unit_path.startswith(self.unit_path)

    def visible_path_prefix(self) -> str:
        """The path prefix for SQL filters: ``/`` (everything) for company-wide roles."""
        return "/" if self.company_wide else self.unit_path


def load_actor(db: Database, user_id: str, device_id: str | None = None) -> Actor:
    """Build the Actor for a user from the core tables (``user`` + its unit's ``path``).

    The server's auth layer may build Actors its own way; this is the reference construction,
    used by tests, the in-process client transport and the CLI importer.
    """
    row = db.conn.execute(
        'SELECT u.id, u.name, u.roles, u.unit_id, o.path FROM "user" u JOIN org_unit o ON o.id = u.unit_id'
        " WHERE u.id = ?",
        (user_id,),
    ).fetchone()
    if row is None:
        raise LookupError(f"no user {user_id!r}")
    uid, name, roles, unit_id, path = row
    return Actor(user_id=uid, device_id=device_id, roles=frozenset(json.loads(roles or "[]")),
                 unit_id=unit_id, unit_path=path, name=name)
