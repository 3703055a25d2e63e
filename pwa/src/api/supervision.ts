// The supervision endpoints (online only: supervisors work on a PC) and the seed helpers.
import { api } from '@/sync/api'

export interface Draw {
  id: string; period_start: string; period_end: string; rate: number; seed_sha256: string
  committed_by: string; committed_at: string; seed: string | null; revealed_at: string | null
  population_size: number | null; sample_size: number | null
  scheme: 'commit_reveal' | 'period'; period: string | null
}
export interface SampleEntry {
  entity: 'interview' | 'issue'; item_id: string; stratum: string; rank: number; unit_id: string | null
  form: string | null; title: string; cadre_ids: string[]; finding_id: string | null; verdict: string | null
  interview_id: string | null; place: string | null; held_on: string | null; report_id: string | null
}
export interface ItemContext {
  interview_id: string | null; form: string | null; place: string | null; held_on: string | null
  cadre_ids: string[]; report_id: string | null; title: string
}
export interface Finding {
  id: string; draw_id: string; entity: string; item_id: string; verdict: string; opinion: string | null
  status: 'open' | 'responded' | 'closed'; response: string | null; evidence: string | null; created_at: string
  context: ItemContext | null; period: string | null
}
export interface Signal {
  kind: string; subject: { entity: string; id: string }; cadre_id: string | null; unit_id: string | null
  explanation_zh: string; details: Record<string, unknown>
}
export type Verdict = 'ok' | 'formalism' | 'perfunctory' | 'other'

const hex = (b: ArrayBuffer | Uint8Array): string => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('')

/** 32 random bytes as 64 lowercase hex characters, and the SHA-256 of those bytes (the commitment). */
export async function newSeed(): Promise<{ seed: string; hash: string }> {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return { seed: hex(bytes), hash: hex(await crypto.subtle.digest('SHA-256', bytes)) }
}

/** The supervisor keeps the seed on this PC until the period ends (never sent before the reveal). */
const SEED_KEY = (hash: string): string => `fangtan.supervision.seed.${hash}`
export const keepSeed = (hash: string, seed: string): void => localStorage.setItem(SEED_KEY(hash), seed)
export const keptSeed = (hash: string): string => localStorage.getItem(SEED_KEY(hash)) ?? ''

const base = '/api/supervision'
export const listDraws = (): Promise<Draw[]> => api<Draw[]>(`${base}/draws`)
export const commitDraw = (body: { period_start: string; period_end: string; rate: number; seed_sha256: string }): Promise<Draw> =>
  api<Draw>(`${base}/draws`, { method: 'POST', json: body })
/** Draw a past or current period from the server's hash chain; a period already drawn comes back unchanged. */
export const drawPeriod = (body: { period: string; rate: number }): Promise<Draw> =>
  api<Draw>(`${base}/period-draws`, { method: 'POST', json: body })
export const revealDraw = (id: string, seed: string): Promise<Draw> => api<Draw>(`${base}/draws/${id}/reveal`, { method: 'POST', json: { seed } })
export const sampleOf = (id: string): Promise<SampleEntry[]> => api<SampleEntry[]>(`${base}/draws/${id}/sample`)
export interface Verification {
  seed_matches_commitment?: boolean; sample_matches?: boolean
  scheme?: 'period'; ok?: boolean; checks?: [boolean, string][]
}
export const verifyDraw = (id: string, seed: string | null): Promise<Verification> =>
  api(`${base}/draws/${id}/verify${seed ? `?seed=${encodeURIComponent(seed)}` : ''}`)
export const recordFinding = (id: string, body: { entity: string; item_id: string; verdict: Verdict; opinion: string | null }): Promise<Finding> =>
  api<Finding>(`${base}/draws/${id}/findings`, { method: 'POST', json: body })
export const listFindings = (): Promise<Finding[]> => api<Finding[]>(`${base}/findings`)
export const respondFinding = (id: string, response: string): Promise<Finding> =>
  api<Finding>(`${base}/findings/${id}/respond`, { method: 'POST', json: { response } })
export const closeFinding = (id: string, evidence: string): Promise<Finding> =>
  api<Finding>(`${base}/findings/${id}/close`, { method: 'POST', json: { evidence } })
export const signalsFor = (start: string, end: string): Promise<Signal[]> =>
  api<Signal[]>(`${base}/signals?start=${start}&end=${end}`)
