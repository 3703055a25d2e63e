// Opening and writing confidential remarks from screens. The crypto code is imported lazily, so a
// screen that only shows that remarks exist loads none of it.
import { reactive } from 'vue'
import { currentUser } from '@/shell/session'
import type { Envelope } from '@/crypto/envelope'
import { editingRemarks, forgetRemarkDraft, journalRemark, remarkDrafts, type RemarkDraft } from '@/domain/remarks'

export interface OpenState {
  text?: string
  error?: string
  busy?: boolean
}

/** Per-remark plaintext while shown (memory only, never stored) and errors. */
export function useRemarkReader() {
  const opened = reactive<Record<string, OpenState>>({})
  async function open(id: string, envelope: unknown, opts: { log?: boolean } = {}): Promise<string | undefined> {
    const me = currentUser.value
    if (!me) return
    opened[id] = { busy: true }
    try {
      const { openRemark } = await import('@/crypto/remarks')
      const text = await openRemark(me.id, id, envelope as Envelope, opts)
      opened[id] = { text }
      return text
    } catch (e) {
      opened[id] = { error: e instanceof Error ? e.message : String(e) }
    }
  }
  function close(id: string): void {
    delete opened[id]
  }
  return { opened, open, close }
}

export function isRecipient(envelope: unknown, userId: string | undefined): boolean {
  const env = envelope as { recipients?: Array<{ user_id?: string }> } | null
  return !!userId && !!env?.recipients?.some((r) => r.user_id === userId)
}

/**
 * Seal-as-you-type: every keystroke is journaled at once (domain/remarks.ts: encrypted at rest under
 * the local data key, like every other field), and sealed anew (a fresh content key) into a
 * `remark.put`, debounced; once the sealed text is in the outbox the draft is dropped. A reload
 * while it shows 加密中… finds the draft and reopens it (`restore`).
 */
export function useRemarkWriter(interviewId: () => string) {
  const state = reactive({ sealing: false, sealedAt: '' as string, officersWithoutKey: [] as string[], error: '' })
  let timer: ReturnType<typeof setTimeout> | null = null
  let pending: { id: string; text: string; existing: boolean } | null = null
  /** The newest text per remark id: a draft is dropped only when what was sealed is still it. */
  const latest = new Map<string, string>()
  let chain: Promise<void> = Promise.resolve()

  function run(): Promise<void> {
    const job = pending
    pending = null
    if (timer) clearTimeout(timer)
    timer = null
    if (!job) return chain
    state.sealing = true
    const iv = interviewId()
    chain = chain.then(async () => {
      const me = currentUser.value
      if (!me) return
      try {
        const { sealRemark } = await import('@/crypto/remarks')
        const r = await sealRemark(me.id, job.id, iv, job.text)
        if (latest.get(job.id) === job.text && pending?.id !== job.id) forgetRemarkDraft(iv, job.id)
        state.officersWithoutKey = r.officersWithoutKey
        state.sealedAt = new Date().toISOString()
        state.error = ''
      } catch (e) {
        state.error = e instanceof Error ? e.message : String(e) // the draft stays journaled
      } finally {
        state.sealing = !!pending
      }
    })
    return chain
  }
  /** `existing`: the remark is already sealed (emptying it is a change to seal too). */
  function change(id: string, text: string, existing: boolean): void {
    const me = currentUser.value
    if (!me) return
    editingRemarks.add(id)
    latest.set(id, text)
    journalRemark({ remarkId: id, interviewId: interviewId(), authorId: me.id, text, existing })
    if (!text && !existing) {
      if (pending?.id === id) pending = null
      state.sealing = !!pending
      return
    }
    pending = { id, text, existing }
    state.sealing = true
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => void run(), 400)
  }
  /** The unsealed drafts of this interview (the newest last), to reopen after a reload. */
  async function restore(): Promise<RemarkDraft[]> {
    const me = currentUser.value
    if (!me) return []
    // What is committed: a slot still pending is this tab's own typing (its editor is open).
    return remarkDrafts(me.id, interviewId(), { flush: false })
  }
  /** The editor closed: later drafts of this remark (if any) are sealed by the sync's sweep. */
  async function release(id: string): Promise<void> {
    await run()
    editingRemarks.delete(id)
  }
  return { state, change, flush: run, restore, release }
}
