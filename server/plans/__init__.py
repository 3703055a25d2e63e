"""Plans (seed §三): completion, coverage warnings, reminders and their HTTP endpoints.

The plan items themselves are synced rows (``sync.mutations.plan``).
"""
