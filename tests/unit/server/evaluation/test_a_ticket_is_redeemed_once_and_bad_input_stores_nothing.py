"""Redeeming: one ticket one response; a used, forged or malformed ticket and out-of-range scores or
an over-long comment are refused with a typed error, and nothing at all is stored."""

import pytest

from server.evaluation import tickets
from server.evaluation.errors import TicketUnknown, TicketUsed
from server.store import in_transaction
from sync.errors import ValidationFailed
from tests.unit.server.evaluation.helpers_evaluation import Q4, count, open_demo, responses, user_id


def scores(a=4, p=4, r=4, comment=None) -> tickets.Scores:
    return tickets.Scores(attitude=a, professionalism=p, responsiveness=r, comment=comment)


def redeem(db, ticket, s):
    return in_transaction(db, lambda d: tickets.redeem_tx(d, ticket, s, Q4))


@pytest.fixture
def db(data_dir):
    db = open_demo(data_dir)
    yield db
    db.conn.close()


def test_one_ticket_one_response(db) -> None:
    cadre = user_id(db, "cadre")
    [t] = in_transaction(db, lambda d: tickets.issue_tickets_tx(d, cadre, 1, Q4))
    redeem(db, tickets.printable(t).lower(), scores(5, 4, 3, "  讲得清楚  "))
    assert responses(db) == [(cadre, "2026Q4", 5, 4, 3, "讲得清楚")]
    assert count(db, "evaluation_pending") == 1  # sealed until its cell holds k (docs/evaluation.md)
    with pytest.raises(TicketUsed) as used:
        redeem(db, t, scores())
    assert used.value.status == 409 and "已经使用过" in used.value.message and used.value.field == "ticket"
    assert len(responses(db)) == 1 and count(db, "evaluation_ticket_used") == 1


def test_forged_and_malformed_tickets_are_unknown(db) -> None:
    for forged in (tickets.new_ticket(), "not-a-ticket", ""):
        with pytest.raises(TicketUnknown) as err:
            redeem(db, forged, scores())
        assert err.value.status == 404 and err.value.field == "ticket"
    assert responses(db) == [] and count(db, "evaluation_ticket_used") == 0


@pytest.mark.parametrize(
    ("field", "s"),
    [
        ("attitude", scores(a=0)),
        ("attitude", scores(a=6)),
        ("professionalism", scores(p=-1)),
        ("responsiveness", scores(r=9)),
        ("comment", scores(comment="字" * 501)),
    ],
)
def test_bad_scores_or_long_comment_name_the_field_and_spend_nothing(db, field, s) -> None:
    cadre = user_id(db, "cadre")
    [t] = in_transaction(db, lambda d: tickets.issue_tickets_tx(d, cadre, 1, Q4))
    with pytest.raises(ValidationFailed) as err:
        redeem(db, t, s)
    assert err.value.status == 422 and err.value.field == field
    assert responses(db) == [] and count(db, "evaluation_ticket_used") == 0
    redeem(db, t, scores(comment="字" * 500))  # the ticket is still good
    assert len(responses(db)) == 1


def test_issuing_is_bounded_per_request_and_per_cadre(db) -> None:
    cadre = user_id(db, "cadre")
    for bad in (0, tickets.MAX_BATCH + 1):
        with pytest.raises(ValidationFailed) as err:
            in_transaction(db, lambda d, n=bad: tickets.issue_tickets_tx(d, cadre, n, Q4))
        assert err.value.field == "count"
    for _ in range(tickets.MAX_OUTSTANDING // tickets.MAX_BATCH):
        in_transaction(db, lambda d: tickets.issue_tickets_tx(d, cadre, tickets.MAX_BATCH, Q4))
    assert in_transaction(db, lambda d: tickets.issue_tickets_tx(d, cadre, 5, Q4)) == []
    assert tickets.outstanding(db, cadre) == tickets.MAX_OUTSTANDING
    stored = {r[0] for r in db.conn.execute("SELECT hash FROM evaluation_ticket")}
    assert all(len(h) == 64 for h in stored)  # only hashes, never a usable ticket
