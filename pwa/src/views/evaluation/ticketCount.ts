// How many rating tickets to hand out after an interview (issue 16 point 3): one per person in the
// room. A group interview or symposium lists its participants or states their number; the cadre may
// still adjust the count on the tickets screen.
/** The most tickets one hand-out may ask for: the tablet's pool size (ticketPool.ts POOL_SIZE, kept
 * equal by tests/evaluation.test.ts; not imported so the interview screen stays free of the pool). */
export const MAX_TICKETS = 50

/** People in the room: the listed participants or the stated count, whichever is larger; at least 1. */
export function participantsInRoom(f: { participants?: readonly unknown[] | null; participant_count?: number | null }): number {
  const listed = Array.isArray(f.participants) ? f.participants.length : 0
  const stated = typeof f.participant_count === 'number' && Number.isFinite(f.participant_count) ? Math.floor(f.participant_count) : 0
  return Math.min(MAX_TICKETS, Math.max(1, listed, stated))
}

/** The link from an interview to its tickets. */
export function ticketsLink(f: { participants?: readonly unknown[] | null; participant_count?: number | null }): string {
  return `/evaluation/tickets?n=${participantsInRoom(f)}`
}

/** The count asked for in `?n=` (1 when absent or not a positive whole number, capped at MAX_TICKETS). */
export function requestedCount(n: unknown): number {
  const v = Number(Array.isArray(n) ? n[0] : n)
  if (!Number.isFinite(v) || v < 1) return 1
  return Math.min(MAX_TICKETS, Math.floor(v))
}

/** How many of the requested tickets this device can hand out now. */
export function ticketsToHandOut(requested: number, available: number): number {
  return Math.max(0, Math.min(requested, available))
}
