"""Errors of the supervision spot checks (docs/plans-and-supervision.md), in the catalogue of
``sync.errors``."""

from __future__ import annotations

from sync.errors import define_error

CommitTooLate = define_error(
    "supervision.commit_too_late", 422, "A draw's seed must be committed before its period ends."
)
RevealTooEarly = define_error(
    "supervision.reveal_too_early", 422, "The seed may be revealed only after the period ended."
)
SeedMismatch = define_error(
    "supervision.seed_mismatch", 422, "The revealed seed does not hash to the committed SHA-256."
)
NotRevealed = define_error("supervision.not_revealed", 422, "No sample yet: the draw's seed has not been revealed.")
NotInSample = define_error(
    "supervision.not_in_sample", 422, "A finding may be recorded only on an item of the drawn sample."
)
FindingState = define_error(
    "supervision.finding_state", 409, "The finding is not in a state that allows this step."
)
