"""The generated year (bench/year.py, issue 18.1) at 1 % of its size, so it cannot rot: everything it
writes went through the sync engine and the real services, in every form, category and state, and
the same seed gives the same data."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image

from bench.year import FORMS, YearSize, generate
from server.store import connect, migrate
from tests.builders import open_db

SIZE = YearSize().scaled(0.01)


def _fresh(path: Path) -> Path:
    data = path / "data"
    data.mkdir(parents=True)
    db = connect(data / "fangtan.db")
    migrate(db)
    db.conn.close()
    return data


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> tuple[Path, dict]:
    data = _fresh(tmp_path_factory.mktemp("year"))
    return data, generate(data, size=SIZE).counts


def test_sizes_are_the_years_mix_and_the_rows_are_there(year) -> None:
    data, counts = year
    db = open_db(data / "fangtan.db")
    interviews = SIZE.interviews
    assert counts["interviews"] == interviews == db["interview"].count
    assert counts["notes"] == interviews * SIZE.notes_per_interview == db["note"].count
    assert counts["issues"] == interviews * SIZE.issues_per_interview == db["issue"].count
    assert db["report"].count == interviews
    assert db["followup"].count == counts["followups"] and 2.5 <= counts["followups"] / counts["issues"] <= 3.8
    photos = interviews * SIZE.photos_per_interview
    assert db.execute("SELECT count(*) FROM attachment WHERE parent_entity = 'interview'").fetchone()[0] == photos
    assert counts["evaluations"] == interviews * SIZE.evaluations_per_interview
    assert db["org_unit"].count == 40 and db["user"].count == SIZE.accounts
    assert db.execute("SELECT sum(employee_count) FROM org_unit").fetchone()[0] == SIZE.employees
    assert db["notification"].count > interviews  # made by the engine's rules, not by the generator
    assert db.execute("SELECT count(*) FROM supervision_draw WHERE seed IS NOT NULL").fetchone()[0] == 4
    # Every mutation was accepted by the engine and receipted (exactly-once bookkeeping is the real one).
    assert db["rejection"].count == 0 and db["conflict"].count == 0
    assert db["sync_receipt"].count == counts["mutations"]


def test_every_form_category_and_state_is_present(year) -> None:
    db = open_db(year[0] / "fangtan.db")
    assert {r[0] for r in db.execute("SELECT DISTINCT form FROM interview")} == set(FORMS)
    assert {r[0] for r in db.execute("SELECT DISTINCT category FROM issue")} == {
        "business", "management", "demand", "suggestion"}
    states = Counter(r[0] for r in db.execute("SELECT status FROM issue"))
    assert set(states) == {"raised", "assigned", "in_progress", "resolved", "closed"}, states
    kinds = {r[0] for r in db.execute("SELECT DISTINCT kind FROM followup")}
    assert {"assign", "start", "progress", "resolve", "close", "escalate", "decide"} <= kinds


def test_notes_are_chinese_of_the_set_length_and_photos_are_real_jpegs(year) -> None:
    data, _ = year
    db = open_db(data / "fangtan.db")
    texts = [r[0] for r in db.execute("SELECT text FROM note")]
    cjk = lambda t: sum("\u4e00" <= c <= "\u9fff" for c in t) / len(t)  # noqa: E731
    assert all(len(t) == SIZE.note_chars and cjk(t) > 0.7 for t in texts)
    # Shop-floor notes differ from one another (only the few copied records repeat theirs).
    assert len(set(texts)) >= 0.9 * len(texts)
    shas = [r[0] for r in db.execute("SELECT sha256 FROM attachment")]
    assert len(set(shas)) > len(shas) * 0.9  # distinct photos, not one blob repeated
    blob_files = [p for p in (data / "blobs").rglob("*") if p.is_file()]
    assert len(blob_files) >= len(set(shas))
    with Image.open(io.BytesIO(blob_files[0].read_bytes())) as img:
        assert img.format == "JPEG"


def test_the_same_seed_gives_the_same_data(year, tmp_path) -> None:
    again = _fresh(tmp_path)
    generate(again, size=SIZE)
    first, second = open_db(year[0] / "fangtan.db"), open_db(again / "fangtan.db")
    query = "SELECT text FROM note ORDER BY text"
    assert [r[0] for r in first.execute(query)] == [r[0] for r in second.execute(query)]
    query = "SELECT status, category, due_date FROM issue ORDER BY 1, 2, 3"
    assert list(first.execute(query)) == list(second.execute(query))
