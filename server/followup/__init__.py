"""The follow-up loop after an interview (rule book §五, docs/followup.md): working-day calendar,
reports, reminders, notifications (inbox, Web Push, webhooks), receipt-code page, exports, archive.

Modules here import no web framework except ``controllers``/``receipts``, so the sync mutations and
the CLI can use the calendar and the services without Litestar."""
