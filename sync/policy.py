"""The one authorization policy: every permission has a name, and every decision is asked here.

In the spirit of ODK Central's ``auth.canOrReject('submission.read', form)``: a route guard
(``server.web.guards.allows``), a mutation, an export, an archive, a blob read and the pull all ask
``can(actor, name, target)`` / ``can_or_reject(actor, name, target)`` with a name from
``PERMISSIONS``. The matrix test (tests/unit/sync/test_policy_matrix.py and
tests/e2e/api/test_policy_matrix_over_http.py) is generated from this table and fails when a route
or a mutation has no entry.

A permission has two parts:

* ``roles`` — who may ask at all (``None``: every signed-in user). Route guards check only this
  part, so a refused role gets 403 ``auth.forbidden`` before anything is read.
* ``row`` — a rule over the target (a row, or the facts the caller gathered about it), checked when
  a target is given. A refused row answers ``auth.forbidden`` or, when ``hide`` is set, 404 so that
  the caller learns nothing about rows outside their scope.

Row *visibility* — which synced rows an actor may pull — is the same "role + unit subtree" rule in
two forms that must agree: ``pull_filter`` (the SQL predicate over ``sync_change``) and
``may_read`` (the Python decision for one row). This module lives in ``sync/`` because the sync
engine needs it and must not import ``server/``; the server's route permissions are in the same
table so that there is one place to read who may do what.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from sync.actor import ALL_ROLES, Actor, Role
from sync.errors import FangtanError, Forbidden, NotFound
from sync.rowstore import Visibility
from sync.visibility import visibility_for

UNIT_READER_ROLES = frozenset({Role.CADRE.value, Role.UNIT_LEAD.value})
"""Roles that read the work rows of their own unit subtree (besides their own rows)."""

RowRule = Callable[[Actor, Any], bool]


@dataclass(frozen=True)
class Permission:
    name: str
    roles: frozenset[str] | None
    """Who may ask at all; ``None``: every signed-in user (then ``row`` decides, if there is one)."""
    row: RowRule | None = None
    """Rule over the target, checked when the caller passes one."""
    refusal: str = ""
    """The message of a refusal by ``row`` (role refusals name the roles)."""
    hide: bool = False
    """Refuse a row with 404 (the caller must not learn that it exists) instead of 403."""
    public: bool = False
    """No account needed (sign-in, health, the anonymous rating and receipt pages)."""
    mutation: bool = False
    """The name of a sync mutation (``sync.mutations.REGISTRY``); checked inside the push."""


# --- row rules shared by several permissions --------------------------------------------------


def sees_unit(actor: Actor, unit_path: str | None) -> bool:
    """Whether a row scoped to ``unit_path`` is inside the actor's reading scope by unit."""
    return unit_path is not None and actor.sees_unit(unit_path)


def interview_writers(interview: Any) -> set[str]:
    """Users who may write to an interview and what hangs under it: its cadres and its author."""
    return {*interview.cadre_ids, interview.author_id}


def _is_writer(actor: Actor, interview: Any) -> bool:
    return actor.user_id in interview_writers(interview)


def _hr_or_writer(actor: Actor, interview: Any) -> bool:
    return actor.has_role(Role.HR) or _is_writer(actor, interview)


def _hr_or_listed(actor: Actor, users: Any) -> bool:
    """``users``: the set of people a row names as responsible for it (editors, answerers)."""
    return actor.has_role(Role.HR) or actor.user_id in users


def _listed(actor: Actor, users: Any) -> bool:
    return actor.user_id in users


def _plan_item_visible(actor: Actor, item: Any) -> bool:
    """Plans over HTTP: company-wide roles all, a unit lead their subtree, a cadre their own items.

    ``item`` is ``(cadre_id, unit_path)``.
    """
    cadre_id, path = item
    if actor.company_wide or cadre_id == actor.user_id:
        return True
    return actor.has_role(Role.UNIT_LEAD) and in_subtree(actor, path)


def _unit_in_scope(actor: Actor, path: Any) -> bool:
    """Company-wide roles: everything, including what belongs to no unit; others: their subtree."""
    return actor.company_wide or sees_unit(actor, path)


def _answerable(actor: Actor, responsible: Any) -> bool:
    """Supervision findings: company-wide roles see all, everyone else those they must answer.

    ``responsible()`` lists who answers the finding (asked only when needed)."""
    return actor.company_wide or actor.user_id in responsible()


def _own_or_admin(actor: Actor, user_id: Any) -> bool:
    return user_id == actor.user_id or actor.has_role(Role.ADMIN)


def _user_directory_entry(actor: Actor, user: Any) -> bool:
    """``user`` is ``(user_id, unit_path)``."""
    user_id, path = user
    return actor.company_wide or actor.has_role(Role.ADMIN) or user_id == actor.user_id or sees_unit(actor, path)


def _unit_plan_editor(actor: Actor, item: Any) -> bool:
    """``item`` is ``(scope, unit_path)`` of a plan item (as saved or as it would become)."""
    scope, path = item
    if actor.has_role(Role.HR):
        return True
    return scope == "unit" and actor.has_role(Role.UNIT_LEAD) and in_subtree(actor, path)


@dataclass(frozen=True)
class BlobFacts:
    """What the blob rules know about one sha256 for one actor (``sync.blobs.facts``)."""

    recorded: bool
    """The server has the whole, verified blob."""
    holder: bool
    """The actor uploaded it, or attached it while already able to read it (``blob_holder``)."""
    readable: Callable[[], bool] = lambda: False
    """Whether the actor may pull a live attachment of it whose author holds it (asked lazily)."""


def _blob_reader(actor: Actor, blob: BlobFacts) -> bool:
    """A holder, or anyone who may pull an attachment of the blob made by a holder. A blob the
    server does not have is refused exactly like one the actor may not read (404 either way)."""
    return blob.recorded and (blob.holder or blob.readable())


def _blob_attacher(actor: Actor, blob: BlobFacts) -> bool:
    """An attachment may name only a blob its author holds or can already read — or one the server
    does not have yet (media sync after the text; such an attachment lets nobody read the bytes until
    its author uploads them, see ``attachment_with_blob_visible``)."""
    return not blob.recorded or blob.holder or blob.readable()


def _report_exporter(actor: Actor, interview: Any) -> bool:
    return actor.has_role(Role.HR, Role.LEADER) or _is_writer(actor, interview)


def in_subtree(actor: Actor, unit_path: str | None) -> bool:
    """Strictly inside the actor's own unit subtree (no company-wide shortcut): a unit lead's units,
    a handler's department."""
    return unit_path is not None and unit_path.startswith(actor.unit_path)


@dataclass(frozen=True)
class IssueFacts:
    """What the issue rules need to know about one problem; the costly parts are asked lazily."""

    handler_path: str | None
    """Materialised path of the department the problem is assigned to."""
    editors: Callable[[], set[str]]
    """The raiser and the interview's cadres."""
    readable: Callable[[], bool] = lambda: False
    """Whether the actor may pull the problem (``may_read``)."""


def _assigned_handler(actor: Actor, issue: IssueFacts) -> bool:
    return actor.has_role(Role.HANDLER) and in_subtree(actor, issue.handler_path)


def _issue_worker(actor: Actor, issue: IssueFacts) -> bool:
    return actor.has_role(Role.HR) or _assigned_handler(actor, issue)


def _issue_editor(actor: Actor, issue: IssueFacts) -> bool:
    return actor.has_role(Role.HR) or actor.user_id in issue.editors()


def _issue_reopener(actor: Actor, issue: IssueFacts) -> bool:
    return actor.has_role(Role.HR, Role.SUPERVISOR) or actor.user_id in issue.editors()


def _issue_commenter(actor: Actor, issue: IssueFacts) -> bool:
    return issue.readable() or actor.user_id in issue.editors()


@dataclass(frozen=True)
class VerifyFacts:
    """A 销号 as the verifier rule sees it: who closes it, the department that did the work, who heard
    the problem and where it lies."""

    closer_id: str
    handler_path: str | None
    interview_cadres: frozenset[str] = frozenset()
    """The interview's cadres and author: they heard the problem and report back to the employees."""
    unit_paths: tuple[str, ...] = ()
    """The problem's units (涉及单位) and the interview's unit."""


def _independent_verifier(verifier: Actor, close: VerifyFacts) -> bool:
    """Asked with the *verifier* as the actor: not the person closing, not from the department whose
    work is being verified (they would be checking themselves), and close to the problem — the
    supervision group or a leader anywhere, a cadre only of this interview, a unit lead only in or
    above a unit concerned (docs/followup.md "Who may verify")."""
    in_handler_dept = close.handler_path is not None and verifier.unit_path.startswith(close.handler_path)
    if verifier.user_id == close.closer_id or in_handler_dept:
        return False
    if verifier.has_role(Role.SUPERVISOR, Role.LEADER):
        return True
    if verifier.has_role(Role.CADRE) and verifier.user_id in close.interview_cadres:
        return True
    return verifier.has_role(Role.UNIT_LEAD) and any(p.startswith(verifier.unit_path) for p in close.unit_paths)


@dataclass(frozen=True)
class AttachFacts:
    """The parent of a new attachment: an interview (or a note's interview), or a problem."""

    interview: Any = None
    issue: IssueFacts | None = None


def _attacher(actor: Actor, parent: AttachFacts) -> bool:
    if actor.has_role(Role.HR):
        return True
    if parent.issue is None:
        return parent.interview is not None and _is_writer(actor, parent.interview)
    return actor.user_id in parent.issue.editors() or _assigned_handler(actor, parent.issue)


@dataclass(frozen=True)
class InterviewSaveFacts:
    current: Any
    """The interview as stored, or ``None`` when this save creates it."""
    candidate: Any
    """The interview as it would be after the save."""
    unit_path: str | None
    """Materialised path of the candidate's unit."""


def _interview_saver(actor: Actor, facts: InterviewSaveFacts) -> bool:
    if actor.has_role(Role.HR):
        return True
    if facts.current is not None:
        return _is_writer(actor, facts.current)
    if actor.has_role(Role.CADRE) and actor.user_id in facts.candidate.cadre_ids:
        return True
    return actor.has_role(Role.UNIT_LEAD) and in_subtree(actor, facts.unit_path)


def _role(*roles: str | Role) -> frozenset[str]:
    return frozenset(r.value if isinstance(r, Role) else r for r in roles)


HR, LEADER, SUPERVISOR, ADMIN, CADRE, UNIT_LEAD = (Role.HR, Role.LEADER, Role.SUPERVISOR, Role.ADMIN, Role.CADRE,
                                                   Role.UNIT_LEAD)

_TABLE: list[Permission] = [
    # --- public ----------------------------------------------------------------------------------
    Permission("health.read", None, public=True),
    Permission("health.ready.read", None, public=True),  # readiness for the proxy, Docker and systemd
    Permission("session.login", None, public=True),
    Permission("session.refresh", None, public=True),
    Permission("session.sso", None, public=True),  # single sign-on: start, callback, one-time code exchange
    Permission("session.config.read", None, public=True),  # how one may sign in (the login screen)
    Permission("evaluation.response.submit", None, public=True),
    Permission("evaluation.page.read", None, public=True),
    Permission("receipt.page.read", None, public=True),
    Permission("pwa.read", None, public=True),
    Permission("ca.read", None, public=True),  # the install page and the CA certificate for tablets
    # --- accounts and devices --------------------------------------------------------------------
    Permission("me.read", None),
    Permission("device.list", None, row=_own_or_admin),
    Permission("device.revoke", None, row=_own_or_admin, hide=True, refusal="没有这个设备 (no such device)"),
    Permission("device.unlock_share.read", None),
    Permission("device.clock.list", _role(HR, ADMIN)),
    Permission("me.password.change", None),  # also the only call left while a one-time password is held
    Permission("me.locale.write", None),  # the language of the notifications one receives
    # --- administration (docs/administration.md) --------------------------------------------------
    Permission("roster.template.read", _role(ADMIN, HR)),
    Permission("roster.import", _role(ADMIN, HR)),  # preview and apply an HR roster
    Permission("roster.slips.read", _role(ADMIN, HR), row=lambda actor, applied_by: applied_by == actor.user_id,
               hide=True, refusal="没有这份密码条 (no such slips file)"),
    Permission("audit.read", _role(ADMIN, HR)),
    # giving or taking 管理员 / 保密管理员 (an HR roster import may not: officers read confidential remarks)
    Permission("role.grant.privileged", _role(ADMIN)),
    Permission("user.list", _role(ADMIN, HR)),  # the 用户与设备 screen: search, roles, post, unit, devices count
    Permission("user.device.list", _role(ADMIN, HR)),  # a user's devices, last seen, clock offset (as device.clock.list)
    Permission("user.edit", _role(ADMIN, HR)),  # name, post, phone, unit, roles (privileged: admin), disabled
    Permission("user.password.reset", _role(ADMIN)),  # not HR: a reset would let HR sign in as an officer
    Permission("unit.edit", _role(ADMIN, HR)),  # rename, move
    # h3-admin: 新增用户 and the org-tree editor; HR as for a roster import, which adds both too
    Permission("user.add", _role(ADMIN, HR)),  # one account with a one-time password (privileged roles: admin)
    Permission("unit.add", _role(ADMIN, HR)),  # a unit under a parent; 责任部门 marking is unit.edit
    Permission("unit.disable", _role(ADMIN, HR)),  # 停用 / 启用 a unit: HR retires units, as it moves people
    # --- org -------------------------------------------------------------------------------------
    Permission("org.unit.list", None),
    Permission("org.user.list", None, row=_user_directory_entry),
    # --- sync ------------------------------------------------------------------------------------
    Permission("sync.push", None),
    Permission("sync.pull", None),
    Permission("sync.receipt_codes", None),  # h4-receipt: the device's pool of reserved 回执码
    # an interview's notes fetched when it is opened (a company-wide device holds only its own: sync.pull)
    Permission("sync.notes.read", None, row=lambda actor, vis: vis is not None and may_read(actor, vis), hide=True,
               refusal="没有这个访谈 (no such interview)"),
    Permission("blob.upload", None),
    Permission("blob.read", None, row=_blob_reader, hide=True),
    # asked by attachment.add: an attachment names only bytes its author holds or may already read
    Permission("blob.attach", None, row=_blob_attacher,
               refusal="附件只能引用自己上传或本来就能查看的文件 (an attachment may name only a blob you uploaded "
                       "or can already read)"),
    # --- calendar and notifications ------------------------------------------------------------
    Permission("calendar.read", None),
    Permission("calendar.override.write", _role(ADMIN, HR)),
    Permission("calendar.year.write", _role(ADMIN, HR)),
    Permission("calendar.notice.import", _role(ADMIN, HR)),
    Permission("notification.vapid_key.read", None),
    Permission("notification.subscription.write", None),
    Permission("notification.subscription.list", None),
    # --- plans -----------------------------------------------------------------------------------
    Permission("plan.completion.read", None, row=_plan_item_visible),
    Permission("plan.summary.read", None, row=_plan_item_visible),
    Permission("plan.coverage.read", _role(HR, UNIT_LEAD, LEADER, SUPERVISOR), row=_unit_in_scope),
    Permission("plan.export", _role(HR, UNIT_LEAD, LEADER, SUPERVISOR), row=_plan_item_visible),
    Permission("plan.copy", _role(HR)),
    # The plan .docx exported by HR is the issued plan and carries a 发文字号 (issue 17 point 6).
    Permission("plan.issue", _role(HR)),
    # 计划导入 (h2-plans): template, preview, apply; each row is then asked ``plan.save`` (HR: any plan and
    # unit; a unit lead: the unit plans of their own subtree), so a unit lead's company rows are refused
    Permission("plan.import", _role(HR, UNIT_LEAD)),
    # --- follow-up, exports, archive --------------------------------------------------------------
    Permission("report.export", None, row=_report_exporter, hide=True),
    Permission("ledger.export", _role(HR, LEADER)),
    Permission("agenda.export", _role(HR, LEADER)),
    Permission("late_report.list", _role(HR, LEADER)),
    Permission("archive.create", _role(HR)),
    Permission("archive.read", _role(HR)),
    # --- evaluation, assessment, dashboards -----------------------------------------------------
    Permission("evaluation.ticket.issue", _role(CADRE)),
    Permission("evaluation.paper.record", _role(HR)),
    Permission("evaluation.results.read", _role(HR, LEADER)),
    Permission("assessment.read", _role(HR, LEADER)),
    Permission("dashboard.read", _role(HR, LEADER)),
    # --- supervision -----------------------------------------------------------------------------
    Permission("supervision.draw.read", _role(SUPERVISOR, HR, LEADER)),
    Permission("supervision.draw.commit", _role(SUPERVISOR)),
    Permission("supervision.draw.reveal", _role(SUPERVISOR)),
    Permission("supervision.draw.verify", None),
    Permission("supervision.signal.read", _role(SUPERVISOR, HR, LEADER)),
    Permission("supervision.finding.record", _role(SUPERVISOR)),
    Permission("supervision.finding.close", _role(SUPERVISOR)),
    Permission("supervision.finding.list", None, row=_answerable),
    Permission(
        "supervision.finding.respond", None, row=_hr_or_listed,
        refusal="只有被抽查记录的干部、责任部门或人力资源部可以回复整改意见 (not responsible for this item)",
    ),
    # --- sync mutations (the names of sync.mutations.REGISTRY) ----------------------------------
    Permission("interview.save", None, mutation=True, row=_interview_saver,
               refusal="only the interview's cadres (or HR) may change it"),
    # Changing a submitted interview or report (asked by interview.save and report.save): only the
    # cadres who held the interview (and its author) — they heard it, they sign it and answer for it;
    # HR, supervisors and leaders read it but do not rewrite someone else's record (docs/followup.md).
    Permission("record.amend", None, row=_is_writer,
               refusal="已提交的记录只能由参加访谈的干部本人修改（需注明原因） (only the interview's own cadres may "
                       "amend a submitted record, giving a reason)"),
    Permission("note.add", None, mutation=True, row=_is_writer,
               refusal="only the interview's cadres may add notes to it"),
    Permission("issue.raise", None, mutation=True, row=_hr_or_writer,
               refusal="only the interview's cadres (or HR) may raise its problems"),
    Permission("issue.update", None, mutation=True, row=_issue_editor,
               refusal="only the raiser, the interview's cadres or HR may edit a problem"),
    Permission("followup.add", None, mutation=True),
    # followup.add asks one of these by the follow-up's kind (docs/followup.md):
    Permission("issue.assign", _role(HR, LEADER)),
    Permission("issue.escalate", _role(HR)),  # 纳入经理层会议议题
    Permission("issue.decide", _role(HR, LEADER)),  # a leader records the meeting's decision (HR as secretary)
    Permission("issue.work", None, row=_issue_worker),  # start / progress / resolve: the assigned department
    Permission("issue.close", _role(HR)),
    # who may be named as the verifier (核实人) of a 销号: the supervision group (工会、职工代表), a
    # leader, the cadres who heard the problem (they report back to the employees), a unit lead in or
    # above a unit concerned — never the closer, never the handler department that did the work
    # (docs/followup.md; the PWA offers exactly these: pwa/src/domain/followup.ts eligibleVerifiers)
    Permission("issue.verify", _role(SUPERVISOR, LEADER, CADRE, UNIT_LEAD), row=_independent_verifier),
    Permission("issue.reopen", None, row=_issue_reopener),  # HR, a supervisor, or the cadres who raised it
    Permission("issue.comment", None, row=_issue_commenter),
    Permission("remark.put", None, mutation=True, row=_is_writer,
               refusal="only the interview's cadres may write confidential remarks on it"),
    # replacing a stored remark: its author, or an officer granting access (checked further by the mutation)
    Permission("remark.replace", None, row=lambda actor, author_id: author_id == actor.user_id
               or actor.has_role(Role.OFFICER), refusal="only its author may replace a confidential remark"),
    Permission("remark.access", None, mutation=True, row=_listed,
               refusal="only a recipient of the remark can have opened it"),
    Permission("attachment.add", None, mutation=True, row=_attacher),
    Permission("attachment.remove", None, mutation=True, row=_listed,
               refusal="only its author may remove an attachment"),
    Permission("conflict.resolve", None, mutation=True, row=_listed,
               refusal="only the people involved may resolve a conflict"),
    Permission("mutation.void", None, mutation=True),
    Permission("rejection.dismiss", None, mutation=True, row=_listed,
               refusal="only the author of a refused mutation may dismiss it"),
    Permission("key.publish", None, mutation=True),
    Permission("key.retire", None, mutation=True, row=_own_or_admin,
               refusal="only the key's owner or an admin may retire it"),
    Permission("key.backup", None, mutation=True, row=lambda actor, user_id: user_id == actor.user_id,
               refusal="you can only back up your own key"),
    Permission("interview.sign", None, mutation=True, row=_is_writer,
               refusal="only the interview's cadres may sign it"),
    Permission("report.save", None, mutation=True, row=_hr_or_writer,
               refusal="only the interview's cadres (or HR) may write its report"),
    Permission("report.submit", None, mutation=True, row=_hr_or_writer,
               refusal="only the interview's cadres (or HR) may write its report"),
    Permission("notification.read", None, mutation=True, row=lambda actor, user_id: user_id == actor.user_id,
               hide=True),
    Permission("plan.save", None, mutation=True, row=_unit_plan_editor,
               refusal="a unit plan is edited by HR or by the unit lead of that unit"),
]

PERMISSIONS: dict[str, Permission] = {p.name: p for p in _TABLE}
assert len(PERMISSIONS) == len(_TABLE), "a permission is listed twice"
for _p in _TABLE:
    assert _p.roles is None or _p.roles <= ALL_ROLES, f"unknown role in {_p.name}"


def permission(name: str) -> Permission:
    try:
        return PERMISSIONS[name]
    except KeyError:
        raise LookupError(f"no permission {name!r} in sync.policy.PERMISSIONS") from None


def role_allows(actor: Actor | None, name: str) -> bool:
    """The role part of a permission (what a route guard checks)."""
    p = permission(name)
    if p.public or p.roles is None:
        return True
    return actor is not None and actor.has_role(*p.roles)


class _NoTarget:
    def __repr__(self) -> str:
        return "NO_TARGET"


NO_TARGET: Any = _NoTarget()
"""The default target: only the role part is asked (``None`` is a target, e.g. a missing unit path)."""


def can(actor: Actor, name: str, target: Any = NO_TARGET) -> bool:
    """Whether ``actor`` may do ``name`` (on ``target``, when given)."""
    p = permission(name)
    if not role_allows(actor, name):
        return False
    return target is NO_TARGET or p.row is None or p.row(actor, target)


def can_or_reject(
    actor: Actor, name: str, target: Any = NO_TARGET, *, refusal: str | None = None, field: str | None = None,
    error: type[FangtanError] | None = None,
) -> None:
    """Raise the permission's refusal (403 ``auth.forbidden``, or 404 when it hides rows) unless ``can``.

    ``refusal`` overrides the message (a role refusal names the roles otherwise); ``field`` names the
    offending field of a request; ``error`` is the typed error (its own stable code) of a refusal by
    the row rule.
    """
    if can(actor, name, target):
        return
    p = permission(name)
    if not role_allows(actor, name):
        raise Forbidden(refusal or role_refusal(name), field=field)
    message = refusal or p.refusal or f"not allowed: {name}"
    if error is not None:
        raise error(message, field=field)
    if p.hide:
        raise NotFound(message, field=field)
    raise Forbidden(message, field=field)


ROLE_ZH = {"cadre": "管理干部", "hr": "人力资源部（党群部）", "unit_lead": "基层单位负责人", "handler": "责任部门",
           "leader": "公司领导", "supervisor": "监督小组", "officer": "保密管理员", "admin": "系统管理员"}
"""The roles' Chinese names (as in the PWA's i18n ``role``), for refusals people read."""


def role_refusal(name: str) -> str:
    roles = sorted(permission(name).roles or ())
    return (f"需要以下角色之一：{'、'.join(ROLE_ZH.get(r, r) for r in roles)} "
            f"(requires one of the roles: {', '.join(roles)})")


def allowed_roles(name: str) -> frozenset[str]:
    """The roles that pass the role part of ``name`` (all roles when it is open to everyone)."""
    p = permission(name)
    return ALL_ROLES if p.roles is None else p.roles


def user_directory_sql(actor: Actor, user_id_column: str, path_column: str) -> tuple[str, list[Any]]:
    """SQL twin of ``org.user.list``'s row rule: a predicate (with positional params) over a user's
    id and their unit's materialised path."""
    if actor.company_wide or actor.has_role(Role.ADMIN):
        return "1", []
    return (f"(substr({path_column}, 1, ?) = ? OR {user_id_column} = ?)",
            [len(actor.unit_path), actor.unit_path, actor.user_id])


# --- row visibility: what an actor may pull ---------------------------------------------------


def pull_filter(actor: Actor) -> tuple[str, dict[str, Any]]:
    """SQL predicate over ``sync_change`` columns selecting the rows ``actor`` may pull.

    Built per actor so SQLite evaluates only the branches that can be true for this caller; the
    Python twin is ``may_read`` (tests/unit/sync/test_policy_matrix.py checks that they agree).
    """
    reach, params = reach_filter(actor)
    mine = "instr(users, :me) > 0"
    work = "kind = 'work'" if actor.company_wide else f"(kind = 'work' AND {reach})"
    remark = "kind = 'remark'" if actor.has_role(Role.OFFICER) else f"(kind = 'remark' AND {mine})"
    personal = f"(kind = 'personal' AND {mine})"
    return f"(kind = 'ref' OR {work} OR {remark} OR {personal})", params


def reach_filter(actor: Actor) -> tuple[str, dict[str, Any]]:
    """SQL predicate over ``sync_change`` columns of the work rows ``actor`` reaches without a
    company-wide role: by name (their own interviews and work), by unit (a unit role) or by
    department (handler). Not a permission (a company-wide role may read every work row,
    ``pull_filter``): what its device holds of the entities fetched when opened
    (``sync.pull.held_filter``)."""
    params: dict[str, Any] = {"me": f"|{actor.user_id}|", "home": actor.unit_path, "hlen": len(actor.unit_path)}
    # Without a company-wide role this is the whole of the work rows ``pull_filter`` gives.
    branches = ["instr(users, :me) > 0"]
    if not UNIT_READER_ROLES.isdisjoint(actor.roles):
        branches.append("substr(unit_path, 1, :hlen) = :home")
    if actor.has_role(Role.HANDLER):
        branches.append("substr(handler_path, 1, :hlen) = :home")
    return f"({' OR '.join(branches)})", params


def may_read(actor: Actor, vis: Visibility) -> bool:
    """Python twin of ``pull_filter`` for one row (used by mutations' checks and tests)."""
    mine = actor.user_id in vis.users
    if vis.kind == "ref":
        return True
    if vis.kind == "work":
        if actor.company_wide or mine:
            return True
        if not UNIT_READER_ROLES.isdisjoint(actor.roles) and sees_unit(actor, vis.unit_path):
            return True
        return actor.has_role(Role.HANDLER) and sees_unit(actor, vis.handler_path)
    if vis.kind == "remark":
        return mine or actor.has_role(Role.OFFICER)
    return mine


def may_read_row(db: Database, actor: Actor, entity: str, row: Any) -> bool:
    """``may_read`` of one stored row: what every export, archive and dashboard asks before it prints
    a row, so nothing reaches a file that the pull would not give the same person."""
    return may_read(actor, visibility_for(db, entity, row))


def readable_rows(db: Database, actor: Actor, entity: str, rows: list[Any]) -> list[Any]:
    return [r for r in rows if may_read_row(db, actor, entity, r)]


def attachment_with_blob_visible(db: Database, actor: Actor, sha256: str) -> bool:
    """Whether ``actor`` may pull some live attachment that references blob ``sha256``.

    Blob downloads are authorized through the attachments that point at them, with exactly the
    pull rules (one indexed lookup per attachment row) — but only attachments whose author holds the
    blob (``sync.blobs``): naming someone else's sha256 in an attachment opens nothing.
    """
    predicate, params = pull_filter(actor)
    params["sha256"] = sha256
    row = db.conn.execute(
        "SELECT 1 FROM sync_change WHERE entity = 'attachment' AND deleted = 0"
        " AND row_id IN (SELECT a.id FROM attachment a JOIN blob_holder h"
        " ON h.sha256 = a.sha256 AND h.user_id = a.author_id WHERE a.sha256 = :sha256)"
        f" AND {predicate} LIMIT 1",
        params,
    ).fetchone()
    return row is not None
