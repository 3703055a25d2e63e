// Interview actions shared by screens: the interview record itself, notes from drafts, submission.
import { v7 as uuidv7 } from 'uuid'
import { enqueue } from '@/store/outbox'
import { listDrafts, deleteDraft, loadDraft } from '@/store/drafts'
import { flushAutosave } from '@/store/autosave'
import { hasKeys } from '@/shell/keysState'
import { currentUser } from '@/shell/session'
import { LONG_MAX } from './forms'

/** Create or patch the interview record (`interview.save`; a patch carries only changed fields). */
export async function saveInterview(args: { id: string } & Record<string, unknown>): Promise<void> {
  await enqueue('interview.save', args)
}

/**
 * Submit the interview (status `submitted`, `ended_at` now unless already set), then sign it with this
 * device's key right after the submitting mutation (docs/security.md §5). A signing failure is logged:
 * the submission stands.
 */
export async function submitInterview(interviewId: string, opts: { ended: boolean; submitted?: boolean; amendmentReason?: string }): Promise<void> {
  const args: Record<string, unknown> = { id: interviewId, status: 'submitted' }
  // Once submitted, the end time is no longer set here: that would be an amendment of its own.
  if (!opts.ended && !opts.submitted) args.ended_at = new Date().toISOString()
  if (opts.submitted && opts.amendmentReason) args.amendment_reason = opts.amendmentReason
  await enqueue('interview.save', args)
  if (hasKeys.value && currentUser.value) {
    const { signInterview } = await import('@/crypto/signInterview')
    await signInterview(currentUser.value.id, interviewId).catch((e) => console.error('signing failed', e))
  }
}

export function noteDraftKey(interviewId: string, promptId: string | null): string {
  return `note:${interviewId}:${promptId ?? '_'}`
}

/** Turn a composer's draft into an append-only note (split if it exceeds the server's limit). */
export async function commitNoteDraft(interviewId: string, promptId: string | null): Promise<number> {
  await flushAutosave()
  const key = noteDraftKey(interviewId, promptId)
  const d = await loadDraft(key)
  const text = typeof d?.text === 'string' ? d.text.trim() : ''
  if (!text) {
    if (d) await deleteDraft(key)
    return 0
  }
  let n = 0
  for (let i = 0; i < text.length; i += LONG_MAX) {
    await enqueue('note.add', { id: uuidv7(), interview_id: interviewId, prompt_id: promptId, text: text.slice(i, i + LONG_MAX) })
    n++
  }
  await deleteDraft(key)
  return n
}

/** Commit every non-empty note composer of an interview (before submission). */
export async function commitAllNoteDrafts(interviewId: string): Promise<string[]> {
  await flushAutosave()
  const prefix = `note:${interviewId}:`
  const promptIds: string[] = []
  for (const d of await listDrafts(prefix)) {
    const pid = d.key.slice(prefix.length)
    const promptId = pid === '_' ? null : pid
    if (await commitNoteDraft(interviewId, promptId)) if (promptId) promptIds.push(promptId)
  }
  return promptIds
}

/**
 * What this user may do with an interview's record — the server's rules (sync/policy.py
 * `interview.save`, `record.amend`): a draft is edited by its cadres, its author or HR; once submitted
 * only its cadres and author change it, as an amendment with a reason; everyone else only reads.
 * `edit`: edit freely · `amend`: may amend (after giving a reason) · `locked`: submitted, read only ·
 * `none`: a draft this user may not edit.
 */
export type EditMode = 'edit' | 'amend' | 'locked' | 'none'

export function interviewEditMode(row: Record<string, unknown> | undefined, me: { id: string; roles: Iterable<string> } | null): EditMode {
  if (!row || !me) return 'none'
  const writer = ((row.cadre_ids as string[] | undefined) ?? []).includes(me.id) || row.author_id === me.id
  if (row.status === 'submitted') return writer ? 'amend' : 'locked'
  return writer || new Set(me.roles).has('hr') ? 'edit' : 'none'
}

export interface AmendmentEntry { at: string; author_id: string; reason: string; fields: string[]; before?: Record<string, unknown> }

/** 已签名 / 签名后已修改: `amended` when an amendment came after the latest stored signature. */
export function signatureState(signedAt: string[], amendments: AmendmentEntry[] | undefined): 'none' | 'signed' | 'amended' {
  if (!signedAt.length) return 'none'
  const lastSigned = [...signedAt].sort().at(-1) as string
  const lastAmended = (amendments ?? []).map((a) => a.at).sort().at(-1)
  return lastAmended && Date.parse(lastAmended) > Date.parse(lastSigned) ? 'amended' : 'signed'
}
