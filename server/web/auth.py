"""Which paths need no account. The bearer-token middleware that authenticates every other request
is the accounts package's (``server.accounts.authentication``)."""

from __future__ import annotations

# Paths that need no account: sign-in and health (the PWA handler opts out with exclude_from_auth).
PUBLIC_PATHS = ["^/api/auth/", "^/api/health$", "^/api/health/ready$", "^/schema"]
