// Remark drafts (docs/security.md §4 "Confidential remarks: threat model"): what is typed into a
// confidential remark is journaled on every keystroke like any other field (store/autosave.ts: the
// localStorage journal and the `drafts` store, both encrypted at rest under the local data key),
// until the text is sealed into an envelope and queued as `remark.put`. A reload, a tab closed or a
// crash while it shows 加密中… therefore loses nothing: the draft is reopened in the editor (or sealed
// at the next sync). The plaintext is never stored unencrypted.
import { autosave, flushAutosave } from '@/store/autosave'
import { listDrafts } from '@/store/drafts'

export interface RemarkDraft {
  key: string
  remarkId: string
  interviewId: string
  authorId: string
  text: string
  /** An edit of a remark already sealed (an empty text then still replaces it). */
  existing: boolean
}

export const remarkDraftPrefix = (interviewId?: string) => (interviewId ? `remark:${interviewId}:` : 'remark:')
export const remarkDraftKey = (interviewId: string, remarkId: string) => `${remarkDraftPrefix(interviewId)}${remarkId}`

/** Remark ids open in an editor of this tab: sealed by that editor, not by the sync's sweep. */
export const editingRemarks = new Set<string>()

/** Journal the text now (synchronously, encrypted); the draft reaches IndexedDB within ≤ 250 ms. */
export function journalRemark(d: Omit<RemarkDraft, 'key'>): void {
  const key = remarkDraftKey(d.interviewId, d.remarkId)
  const keep = d.text !== '' || d.existing
  autosave(`draft:${key}`, {
    kind: 'draft',
    key,
    value: keep ? { remark_id: d.remarkId, interview_id: d.interviewId, author_id: d.authorId, text: d.text, existing: d.existing } : null,
  })
}

/** Drop the draft once its text is sealed into the outbox. */
export function forgetRemarkDraft(interviewId: string, remarkId: string): void {
  const key = remarkDraftKey(interviewId, remarkId)
  autosave(`draft:${key}`, { kind: 'draft', key, value: null })
}

/** Unsealed remark drafts of `authorId` (all interviews, or one); `flush`: pending saves first. */
export async function remarkDrafts(authorId: string, interviewId?: string, opts: { flush?: boolean } = {}): Promise<RemarkDraft[]> {
  if (opts.flush !== false) await flushAutosave()
  return (await listDrafts(remarkDraftPrefix(interviewId)))
    .filter((d) => d.value?.author_id === authorId && typeof d.value?.text === 'string')
    .sort((a, b) => String(a.updated_at).localeCompare(String(b.updated_at)))
    .map((d) => ({
      key: d.key,
      remarkId: String(d.value.remark_id),
      interviewId: String(d.value.interview_id),
      authorId,
      text: String(d.value.text),
      existing: !!d.value.existing,
    }))
}

/**
 * When a remark was written, as shown (记录于): the author's writing time the server keeps
 * (`written_at`, issue 16 point 7), else — a row from before that field — its last receipt time.
 * Not its sync time: a remark written offline in the plant keeps the hour it was written.
 */
export function remarkWrittenAt(row: Record<string, unknown>): string {
  return String(row.written_at ?? row.updated_at ?? row.created_at ?? '')
}
