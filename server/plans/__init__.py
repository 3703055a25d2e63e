"""Plans (seed §三): completion, coverage warnings, reminders and their HTTP endpoints.

The plan items themselves are synced rows (``sync.mutations.plan``).
"""

from server.plans import reminders  # noqa: F401 - registers the plan reminder source
