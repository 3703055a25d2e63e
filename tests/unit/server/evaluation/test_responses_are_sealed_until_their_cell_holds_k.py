"""The sealed pending pool (docs/evaluation.md): a response below k is ciphertext of one fixed size
under a key outside the data directory; the k-th seals nothing and writes the whole cell out with
fresh ids; a wrong or missing key is refused instead of answering with nothing. And the release
date: the second day of the next quarter."""

import datetime as dt
import secrets

import pytest

from server.evaluation import results, seal, tickets
from server.store import in_transaction
from tests.unit.server.evaluation.helpers_evaluation import Q4, count, open_demo, respond, responses, user_id


@pytest.fixture
def db(data_dir):
    db = open_demo(data_dir)
    yield db
    db.conn.close()


def test_below_k_only_ciphertext_of_one_size_then_the_cell_is_written_out_whole(db, data_dir) -> None:
    cadre = user_id(db, "cadre")
    respond(db, cadre, 1, comment=None)
    respond(db, cadre, 1, comment="长" * 500)
    respond(db, cadre, 2, comment="ZQX-短")
    sealed = dict(db.conn.execute("SELECT id, sealed FROM evaluation_pending"))
    assert len(sealed) == 4 and count(db, "evaluation_response") == 0
    assert {len(b) for b in sealed.values()} == {12 + seal.SEALED_SIZE + 16}  # not even the comment's length
    raw = b"".join(sealed.values()) + (data_dir / "fangtan.db").read_bytes() + (data_dir / "fangtan.db-wal").read_bytes()
    assert "ZQX-短".encode() not in raw and cadre.encode() not in b"".join(sealed.values())
    key_file = seal.default_key_path(data_dir)
    assert key_file.is_file() and data_dir not in key_file.parents and oct(key_file.stat().st_mode & 0o777) == "0o600"

    respond(db, cadre, 1, comment="第五份")
    assert count(db, "evaluation_pending") == 0 and count(db, "evaluation_response") == 5
    ids = {r[0] for r in db.conn.execute("SELECT id FROM evaluation_response")}
    assert not ids & sealed.keys()  # fresh ids, not those of the sealed rows
    assert sorted(r[5] or "" for r in responses(db)) == sorted(["", "长" * 500, "ZQX-短", "ZQX-短", "第五份"])


def test_a_cell_below_k_is_counted_from_its_sealed_rows(db) -> None:
    cadre = user_id(db, "cadre")
    respond(db, cadre, 7, scores=(2, 3, 4))  # 5 written out, 2 stay sealed
    assert (count(db, "evaluation_response"), count(db, "evaluation_pending")) == (5, 2)
    [cell], _ = results.released_cells(db, periods=["2026Q4"], k=5, k_comments=10, today=dt.date(2027, 1, 2))
    assert cell.responses == 7 and cell.sums == {"attitude": 14, "professionalism": 21, "responsiveness": 28}


def test_a_wrong_key_is_refused_not_ignored(db, data_dir) -> None:
    respond(db, user_id(db, "cadre"), 1)
    key_file = seal.default_key_path(data_dir)
    key_file.write_bytes(secrets.token_bytes(32))
    seal.register(data_dir / "fangtan.db", None)  # forget the cached key, as a restart would
    with pytest.raises(seal.MissingKey, match="does not open the sealed evaluation responses"):
        seal.key_for(db)


def test_the_release_date_is_the_second_day_of_the_next_quarter() -> None:
    assert results.release_date("2026Q4") == dt.date(2027, 1, 2)
    assert results.release_date("2026Q1") == dt.date(2026, 4, 2)
    assert not results.is_released("2026Q4", dt.date(2027, 1, 1))
    assert results.is_released("2026Q4", dt.date(2027, 1, 2))
    assert results.pending_periods(["2026Q3", "2026Q4"], Q4) == [("2026Q4", dt.date(2027, 1, 2))]


def test_a_used_ticket_stays_used_while_its_response_is_sealed(db) -> None:
    cadre = user_id(db, "cadre")
    [t] = respond(db, cadre, 1)
    assert tickets.ticket_state(db, t) == "used" and tickets.outstanding(db, cadre) == 0
    with pytest.raises(tickets.TicketUsed):
        s = tickets.Scores(attitude=1, professionalism=1, responsiveness=1)
        in_transaction(db, lambda d: tickets.redeem_tx(d, t, s, Q4))
