"""HTTP plumbing shared by every route: auth middleware, guards, errors, headers, logs, the PWA."""
