"""The interview audience memoised for a push's notes (sync.memo.DERIVED) is dropped when the
interview or an org unit is written, so a later note never gets a stale audience."""

from sync import memo, rowstore, visibility
from sync.ids import new_id
from tests.builders import World, interview_args


def test_writing_the_interview_or_an_org_unit_drops_the_memoised_audience(world: World, dev) -> None:
    iid = new_id()
    dev("u-cadre1").push_one("interview.save", interview_args(iid))
    db = world.db
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        with memo.scope(db):
            first = visibility._interview_vis(db, iid)
            assert visibility._interview_vis(db, iid) is first  # memoised for the push

            interview = rowstore.load(db, "interview", iid)
            moved = interview.__class__(
                **{**{f: getattr(interview, f) for f in interview.__struct_fields__}, "unit_id": "ws1t1"}
            )
            rowstore.save(db, "interview", moved, visibility.visibility_for(db, "interview", moved), "2026-01-01")
            after_move = visibility._interview_vis(db, iid)
            assert after_move.unit_path == "/co/ws1/ws1t1/" != first.unit_path

            db.conn.execute("UPDATE org_unit SET path = '/co/ws1/renamed/' WHERE id = 'ws1t1'")
            rowstore.log_change(db, "org_unit", "ws1t1", b"{}", rowstore.REF, "2026-01-01")
            renamed = visibility._interview_vis(db, iid)
            assert renamed.unit_path == "/co/ws1/renamed/"

            rowstore.log_change(db, "note", new_id(), b"{}", first, "2026-01-01")  # a child write keeps it
            assert visibility._interview_vis(db, iid) is renamed
    finally:
        db.conn.execute("ROLLBACK")


def test_who_holds_a_role_is_kept_for_a_push_and_dropped_when_a_user_or_unit_is_written(world: World) -> None:
    """``users_with_role`` (asked by every follow-up event's notices) is memoised for the push; a
    user or a unit written in it (always published through ``sync.reference``) drops it."""
    from sync.followup_rules import users_with_role
    from sync.reference import touch_reference

    db = world.db
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        with memo.scope(db):
            hr = users_with_role(db, "hr")
            assert "u-hr" in hr and "u-cadre1" not in hr
            db.conn.execute("""UPDATE "user" SET roles = '["cadre","hr"]' WHERE id = 'u-cadre1'""")
            assert users_with_role(db, "hr") == hr  # kept: nothing was published yet
            touch_reference(db, "user", "u-cadre1")
            assert "u-cadre1" in users_with_role(db, "hr")
            under = users_with_role(db, "cadre", "/co/ws1/")
            db.conn.execute("UPDATE org_unit SET path = '/co/elsewhere/' WHERE path = '/co/ws1/'")
            touch_reference(db, "org_unit", "ws1")
            assert users_with_role(db, "cadre", "/co/ws1/") != under
        assert "u-cadre1" in users_with_role(db, "hr")  # outside a push: read each time
    finally:
        db.conn.execute("ROLLBACK")


def test_the_memoised_problem_audience_follows_the_problem_its_interview_and_units(world: World, dev) -> None:
    """Every event of a problem asks for the problem's audience (``issue_visibility``): writing the
    problem (its handler department), its interview (the unit) or an org unit drops it."""
    from tests.builders import interview_with_issue

    _, issue_id = interview_with_issue(dev)
    db = world.db
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        with memo.scope(db):
            first = visibility._issue_vis(db, issue_id)
            assert visibility._issue_vis(db, issue_id) is first and first.handler_path is None

            issue = rowstore.load(db, "issue", issue_id)
            handed = issue.__class__(**{**{f: getattr(issue, f) for f in issue.__struct_fields__}, "handler_unit_id": "emd"})
            rowstore.save(db, "issue", handed, visibility.visibility_for(db, "issue", handed), "2026-01-01")
            assigned = visibility._issue_vis(db, issue_id)
            assert assigned.handler_path is not None and assigned.handler_path.endswith("/emd/")

            interview = rowstore.load(db, "interview", issue.interview_id)
            moved = interview.__class__(
                **{**{f: getattr(interview, f) for f in interview.__struct_fields__}, "unit_id": "ws1t1"})
            rowstore.save(db, "interview", moved, visibility.visibility_for(db, "interview", moved), "2026-01-01")
            assert visibility._issue_vis(db, issue_id).unit_path == "/co/ws1/ws1t1/" != assigned.unit_path

            db.conn.execute("UPDATE org_unit SET path = '/co/renamed/' WHERE id = 'emd'")
            rowstore.log_change(db, "org_unit", "emd", b"{}", rowstore.REF, "2026-01-01")
            assert visibility._issue_vis(db, issue_id).handler_path == "/co/renamed/"
    finally:
        db.conn.execute("ROLLBACK")
