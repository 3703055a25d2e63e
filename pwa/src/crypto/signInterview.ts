// Signing a submitted interview (docs/security.md §5): the document is built from the local rows
// (the overlay, so it includes the submit just queued), canonicalised with RFC 8785 and signed with
// this device's key; `interview.sign` is queued after the submitting mutation.
import { v7 as uuidv7 } from 'uuid'
import { loadOverlay, getRow, rowsOf } from '@/store/overlay'
import { enqueue } from '@/store/outbox'
import { canonicalBytes, signBytes } from './signature'
import { ensureSigningKey, loadKeys } from './keystore'

/** The fields of sync.signing.SignedInterview, with the server's defaults. */
export const SIGNED_FIELDS: Record<string, unknown> = {
  id: null, plan_item_id: null, adhoc_reason: null, form: null, unit_id: null, cadre_ids: [], started_at: null, ended_at: null,
  place: null, participants: [], participant_count: null, theme: null, channel: null, absence_reason: null, topic: null,
  departments: [], consensus: [], disagreements: [], topics: [], briefing: null, summary: null,
}

export interface SignedDocument {
  v: 1
  interview: Record<string, unknown>
  notes: Array<{ id: string; prompt_id: string | null; text: string }>
}

/**
 * Times as the server's decoder re-emits them (msgspec): RFC 3339, `Z` for UTC, fractional seconds
 * as exactly 6 digits or none. The server verifies over RFC 8785 of the document *after* decoding,
 * so a time sent as `…19.123Z` must be signed as `…19.123000Z` (docs/security.md §5).
 */
export function serverTime(value: unknown): unknown {
  if (typeof value !== 'string') return value
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(value)
  if (!m) return value
  let frac = ''
  if (m[2]) {
    let micros = Math.round(Number(`0.${m[2]}`) * 1e6)
    if (micros >= 1e6) micros = 999999 // never carries into the seconds for the times a client makes
    frac = micros ? `.${String(micros).padStart(6, '0')}` : ''
  }
  const offset = m[3] === '+00:00' || m[3] === '-00:00' ? 'Z' : m[3]
  return `${m[1]}${frac}${offset}`
}

export function documentFor(interview: Record<string, unknown>, notes: Array<Record<string, unknown>>): SignedDocument {
  const fields: Record<string, unknown> = {}
  for (const [k, d] of Object.entries(SIGNED_FIELDS)) fields[k] = interview[k] ?? d
  fields.started_at = serverTime(fields.started_at)
  fields.ended_at = serverTime(fields.ended_at)
  const signedNotes = notes
    .map((n) => ({ id: String(n.id), prompt_id: (n.prompt_id as string | null | undefined) ?? null, text: String(n.text ?? '') }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { v: 1, interview: JSON.parse(JSON.stringify(fields)), notes: signedNotes }
}

/** Queue `interview.sign` for the interview as this device holds it now; false without keys. */
export async function signInterview(userId: string, interviewId: string): Promise<boolean> {
  if (!(await loadKeys(userId))?.encryption) return false
  const key = await ensureSigningKey(userId)
  const map = await loadOverlay({ entities: ['interview', 'note'], userId })
  const iv = getRow(map, 'interview', interviewId)
  if (!iv || iv.row.status !== 'submitted') return false
  const notes = rowsOf(map, 'note').filter((n) => n.row.interview_id === interviewId).map((n) => n.row)
  const document = documentFor(iv.row, notes)
  const signature = await signBytes(key.privateKey, canonicalBytes(document))
  await enqueue('interview.sign', { id: uuidv7(), interview_id: interviewId, key_id: key.id, document, signature })
  return true
}
