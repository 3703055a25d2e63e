// What every online-only call shares: the online check, authenticated file downloads (exports,
// ledgers, archives) and the error text a screen shows when a call fails.
import { api, ApiError, NetworkError } from '@/sync/api'

export class OfflineError extends Error {}

export function isOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false
}

/** Download an authenticated file (the bearer token cannot go in a plain link). */
export async function download(path: string, fallbackName: string): Promise<void> {
  if (!isOnline()) throw new OfflineError('offline')
  const res = await api<Response>(path, { raw: true, timeoutMs: 60000 })
  const blob = await res.blob()
  const cd = res.headers.get('content-disposition') ?? ''
  const m = /filename\*=UTF-8''([^;]+)/i.exec(cd)
  const name = m ? decodeURIComponent(m[1]) : fallbackName
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}

export function errorText(e: unknown, offlineText: string): string {
  if (e instanceof OfflineError || e instanceof NetworkError) return offlineText
  if (e instanceof ApiError) return e.message
  if (e instanceof Error && /network|fetch/i.test(e.message)) return offlineText
  return String((e as Error)?.message ?? e)
}
