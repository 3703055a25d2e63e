"""After a restart the server computes the current year's formalism signals in the background
(``server.supervision.runtime``), so HR's first dashboard reads kept digests instead of waiting
while every interview's notes are digested (5–11 s at a year of a company, bench/growth.py)."""

import time
from pathlib import Path

from litestar.testing import TestClient

from server.app import create_app
from server.clock import utcnow
from server.demo import UNITS, seed_demo_plans_tx
from server.demo.activity import seed_demo_activity
from server.settings import Settings
from server.store import in_transaction
from server.supervision import signals
from sync.calendar import local_date
from tests.builders import open_db


def test_the_current_years_interviews_are_digested_before_anyone_asks(settings: Settings, data_dir: Path) -> None:
    db = open_db(data_dir / "fangtan.db")
    names = dict(db.conn.execute("SELECT name, id FROM org_unit").fetchall())
    units = {key: names[name] for key, name, *_ in UNITS}
    now = utcnow()
    in_transaction(db, lambda d: seed_demo_plans_tx(d, units, now))
    seed_demo_activity(db, units, now, data_dir / "blobs")  # two months of visits up to today
    year = local_date(now).year
    held = {i for i, day in db.conn.execute(
        "SELECT id, coalesce(started_at, submitted_at, created_at) FROM interview WHERE status = 'submitted'")
        if local_date(day).year == year}
    db.close()
    assert held, "the demo holds this year's submitted interviews"
    file = (data_dir / "fangtan.db").resolve()

    def digested() -> set[str]:
        return {i for f, i in list(signals._DIGESTS) if Path(f).resolve() == file}

    assert not digested()
    with TestClient(create_app(settings)):
        deadline = time.monotonic() + 30
        while not held <= digested() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert held <= digested(), held - digested()
