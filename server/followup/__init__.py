"""The follow-up loop after an interview (rule book §五, docs/followup.md): reports, reminders of
problems and reports, the receipt-code page, exports, archive. The working-day calendar is the
engine's (``sync.calendar``); notifications and the scheduler are ``server.platform``.

Modules here import no web framework except ``controllers``/``receipts``, so the CLI can use the
services without Litestar. Importing the package registers its reminder source."""

from server.followup import reminders  # noqa: F401 - registers the follow-up reminder source
