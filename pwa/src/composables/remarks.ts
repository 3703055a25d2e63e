// Opening and writing confidential remarks from screens. The crypto code is imported lazily, so a
// screen that only shows that remarks exist loads none of it.
import { reactive } from 'vue'
import { currentUser } from '@/shell/session'
import type { Envelope } from '@/crypto/envelope'

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
 * Seal-as-you-type: every change is sealed anew (a fresh content key) and queued as `remark.put`,
 * debounced; the plaintext itself is never written anywhere (no localStorage journal, no draft).
 */
export function useRemarkWriter(interviewId: () => string) {
  const state = reactive({ sealing: false, sealedAt: '' as string, officersWithoutKey: [] as string[], error: '' })
  let timer: ReturnType<typeof setTimeout> | null = null
  let pending: { id: string; text: string } | null = null
  let chain: Promise<void> = Promise.resolve()

  function run(): Promise<void> {
    const job = pending
    pending = null
    if (timer) clearTimeout(timer)
    timer = null
    if (!job) return chain
    state.sealing = true
    chain = chain.then(async () => {
      const me = currentUser.value
      if (!me) return
      try {
        const { sealRemark } = await import('@/crypto/remarks')
        const r = await sealRemark(me.id, job.id, interviewId(), job.text)
        state.officersWithoutKey = r.officersWithoutKey
        state.sealedAt = new Date().toISOString()
        state.error = ''
      } catch (e) {
        state.error = e instanceof Error ? e.message : String(e)
      } finally {
        state.sealing = !!pending
      }
    })
    return chain
  }
  function change(id: string, text: string): void {
    pending = { id, text }
    state.sealing = true
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => void run(), 400)
  }
  return { state, change, flush: run }
}
