"""The HTTP face of the sync engine: ``/api/sync/push`` and ``/api/sync/pull`` (DESIGN §4)."""
