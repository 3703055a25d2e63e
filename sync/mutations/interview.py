"""``interview.save``: create or patch an interview, with the five forms' rules (seed §四(二))."""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from sync import policy
from sync.catalogue import prompt_ids
from sync.entities import Briefing, Form, InterviewRow, InterviewStatus, Participant
from sync.followup_rules import interview_date
from sync.mutations.base import (
    LONG,
    Args,
    Context,
    MutationSpec,
    amendment_entry,
    authorize_amendment,
    changes_anything,
    check_amendment_reason,
    check_id,
    check_list,
    check_text,
    check_units_for_new_work,
    check_users,
    fail,
    require,
    set_fields,
)
from sync.mutations.plan import check_plan_link
from sync.mutations.report import refresh_report_of
from sync.visibility import unit_path
from sync.wire import AwareDatetime

MAX_CADRES = 10


class InterviewSaveArgs(Args, kw_only=True):
    id: str
    plan_item_id: str | None | UnsetType = UNSET
    adhoc_reason: str | None | UnsetType = UNSET
    form: Form | UnsetType = UNSET
    unit_id: str | UnsetType = UNSET
    cadre_ids: list[str] | UnsetType = UNSET
    started_at: AwareDatetime | None | UnsetType = UNSET
    ended_at: AwareDatetime | None | UnsetType = UNSET
    place: str | None | UnsetType = UNSET
    participants: list[Participant] | UnsetType = UNSET
    participant_count: int | None | UnsetType = UNSET
    theme: str | None | UnsetType = UNSET
    channel: str | None | UnsetType = UNSET
    absence_reason: str | None | UnsetType = UNSET
    topic: str | None | UnsetType = UNSET
    departments: list[str] | UnsetType = UNSET
    consensus: list[str] | UnsetType = UNSET
    disagreements: list[str] | UnsetType = UNSET
    topics: list[str] | UnsetType = UNSET
    briefing: Briefing | None | UnsetType = UNSET
    summary: str | None | UnsetType = UNSET
    status: InterviewStatus | UnsetType = UNSET
    amendment_reason: str | None = None
    """Why a submitted interview is changed (required then; ignored on a draft): kept in its history."""


_NOT_FIELDS = ("amendment_reason",)


def _patch(args: InterviewSaveArgs) -> dict[str, Any]:
    patch = set_fields(args)
    for name in _NOT_FIELDS:
        patch.pop(name, None)
    return patch


writers = policy.interview_writers
"""Users who may write to an interview and what hangs under it (the policy's definition)."""


def _candidate(ctx: Context, args: InterviewSaveArgs, current: InterviewRow | None) -> InterviewRow:
    """The interview as it would be after this mutation (used to validate the whole row)."""
    patch = _patch(args)
    if current is not None:
        return msgspec.structs.replace(current, **patch)
    require(args.form is not UNSET, "新建访谈须选择访谈形式 (`form` is required when creating an interview)", "form")
    require(args.unit_id is not UNSET, "新建访谈须选择访谈单位 (`unit_id` is required when creating an interview)", "unit_id")
    patch.setdefault("cadre_ids", [ctx.actor.user_id])
    now = ctx.now_iso
    return InterviewRow(id=args.id, author_id=ctx.actor.user_id, created_at=now, updated_at=now, **patch)


def _check_fields(ctx: Context, row: InterviewRow, current: InterviewRow | None) -> None:
    """Rules that hold for drafts too: references exist, sizes, consistency. A disabled unit is
    refused unless ``current`` (the row before this save) already named it."""
    creating = current is None
    db = ctx.db
    check_id(row.id)
    for name in ("plan_item_id", "adhoc_reason", "place", "theme", "channel", "absence_reason", "topic"):
        check_text(getattr(row, name), name)
    check_text(row.summary, "summary", LONG)
    if creating:
        require((row.plan_item_id is None) != (row.adhoc_reason is None),
                "访谈须来自一个计划事项，或为临时加访并写明原因，二者选一 (give exactly one of `plan_item_id`, a planned visit, or `adhoc_reason`, an ad-hoc visit)",
                "plan_item_id" if row.plan_item_id is None else "adhoc_reason")
    if row.adhoc_reason is not None:
        require(bool(row.adhoc_reason.strip()), "临时加访请填写原因 (`adhoc_reason` must not be empty)", "adhoc_reason")
    check_units_for_new_work(db, [row.unit_id], "unit_id", kept=[current.unit_id] if current else [], single=True)
    require(1 <= len(row.cadre_ids) <= MAX_CADRES, f"访谈干部应为 1-{MAX_CADRES} 人 (`cadre_ids` needs 1-{MAX_CADRES} cadres)", "cadre_ids")
    require(len(set(row.cadre_ids)) == len(row.cadre_ids), "访谈干部有重复 (`cadre_ids` has duplicates)", "cadre_ids")
    check_users(db, row.cadre_ids, "cadre_ids")
    if row.started_at and row.ended_at:
        require(row.ended_at >= row.started_at, "结束时间早于开始时间 (`ended_at` is before `started_at`)", "ended_at")
    check_list(row.participants, "participants")
    for i, p in enumerate(row.participants):
        check_text(p.post, f"participants[{i}].post", required=True)
        check_text(p.name, f"participants[{i}].name")
        require(not (p.anonymous and p.name), "匿名参加人不能填写姓名 (an anonymous participant must not carry a name)",
                f"participants[{i}].name")
    if row.participant_count is not None:
        require(row.participant_count >= max(1, len(row.participants)),
                "参加人数少于已列出的参加人 (`participant_count` is smaller than the listed participants)", "participant_count")
    for name in ("departments", "consensus", "disagreements", "topics"):
        check_list(getattr(row, name), name)
    check_units_for_new_work(db, row.departments, "departments", kept=current.departments if current else [])
    for name in ("consensus", "disagreements"):
        for i, text in enumerate(getattr(row, name)):
            check_text(text, f"{name}[{i}]", LONG, required=True)
    known = prompt_ids()
    for i, t in enumerate(row.topics):
        require(t in known, f"没有这个提纲要点 (unknown checklist prompt {t!r})", f"topics[{i}]")
    if row.briefing is not None:
        check_text(row.briefing.conveyed, "briefing.conveyed", LONG, required=True)


def _check_form(row: InterviewRow) -> None:
    """The rule book's rules for each interview form, enforced on submission."""
    require(row.started_at is not None, "提交的访谈须填写开始时间 (a submitted interview needs `started_at`)", "started_at")
    require(bool(row.topics), "提交的访谈至少要覆盖一个提纲要点 (a submitted interview covers at least one checklist prompt: `topics`)", "topics")
    require(bool(row.summary and row.summary.strip()), "提交的访谈须填写访谈总结 (a submitted interview needs a `summary`)", "summary")
    n = len(row.participants)
    if row.form == "individual":
        require(n == 1, "个别访谈是一对一的：参加人须为 1 人 (individual is one-to-one: exactly one participant)", "participants")
    elif row.form == "group":
        require(3 <= n <= 5, "小组座谈须有 3-5 名参加人 (group needs 3-5 participants)", "participants")
        posts = [p.post.strip() for p in row.participants]
        for i, post in enumerate(posts):
            require(post not in posts[:i], "小组座谈的参加人须来自不同岗位 (group participants must hold different posts)",
                    f"participants[{i}].post")
        require(bool(row.theme and row.theme.strip()), "小组座谈须填写座谈主题 (group needs a `theme`)", "theme")
    elif row.form == "walkthrough":
        require(bool(row.place and row.place.strip()), "现场走访须填写走访地点 (walkthrough needs the `place` visited)", "place")
    elif row.form == "online":
        require(bool(row.channel and row.channel.strip()), "线上辅助访谈须填写线上方式 (online needs the `channel`)", "channel")
        require(bool(row.absence_reason and row.absence_reason.strip()),
                "线上辅助访谈须写明职工不能到场的原因 (online needs why the employee could not attend: `absence_reason`)",
                "absence_reason")
        require(n >= 1, "线上辅助访谈至少要有 1 名参加人 (online needs at least one participant)", "participants")
    elif row.form == "symposium":
        require(bool(row.topic and row.topic.strip()), "专题座谈会须填写专题 (symposium needs a `topic`)", "topic")
        require(bool(row.departments), "专题座谈会须列出参会部门 (symposium lists the `departments` represented)", "departments")
        require(bool(row.consensus or row.disagreements),
                "专题座谈会须记录共识或分歧 (symposium records points of `consensus` or `disagreements`)", "consensus")


def _amends(current: InterviewRow | None, args: InterviewSaveArgs) -> bool:
    """A change to an interview already submitted: an amendment (docs/followup.md §Amendments)."""
    return current is not None and current.status == "submitted" and changes_anything(current, _patch(args))


class InterviewSave(MutationSpec[InterviewSaveArgs]):
    name = "interview.save"
    Args = InterviewSaveArgs

    def load(self, ctx: Context, args: InterviewSaveArgs) -> tuple[InterviewRow | None, InterviewRow]:
        from sync import rowstore

        current = rowstore.load(ctx.db, "interview", args.id)
        return current, _candidate(ctx, args, current)

    def authorize(self, ctx: Context, args: InterviewSaveArgs, state: Any) -> None:
        current, candidate = state
        if _amends(current, args):
            authorize_amendment(ctx, current)
            return
        facts = policy.InterviewSaveFacts(current, candidate, unit_path(ctx.db, candidate.unit_id))
        policy.can_or_reject(ctx.actor, self.name, facts, refusal=None if current is not None else (
            "creating an interview needs the cadre role (listing yourself in `cadre_ids`), HR, or unit_lead of the unit"))

    def validate(self, ctx: Context, args: InterviewSaveArgs, state: Any) -> None:
        current, candidate = state
        _check_fields(ctx, candidate, current)
        if current is not None:
            if current.status == "submitted" and candidate.status == "draft":
                raise fail("已提交的访谈不能退回草稿 (a submitted interview cannot go back to draft)", "status")
            for name in ("plan_item_id", "adhoc_reason"):
                if getattr(args, name) is not UNSET and current.status == "submitted":
                    raise fail(f"提交后不能再修改 `{name}` (`{name}` cannot change after submission)", name)
        if _amends(current, args):
            check_amendment_reason(args.amendment_reason)
        if candidate.plan_item_id is not None and (current is None or args.plan_item_id is not UNSET):
            check_plan_link(ctx.db, candidate)
        if candidate.status == "submitted":
            _check_form(candidate)

    def apply(self, ctx: Context, args: InterviewSaveArgs, state: Any) -> None:
        current, candidate = state
        if current is None:
            if candidate.status == "submitted":
                candidate = msgspec.structs.replace(candidate, submitted_at=ctx.now_iso)
            ctx.create("interview", candidate)
            return
        patch = _patch(args)
        derived: dict[str, Any] = {"updated_at": ctx.now_iso}
        if candidate.status == "submitted" and current.status != "submitted":
            derived["submitted_at"] = ctx.now_iso
        derive = amendment_entry(ctx, current, args.amendment_reason or "") if _amends(current, args) else None
        new = ctx.update("interview", current, patch, derive=derive, **derived)
        if interview_date(new) != interview_date(current):
            refresh_report_of(ctx, new)
        if new.cadre_ids != current.cadre_ids or new.unit_id != current.unit_id:
            ctx.cascade("interview", new.id)  # children follow the interview's audience
