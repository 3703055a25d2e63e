"""Issue 16 point 4: every notification title and body the server writes (inbox rows; Web Push is
built from them) is in its recipient's language: Chinese only for a zh-CN reader (no English in
brackets, no ``2026-W49``), English only for one who chose English, apart from what people wrote.
Three nets: the loop and the scheduler driven over the builders' world (every kind they produce)
for readers of each language; the catalogue itself (sync/notices.py); and no literal text in any
notify/ctx_notify/Reminder/Notice call in the server and sync packages (texts live in the catalogue)."""

import ast
import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import server.followup  # noqa: F401 - registers the follow-up reminder source
import server.plans  # noqa: F401 - registers the plan reminder source
from server.platform.scheduler import tick
from sync.notices import CATALOGUE, EN, ZH, placeholders
from sync.receipt_codes import ALPHABET
from tests.builders import World, plan, walk_every_notifying_step

SH = ZoneInfo("Asia/Shanghai")
ROOT = Path(__file__).parents[4]
LATIN = re.compile(r"[A-Za-z]{2,}")
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]+")
# Receipt codes (e.g. K7M2-ABCD) are what the employee holds: data, not language.
RECEIPT = re.compile(rf"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")


def latin_words(text: str) -> list[str]:
    return LATIN.findall(RECEIPT.sub("", text))


def _what_people_wrote(db) -> str:
    """Names, units, descriptions, texts and titles typed by people: shown as written in any language."""
    sources = ('SELECT name FROM "user"', "SELECT name FROM org_unit", "SELECT description FROM issue",
               "SELECT text FROM followup", "SELECT title FROM plan_item", "SELECT place FROM interview")
    return "\n".join(v for sql in sources for (v,) in db.execute(sql).fetchall() if v)


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_every_notification_the_loop_and_the_scheduler_write_is_in_the_readers_language(
        world: World, dev, locale: str) -> None:
    world.db.execute('UPDATE "user" SET locale = ?', [None if locale == "zh-CN" else locale])
    walk_every_notifying_step(dev)
    _, r = plan(dev, quarter=4)
    assert r.status == "applied"
    for day in (dt.date(2025, 10, 9), dt.date(2025, 10, 13), dt.date(2025, 10, 20), dt.date(2025, 12, 15),
                dt.date(2025, 12, 29), dt.date(2026, 1, 5), dt.date(2026, 12, 7)):
        tick(world.db, dt.datetime.combine(day, dt.time(10), SH))

    rows = world.db.execute("SELECT kind, title, body FROM notification").fetchall()
    kinds = {k for k, _, _ in rows}
    assert kinds >= {"report_submitted", "agenda", "decided", "assigned", "resolved", "closed", "reopened",
                     "commented", "overdue", "report_overdue", "digest"}, kinds
    digests = {t for k, t, _ in rows if k == "digest"}
    if locale == "zh-CN":
        bad = [(k, t, b) for k, t, b in rows if latin_words(t) or latin_words(b)]
        assert bad == []
        assert digests and all(re.search(r"\d{4}年第\d{1,2}周", t) for t in digests), digests
    else:
        written = _what_people_wrote(world.db)
        bad = [(k, t, b) for k, t, b in rows for run in CJK.findall(t + b) if run not in written]
        assert bad == []
        assert digests and all(re.search(r"Week \d{1,2}, \d{4}", t) for t in digests), digests


def test_the_catalogue_says_everything_in_both_languages_with_the_same_blanks() -> None:
    assert set(ZH) == set(EN)
    assert {k: placeholders(ZH[k]) for k in ZH} == {k: placeholders(EN[k]) for k in EN}
    assert [k for k, text in ZH.items() if latin_words(re.sub(r"\{\w+\}", "", text))] == []
    assert [k for k, text in EN.items() if CJK.search(text)] == []
    assert set(CATALOGUE) == {"zh-CN", "en"}


NOTIFIERS = {"notify", "ctx_notify", "Reminder", "Notice", "notice", "Text"}


def _texts(node: ast.AST) -> list[str]:
    return [c.value for c in ast.walk(node) if isinstance(c, ast.Constant) and isinstance(c.value, str)]


def test_no_notify_call_in_the_code_carries_a_text_of_its_own() -> None:
    """Catches the kinds no builder drives (archive, supervision findings, calendar notices): a
    Chinese literal in a notify call would reach an English reader as it is."""
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
            for text in _texts(node):
                if CJK.search(text) or " " in text.strip():
                    bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text!r}")
    assert calls >= 30, calls  # the scan found the notify sites
    assert bad == []
