// One writer across tabs (Web Locks). The first tab holds `fangtan-writer`; later tabs open
// read-only and may take over deliberately (`steal`), which turns the former writer read-only.
import { ref } from 'vue'

export const isWriter = ref(true)
/** True while another tab holds the writer lock. */
export const otherTabWrites = ref(false)

let release: (() => void) | null = null

function hold(mode: { ifAvailable?: boolean; steal?: boolean }): Promise<boolean> {
  return new Promise((resolve) => {
    navigator.locks
      .request('fangtan-writer', { mode: 'exclusive', ...mode }, (lock) => {
        if (!lock) {
          resolve(false)
          return undefined
        }
        resolve(true)
        // Hold until released or stolen.
        return new Promise<void>((r) => {
          release = r
        })
      })
      .catch(() => {
        // AbortError: another tab stole the lock.
        isWriter.value = false
        otherTabWrites.value = true
        release = null
      })
  })
}

export async function acquireWriter(): Promise<boolean> {
  if (typeof navigator === 'undefined' || !navigator.locks?.request) return true // no Web Locks: single writer assumed
  const ok = await hold({ ifAvailable: true })
  isWriter.value = ok
  otherTabWrites.value = !ok
  return ok
}

/** Take over writing in this tab (the other tab becomes read-only). */
export async function takeOverWriter(): Promise<void> {
  if (typeof navigator === 'undefined' || !navigator.locks?.request) return
  await hold({ steal: true })
  isWriter.value = true
  otherTabWrites.value = false
}

export function releaseWriter(): void {
  release?.()
  release = null
}
