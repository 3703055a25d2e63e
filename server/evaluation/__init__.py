"""Anonymous evaluation of cadres by employees (DESIGN §6, docs/evaluation.md): bearer tickets,
the public rating page, pooled results with k-anonymity."""

from __future__ import annotations

from server.settings import Settings

K_FLOOR = 3
"""Below this many responses a pooled score says too much about each person; refused at start-up."""


def check_settings(settings: Settings) -> None:
    """Refuse to start with a k that would expose individual answers (raises ``SystemExit``)."""
    k, k_comments = settings.evaluation_min_responses, settings.evaluation_min_responses_for_comments
    if k < K_FLOOR:
        raise SystemExit(f"FANGTAN_EVALUATION_MIN_RESPONSES must be at least {K_FLOOR}, got {k}")
    if k_comments < k:
        raise SystemExit(
            f"FANGTAN_EVALUATION_MIN_RESPONSES_FOR_COMMENTS must be at least FANGTAN_EVALUATION_MIN_RESPONSES ({k}),"
            f" got {k_comments}"
        )
