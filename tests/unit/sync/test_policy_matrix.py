"""The policy matrix at the engine's level, generated from ``sync.policy.PERMISSIONS``.

* Every mutation of the registry has a policy entry under its own name, and back.
* Row visibility: for every role, on rows inside and outside the caller's unit subtree (and the
  caller's own rows), the SQL ``pull_filter`` and the Python ``may_read`` give the same answer, and
  that answer is the "role + unit subtree" rule.
"""

from __future__ import annotations

import itertools
import sqlite3

import pytest

from sync import policy
from sync.actor import ALL_ROLES, COMPANY_WIDE_ROLES, Actor
from sync.mutations import REGISTRY
from sync.rowstore import Visibility

HOME = "/co/ws1/"
PATHS = {"inside": "/co/ws1/t1/", "home": HOME, "outside": "/co/ws2/", "above": "/co/", "none": None}


def actor(role: str) -> Actor:
    return Actor(user_id="me", device_id="d", roles=frozenset({role}), unit_id="ws1", unit_path=HOME)


def test_every_mutation_has_a_policy_entry_and_every_mutation_entry_a_mutation() -> None:
    mutation_entries = {p.name for p in policy.PERMISSIONS.values() if p.mutation}
    assert set(REGISTRY) - mutation_entries == set(), "mutations without a policy entry"
    assert mutation_entries - set(REGISTRY) == set(), "policy entries naming no mutation"


def test_every_permission_is_well_formed() -> None:
    for name, p in policy.PERMISSIONS.items():
        assert p.name == name and name == name.lower() and "." in name, name
        assert p.roles is None or (p.roles and p.roles <= ALL_ROLES), name
        assert not (p.public and (p.roles or p.row or p.mutation)), name
        assert policy.allowed_roles(name) <= ALL_ROLES


def test_unknown_permission_names_fail_loudly() -> None:
    with pytest.raises(LookupError):
        policy.can(actor("hr"), "interview.read.everything")


def _visibilities() -> list[Visibility]:
    out = [Visibility("ref")]
    for kind in ("work", "remark", "personal"):
        for unit, handler, users in itertools.product(
            PATHS.values(), PATHS.values(), [(), ("me",), ("other",), ("other", "me")]
        ):
            out.append(Visibility(kind, unit, handler, users))
    return out


def _sql_answers(role: str, rows: list[Visibility]) -> list[bool]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE sync_change (seq INTEGER PRIMARY KEY, kind, unit_path, handler_path, users)")
    db.executemany("INSERT INTO sync_change VALUES (?, ?, ?, ?, ?)",
                   [(i, v.kind, v.unit_path, v.handler_path, v.users_token()) for i, v in enumerate(rows)])
    predicate, params = policy.pull_filter(actor(role))
    visible = {r[0] for r in db.execute(f"SELECT seq FROM sync_change WHERE {predicate}", params)}
    return [i in visible for i in range(len(rows))]


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_pull_filter_and_may_read_agree_for_every_role_inside_and_outside_the_subtree(role: str) -> None:
    rows = _visibilities()
    me = actor(role)
    assert _sql_answers(role, rows) == [policy.may_read(me, v) for v in rows]


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_work_rows_follow_role_and_unit_subtree(role: str) -> None:
    me = actor(role)
    for where, path in PATHS.items():
        theirs = Visibility("work", path, None, ("other",))
        in_subtree = where in ("inside", "home")
        expected = role in COMPANY_WIDE_ROLES or (role in policy.UNIT_READER_ROLES and in_subtree)
        assert policy.may_read(me, theirs) == expected, (role, where)
        handled = Visibility("work", None, path, ("other",))
        expected = role in COMPANY_WIDE_ROLES or (role == "handler" and in_subtree)
        assert policy.may_read(me, handled) == expected, (role, where, "handler")
        assert policy.may_read(me, Visibility("work", path, None, ("me",)))  # own work, wherever it is
    assert policy.may_read(me, Visibility("remark", None, None, ("other",))) == (role == "officer")
    assert not policy.may_read(me, Visibility("personal", None, None, ("other",)))
    assert policy.may_read(me, Visibility("personal", None, None, ("me",)))


@pytest.mark.parametrize("name", sorted(n for n, p in policy.PERMISSIONS.items() if p.roles is not None))
def test_role_limited_permissions_admit_exactly_their_roles(name: str) -> None:
    perm = policy.permission(name)
    for role in sorted(ALL_ROLES):
        assert policy.role_allows(actor(role), name) == (role in perm.roles), (name, role)
        if role not in perm.roles:
            with pytest.raises(Exception) as refused:
                policy.can_or_reject(actor(role), name)
            assert getattr(refused.value, "code", None) == "auth.forbidden"


def test_a_missing_unit_is_a_target_not_the_absence_of_one() -> None:
    # Coverage warnings about no unit (the yearly deep review) are company-wide reading only.
    assert not policy.can(actor("unit_lead"), "plan.coverage.read", None)
    assert policy.can(actor("hr"), "plan.coverage.read", None)
    assert policy.can(actor("unit_lead"), "plan.coverage.read")  # the route guard's question
    assert policy.can(actor("unit_lead"), "plan.coverage.read", PATHS["inside"])
    assert not policy.can(actor("unit_lead"), "plan.coverage.read", PATHS["outside"])


def test_administration_permissions_are_admin_and_hr_and_slips_are_their_importers() -> None:
    for name in ("roster.template.read", "roster.import", "roster.slips.read", "audit.read"):
        assert policy.allowed_roles(name) == {"admin", "hr"}, name
    admin = actor("admin")
    assert policy.can(admin, "roster.slips.read", "me")  # the slips of an apply by this admin
    assert not policy.can(admin, "roster.slips.read", "other")  # another admin's: hidden (404)
    assert not policy.can(admin, "roster.slips.read", None)  # expired or unknown
    with pytest.raises(Exception) as hidden:
        policy.can_or_reject(admin, "roster.slips.read", "other")
    assert getattr(hidden.value, "code", None) == "not_found"
    assert policy.allowed_roles("role.grant.privileged") == {"admin"}
    assert policy.allowed_roles("user.password.reset") == {"admin"}
    assert policy.allowed_roles("user.edit") == policy.allowed_roles("unit.edit") == {"admin", "hr"}
    assert policy.allowed_roles("user.add") == policy.allowed_roles("unit.add") == {"admin", "hr"}
    assert policy.allowed_roles("unit.disable") == {"admin", "hr"}  # HR retires units as it moves people
    # Setting one's own password is every signed-in user's (the only call open while it is pending).
    assert all(policy.can(actor(role), "me.password.change") for role in ALL_ROLES)
