"""Role names as HR writes them (干部、人力资源 …) and as the policy names them (``cadre``, ``hr`` …).

The roster template, the CLI (``--role``) and the admin API accept either; what is stored is always
the id of ``sync.actor.Role``."""

from __future__ import annotations

from sync.actor import ALL_ROLES, Role

ROLE_NAMES_ZH: dict[str, str] = {
    Role.CADRE.value: "干部",
    Role.HR.value: "人力资源",
    Role.UNIT_LEAD.value: "单位负责人",
    Role.HANDLER.value: "责任部门",
    Role.LEADER.value: "公司领导",
    Role.SUPERVISOR.value: "监督小组",
    Role.OFFICER.value: "保密管理员",
    Role.ADMIN.value: "管理员",
}
assert set(ROLE_NAMES_ZH) == ALL_ROLES, "every role needs its Chinese name"

PRIVILEGED_ROLES = frozenset({Role.ADMIN.value, Role.OFFICER.value})
"""Roles only an administrator may grant or take away (``role.grant.privileged``): HR must not make
anyone, itself included, a reader of confidential remarks or an administrator."""

ROLE_BY_ZH: dict[str, str] = {zh: role for role, zh in ROLE_NAMES_ZH.items()}

# 、 is what the template asks for; HR also types ，, ; or spaces.
SEPARATORS = ("、", "，", ",", "；", ";", "/", " ", "\u3000")


def role_id(name: str) -> str | None:
    """The role id for a Chinese name or an id (case-insensitive); ``None`` when neither."""
    name = name.strip()
    if name in ROLE_BY_ZH:
        return ROLE_BY_ZH[name]
    return name.lower() if name.lower() in ALL_ROLES else None


def split_roles(text: str) -> list[str]:
    """The role names in a cell such as ``干部、单位负责人`` (empty parts dropped)."""
    for sep in SEPARATORS[1:]:
        text = text.replace(sep, SEPARATORS[0])
    return [part.strip() for part in text.split(SEPARATORS[0]) if part.strip()]


def parse_roles(names: list[str]) -> tuple[list[str], list[str]]:
    """(sorted role ids, the names that are no role)."""
    ids, unknown = set(), []
    for name in names:
        rid = role_id(name)
        if rid is None:
            unknown.append(name)
        else:
            ids.add(rid)
    return sorted(ids), unknown


def roles_zh(roles: list[str]) -> str:
    return "、".join(ROLE_NAMES_ZH.get(r, r) for r in roles)
