"""The formalism signals keep a digest of each interview's notes between reads
(``server.supervision.signals._DIGESTS``), valid while the interview's note count and last note
rowid are unchanged. That holds only because notes are never edited or deleted: the demo's two
months of activity run against triggers that refuse any UPDATE or DELETE of a note, and a note
added after a read changes what the next read finds."""

import datetime as dt
from pathlib import Path

from server.demo import UNITS, seed_demo_plans_tx
from server.demo.activity import seed_demo_activity
from server.store import in_transaction
from server.supervision import signals
from server.supervision.signals import formalism_signals
from tests.builders import NOVEMBER, World, add_note, held_interview, open_db

NOV = {"start": dt.date(2025, 11, 1), "end": dt.date(2025, 11, 30)}


def test_notes_are_only_ever_appended(data_dir: Path) -> None:
    db = open_db(data_dir / "fangtan.db")
    for op in ("UPDATE", "DELETE"):
        db.conn.execute(f"CREATE TRIGGER note_no_{op.lower()} BEFORE {op} ON note"
                        f" BEGIN SELECT RAISE(ABORT, 'a note was {op.lower()}d'); END")
    names = dict(db.conn.execute("SELECT name, id FROM org_unit").fetchall())
    units = {key: names[name] for key, name, *_ in UNITS}
    now = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)
    in_transaction(db, lambda d: seed_demo_plans_tx(d, units, now))
    summary = seed_demo_activity(db, units, now, data_dir / "blobs")
    assert summary.mutations > 100 and db.conn.execute("SELECT count(*) FROM note").fetchone()[0] > 20
    assert db.conn.execute("SELECT count(*) FROM rejection").fetchone()[0] == 0
    assert db.conn.execute("SELECT count(*) FROM sync_receipt WHERE status != 'applied'").fetchone()[0] == 0


def test_a_note_added_after_a_read_is_seen_by_the_next(world: World, dev) -> None:
    iv = held_interview(dev, day=NOVEMBER, summary="设备老化，备件不足；职工希望增加夜班补贴。")
    for minute, text in ((10, "循环泵密封泄漏三次"), (40, "夜班补贴标准偏低")):
        add_note(dev, iv, text, at=f"2025-11-03T09:{minute}:00+08:00")
    assert [s.kind for s in formalism_signals(world.db, **NOV)] == []
    (key,) = [k for k in signals._DIGESTS if k[1] == iv]  # kept for the next read

    for minute, text in ((50, "无"), (55, "暂无问题")):
        add_note(dev, iv, text, at=f"2025-11-03T09:{minute}:00+08:00")
    found = {s.kind: s for s in formalism_signals(world.db, **NOV)}
    assert "4 条要点中有 2 条" in found["boilerplate"].explanation_zh
    assert signals._DIGESTS[key].version[0] == 4
    assert signals._DIGESTS[key].times[0] == 4


def test_a_long_copied_record_stops_being_a_near_duplicate_once_it_grows(world: World, dev) -> None:
    """Long records go through signatures, and each candidate pair's check is remembered per version
    of both interviews (``signals._CHECKED``): a new note on one of them checks the pair again."""
    import random

    from bench.year import _text

    rng = random.Random(11)
    copied = [_text(rng, 300) for _ in range(8)]
    a = held_interview(dev, day=NOVEMBER, summary="设备检修与人员安排")
    b = held_interview(dev, day=NOVEMBER, cadre="u-cadre2", summary="设备检修与人员安排")
    for iv, cadre in ((a, "u-cadre1"), (b, "u-cadre2")):
        for n, text in enumerate(copied):
            add_note(dev, iv, text, cadre=cadre, at=f"2025-11-03T09:{10 + n * 5}:00+08:00")

    def pairs() -> set[frozenset[str]]:
        return {frozenset((s.subject.id, s.details["other_interview_id"]))
                for s in formalism_signals(world.db, **NOV) if s.kind == "near_duplicate"}

    assert pairs() == {frozenset((a, b))}
    assert pairs() == {frozenset((a, b))}  # the second read answers from what it remembers
    for n in range(8):  # b grows by as much again, all of it new
        add_note(dev, b, _text(rng, 300), cadre="u-cadre2", at=f"2025-11-03T10:{10 + n * 5}:00+08:00")
    assert pairs() == set()


def test_the_band_index_finds_the_candidates_banding_afresh_finds() -> None:
    """``signals.BandIndex`` keeps buckets between reads; after texts change (a new version) its
    candidates are still exactly those of buckets built from scratch."""
    import random
    from collections import defaultdict

    from bench.year import _text

    rng = random.Random(3)
    texts = {f"iv{n:02d}": _text(rng, 1500) for n in range(40)}
    texts["copy"] = texts["iv05"]
    # A template filled in many times: texts that share some bands and not others (buckets of
    # several texts, partners in common), as a plant's copied reports do.
    template = _text(rng, 1500)
    for n in range(12):
        cut = 60 * n
        texts[f"tpl{n:02d}"] = template[:cut] + _text(rng, 40 * n) + template[cut + 40 * n :]

    def fresh(sigs):
        buckets = defaultdict(set)
        for i, sig in sigs.items():
            for key in signals._band_keys(sig):
                buckets[key].add(i)
        return {(a, b) for ids in buckets.values() for a in ids for b in ids if a < b}

    index = signals.BandIndex()
    sigs = {i: signals.TextDigest.of(t).signature for i, t in texts.items()}
    versions = dict.fromkeys(texts, 1)
    assert index.candidates(sigs, versions) == fresh(sigs) and ("copy", "iv05") in fresh(sigs)
    sigs["copy"] = signals.TextDigest.of(_text(rng, 1500)).signature  # the copy was rewritten
    versions["copy"] = 2
    subset = {i: s for i, s in sigs.items() if i != "iv07"}  # a period without one of them
    assert index.candidates(subset, versions) == fresh(subset)
    assert index.candidates(sigs, versions) == fresh(sigs)
    shared = {p for p in fresh(sigs) if p[0].startswith("tpl") and p[1].startswith("tpl")}
    assert len(shared) >= 10, shared  # the template's texts do share buckets
    for n in (0, 3, 7):  # three of them rewritten, then one of those back to the template
        sigs[f"tpl{n:02d}"] = signals.TextDigest.of(_text(rng, 1500)).signature
        versions[f"tpl{n:02d}"] = 2
    assert index.candidates(sigs, versions) == fresh(sigs)
    sigs["tpl03"], versions["tpl03"] = signals.TextDigest.of(template).signature, 3
    assert index.candidates(sigs, versions) == fresh(sigs)
    now = {i: sigs[i] for i in subset}
    assert index.candidates(now, versions) == fresh(now)


def test_a_period_whose_interviews_did_not_change_is_not_walked_again(world: World, dev, monkeypatch) -> None:
    """A period's pairs are kept under its interviews' versions (``signals._PERIOD_PAIRS``): a reread
    of an unchanged period does not walk its candidate pairs, and a new interview in it, or a new
    note, is walked and found."""
    import random

    from bench.year import _text

    rng = random.Random(5)
    copied = [_text(rng, 300) for _ in range(8)]
    a = held_interview(dev, day=NOVEMBER, summary="设备检修与人员安排")
    for n, text in enumerate(copied):
        add_note(dev, a, text, at=f"2025-11-03T09:{10 + n * 5}:00+08:00")
    walked = []
    real = signals._pairs
    monkeypatch.setattr(signals, "_pairs", lambda *args, **kw: walked.append(1) or real(*args, **kw))

    def pairs() -> set[frozenset[str]]:
        return {frozenset((s.subject.id, s.details["other_interview_id"]))
                for s in formalism_signals(world.db, **NOV) if s.kind == "near_duplicate"}

    assert pairs() == set() and len(walked) == 1
    assert pairs() == set() and len(walked) == 1  # unchanged: not walked again
    b = held_interview(dev, day=NOVEMBER, cadre="u-cadre2", summary="设备检修与人员安排")
    for n, text in enumerate(copied):
        add_note(dev, b, text, cadre="u-cadre2", at=f"2025-11-04T09:{10 + n * 5}:00+08:00")
    assert pairs() == {frozenset((a, b))} and len(walked) == 2
    assert pairs() == {frozenset((a, b))} and len(walked) == 2
    add_note(dev, b, _text(rng, 3000), cadre="u-cadre2", at="2025-11-04T10:30:00+08:00")
    assert pairs() == set() and len(walked) == 3
