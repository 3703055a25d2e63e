// Confidential remarks in the app: seal on every auto-save (never a plaintext draft), open for the
// author and officers, and log every opening with `remark.access` (docs/security.md §4).
import { v7 as uuidv7 } from 'uuid'
import { enqueue } from '@/store/outbox'
import { seal, openEnvelope, CannotOpen, type Envelope } from './envelope'
import { keyPairOf, loadKeys, remarkRecipients } from './keystore'
import { editingRemarks, forgetRemarkDraft, remarkDrafts } from '@/domain/remarks'

export { CannotOpen }

export async function sealRemark(userId: string, remarkId: string, interviewId: string, text: string): Promise<{ officersWithoutKey: string[] }> {
  const { recipients, officersWithoutKey } = await remarkRecipients(userId)
  const envelope = await seal(text, { rowId: remarkId, recipients })
  await enqueue('remark.put', { id: remarkId, interview_id: interviewId, envelope })
  return { officersWithoutKey }
}

/** The plaintext (and a `remark.access` queued), or CannotOpen. */
export async function openRemark(userId: string, remarkId: string, envelope: Envelope, opts: { log?: boolean } = {}): Promise<string> {
  const keys = (await loadKeys(userId))?.encryption
  if (!keys) throw new CannotOpen('not_recipient', '本机没有你的保密密钥 (no key on this device)')
  const text = await openEnvelope(envelope, { rowId: remarkId, userId, keyPair: keyPairOf(keys) })
  if (opts.log !== false) await enqueue('remark.access', { id: uuidv7(), remark_id: remarkId })
  return text
}

/**
 * Seal every remark draft of `userId` left unsealed (the tab was reloaded or closed while it
 * showed 加密中…, or the device was offline and locked) and not open in an editor here. Runs at
 * each sync; returns how many were queued.
 */
export async function sealRemarkDrafts(userId: string): Promise<number> {
  if (!(await loadKeys(userId))?.encryption) return 0
  let n = 0
  for (const d of await remarkDrafts(userId)) {
    if (editingRemarks.has(d.remarkId)) continue
    await sealRemark(userId, d.remarkId, d.interviewId, d.text)
    forgetRemarkDraft(d.interviewId, d.remarkId)
    n++
  }
  return n
}
