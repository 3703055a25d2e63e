// Durable storage: ask for persistence (so the browser does not evict unsynced interviews) and
// report usage/quota for the status screen and the audio pre-check.
import { syncStatus } from '@/sync/status'
import { setMeta } from '@/store/meta'

export async function requestPersistence(): Promise<boolean | null> {
  const s = typeof navigator !== 'undefined' ? navigator.storage : undefined
  if (!s?.persist) return null
  let persisted = (await s.persisted?.()) ?? false
  if (!persisted) {
    try {
      persisted = await s.persist()
    } catch {
      persisted = false
    }
  }
  syncStatus.persisted = persisted
  await setMeta('persisted', persisted)
  return persisted
}

export async function refreshEstimate(): Promise<{ usage: number; quota: number } | null> {
  const s = typeof navigator !== 'undefined' ? navigator.storage : undefined
  if (!s?.estimate) return null
  const est = await s.estimate()
  syncStatus.usage = est.usage ?? null
  syncStatus.quota = est.quota ?? null
  if (s.persisted) syncStatus.persisted = await s.persisted()
  return { usage: est.usage ?? 0, quota: est.quota ?? 0 }
}

/** Free bytes, or null when the browser does not say. */
export async function freeBytes(): Promise<number | null> {
  const e = await refreshEstimate()
  return e && e.quota ? e.quota - e.usage : null
}

export function formatBytes(n: number | null | undefined): string {
  if (n == null) return '—'
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`
}
