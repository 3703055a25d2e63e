"""The formalism signal "a cadre's ratings all at the maximum" (for the supervision group) looks at
released cells only, so it never tells anything about a group smaller than k."""

import datetime as dt

from server.evaluation.results import all_ratings_at_maximum
from tests.unit.server.evaluation.helpers_evaluation import AFTER_2026, Q4, open_demo, respond, user_id


def test_only_cadres_whose_released_cells_are_all_fives(data_dir) -> None:
    db = open_demo(data_dir)
    try:
        perfect, mixed, small = user_id(db, "cadre"), user_id(db, "cadre2"), user_id(db, "unitlead")
        respond(db, perfect, 6, scores=(5, 5, 5))
        respond(db, mixed, 5, scores=(5, 5, 5))
        respond(db, mixed, 1, scores=(5, 4, 5))
        respond(db, small, 3, scores=(5, 5, 5))  # below k: no signal
        period = (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
        assert all_ratings_at_maximum(db, start=period[0], end=period[1], today=AFTER_2026) == [(perfect, 6)]
        assert all_ratings_at_maximum(db, start=period[0], end=period[1], k=3, today=AFTER_2026) == sorted(
            [(perfect, 6), (small, 3)]
        )
        assert all_ratings_at_maximum(db, start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), today=AFTER_2026) == []
        # While the quarter is still collecting, the signal is silent (待发布): it cannot tell one more 5/5/5.
        assert all_ratings_at_maximum(db, start=period[0], end=period[1], today=Q4) == []
        assert all_ratings_at_maximum(db, start=period[0], end=period[1], today=dt.date(2026, 12, 31)) == []
    finally:
        db.conn.close()
