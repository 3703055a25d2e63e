"""Each formalism signal fires on the pattern it names, with a Chinese explanation, and stays
silent on an ordinary record."""

import datetime as dt

from server.supervision import signals
from server.supervision.signals import formalism_signals, shingles, similar_pairs
from tests.builders import NOVEMBER, World, add_note, close, held_interview, raise_issue

NOV = {"start": dt.date(2025, 11, 1), "end": dt.date(2025, 11, 30)}
TEXT = "检修期间夜班人手紧张，两名操作工连续顶岗，建议车间调整排班并补充临时检修人员。"


def kinds(world: World, subject: str | None = None) -> list[str]:
    return [s.kind for s in formalism_signals(world.db, **NOV) if subject is None or s.subject.id == subject]


def spread_notes(dev, iv: str, texts: list[str], cadre: str = "u-cadre1") -> None:
    """Notes written half an hour apart, from 09:10 on (an interview held 09:00-10:30)."""
    first = dt.datetime.fromisoformat("2025-11-03T09:10:00+08:00")
    for n, text in enumerate(texts):
        add_note(dev, iv, text, cadre=cadre, at=(first + dt.timedelta(minutes=30 * n)).isoformat())


def test_an_ordinary_record_raises_nothing(world: World, dev) -> None:
    iv = held_interview(dev, day=NOVEMBER, summary="设备老化，备件不足；职工希望增加夜班补贴。")
    spread_notes(dev, iv, ["循环泵密封泄漏三次", "夜班补贴标准偏低"])
    assert kinds(world) == []


def test_near_duplicate_records_of_two_cadres(world: World, dev) -> None:
    a = held_interview(dev, day=NOVEMBER, summary=TEXT)
    b = held_interview(dev, day=NOVEMBER, cadre="u-cadre2", summary=TEXT.replace("两名", "2名"))
    found = [s for s in formalism_signals(world.db, **NOV) if s.kind == "near_duplicate"]
    assert len(found) == 1
    s = found[0]
    assert {s.subject.id, s.details["other_interview_id"]} == {a, b}
    assert s.details["jaccard"] >= 0.8 and s.details["same_cadre"] is False
    assert "不同干部" in s.explanation_zh and "雷同" in s.explanation_zh


def test_similar_pairs_is_exact_at_the_threshold() -> None:
    docs = {"a": shingles(TEXT), "b": shingles(TEXT + "另外食堂饭菜偏咸"), "c": shingles("完全不同的一段访谈记录内容")}
    pairs = {(x, y) for x, y, _ in similar_pairs(docs, 0.8)}
    brute = {(x, y) for x in docs for y in docs if x < y and len(docs[x] & docs[y]) / len(docs[x] | docs[y]) >= 0.8}
    assert {tuple(sorted(p)) for p in pairs} == brute == {("a", "b")}


def test_boilerplate_summary_and_notes(world: World, dev) -> None:
    iv = held_interview(dev, day=NOVEMBER, summary="情况良好。")
    spread_notes(dev, iv, ["无", "暂无问题", "泵房照明不足"])
    s = next(s for s in formalism_signals(world.db, **NOV) if s.kind == "boilerplate")
    assert s.subject.id == iv and "情况良好" in s.explanation_zh and "3 条要点中有 2 条" in s.explanation_zh
    extra = held_interview(dev, day=NOVEMBER, summary="按要求开展。")
    assert "boilerplate" not in kinds(world, extra)
    custom = formalism_signals(world.db, **NOV, phrases=(*signals.DEFAULT_BOILERPLATE, "按要求开展"))
    assert any(x.kind == "boilerplate" and x.subject.id == extra for x in custom)


def test_notes_all_written_in_a_few_minutes_of_a_declared_hour_and_a_half(world: World, dev) -> None:
    iv = held_interview(dev, day=NOVEMBER, summary="设备老化，备件不足；职工希望增加夜班补贴。")
    for minute in (10, 12, 14):
        add_note(dev, iv, f"第{minute}分钟记录的具体要点", at=f"2025-11-03T10:{minute}:00+08:00")
    s = next(s for s in formalism_signals(world.db, **NOV) if s.kind == "short_interview")
    assert s.details == {"declared_minutes": 90, "recorded_span_minutes": 4}
    assert "90 分钟" in s.explanation_zh and "4 分钟内记完" in s.explanation_zh
    tiny = held_interview(dev, day=NOVEMBER, summary="很短的一次访谈记录内容", ended_at="2025-11-03T09:05:00+08:00")
    assert "short_interview" in kinds(world, tiny)


def test_walkthrough_without_any_photo(world: World, dev) -> None:
    iv = held_interview(
        dev,
        day=NOVEMBER,
        form="walkthrough",
        participants=[],
        place="合成装置现场",
        theme=None,
        summary="走访合成装置，现场设备运行平稳，职工反映照明不足。",
    )
    s = next(s for s in formalism_signals(world.db, **NOV) if s.kind == "walkthrough_no_evidence")
    assert s.subject.id == iv and "现场" in s.explanation_zh


def test_problem_raised_and_closed_the_same_day(world: World, dev) -> None:
    iv = held_interview(dev, day=NOVEMBER, summary="设备老化，备件不足；职工希望增加夜班补贴。")
    issue = raise_issue(dev, iv)
    close(dev, issue)
    s = next(s for s in formalism_signals(world.db, **NOV) if s.kind == "same_day_close")
    assert s.subject.entity == "issue" and s.subject.id == issue and "当天提出当天销号" in s.explanation_zh


def test_ratings_all_at_maximum_come_from_the_evaluation_results(world: World) -> None:
    """Seven real anonymous responses, all 5/5/5: a signal at k=5, none at k=8 (a group below the
    anonymity threshold is never looked at)."""
    from server.evaluation import tickets
    from server.store import in_transaction

    day = dt.date(2025, 11, 20)
    issued = in_transaction(world.db, lambda d: tickets.issue_tickets_tx(d, "u-cadre1", 7, day))
    for t in issued:
        top = tickets.Scores(attitude=5, professionalism=5, responsiveness=5, comment=None)
        in_transaction(world.db, lambda d, t=t, s=top: tickets.redeem_tx(d, t, s, day))
    s = next(s for s in formalism_signals(world.db, **NOV, k=5) if s.kind == "ratings_at_max")
    assert (s.cadre_id, s.details) == ("u-cadre1", {"responses": 7})
    assert "7 份匿名评价" in s.explanation_zh and "满分" in s.explanation_zh
    assert "ratings_at_max" not in [s.kind for s in formalism_signals(world.db, **NOV, k=8)]


def test_long_records_are_compared_through_signatures_and_checked_exactly() -> None:
    """Interviews with many notes (thousands of fragments) go through LSH bands; every pair reported
    is exact, copies and lightly edited copies are found, and ordinary different records are not
    (the quadratic prefix filter took 57 s for a quarter of a generated year: bench/growth.py)."""
    import random

    from bench.year import _text

    rng = random.Random(7)
    texts = {f"iv{n:03d}": _text(rng, 3000) for n in range(120)}
    texts["copy-of-iv007"] = texts["iv007"]
    edited = texts["iv042"]
    texts["edit-of-iv042"] = edited[:1500] + "另外反映食堂夜餐品种少" + edited[1500:2900]
    pairs = {tuple(sorted((a, b))): j for a, b, j in signals.near_duplicate_pairs(texts)}
    docs = {i: shingles(t) for i, t in texts.items()}
    brute = {
        (a, b): len(docs[a] & docs[b]) / len(docs[a] | docs[b]) for a in docs for b in docs if a < b
    }
    assert {p for p, j in brute.items() if j >= 0.8} == {("copy-of-iv007", "iv007"), ("edit-of-iv042", "iv042")}
    assert set(pairs) == {p for p, j in brute.items() if j >= 0.8}
    assert all(abs(pairs[p] - brute[p]) < 1e-12 for p in pairs)
    assert max(j for p, j in brute.items() if p not in pairs) < 0.6  # the rest is far from the line
