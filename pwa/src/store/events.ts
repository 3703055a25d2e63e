// Change notifications: screens re-read the overlay when local data changes, in this tab or another.
export type ChangeKind = 'outbox' | 'rows' | 'blobs' | 'conflicts' | 'rejections' | 'meta' | 'sync'

type Listener = (kinds: Set<ChangeKind>) => void

const listeners = new Set<Listener>()
let channel: BroadcastChannel | null = null
let pending: Set<ChangeKind> | null = null

function ensureChannel(): void {
  if (channel || typeof BroadcastChannel === 'undefined') return
  channel = new BroadcastChannel('fangtan-changes')
  channel.onmessage = (ev: MessageEvent<ChangeKind[]>) => deliver(new Set(ev.data))
}

function deliver(kinds: Set<ChangeKind>): void {
  for (const l of [...listeners]) {
    try {
      l(kinds)
    } catch (e) {
      console.error(e)
    }
  }
}

/** Announce a local change (batched per microtask; also sent to other tabs). */
export function notifyChange(...kinds: ChangeKind[]): void {
  ensureChannel()
  if (!pending) {
    pending = new Set()
    queueMicrotask(() => {
      const kindsNow = pending!
      pending = null
      deliver(kindsNow)
      channel?.postMessage([...kindsNow])
    })
  }
  for (const k of kinds) pending.add(k)
}

export function onChange(listener: Listener): () => void {
  ensureChannel()
  listeners.add(listener)
  return () => listeners.delete(listener)
}
