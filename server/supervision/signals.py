"""Formalism signals (形式主义/走过场 线索) for the supervision group: hints to look closer, each
explained in Chinese, never a verdict and never acted on automatically (seed §六).

Signals over the interviews held in a period (day of ``started_at`` in China Standard Time):

* ``near_duplicate`` — two interviews whose text (summary + notes) is nearly the same: character
  3-gram Jaccard ≥ ``NEAR_DUPLICATE_JACCARD`` (0.8), always computed exactly on every fragment for
  a reported pair. Candidates: for short texts the exact AllPairs prefix filter (Bayardo et al.
  2007); for long ones (``SAMPLED_FROM`` fragments and more — an interview with ten notes has
  thousands) MinHash LSH bands (``BANDS`` × ``ROWS``), which find a pair at 0.8 with 95 % chance,
  at 0.9 with 99.96 %. A year of a company's records measured 57 s for one quarter with the prefix
  filter alone (bench/growth.py: Chinese shop-floor text shares its frequent fragments, so the filter
  kept nearly every pair). Each interview's signature, note hashes and note times are kept in
  memory per version of its notes (``_DIGESTS``), with the LSH buckets (``BandIndex``) and each
  candidate pair's outcome (``_CHECKED``), so a dashboard reread reads only the notes of interviews
  that changed, and the text of a long one only when a candidate pair needs its check; a period
  none of whose interviews changed gives its pairs at once (``_PERIOD_PAIRS``). Written here rather than with ``datasketch``:
  its MinHash pulls numpy + scipy and hashes every fragment once per permutation (128×), where the
  one-permutation scheme hashes it once.
* ``boilerplate`` — the summary, or at least half of the notes, is only a stock phrase
  (无 / 暂无问题 / 情况良好 / 一切正常 …; ``Settings.boilerplate_phrases``).
* ``short_interview`` — declared (``ended_at − started_at``) ≥ 30 minutes, but every note was
  recorded (device ``client_time``) within a quarter of that time; or the declared time itself is
  under ``MIN_MINUTES`` minutes. (Attachments carry only the server's upload time, so they are not
  used.)
* ``walkthrough_no_evidence`` — a 现场走访 with no photo or other attachment on the interview, its
  notes or its problems.
* ``same_day_close`` — a problem raised and closed (销号) on the same day.
* ``ratings_at_max`` — a cadre's released evaluation results are all 5/5/5
  (``server.evaluation.results.all_ratings_at_maximum``; only groups of at least k responses).
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
import threading
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlite_utils import Database

from sync.calendar import local_date, stamp_bounds, within_days

NEAR_DUPLICATE_JACCARD = 0.8
MIN_TEXT_CHARS = 12
"""Shorter texts are left to the boilerplate signal (3-grams of a few characters say nothing)."""
MIN_MINUTES = 10
SHORT_DECLARED_MINUTES = 30
SHORT_SHARE = 0.25
DEFAULT_BOILERPLATE = (
    "无",
    "暂无",
    "没有",
    "暂无问题",
    "没有问题",
    "无问题",
    "情况良好",
    "一切正常",
    "一切良好",
    "运行正常",
    "正常",
    "良好",
    "无意见",
    "无建议",
    "暂无意见",
    "暂无建议",
    "同上",
)
_PUNCT = re.compile(r"[\s\u3000。，、；：！？!?,.;:()（）【】\[\]“”\"'‘’…—\-~·]+")


class Subject(msgspec.Struct, kw_only=True):
    entity: str
    id: str


class Signal(msgspec.Struct, kw_only=True):
    kind: str
    subject: Subject
    cadre_id: str | None
    unit_id: str | None
    explanation_zh: str
    details: dict[str, Any] = {}


def normalise(text: str) -> str:
    return _PUNCT.sub("", text or "")


def shingles(text: str, n: int = 3) -> frozenset[str]:
    t = normalise(text)
    return frozenset(t[i : i + n] for i in range(len(t) - n + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def similar_pairs(docs: dict[str, frozenset[str]], threshold: float) -> list[tuple[str, str, float]]:
    """Every pair of documents with Jaccard ≥ ``threshold`` (exact; AllPairs prefix filtering)."""
    freq = Counter(s for d in docs.values() for s in d)
    index: dict[str, list[str]] = defaultdict(list)
    out: list[tuple[str, str, float]] = []
    for doc_id, x in sorted(docs.items(), key=lambda kv: (len(kv[1]), kv[0])):
        if not x:
            continue
        tokens = sorted(x, key=lambda s: (freq[s], s))
        prefix = len(tokens) - math.ceil(threshold * len(tokens)) + 1
        candidates: set[str] = set()
        for s in tokens[:prefix]:
            candidates.update(index[s])
            index[s].append(doc_id)
        for other in sorted(candidates):
            y = docs[other]
            if len(y) < threshold * len(x):
                continue  # sizes too different for the threshold
            j = jaccard(x, y)
            if j >= threshold:
                out.append((other, doc_id, j))
    return out


BANDS, ROWS = 16, 8
"""Locality-sensitive hashing of long texts: a signature of BANDS × ROWS minimums; two texts are
candidates when one band's ROWS minimums all agree — probability 1 − (1 − J⁸)¹⁶: 0.95 at J = 0.8,
0.9996 at 0.9, 0.01 at 0.4."""
SAMPLED_FROM = 200
"""Texts with at least this many fragments are searched through their signatures."""
ESTIMATE_MARGIN = 0.15
"""Candidates whose signatures agree in fewer than (threshold − this) of the bins are dropped (4σ)."""
_BINS = BANDS * ROWS


def _signature(text: str) -> array:
    """One-permutation MinHash (Li, Owen & Zhang 2012): each fragment hashed once, the minimum kept
    per bin; P(two texts agree in a bin) ≈ their Jaccard. Python's string hash is fixed for the
    process's life, which is as long as a signature is kept (``_DIGESTS``)."""
    mins = [(1 << 64) - 1] * _BINS
    for h in map(hash, shingles(text)):
        h &= (1 << 64) - 1
        b, v = h % _BINS, h // _BINS
        if v < mins[b]:
            mins[b] = v
    return array("Q", mins)


@dataclass(frozen=True, slots=True)
class TextDigest:
    """What the near-duplicate search needs of one text without reading it again."""

    chars: int
    """Characters once normalised (texts under ``MIN_TEXT_CHARS`` are not compared)."""
    grams: int
    """3-grams of the raw text, repeats counted: short texts go through the exact pass."""
    signature: array | None
    """The MinHash signature (1 kB) of a text of ``SAMPLED_FROM`` fragments or more."""

    @classmethod
    def of(cls, text: str) -> TextDigest:
        grams = max(0, len(text) - 2)
        return cls(len(normalise(text)), grams, _signature(text) if grams >= SAMPLED_FROM else None)


@dataclass(frozen=True, slots=True)
class Digest:
    """One interview's notes as the signals read them, computed once per version of its notes."""

    version: tuple[int, int, str]
    """(notes, the last note's rowid, the summary). Notes are only ever appended (``note.add`` is
    their one mutation; tests/unit/server/supervision pins it), so the count and the last rowid
    change with every new note and the digest of an unchanged interview stays true."""
    text: TextDigest
    note_keys: array
    """``hash(normalise(note))`` per note: which notes may be stock phrases (checked exactly)."""
    summary_key: int
    """``hash(normalise(summary))``, likewise for the summary."""
    times: tuple[int, dt.datetime | None, dt.datetime | None]
    """The notes' recorded times (device ``client_time``, else the server's): how many, first, last."""


_DIGESTS: dict[tuple[str, str], Digest] = {}
"""(database file, interview id) → its digest, kept in memory for the life of the process (~1.2 kB
an interview, mostly the signature): a dashboard reread reads only the notes of interviews that
changed. Reads run in one snapshot each (``server.store``), so a digest is computed from notes that
agree."""
_DIGESTS_MAX = 100_000


def _joined(summary: str | None, notes: list[tuple[str, str]]) -> str:
    return "\n".join([summary or "", *(t for t, _ in notes)])


def _digest(version: tuple[int, int, str], summary: str | None, notes: list[tuple[str, str]]) -> Digest:
    times = [t for t in (_parse(c) for _, c in notes) if t]
    return Digest(version, TextDigest.of(_joined(summary, notes)),
                  array("q", (hash(normalise(t)) for t, _ in notes)), hash(normalise(summary or "")),
                  (len(times), min(times) if times else None, max(times) if times else None))


def _chunks(ids: list[str], size: int = 5000) -> list[list[str]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _notes_of(db: Database, ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Each interview's notes (text, recorded time), in the order written."""
    out: dict[str, list[tuple[str, str]]] = {i: [] for i in ids}
    for chunk in _chunks(ids):
        for iv_id, text, client_time, created in db.conn.execute(
            f"SELECT interview_id, text, client_time, created_at FROM note WHERE interview_id IN ({','.join('?' * len(chunk))})"
            " ORDER BY created_at, id",
            chunk,
        ).fetchall():
            out[iv_id].append((text or "", client_time or created))
    return out


_decode_ids = msgspec.json.Decoder().decode


def _ids(stored: str | None) -> list[str]:
    """A JSON list of ids as stored (a year's dashboard decodes 6,000 of them)."""
    return _decode_ids(stored) if stored else []


def _interviews(db: Database, start: dt.date, end: dt.date) -> dict[str, dict]:
    """The period's submitted interviews, each with its notes' ``digest``."""
    out = {}
    held = within_days(start, end)
    for iv_id, form, unit_id, cadre_ids, started_at, ended_at, summary, when in db.conn.execute(
        "SELECT id, form, unit_id, cadre_ids, started_at, ended_at, summary,"
        " coalesce(started_at, submitted_at, created_at) FROM interview WHERE status = 'submitted'"
        " AND coalesce(started_at, submitted_at, created_at) >= :low"
        " AND coalesce(started_at, submitted_at, created_at) < :below",
        stamp_bounds(start, end),
    ):
        if held(when):
            out[iv_id] = {"id": iv_id, "form": form, "unit_id": unit_id, "cadre_ids": _ids(cadre_ids),
                          "started_at": started_at, "ended_at": ended_at, "summary": summary}
    versions: dict[str, tuple[int, int, str]] = {i: (0, 0, iv["summary"] or "") for i, iv in out.items()}
    for chunk in _chunks(list(out)):
        for iv_id, n, last in db.conn.execute(
            f"SELECT interview_id, count(*), max(rowid) FROM note WHERE interview_id IN ({','.join('?' * len(chunk))})"
            " GROUP BY interview_id",
            chunk,
        ).fetchall():
            versions[iv_id] = (n, last, out[iv_id]["summary"] or "")
    file = _database_file(db)
    kept = {i: d for i, v in versions.items() if (d := _DIGESTS.get((file, i))) is not None and d.version == v}
    stale = [i for i in versions if i not in kept]
    if len(_DIGESTS) + len(stale) > _DIGESTS_MAX:
        _DIGESTS.clear()
    for i, notes in _notes_of(db, stale).items():
        kept[i] = _DIGESTS[(file, i)] = _digest(versions[i], out[i]["summary"], notes)
    for i, iv in out.items():
        iv["digest"] = kept[i]
    return out


def _database_file(db: Database) -> str:
    """The file of ``db``: what the in-memory caches here are kept per."""
    return db.conn.execute("PRAGMA database_list").fetchone()[2]


def _band_keys(sig: array) -> array:
    """One int per band: the hash of (band, its ROWS minimums). Two texts whose hashes agree by
    chance only become a candidate pair, which the estimate and the exact check then judge."""
    return array("q", (hash((band, sig[band * ROWS : (band + 1) * ROWS].tobytes())) for band in range(BANDS)))


class BandIndex:
    """The LSH buckets of one database's long texts, kept between reads: a text is put in its
    buckets once per version of its notes, and the texts sharing a bucket with it are kept as its
    partners, so a read finds its candidate pairs without banding the period's texts again.

    Kept for the life of the process, so kept small (~0.5 kB a text instead of ~8 kB as sets of
    tuples were: issue 18's server RSS goal): texts are numbered, a bucket is the number of its one
    text or an array of several, and partners are arrays of numbers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # reads run on several threads
        self._number: dict[str, int] = {}
        self._names: list[str] = []
        self._buckets: dict[int, int | array] = {}
        self._banded: dict[int, tuple[Any, array]] = {}
        self._partners: dict[int, array] = {}

    def __len__(self) -> int:
        return len(self._banded)

    def _numbered(self, i: str) -> int:
        n = self._number.get(i)
        if n is None:
            n = self._number[i] = len(self._names)
            self._names.append(i)
        return n

    def candidates(self, sigs: dict[str, array], versions: dict[str, Any]) -> set[tuple[str, str]]:
        """Pairs (a < b) of ``sigs``' texts that share a bucket, banding those new or changed."""
        with self._lock:
            for i, sig in sigs.items():
                n = self._numbered(i)
                old = self._banded.get(n)
                if old is not None and old[0] == versions[i]:
                    continue
                if old is not None:
                    self._drop(n, old[1])
                keys = _band_keys(sig)
                partners: set[int] = set()
                for key in keys:
                    held = self._buckets.get(key)
                    if held is None:
                        self._buckets[key] = n
                    elif isinstance(held, int):
                        if held != n:  # (a text's own bands can meet only by a hash collision)
                            partners.add(held)
                            self._buckets[key] = array("i", (held, n))
                    elif n not in held:
                        partners.update(held)
                        held.append(n)
                for other in partners:
                    self._partners.setdefault(other, array("i")).append(n)
                if partners:
                    self._partners[n] = array("i", sorted(partners))
                self._banded[n] = (versions[i], keys)
            # Each pair is in both texts' partners: taken from the side that sorts first.
            names, number, partners = self._names, self._number, self._partners
            return {(a, b) for a in sigs for m in partners.get(number[a], ()) if a < (b := names[m]) and b in sigs}

    def _drop(self, n: int, keys: array) -> None:
        for key in keys:
            held = self._buckets.get(key)
            if held == n:
                del self._buckets[key]
            elif isinstance(held, array):
                held.remove(n)
                if len(held) == 1:
                    self._buckets[key] = held[0]
        for other in self._partners.pop(n, ()):
            self._partners[other].remove(n)
            if not self._partners[other]:
                del self._partners[other]


_BANDS: dict[str, BandIndex] = {}
"""Database file → its band index (bounded like ``_DIGESTS``)."""


def near_duplicate_pairs(texts: dict[str, str], threshold: float = NEAR_DUPLICATE_JACCARD) -> list[tuple[str, str, float]]:
    """Pairs of texts whose 3-gram Jaccard is ≥ ``threshold``, each checked exactly (see the module)."""
    return _pairs({i: TextDigest.of(t) for i, t in texts.items()}, lambda ids: {i: texts[i] for i in ids}, threshold)


def _pairs(digests: dict[str, TextDigest], load: Callable[[list[str]], dict[str, str]], threshold: float, *,
           checked: dict[int, float | None] | None = None, bands: BandIndex | None = None,
           versions: dict[str, Any] | None = None) -> list[tuple[str, str, float]]:
    """Short texts go through the exact prefix filter with every text they could match (sizes within
    the threshold's ratio), long ones through LSH bands: a compatible pair of sizes x ≤ y has
    y ≤ x / threshold, so it is either in the exact pass (x < SAMPLED_FROM, so y < SAMPLED_FROM /
    threshold) or both are long (x ≥ SAMPLED_FROM). ``load`` reads the texts of the given ids: the
    short ones, and the long ones only when a candidate pair needs its exact check. ``checked``
    remembers each long pair's outcome under both texts' ``versions``, ``bands`` their buckets."""
    short_bound = SAMPLED_FROM / threshold
    short = {i: shingles(t) for i, t in load(sorted(i for i, d in digests.items() if d.grams < short_bound)).items()}
    found = {(a, b): j for a, b, j in similar_pairs({i: d for i, d in short.items() if d}, threshold)}
    sigs = {i: d.signature for i, d in digests.items() if d.signature is not None}
    if bands is not None and versions is not None:
        candidates = bands.candidates(sigs, versions)
    else:
        buckets: dict[int, list[str]] = defaultdict(list)
        for i, sig in sigs.items():
            for key in _band_keys(sig):
                buckets[key].append(i)
        candidates = {(a, b) for ids in buckets.values() if len(ids) > 1 for a in ids for b in ids if a < b}
    close: list[tuple[str, str, int | None]] = []
    for a, b in sorted(candidates):
        if (a, b) in found or (b, a) in found:
            continue
        key = None if checked is None or versions is None else hash((threshold, a, versions[a], b, versions[b]))
        if key is not None and key in checked:
            if (known := checked[key]) is not None:
                found[(a, b)] = known
            continue
        # The signatures' agreement estimates J (±0.035 at 0.8): far below the line, no exact check.
        if sum(map(operator.eq, sigs[a], sigs[b])) < (threshold - ESTIMATE_MARGIN) * _BINS:
            if key is not None:
                checked[key] = None
            continue
        close.append((a, b, key))
    texts = load(sorted({i for a, b, _ in close for i in (a, b)} - set(short)))
    built: dict[str, frozenset[str]] = dict(short)
    for a, b, key in close:
        x = built.get(a) or built.setdefault(a, shingles(texts[a]))
        y = built.get(b) or built.setdefault(b, shingles(texts[b]))
        j = jaccard(x, y)
        if key is not None:
            checked[key] = j if j >= threshold else None
        if j >= threshold:
            found[(a, b)] = j
    return [(a, b, j) for (a, b), j in found.items()]


def _first(cadres: list[str]) -> str | None:
    return cadres[0] if cadres else None


_CHECKED: dict[int, float | None] = {}
"""hash of (threshold, a, hash of (database, a's version), b, likewise) → the pair's exact Jaccard
when at the threshold or above, else ``None``: a candidate pair is estimated and checked once per
version of its two interviews, so a dashboard read after a day's work checks only the pairs of what
changed. Kept as a hash (an int, not a tuple of five) because there are ~140,000 of them at one
year; two pairs would have to collide in 64 bits to share an outcome."""
_CHECKED_MAX = 500_000

_PERIOD_PAIRS: dict[int, list[tuple[str, str, float]]] = {}
"""hash of (threshold, every interview of a period with its version) → the period's pairs: a
period none of whose interviews changed is not walked pair by pair again (a year is ~140,000
candidate pairs even when each outcome is known from ``_CHECKED``: half of a year's dashboard).
A closed year's or quarter's dashboard is read often and changes rarely."""
_PERIOD_PAIRS_MAX = 64


def near_duplicates(db: Database, ivs: dict[str, dict]) -> list[Signal]:
    digests = {i: iv["digest"].text for i, iv in ivs.items() if iv["digest"].text.chars >= MIN_TEXT_CHARS}

    def load(ids: list[str]) -> dict[str, str]:
        return {i: _joined(ivs[i]["summary"], notes) for i, notes in _notes_of(db, ids).items()}

    file = _database_file(db)
    if len(_CHECKED) > _CHECKED_MAX:
        _CHECKED.clear()
    bands = _BANDS.setdefault(file, BandIndex())
    if len(bands) > _DIGESTS_MAX:
        bands = _BANDS[file] = BandIndex()
    versions = {i: hash((file, ivs[i]["digest"].version)) for i in digests}
    period = hash((NEAR_DUPLICATE_JACCARD, tuple(sorted(versions.items()))))
    pairs = _PERIOD_PAIRS.get(period)
    if pairs is None:
        pairs = _pairs(digests, load, NEAR_DUPLICATE_JACCARD, checked=_CHECKED, bands=bands, versions=versions)
        if len(_PERIOD_PAIRS) >= _PERIOD_PAIRS_MAX:
            _PERIOD_PAIRS.pop(next(iter(_PERIOD_PAIRS)))
        _PERIOD_PAIRS[period] = pairs
    out = []
    for a, b, j in sorted(pairs, key=lambda p: (ivs[p[1]]["started_at"] or "", p[1], p[0])):
        ia, ib = ivs[a], ivs[b]
        same = set(ia["cadre_ids"]) & set(ib["cadre_ids"])
        who = "同一干部的两次访谈" if same else "不同干部的访谈"
        out.append(
            Signal(
                kind="near_duplicate",
                subject=Subject(entity="interview", id=b),
                cadre_id=_first(ib["cadre_ids"]),
                unit_id=ib["unit_id"],
                explanation_zh=f"{who}记录内容高度雷同（三字片段重合度 {j:.0%}，阈值 {NEAR_DUPLICATE_JACCARD:.0%}），"
                "可能是照抄或套用模板，建议核实是否真实开展。",
                details={
                    "other_interview_id": a,
                    "jaccard": round(j, 3),
                    "same_cadre": bool(same),
                    "other_cadre_ids": ia["cadre_ids"],
                },
            )
        )
    return out


def boilerplate(db: Database, ivs: dict[str, dict], phrases: tuple[str, ...]) -> list[Signal]:
    stock = {normalise(p) for p in phrases}
    keys = {hash(p) for p in stock}
    # The digests' note hashes pick the interviews that may qualify; their notes are then read and
    # judged exactly (a hash that merely collides decides nothing).
    maybe = [i for i, iv in ivs.items()
             if (d := iv["digest"]).summary_key in keys
             or (len(d.note_keys) and sum(map(keys.__contains__, d.note_keys)) * 2 >= len(d.note_keys))]
    out = []
    for i, note_rows in _notes_of(db, maybe).items():
        iv = ivs[i]
        notes = [t for t, _ in note_rows]
        stock_notes = [t for t in notes if normalise(t) in stock]
        summary_stock = normalise(iv["summary"] or "") in stock
        if summary_stock or (notes and len(stock_notes) * 2 >= len(notes)):
            parts = []
            if summary_stock:
                parts.append(f"访谈总结只有“{(iv['summary'] or '').strip()}”")
            if stock_notes:
                parts.append(f"{len(notes)} 条要点中有 {len(stock_notes)} 条是“{stock_notes[0].strip()}”之类的套话")
            out.append(
                Signal(
                    kind="boilerplate",
                    subject=Subject(entity="interview", id=i),
                    cadre_id=_first(iv["cadre_ids"]),
                    unit_id=iv["unit_id"],
                    explanation_zh="；".join(parts) + "，记录缺少具体内容，可能流于形式。",
                    details={
                        "summary_is_boilerplate": summary_stock,
                        "boilerplate_notes": len(stock_notes),
                        "notes": len(notes),
                    },
                )
            )
    return out


def _parse(ts: str | None) -> dt.datetime | None:
    if not ts:
        return None
    moment = dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def short_interviews(ivs: dict[str, dict]) -> list[Signal]:
    out = []
    for i, iv in ivs.items():
        start, end = _parse(iv["started_at"]), _parse(iv["ended_at"])
        if not start or not end:
            continue
        declared = (end - start).total_seconds() / 60
        recorded, first, last = iv["digest"].times
        explanation = None
        details: dict[str, Any] = {"declared_minutes": round(declared)}
        if declared < MIN_MINUTES:
            explanation = f"填报的访谈时长只有 {declared:.0f} 分钟（{MIN_MINUTES} 分钟以下），难以深入交流。"
        elif declared >= SHORT_DECLARED_MINUTES and recorded >= 2 and first and last:
            span = (last - first).total_seconds() / 60
            details["recorded_span_minutes"] = round(span)
            if span < SHORT_SHARE * declared:
                explanation = (
                    f"填报访谈时长 {declared:.0f} 分钟，但全部 {recorded} 条要点在 {span:.0f} 分钟内记完"
                    f"（不到填报时长的 {SHORT_SHARE:.0%}），实际访谈可能比填报的短。"
                )
        if explanation:
            out.append(
                Signal(
                    kind="short_interview",
                    subject=Subject(entity="interview", id=i),
                    cadre_id=_first(iv["cadre_ids"]),
                    unit_id=iv["unit_id"],
                    explanation_zh=explanation,
                    details=details,
                )
            )
    return out


def walkthroughs_without_evidence(db: Database, ivs: dict[str, dict]) -> list[Signal]:
    walks = [i for i, iv in ivs.items() if iv["form"] == "walkthrough"]
    evidenced: set[str] = set()
    for chunk in _chunks(walks, 3000):  # three lists of ids per query
        marks = ",".join("?" * len(chunk))
        evidenced.update(r[0] for r in db.conn.execute(
            f"SELECT parent_id FROM attachment WHERE parent_entity = 'interview' AND parent_id IN ({marks})"
            " UNION SELECT n.interview_id FROM note n JOIN attachment a ON a.parent_entity = 'note'"
            f" AND a.parent_id = n.id WHERE n.interview_id IN ({marks})"
            " UNION SELECT s.interview_id FROM issue s JOIN attachment a ON a.parent_entity = 'issue'"
            f" AND a.parent_id = s.id WHERE s.interview_id IN ({marks})",
            chunk * 3,
        ))
    out = []
    for i in walks:
        iv = ivs[i]
        if i not in evidenced:
            out.append(
                Signal(
                    kind="walkthrough_no_evidence",
                    subject=Subject(entity="interview", id=i),
                    cadre_id=_first(iv["cadre_ids"]),
                    unit_id=iv["unit_id"],
                    explanation_zh="现场走访没有任何现场照片或附件，无法印证干部到过现场（避免“纸上谈兵”）。",
                    details={},
                )
            )
    return out


def same_day_closes(db: Database, start: dt.date, end: dt.date) -> list[Signal]:
    out = []
    # Only problems with a close event in the period (read by ``followup_kind_created``); the last
    # close of each, wherever it falls, decides — looked up by problem (``+kind``: not by the kind
    # index, which would read every year's closes).
    for issue_id, created, closed, unit_id, cadre_ids, code in db.conn.execute(
        "WITH period AS (SELECT DISTINCT issue_id FROM followup WHERE kind = 'close'"
        " AND created_at >= :low AND created_at < :below)"
        " SELECT i.id, i.created_at, (SELECT max(created_at) FROM followup WHERE issue_id = i.id AND +kind = 'close'),"
        " v.unit_id, v.cadre_ids, i.receipt_code FROM period p JOIN issue i ON i.id = p.issue_id"
        " JOIN interview v ON v.id = i.interview_id WHERE i.status = 'closed'", stamp_bounds(start, end),
    ).fetchall():
        day = local_date(closed)
        if start <= day <= end and local_date(created) == day:
            out.append(
                Signal(
                    kind="same_day_close",
                    subject=Subject(entity="issue", id=issue_id),
                    cadre_id=_first(_ids(cadre_ids)),
                    unit_id=unit_id,
                    explanation_zh=f"问题（回执码 {code}）在 {day} 当天提出当天销号，整改是否真正落实需要核实。",
                    details={"day": day.isoformat()},
                )
            )
    return out


def ratings_at_max(db: Database, start: dt.date, end: dt.date, k: int, today: dt.date | None = None) -> list[Signal]:
    # Imported here: the evaluation package imports nothing of supervision, but keeping the edge
    # local avoids a cycle through server.dashboards, which imports both.
    from server.evaluation.results import all_ratings_at_maximum

    out = []
    for cadre_id, n in all_ratings_at_maximum(db, start=start, end=end, k=k, today=today):
        out.append(
            Signal(
                kind="ratings_at_max",
                subject=Subject(entity="user", id=cadre_id),
                cadre_id=cadre_id,
                unit_id=None,
                explanation_zh=f"该干部本期 {n} 份匿名评价在态度、专业性、问题响应速度上全部为满分，"
                "可能存在打招呼或代填，建议抽样回访。",
                details={"responses": n},
            )
        )
    return out


def formalism_signals(
    db: Database,
    *,
    start: dt.date,
    end: dt.date,
    phrases: tuple[str, ...] = DEFAULT_BOILERPLATE,
    k: int = 5,
    today: dt.date | None = None,
) -> list[Signal]:
    """Every signal for the period, grouped by kind in a stable order; ``k`` is the evaluation
    anonymity threshold (``Settings.evaluation_min_responses``): smaller groups are never looked at."""
    ivs = _interviews(db, start, end)
    return [
        *near_duplicates(db, ivs),
        *boilerplate(db, ivs, phrases),
        *short_interviews(ivs),
        *walkthroughs_without_evidence(db, ivs),
        *same_day_closes(db, start, end),
        *ratings_at_max(db, start, end, k, today),
    ]
