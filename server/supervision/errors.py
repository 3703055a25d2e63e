"""Errors of the supervision spot checks (docs/plans-and-supervision.md), in the catalogue of
``sync.errors``."""

from __future__ import annotations

from sync.errors import define_error

CommitTooLate = define_error(
    "supervision.commit_too_late", 422, "A draw's seed must be committed before its period ends.",
    zh="抽查种子须在本期结束前提交")
RevealTooEarly = define_error(
    "supervision.reveal_too_early", 422, "The seed may be revealed only after the period ended.",
    zh="本期结束后才能公布抽查种子")
SeedMismatch = define_error(
    "supervision.seed_mismatch", 422, "The revealed seed does not hash to the committed SHA-256.",
    zh="公布的种子与提交时的校验值不符")
NotRevealed = define_error("supervision.not_revealed", 422, "No sample yet: the draw's seed has not been revealed.",
    zh="抽查种子尚未公布，还没有抽查样本")
NotInSample = define_error(
    "supervision.not_in_sample", 422, "A finding may be recorded only on an item of the drawn sample.",
    zh="只能对抽中的事项记录检查发现")
FindingState = define_error(
    "supervision.finding_state", 409, "The finding is not in a state that allows this step.",
    zh="检查发现当前的状态不允许这一步")
PeriodNotStarted = define_error(
    "supervision.period_not_started", 422, "A period can be drawn once it has begun.",
    zh="抽查期间尚未开始，不能抽取")
