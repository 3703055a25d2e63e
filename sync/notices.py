"""The texts of notifications (inbox, Web Push, the group webhook), in every language the product
speaks (issue 16 point 4).

A ``Notice`` is a kind, a template key and parameters — no text. ``notify`` renders it once per
recipient, in that recipient's chosen language (``user.locale``; zh-CN unless they chose English),
and the inbox row keeps the rendered text: the inbox shows what was sent, and Web Push carries
the same words. The group webhook (企业微信 / 钉钉) speaks the company's language, zh-CN.

Why render when written, not when read: a notification is a message that was sent, like a letter;
its words should not change under the reader (a renamed unit, a re-worded template). And the
service worker that shows a push has no catalogue of its own to render with.

Parameters are plain values (shown as given: people's names, descriptions, ISO dates, numbers),
``Text`` (another template of this catalogue, rendered in the same language — a form's name, a
verdict, an optional clause) or ``Join`` (a list, joined the language's way).
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sync.errors import DEFAULT_LOCALE, LOCALES


@dataclass(frozen=True)
class Text:
    """A template of the catalogue and its parameters."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, locale: str) -> str:
        template = template_of(self.key, locale)
        return template.format_map({name: _value(v, locale) for name, v in self.params.items()})


@dataclass(frozen=True)
class Join:
    """Parts joined by ``sep``, else by the language's series separator (``；`` / ``; ``)."""

    parts: Sequence[Any]
    sep: str | None = None

    def render(self, locale: str) -> str:
        sep = template_of("sep.series", locale) if self.sep is None else self.sep
        return sep.join(_value(p, locale) for p in self.parts)


@dataclass(frozen=True)
class Notice:
    """What a notification says, before it is said in anyone's language."""

    kind: str
    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, locale: str) -> tuple[str, str]:
        """(title, body) in ``locale``."""
        return Text(f"{self.key}.title", self.params).render(locale), Text(f"{self.key}.body", self.params).render(locale)


def notice(kind: str, **params: Any) -> Notice:
    """The usual case: the template key is the kind."""
    return Notice(kind, kind, params)


def week(day: dt.date) -> Text:
    """An ISO week as people read it (``2026年第49周`` / ``Week 49, 2026``); ``2026-W49`` is a key.
    The year is the ISO week's own (29 Dec 2025 is in 2026年第1周)."""
    year, number, _ = day.isocalendar()
    return Text("week", {"year": year, "week": number})


def receipt(code: str | None, text: str) -> Text:
    """``回执码 A1B2C3：<text>`` — how a problem is named to the people who work on it."""
    return Text("receipt", {"code": code, "text": text})


def shorten(text: str, n: int = 40) -> str:
    """A description cut to ``n`` characters on one line, for a notification."""
    text = text.strip().replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def term(kind: str, value: str | None) -> Text | str:
    """A form's or a verdict's name in the reader's language (a value the catalogue has no name
    for is shown as it is)."""
    return Text(f"{kind}.{value}") if f"{kind}.{value}" in ZH else (value or "")


def names_zh(kind: str, values: Sequence[str]) -> dict[str, str]:
    """The catalogue's Chinese names of ``values`` (``form`` → 个别访谈 …), for Chinese documents."""
    return {v: ZH[f"{kind}.{v}"] for v in values}


def _value(v: Any, locale: str) -> str:
    if isinstance(v, Text | Join):
        return v.render(locale)
    return "" if v is None else str(v)


def template_of(key: str, locale: str) -> str:
    texts = CATALOGUE.get(locale) or CATALOGUE[DEFAULT_LOCALE]
    return texts[key]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


ZH: dict[str, str] = {
    "sep.series": "；",
    "week": "{year}年第{week}周",
    "someone": "干部",
    "receipt": "回执码 {code}：{text}",
    "due_clause": "，完成时限 {due}",
    "form.individual": "个别访谈",
    "form.group": "小组座谈",
    "form.walkthrough": "现场走访",
    "form.online": "线上辅助访谈",
    "form.symposium": "专题座谈会",
    "verdict.ok": "合格",
    "verdict.formalism": "形式主义",
    "verdict.perfunctory": "走过场",
    "verdict.other": "其他",
    "checked.interview": "访谈记录",
    "checked.issue": "问题整改",
    "checked.held": "{what}（{held}）",
    # follow-up events (sync/mutations/followup.py)
    "assigned.title": "新交办问题",
    "assigned.body": "{receipt}{due}",
    "agenda.title": "新增经理层会议议题",
    "agenda.body": "{receipt}",
    "decided.title": "经理层会议已作出决定",
    "decided.body": "{receipt}",
    "resolved.title": "问题已整改，待核实销号",
    "resolved.body": "{receipt}",
    "closed.title": "问题已销号，请向职工反馈",
    "closed.body": "{receipt}",
    "reopened.title": "问题被重新打开",
    "reopened.body": "{receipt}",
    "commented.title": "问题有新的意见",
    "commented.body": "{receipt}",
    # reports (sync/mutations/report.py)
    "report_submitted.hr.title": "访谈情况报告已提交",
    "report_submitted.hr.body": "{cadre}提交了{day}访谈的情况报告，共 {count} 个问题待交办。",
    "report_submitted.leader.title": "访谈情况报告已提交",
    "report_submitted.leader.body": "{cadre}提交了{day}访谈的情况报告，共 {count} 个问题，请审阅。",
    # archive (server/followup/archive.py)
    "archived.title": "访谈成果已归档",
    "archived.body": "{day} 访谈记录、情况报告和整改材料已归档，不能再修改。",
    # supervision (server/supervision/findings.py)
    "supervision_opinion.title": "监督小组整改意见：{verdict}",
    "supervision_opinion.body": "监督小组抽查{what}，认定为“{verdict}”。整改意见：{opinion}",
    "supervision_response.title": "整改意见已回复",
    "supervision_response.body": "抽查意见（{verdict}）已回复：{response}",
    "supervision_closed.title": "整改意见已销号",
    "supervision_closed.body": "抽查意见（{verdict}）已销号。",
    # reminders (server/followup/reminders.py)
    "overdue.title": "问题已逾期",
    "overdue.body": "{receipt}，完成时限 {due}，已逾期，请尽快整改并报送进度。",
    "overdue_escalation.title": "逾期问题督办",
    "overdue_escalation.body": "{receipt}，完成时限 {due}，已逾期 {late} 个工作日，请督办。",
    "due_soon.title": "问题即将到期",
    "due_soon.body": "{receipt}，完成时限 {due}，{when}。",
    "due_today": "今天到期",
    "due_in": "还有 {left} 个工作日到期",
    "report_overdue.title": "访谈情况报告已逾期",
    "report_overdue.body": "{day} 的访谈的情况报告应于 {due} 前提交，现已逾期，请尽快提交。",
    "report_due.title": "访谈情况报告今天到期",
    "report_due.body": "{day} 的访谈的情况报告今天（{due}）到期。",
    "report_due_soon.title": "访谈情况报告即将到期",
    "report_due_soon.body": "{day} 的访谈的情况报告应于 {due} 前提交（还有 {left} 个工作日）。",
    "digest.unit.title": "每周整改进度（{week}）",
    "digest.unit.body": "{unit}本周：在办问题 {open} 个，逾期 {overdue} 个，{soon_days} 个工作日内到期 {soon} 个。{lists}",
    "digest.overdue_list": "\n逾期：{items}",
    "digest.soon_list": "\n即将到期：{items}",
    "digest.item": "{code} {text}（{due}）",
    "digest.hr.title": "每周整改跟踪（{week}）",
    "digest.hr.body": ("全公司在办问题 {open} 个，其中逾期 {overdue} 个；待交办问题 {unassigned} 个；"
                       "逾期未交的访谈情况报告 {late_reports} 份。{units}{calendar}"),
    "digest.hr.unit": "\n{unit}：在办 {open}，逾期 {overdue}",
    "digest.hr.calendar": "\n{warning}",
    "calendar_unknown.title": "{year} 年工作日历尚未录入",
    "calendar_unknown.body": "{warning}",
    "calendar_warning": ("{year} 年的工作日历尚未录入：{year} 年 1 月起到期的情况报告无法计算截止日期。"
                         "国务院办公厅发布{year}年节假日安排通知后，请在“工作日历”中导入通知正文并确认。"),
    # plans (server/plans/reminders.py)
    "plan.what": "{unit}的访谈（{title}，{start} 至 {end}）",
    "plan.untitled": "访谈计划",
    "plan_missed.title": "访谈计划未完成",
    "plan_missed.body": "{cadre}：{what}已过期，尚未开展。",
    "plan_due_soon.title": "访谈计划即将到期",
    "plan_due_soon.body": "{what}{when}，请按计划开展。",
    "plan.due_today": "今天截止",
    "plan.due_in": "还有 {left} 个工作日截止",
}

EN: dict[str, str] = {
    "sep.series": "; ",
    "week": "Week {week}, {year}",
    "someone": "A cadre",
    "receipt": "Receipt code {code}: {text}",
    "due_clause": ", due {due}",
    "form.individual": "individual interview",
    "form.group": "group talk",
    "form.walkthrough": "site walkthrough",
    "form.online": "online interview",
    "form.symposium": "symposium",
    "verdict.ok": "fine",
    "verdict.formalism": "formalism",
    "verdict.perfunctory": "going through the motions",
    "verdict.other": "other",
    "checked.interview": "an interview record",
    "checked.issue": "the follow-up of a problem",
    "checked.held": "{what} ({held})",
    "assigned.title": "New problem assigned",
    "assigned.body": "{receipt}{due}",
    "agenda.title": "New item for the management meeting",
    "agenda.body": "{receipt}",
    "decided.title": "The management meeting has decided",
    "decided.body": "{receipt}",
    "resolved.title": "Problem resolved, to be verified and closed",
    "resolved.body": "{receipt}",
    "closed.title": "Problem closed: please tell the employees",
    "closed.body": "{receipt}",
    "reopened.title": "Problem reopened",
    "reopened.body": "{receipt}",
    "commented.title": "New comment on a problem",
    "commented.body": "{receipt}",
    "report_submitted.hr.title": "Interview report submitted",
    "report_submitted.hr.body": "{cadre} submitted the report on the interview of {day}: {count} problem(s) to assign.",
    "report_submitted.leader.title": "Interview report submitted",
    "report_submitted.leader.body": "{cadre} submitted the report on the interview of {day} with {count} problem(s), for your review.",
    "archived.title": "Interview archived",
    "archived.body": ("On {day} the interview record, its report and the follow-up materials were archived;"
                      " they can no longer be changed."),
    "supervision_opinion.title": "Supervision finding: {verdict}",
    "supervision_opinion.body": "The supervision group checked {what} and found it “{verdict}”. Required action: {opinion}",
    "supervision_response.title": "Finding answered",
    "supervision_response.body": "The finding ({verdict}) was answered: {response}",
    "supervision_closed.title": "Finding closed",
    "supervision_closed.body": "The finding ({verdict}) is closed.",
    "overdue.title": "Problem overdue",
    "overdue.body": "{receipt}, due {due}, is overdue: please act on it and report progress.",
    "overdue_escalation.title": "Overdue problem to follow up",
    "overdue_escalation.body": "{receipt}, due {due}, is {late} working day(s) overdue: please follow it up.",
    "due_soon.title": "Problem due soon",
    "due_soon.body": "{receipt}, due {due}: {when}.",
    "due_today": "due today",
    "due_in": "due in {left} working day(s)",
    "report_overdue.title": "Interview report overdue",
    "report_overdue.body": "The report on the interview of {day} was due by {due} and is late: please submit it.",
    "report_due.title": "Interview report due today",
    "report_due.body": "The report on the interview of {day} is due today ({due}).",
    "report_due_soon.title": "Interview report due soon",
    "report_due_soon.body": "The report on the interview of {day} is due by {due} ({left} working day(s) left).",
    "digest.unit.title": "Weekly follow-up ({week})",
    "digest.unit.body": ("{unit} this week: {open} open problem(s), {overdue} overdue,"
                         " {soon} due within {soon_days} working days.{lists}"),
    "digest.overdue_list": "\nOverdue: {items}",
    "digest.soon_list": "\nDue soon: {items}",
    "digest.item": "{code} {text} ({due})",
    "digest.hr.title": "Weekly follow-up tracking ({week})",
    "digest.hr.body": ("Company-wide: {open} open problem(s), {overdue} of them overdue; {unassigned} to assign;"
                       " {late_reports} interview report(s) overdue.{units}{calendar}"),
    "digest.hr.unit": "\n{unit}: {open} open, {overdue} overdue",
    "digest.hr.calendar": "\n{warning}",
    "calendar_unknown.title": "The {year} working-day calendar is not entered yet",
    "calendar_unknown.body": "{warning}",
    "calendar_warning": ("The {year} working-day calendar is not entered yet: reports due from January {year} have no"
                         " deadline. Once the State Council publishes the {year} holiday notice, import its text in"
                         " “Working-day calendar” and confirm it."),
    "plan.what": "the interview at {unit} ({title}, {start} to {end})",
    "plan.untitled": "planned interview",
    "plan_missed.title": "Planned interview not held",
    "plan_missed.body": "{cadre}: {what} has passed and was not held.",
    "plan_due_soon.title": "Planned interview due soon",
    "plan_due_soon.body": "{what}: {when}. Please hold it as planned.",
    "plan.due_today": "ends today",
    "plan.due_in": "ends in {left} working day(s)",
}

CATALOGUE: dict[str, dict[str, str]] = {"zh-CN": ZH, "en": EN}
assert set(CATALOGUE) == set(LOCALES)
