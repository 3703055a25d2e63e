"""Dashboards for HR and leaders: plan completion, problems, evaluation scores, formalism signals."""
