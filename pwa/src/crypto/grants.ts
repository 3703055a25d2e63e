// Officers joining (docs/security.md §2 "Officers joining and leaving"): an officer's client unwraps
// the content key of every remark it can open and adds a recipient entry for a newly joined officer
// (`rewrapFor`), pushed as `remark.put` (with `base`) replacing the envelope; the content ciphertext,
// nonce and kid are unchanged. The server cannot do this: it never holds a content key.
import { loadOverlay, rowsOf } from '@/store/overlay'
import { enqueue } from '@/store/outbox'
import { rewrapFor, type Envelope, type Recipient } from './envelope'
import { keyPairOf, loadKeys, type UserKeyRow } from './keystore'
import { editingRemarks } from '@/domain/remarks'
import { getDB } from '@/store/db'

export interface GrantCandidate {
  user_id: string
  name: string
  /** The officer's current (newest, not retired) encryption key. */
  key: Recipient
  /** Remarks this user can open that the officer's current key cannot. */
  remarkIds: string[]
}

/** Each user's newest non-retired encryption key (the overlay includes queued `key.retire`s). */
function currentKeys(keys: UserKeyRow[]): Map<string, UserKeyRow> {
  const out = new Map<string, UserKeyRow>()
  const live = keys.filter((k) => k.purpose === 'encryption' && !k.retired_at)
  for (const k of live.sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)))) out.set(k.user_id, k)
  return out
}

/**
 * Officers (other than `userId`) whose current key is missing from remarks `userId` can open
 * (`ownOnly`: only the remarks `userId` wrote — what the author's device re-wraps at each sync).
 */
export async function grantCandidates(userId: string, opts: { ownOnly?: boolean; skip?: Set<string> } = {}): Promise<GrantCandidate[]> {
  const map = await loadOverlay({ entities: ['remark', 'user', 'user_key'], userId })
  const keys = currentKeys(rowsOf(map, 'user_key').filter((r) => !r.deleted).map((r) => r.row as unknown as UserKeyRow))
  const remarks = rowsOf(map, 'remark').filter((r) => !r.deleted && r.row.envelope)
  const out: GrantCandidate[] = []
  for (const u of rowsOf(map, 'user')) {
    const roles = u.row.roles as string[] | undefined
    if (u.id === userId || !Array.isArray(roles) || !roles.includes('officer')) continue
    const key = keys.get(u.id)
    if (!key) continue
    const remarkIds = remarks
      .filter((r) => {
        // An editor open here seals anew for every current officer key; a re-wrap racing it would
        // replace the newer text with the older one.
        if (opts.ownOnly && (r.row.author_id !== userId || editingRemarks.has(r.id))) return false
        if (opts.skip?.has(r.id)) return false
        const env = r.row.envelope as Envelope
        const recipients = Array.isArray(env.recipients) ? env.recipients : []
        return recipients.some((x) => x.user_id === userId) && !recipients.some((x) => x.user_id === u.id && x.key_id === key.id)
      })
      .map((r) => r.id)
    if (remarkIds.length) out.push({ user_id: u.id, name: String(u.row.name ?? u.id), key: { user_id: u.id, key_id: key.id, public_key: key.public_key }, remarkIds })
  }
  return out
}

/**
 * Re-wrap every remark `userId` can open for `officerId`'s current key and queue `remark.put` for
 * each (replacing the envelope; `base` is taken from the pulled row). Remarks this device cannot
 * open (another key, tampered) are counted in `failed` and left alone.
 */
export async function grantOfficer(userId: string, officerId: string, opts: { ownOnly?: boolean; skip?: Set<string> } = {}): Promise<{ granted: number; failed: number }> {
  const mine = (await loadKeys(userId))?.encryption
  if (!mine) throw new Error('no encryption key on this device')
  const candidate = (await grantCandidates(userId, opts)).find((c) => c.user_id === officerId)
  if (!candidate) return { granted: 0, failed: 0 }
  const map = await loadOverlay({ entities: ['remark'], userId })
  let granted = 0
  let failed = 0
  for (const r of rowsOf(map, 'remark').filter((x) => candidate.remarkIds.includes(x.id))) {
    let envelope: Envelope
    try {
      envelope = await rewrapFor(r.row.envelope as Envelope, { rowId: r.id, userId, keyPair: keyPairOf(mine), add: candidate.key })
    } catch {
      failed++
      continue
    }
    await enqueue('remark.put', { id: r.id, interview_id: r.row.interview_id, envelope })
    granted++
  }
  return { granted, failed }
}

/**
 * The author's side of officers joining late (docs/security.md §4): at each sync the author's
 * device re-wraps every remark it wrote for every officer key it has learnt of since (a newly
 * enrolled officer, an officer's new key). Remarks it cannot open (written on another device with
 * another key) are left for that device. Returns how many `remark.put` were queued.
 */
export async function grantOfficersForOwnRemarks(userId: string): Promise<number> {
  if (!(await loadKeys(userId))?.encryption) return 0
  // A re-wrap the server refused waits in the rejection inbox; it is not queued again at every sync.
  const db = await getDB()
  const refused = new Set((await db.getAll('rejections')).filter((x) => x.name === 'remark.put' && x.status === 'open').map((x) => String(x.args?.id)))
  let n = 0
  for (const c of await grantCandidates(userId, { ownOnly: true, skip: refused })) n += (await grantOfficer(userId, c.user_id, { ownOnly: true, skip: refused })).granted
  return n
}
