"""Issue 16 point 4: every notification title and body the server writes (inbox rows; Web Push and
webhook messages are built from them) is Chinese only — no English in brackets, no ``2026-W49``.
Two nets: the loop and the scheduler driven over the builders' world (every kind they produce),
and every literal text in a notify/ctx_notify/Reminder call in the server and sync packages."""

import ast
import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import server.followup  # noqa: F401 - registers the follow-up reminder source
import server.plans  # noqa: F401 - registers the plan reminder source
from server.platform.scheduler import tick
from sync.receipt_codes import ALPHABET
from tests.builders import World, close, followup, held_interview, plan, raise_issue, submit_report

SH = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).parents[4]
LATIN = re.compile(r"[A-Za-z]{2,}")
# Receipt codes (e.g. K7M2-ABCD) are what the employee holds: data, not language.
RECEIPT = re.compile(rf"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")


def latin_words(text: str) -> list[str]:
    return LATIN.findall(RECEIPT.sub("", text))


def test_every_notification_the_loop_and_the_scheduler_write_is_chinese_only(world: World, dev) -> None:
    held_interview(dev, "u-cadre2")  # its report never comes: report reminders
    iid = held_interview(dev)
    issue = raise_issue(dev, iid)
    assert submit_report(dev, iid).status == "applied"
    assert followup(dev("u-hr"), issue, "escalate", text="需经理层研究").status == "applied"
    assert followup(dev("u-leader"), issue, "decide", text="同意").status == "applied"
    close(dev, issue)
    assert followup(dev("u-cadre1"), issue, "reopen", text="仍有泄漏").status == "applied"
    assert followup(dev("u-super"), issue, "comment", text="请尽快").status == "applied"
    _, r = plan(dev, quarter=4)
    assert r.status == "applied"
    for day in (dt.date(2025, 10, 9), dt.date(2025, 10, 13), dt.date(2025, 10, 20), dt.date(2025, 12, 15),
                dt.date(2025, 12, 29), dt.date(2026, 1, 5), dt.date(2026, 12, 7)):
        tick(world.db, dt.datetime.combine(day, dt.time(10), SH))

    rows = world.db.execute("SELECT kind, title, body FROM notification").fetchall()
    kinds = {k for k, _, _ in rows}
    assert kinds >= {"report_submitted", "agenda", "decided", "assigned", "resolved", "closed", "reopened",
                     "commented", "overdue", "report_overdue", "digest"}, kinds
    bad = [(k, t, b) for k, t, b in rows if latin_words(t) or latin_words(b)]
    assert bad == []
    digests = {t for k, t, _ in rows if k == "digest"}
    assert digests and all(re.search(r"\d{4}年第\d{1,2}周", t) for t in digests), digests


NOTIFIERS = {"notify": (4, 5), "ctx_notify": (3, 4), "Reminder": (3, 4)}


def _texts(node: ast.AST) -> list[str]:
    return [c.value for c in ast.walk(node) if isinstance(c, ast.Constant) and isinstance(c.value, str)]


def test_no_notify_call_in_the_code_carries_a_latin_word() -> None:
    """Catches the kinds no builder drives (archive, supervision findings, calendar notices)."""
    bad: list[str] = []
    calls = 0
    for path in [*(ROOT / "server").rglob("*.py"), *(ROOT / "sync").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name not in NOTIFIERS:
                continue
            calls += 1
            args = [node.args[i] for i in NOTIFIERS[name] if i < len(node.args)]
            args += [k.value for k in node.keywords if k.arg in ("title", "body")]
            for text in (t for a in args for t in _texts(a)):
                if latin_words(text):
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text!r}")
    assert calls >= 20, calls  # the scan found the notify sites
    assert bad == []
