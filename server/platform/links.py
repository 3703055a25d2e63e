"""Where a notification opens in the PWA: the ``url`` of a Web Push payload.

Every url is a route of the PWA (``pwa/src/router.ts``); the app's inbox computes the same link
for the same row (``pwa/src/domain/notificationLinks.ts``), and both are pinned to one table of
cases (``tests/data/notification_links.json``).
"""

from __future__ import annotations

INBOX = "/inbox?tab=messages"


def app_url(entity: str | None, entity_id: str | None) -> str:
    """A problem opens its detail with the timeline; a report, a report reminder (about the
    interview, whose id is the report's) and an archive open the report; a plan reminder opens the
    plan screen of the reader's role; a supervision opinion opens the spot-check screen; anything else (weekly
    digests, kinds without a screen of their own) opens the inbox, where its text is."""
    if not entity_id:
        return INBOX
    if entity == "issue":
        return f"/followup/problems/{entity_id}"
    if entity in ("report", "interview"):
        return f"/followup/reports/{entity_id}"
    if entity == "plan_item":
        # One url for the cadre and HR alike: the PWA sends each role to its own plan screen.
        return f"/plans/item/{entity_id}"
    if entity == "supervision_finding":
        return "/supervision"
    if entity == "calendar_year":  # next year's working-day calendar is still to be entered
        return "/calendar"
    return INBOX
