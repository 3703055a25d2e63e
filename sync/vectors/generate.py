"""Regenerate the Python-made cross-language vectors: ``python -m sync.vectors.generate``.

``python-made.json`` is sealed/signed here and must open/verify in the browser (pwa tests);
``browser-made.json`` is written by the PWA's test run and must open/verify here
(tests/unit/sync/test_cross_language_vectors.py). Keys are fixed so the files are reviewable.

``workdays.json`` (``python -m sync.vectors.generate workdays`` writes only it): the report
deadline rule on the working-day calendar, computed here by ``sync.calendar`` and
``sync.followup_rules.report_countdown`` and replayed by the PWA (pwa/tests/workdays.test.ts):
interview day → due date, and (interview day, today) → 还剩/今天截止/已逾期 N 个工作日 or unknown.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec

from sync import sealing, signing

HERE = Path(__file__).parent

# Fixed test scalars (never used outside tests).
AUTHOR_D = 0x3F1A5C7E9B2D4F6081A3C5E7092B4D6F8091A2B3C4D5E6F708192A3B4C5D6E7F
OFFICER_D = 0x5A6B7C8D9E0F1A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F7081920
DEVICE_D = 0x1122334455667788990011223344556677889900112233445566778899001122


def private_key(d: int) -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(d, ec.SECP256R1())


def jwk(key: ec.EllipticCurvePrivateKey) -> dict:
    numbers = key.private_numbers()
    pub = numbers.public_numbers
    return {
        "kty": "EC", "crv": "P-256",
        "x": signing.b64url(pub.x.to_bytes(32, "big")), "y": signing.b64url(pub.y.to_bytes(32, "big")),
        "d": signing.b64url(numbers.private_value.to_bytes(32, "big")),
    }


def build() -> dict:
    author, officer, device = private_key(AUTHOR_D), private_key(OFFICER_D), private_key(DEVICE_D)
    row_id = "0193a5c2-7d3e-7b61-9a0f-5c1d2e3f4a5b"
    text = "职工张某反映家中老人住院，希望调整夜班（请保密）。"
    envelope = sealing.seal(text, row_id=row_id, recipients=[
        sealing.Recipient("u-author", "key-author", author.public_key()),
        sealing.Recipient("u-officer", "key-officer", officer.public_key()),
    ])
    document = {
        "v": 1,
        "interview": {"id": "0193a5c2-0000-7000-8000-000000000001", "form": "individual", "unit_id": "ws1",
                      "cadre_ids": ["u-author"], "started_at": "2025-11-03T09:00:00+08:00",
                      "participants": [{"post": "中控操作工", "name": None, "anonymous": True}],
                      "topics": ["demand.2"], "summary": "夜班调整诉求", "adhoc_reason": "临时加访",
                      "briefing": None, "plan_item_id": None},
        "notes": [{"id": "0193a5c2-0000-7000-8000-000000000002", "prompt_id": "demand.2", "text": "希望调整夜班"}],
    }
    canonical = signing.canonical_bytes(document)
    return {
        "remark": {"row_id": row_id, "plaintext": text, "envelope": envelope,
                   "keys": {"u-author": {"key_id": "key-author", "jwk": jwk(author)},
                            "u-officer": {"key_id": "key-officer", "jwk": jwk(officer)}}},
        "signature": {"document": document, "canonical_b64": signing.b64url(canonical),
                      "public_key": signing.public_key_b64(device), "jwk": jwk(device),
                      "signature": signing.sign(device, canonical)},
    }


WORKDAY_YEARS = (2025, 2028)
"""The table's span: two library years (2025, 2026), 2027 as HR would import it, 2028 unknown."""

HR_2027 = {dt.date(2027, 1, 1): False, dt.date(2027, 2, 6): True, dt.date(2027, 2, 8): False,
           dt.date(2027, 2, 9): False, dt.date(2027, 2, 10): False}
"""A sample of what HR's /calendar import of next year's notice writes (overrides + complete year)."""

DUE_DAYS = ["2025-09-26", "2025-09-30", "2025-12-25", "2025-12-31", "2026-01-30", "2026-02-10", "2026-09-25",
            "2026-12-20", "2026-12-24", "2026-12-31", "2027-02-03", "2027-12-24"]
COUNTDOWNS = [
    ("2025-09-26", "2025-09-26"), ("2025-09-26", "2025-10-10"), ("2025-09-26", "2025-10-12"),
    ("2025-09-26", "2025-10-13"), ("2025-09-26", "2025-10-14"), ("2025-09-26", "2025-10-18"),
    ("2025-09-26", "2025-10-20"), ("2025-12-31", "2026-01-04"), ("2026-02-10", "2026-02-14"),
    ("2026-12-24", "2026-12-24"), ("2026-12-24", "2027-01-01"), ("2026-12-24", "2027-02-01"),
    ("2027-02-03", "2027-02-06"), ("2027-12-20", "2027-12-20"), ("2027-12-24", "2027-12-27"),
    ("2027-12-10", "2028-01-04"),
]


def build_workdays() -> dict:
    from sync.calendar import REPORT_DUE_WORKING_DAYS, WorkCalendar
    from sync.followup_rules import report_countdown

    calendars = {"library_only": WorkCalendar(),
                 "hr_imported_2027": WorkCalendar(overrides=dict(HR_2027), complete_years=frozenset({2027}))}
    scenarios = []
    for name, cal in calendars.items():
        due = []
        for day in DUE_DAYS:
            d, unknown = cal.try_add_working_days(dt.date.fromisoformat(day), REPORT_DUE_WORKING_DAYS)
            due.append({"interview": day, "due": d and d.isoformat(), "unknown_year": unknown})
        countdown = [{"interview": iv, "today": today,
                      **report_countdown(cal, dt.date.fromisoformat(iv), dt.date.fromisoformat(today))}
                     for iv, today in COUNTDOWNS]
        scenarios.append({"name": name, "table": cal.device_table(*WORKDAY_YEARS), "due": due, "countdown": countdown})
    return {"working_days": REPORT_DUE_WORKING_DAYS, "scenarios": scenarios}


def write_workdays() -> Path:
    path = HERE / "workdays.json"
    path.write_text(json.dumps(build_workdays(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    import sys

    print("wrote", write_workdays())
    if sys.argv[1:] == ["workdays"]:
        raise SystemExit(0)
    (HERE / "python-made.json").write_text(json.dumps(build(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print("wrote", HERE / "python-made.json")
