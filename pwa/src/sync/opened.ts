// An interview's notes fetched when it is opened, on a device that does not hold them all: a
// company-wide role (HR, leaders, supervision) pulls every problem, event and report of the
// company but other people's notes only with the interview they belong to (docs/sync-protocol.md
// §3.1; notes were 40 % of HR's rows and most of its bytes). Once fetched they are held like pulled
// rows, so the interview reads offline afterwards.
import { api } from './api'
import { applyFetchedRows, type PullChange } from '@/store/apply'

/** The server's COMPANY_WIDE_ROLES (sync/actor.py; tests/unit/sync/test_pull_visibility_matrix.py
 * keeps the two lists equal). */
export const COMPANY_WIDE_ROLES: readonly string[] = ['hr', 'leader', 'supervisor']

/** Whether this user's device holds other people's notes only once their interview is opened. */
export function notesFetchedOnOpen(roles: Iterable<string>): boolean {
  for (const r of roles) if (COMPANY_WIDE_ROLES.includes(r)) return true
  return false
}

/** Fetch and store the notes of one interview; returns how many rows were new to this device. */
export async function fetchInterviewNotes(interviewId: string): Promise<number> {
  const res = await api<{ changes: PullChange[] }>(`/api/sync/notes?interview=${encodeURIComponent(interviewId)}`)
  return applyFetchedRows(res.changes)
}
