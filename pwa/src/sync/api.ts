// HTTP to the fangtan server: JSON in and out, the Bearer access token on every call, one
// transparent token refresh on 401, and errors as `ApiError` with the server's stable code.
import { getMeta, getMetaMany, setMeta } from '@/store/meta'
import { getDB } from '@/store/db'
import { notifyChange } from '@/store/events'

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field?: string,
    public details?: Record<string, unknown>,
    public retryAfter?: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** The server could not be reached (offline, DNS, connection refused, timeout). */
export class NetworkError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NetworkError'
  }
}

let apiBase = ''
let fetchImpl: typeof fetch = (...a) => fetch(...a)

/** For tests: a different origin or a mock fetch. */
export function configureApi(opts: { base?: string; fetch?: typeof fetch }): void {
  if (opts.base !== undefined) apiBase = opts.base
  if (opts.fetch) fetchImpl = opts.fetch
}

export interface RequestOptions {
  method?: string
  json?: unknown
  body?: BodyInit
  headers?: Record<string, string>
  auth?: boolean
  /** Return the raw Response (for blobs); errors are still thrown for non-2xx except `okStatuses`. */
  raw?: boolean
  okStatuses?: number[]
  timeoutMs?: number
  signal?: AbortSignal
}

function parseRetryAfter(v: string | null): number | undefined {
  if (!v) return undefined
  const n = Number(v)
  if (Number.isFinite(n)) return Math.max(0, n)
  const t = Date.parse(v)
  return Number.isNaN(t) ? undefined : Math.max(0, (t - Date.now()) / 1000)
}

export async function errorFromResponse(res: Response): Promise<ApiError> {
  let code = `http.${res.status}`
  let message = res.statusText || `HTTP ${res.status}`
  let field: string | undefined
  let details: Record<string, unknown> | undefined
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; field?: string; details?: Record<string, unknown> } }
    if (body?.error) {
      code = body.error.code ?? code
      message = body.error.message ?? message
      field = body.error.field
      details = body.error.details
      // Some errors carry extra facts at the top level of `error` (e.g. expected ids).
      const { code: _c, message: _m, field: _f, details: _d, ...rest } = body.error as Record<string, unknown>
      void _c, void _m, void _f, void _d
      if (Object.keys(rest).length) details = { ...rest, ...(details ?? {}) }
    }
  } catch {
    /* not JSON */
  }
  return new ApiError(res.status, code, message, field, details, parseRetryAfter(res.headers.get('Retry-After')))
}

/** The language the user chose (设置; zh-CN unless they chose English): the server writes its messages
 * — error envelopes and the refusals stored in 被退回 — in it (docs/api.md "Which language the server speaks").
 * Read from storage, not from vue-i18n, so workers that have no localStorage simply say zh-CN. */
export function chosenLanguage(): string {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem('fangtan.locale') === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

async function rawFetch(path: string, opts: RequestOptions, token?: string): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: 'application/json', 'Accept-Language': chosenLanguage(), ...(opts.headers ?? {}),
  }
  let body = opts.body
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.json)
  }
  if (token) headers.Authorization = `Bearer ${token}`
  const ctrl = new AbortController()
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs ?? 30_000)
  opts.signal?.addEventListener('abort', () => ctrl.abort())
  try {
    return await fetchImpl(apiBase + path, { method: opts.method ?? 'GET', headers, body, signal: ctrl.signal, cache: 'no-store' })
  } catch (e) {
    throw new NetworkError(e instanceof Error ? e.message : String(e))
  } finally {
    clearTimeout(timer)
  }
}

let refreshing: Promise<string> | null = null

/** One refresh at a time across this origin's tabs and workers (Web Locks where the browser has
 * them): a refresh token is single-use, and presenting a used one ends the whole sign-in on the
 * server (reuse detection, docs/security.md), so two tabs must never both spend the same token. */
function acrossTabs<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined
  return locks ? (locks.request('fangtan-token-refresh', fn) as Promise<T>) : fn()
}

/** Trade the refresh token for a new pair (rotating); single flight across concurrent callers. */
export function refreshAccessToken(): Promise<string> {
  if (!refreshing) {
    const before = getMeta('refresh_token')
    refreshing = acrossTabs(async () => {
      const refresh = await getMeta('refresh_token')
      if (!refresh) throw new ApiError(401, 'auth.required', 'not signed in')
      // Another tab refreshed while this one waited for the lock: use the pair it stored.
      const access = await getMeta('access_token')
      if (refresh !== (await before) && access) return access as string
      const res = await rawFetch('/api/auth/refresh', { method: 'POST', json: { refresh_token: refresh } })
      if (!res.ok) {
        const err = await errorFromResponse(res)
        if (res.status === 401) await markNeedsSignIn(err.code)
        throw err
      }
      const body = (await res.json()) as { access_token: string; refresh_token: string }
      const db = await getDB()
      const tx = db.transaction('meta', 'readwrite')
      await tx.store.put(body.access_token, 'access_token')
      await tx.store.put(body.refresh_token, 'refresh_token')
      await tx.done
      return body.access_token
    }).finally(() => {
      refreshing = null
    })
  }
  return refreshing
}

async function markNeedsSignIn(code: string): Promise<void> {
  // Two requests refused at once: the first may already have purged this revoked device. Reading
  // the enrolment and writing in one transaction (it queues behind the purge's) keeps anything of
  // the purged session from coming back into the emptied database.
  const db = await getDB()
  const tx = db.transaction('meta', 'readwrite')
  const enrolled = !!(await tx.store.get('device_id'))
  if (enrolled) {
    await tx.store.put(true, 'needs_sign_in')
    await tx.store.put({ code, message: code }, 'last_sync_error')
  }
  await tx.done
  if (!enrolled) return
  // A revoked device purges itself once nothing unsynced is left (shell/revocation.ts).
  if (code === 'auth.device_revoked') await markRevoked(code)
  notifyChange('meta')
}

export async function markRevoked(code = 'auth.device_revoked'): Promise<void> {
  const db = await getDB()
  const tx = db.transaction('meta', 'readwrite') // as in markNeedsSignIn: never into a purged database
  if ((await tx.store.get('device_id')) && !(await tx.store.get('revoked'))) {
    await tx.store.put({ at: new Date().toISOString(), code }, 'revoked')
  }
  await tx.done
  notifyChange('meta')
}

let onPasswordChangeRequired: () => void = () => {}

/** shell/session.ts learns here that the server wants a new password first (403
 * `auth.password_change_required`, e.g. a session restored from storage). */
export function setPasswordChangeHandler(fn: () => void): void {
  onPasswordChangeRequired = fn
}

/** Authenticated request; returns parsed JSON (or the Response when `raw`). */
export async function api<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
  const auth = opts.auth !== false
  let token: string | undefined
  if (auth) token = (await getMetaMany(['access_token'])).access_token
  let res = await rawFetch(path, opts, token)
  if (auth && res.status === 401) {
    const err = await errorFromResponse(res)
    if (err.code === 'auth.device_revoked' || err.code === 'auth.user_disabled') {
      await markNeedsSignIn(err.code)
      throw err
    }
    token = await refreshAccessToken()
    res = await rawFetch(path, opts, token)
  }
  if (!res.ok && !(opts.okStatuses ?? []).includes(res.status)) {
    const err = await errorFromResponse(res)
    if (res.status === 401) await markNeedsSignIn(err.code)
    if (res.status === 403 && err.code === 'auth.password_change_required') {
      await setMeta('must_change_password', true)
      onPasswordChangeRequired()
      notifyChange('meta')
    }
    throw err
  }
  if (opts.raw) return res as unknown as T
  if (res.status === 204) return undefined as T
  const text = await res.text()
  return (text ? JSON.parse(text) : undefined) as T
}
