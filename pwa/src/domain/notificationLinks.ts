// Where an inbox entry opens: the same rule as the server's push payload url
// (server/platform/links.py), both pinned to tests/data/notification_links.json.

export const INBOX_URL = '/inbox?tab=messages'

/** A problem → its detail with the timeline; a report or an interview (report reminders, archive) →
 * the report; anything else (weekly digests, kinds without a screen) → the inbox, where its text is. */
export function notificationUrl(entity: string | null | undefined, entityId: string | null | undefined): string {
  if (!entityId) return INBOX_URL
  if (entity === 'issue') return `/followup/problems/${entityId}`
  if (entity === 'report' || entity === 'interview') return `/followup/reports/${entityId}`
  // One url for the cadre and HR alike: the router sends each role to its own plan screen.
  if (entity === 'plan_item') return `/plans/item/${entityId}`
  if (entity === 'supervision_finding') return '/supervision'
  // Next year's working-day calendar is still to be entered.
  if (entity === 'calendar_year') return '/calendar'
  return INBOX_URL
}

/** The url of a push payload, if it is one of this app's own paths (never another origin). */
export function safeAppUrl(url: unknown): string {
  return typeof url === 'string' && url.startsWith('/') && !url.startsWith('//') ? url : INBOX_URL
}
