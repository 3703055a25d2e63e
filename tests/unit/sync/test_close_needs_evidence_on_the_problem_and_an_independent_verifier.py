"""销号 means something (issue 13 point 10): the evidence is an attachment that exists on that
problem, and the verifier is someone else than the closer, of a role that may verify (sync.policy
``issue.verify``), outside the department that did the work. Each refusal has its own stable code and
is kept in the closer's rejection inbox; the problem stays 待销号."""

import pytest

from sync.ids import new_id
from tests.builders import World, assign, evidence_photo, followup, interview_args, interview_with_issue, issue_args


def resolved(dev) -> tuple[str, str]:
    iid, issue = interview_with_issue(dev)
    assign(dev, issue)
    assert followup(dev("u-handler"), issue, "resolve", text="已更换密封").status == "applied"
    return iid, issue


def status(world: World, issue_id: str) -> str:
    return world.db["issue"].get(issue_id)["status"]


def test_text_alone_is_not_evidence(world: World, dev) -> None:
    _, issue = resolved(dev)
    r = followup(dev("u-hr"), issue, "close", evidence_text="现场核实", verifier_id="u-super")
    assert (r.status, r.error.code, r.error.field) == ("rejected", "close.evidence_required", "evidence")
    assert status(world, issue) == "resolved"
    kept = world.db.execute("SELECT error FROM rejection WHERE author_id = 'u-hr'").fetchone()[0]
    assert "close.evidence_required" in kept


def test_evidence_must_be_an_attachment_of_that_problem(world: World, dev) -> None:
    iid, issue = resolved(dev)
    _, other = resolved(dev)
    elsewhere = evidence_photo(dev, other)  # a real attachment, but of another problem
    on_interview = new_id()
    assert dev("u-cadre1").push_one("attachment.add", {
        "id": on_interview, "parent_entity": "interview", "parent_id": iid, "sha256": "a" * 64,
        "mime": "image/jpeg", "size": 10}).status == "applied"
    for bad in (new_id(), elsewhere, on_interview):
        r = followup(dev("u-hr"), issue, "close", evidence=[bad], verifier_id="u-super")
        assert (r.error.code, r.error.field) == ("close.evidence_not_on_problem", "evidence[0]"), bad
    removed = evidence_photo(dev, issue)
    assert dev("u-hr").push_one("attachment.remove", {"id": removed}).status == "applied"
    r = followup(dev("u-hr"), issue, "close", evidence=[removed], verifier_id="u-super")
    assert r.error.code == "close.evidence_not_on_problem"
    assert status(world, issue) == "resolved"


def test_a_photo_of_the_handlers_resolve_event_counts(world: World, dev) -> None:
    _, issue = interview_with_issue(dev)
    assign(dev, issue)
    resolve = new_id()
    assert dev("u-handler").push_one("followup.add", {"id": resolve, "issue_id": issue, "kind": "resolve",
                                                      "text": "已修复"}).status == "applied"
    photo = new_id()
    assert dev("u-handler").push_one("attachment.add", {
        "id": photo, "parent_entity": "followup", "parent_id": resolve, "sha256": "b" * 64,
        "mime": "image/jpeg", "size": 10}).status == "applied"
    r = followup(dev("u-hr"), issue, "close", evidence=[photo], verifier_id="u-leader")
    assert r.status == "applied", r
    assert status(world, issue) == "closed"


def test_the_closer_cannot_verify_their_own_close(world: World, dev) -> None:
    _, issue = resolved(dev)
    r = followup(dev("u-hr"), issue, "close", evidence=[evidence_photo(dev, issue)], verifier_id="u-hr")
    assert (r.error.code, r.error.field) == ("close.verifier_is_closer", "verifier_id")
    assert status(world, issue) == "resolved"


@pytest.mark.parametrize("verifier", ["u-handler", "u-admin", "u-officer"])
def test_the_verifier_needs_a_plausible_role_outside_the_handler_department(world: World, dev, verifier) -> None:
    _, issue = resolved(dev)
    r = followup(dev("u-hr"), issue, "close", evidence=[evidence_photo(dev, issue)], verifier_id=verifier)
    assert (r.error.code, r.error.field) == ("close.verifier_not_eligible", "verifier_id"), verifier
    assert status(world, issue) == "resolved"


@pytest.mark.parametrize("verifier", ["u-super", "u-leader", "u-cadre1", "u-lead1"])
def test_plausible_verifiers_close_it(world: World, dev, verifier) -> None:
    _, issue = resolved(dev)
    r = followup(dev("u-hr"), issue, "close", evidence=[evidence_photo(dev, issue)], verifier_id=verifier)
    assert r.status == "applied", r
    assert status(world, issue) == "closed"


def test_a_cadre_of_another_interview_is_no_plausible_verifier(world: World, dev) -> None:
    """Issue 17 point 7: plausible means close to the problem — a cadre who did not hear it (u-cadre2,
    of ws2) cannot vouch for it, while the interview's own cadre can (above)."""
    _, issue = resolved(dev)
    r = followup(dev("u-hr"), issue, "close", evidence=[evidence_photo(dev, issue)], verifier_id="u-cadre2")
    assert (r.error.code, r.error.field) == ("close.verifier_not_eligible", "verifier_id")
    assert status(world, issue) == "resolved"


def test_a_unit_lead_verifies_only_in_or_above_a_unit_concerned(world: World, dev) -> None:
    """u-lead1 leads ws1: a problem of ws1's team (ws1t1) is theirs to vouch for, one of ws2 is not."""
    for units, expected in ((["ws1t1"], "applied"), (["ws2"], "rejected")):
        iid = new_id()
        d = dev("u-cadre2")
        assert d.push_one("interview.save", interview_args(iid, unit_id="ws2")).status == "applied"
        issue = new_id()
        assert d.push_one("issue.raise", issue_args(issue, iid, complete=False, unit_ids=units)).status == "applied"
        assign(dev, issue)
        assert followup(dev("u-handler"), issue, "resolve", text="已更换密封").status == "applied"
        r = followup(dev("u-hr"), issue, "close", evidence=[evidence_photo(dev, issue)], verifier_id="u-lead1")
        assert r.status == expected, (units, r)
