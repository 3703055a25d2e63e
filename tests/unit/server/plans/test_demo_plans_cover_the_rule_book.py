"""`fangtan demo` adds this year's company and unit plans: every demo cadre is planned once a
quarter, with the annual deep review and a monthly unit plan — so no coverage warning but the
ones about months of ad-hoc-only units (there are none)."""

from pathlib import Path

from server.clock import utcnow
from server.demo import seed_demo_plans_tx
from server.plans.coverage import coverage_warnings
from server.store import in_transaction
from tests.builders import open_db


def test_demo_plans_cover_every_quarter_and_month(data_dir: Path) -> None:
    db = open_db(data_dir / "fangtan.db")
    units = dict(db.conn.execute("SELECT name, id FROM org_unit").fetchall())
    keys = {
        "methanol": units["甲醇生产车间"],
        "maint": units["设备检修车间"],
        "synthesis": units["合成班组"],
        "distill": units["精馏班组"],
    }
    now = utcnow()
    assert in_transaction(db, lambda d: seed_demo_plans_tx(d, keys, now)) == 22
    assert coverage_warnings(db, year=now.year) == []
    db.close()
