"""Services the feature packages share: notifications (the inbox's out-of-band delivery: Web Push,
the group webhook, where a notification opens in the PWA) and the reminder scheduler with its
registry of reminder sources.

Feature packages (``server.followup``, ``server.plans``, …) import this package and register their
reminder sources with it; nothing here imports a feature package. This package imports only the
engine (``sync``), ``server.store``, ``server.settings`` and ``server.clock`` (enforced by
``lint-imports``, see pyproject.toml)."""
