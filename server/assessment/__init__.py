"""Cadre assessment (干部考核, seed §六): per cadre per quarter, evaluation scores (k-anonymous),
plan completion, reports on time and the response speed of their problems; JSON and .xlsx."""
