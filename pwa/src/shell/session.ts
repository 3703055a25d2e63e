// Sign-in and the session. The first sign-in (online) enrols this install as a device; after that
// the app opens offline for the same user from what IndexedDB holds, refreshing tokens when online.
import { ref, computed } from 'vue'
import { getDB } from '@/store/db'
import { getMeta, getMetaMany, setMeta, type SessionUser } from '@/store/meta'
import { notifyChange } from '@/store/events'
import { api, ApiError, markRevoked, setPasswordChangeHandler } from '@/sync/api'
import { purgeLocalData, unsyncedCounts } from '@/store/purge'
import { forgetLock, lockConfigured, locked } from './lock'
import { settleLocaleAtSignIn } from './localeChoice'

export const currentUser = ref<SessionUser | null>(null)
export const deviceId = ref<string | null>(null)
/** Origin employees' phones open the receipt and rating pages at ('' = this origin), docs/deploy.md §6. */
export const publicBaseUrl = ref('')
/** Still on a one-time password (roster import, admin reset): 设置新密码 comes first. */
export const mustChangePassword = ref(false)
/** The one-time password just typed at sign-in, kept in memory only to prefill the change form. */
export const oneTimePassword = ref('')
setPasswordChangeHandler(() => {
  mustChangePassword.value = true
})
export const roles = computed(() => new Set(currentUser.value?.roles ?? []))

export async function loadSession(): Promise<SessionUser | null> {
  const m = await getMetaMany(['user', 'device_id', 'refresh_token', 'public_base_url', 'must_change_password'])
  publicBaseUrl.value = m.public_base_url ?? ''
  mustChangePassword.value = !!m.must_change_password
  if (m.user && m.device_id && m.refresh_token) {
    currentUser.value = m.user
    deviceId.value = m.device_id
    return m.user
  }
  currentUser.value = null
  return null
}

/** A readable device name for the device list (e.g. "Chrome · Android"). */
export function deviceName(ua = typeof navigator !== 'undefined' ? navigator.userAgent : ''): string {
  const browser = /Edg\//.test(ua) ? 'Edge' : /Chrome\//.test(ua) ? 'Chrome' : /Firefox\//.test(ua) ? 'Firefox' : /Safari\//.test(ua) ? 'Safari' : '浏览器'
  const os = /Android/.test(ua) ? 'Android' : /iPad|iPhone|iPod/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '其他系统'
  const kind = /Mobile/.test(ua) ? '手机' : /Android|iPad|Tablet/.test(ua) ? '平板' : '电脑'
  return `${browser} · ${os} ${kind}`.slice(0, 120)
}

export class SwitchUserBlocked extends Error {
  constructor(public otherName: string, public pending: number) {
    super('unsynced work of another user on this device')
  }
}

/**
 * The server no longer accepts this install's device (revoked, or not this user's) while unsynced
 * work is still waiting: a fresh enrolment would start a new device whose ids restart at 1, and
 * what is queued here could never be confirmed as the old device's. Nothing is cleared.
 */
export class DeviceNotReusable extends Error {
  constructor(public code: string, public pending: number) {
    super('this device cannot be re-used and unsynced work is waiting')
  }
}

interface LoginResponse {
  access_token: string
  refresh_token: string
  device_id: string
  user: SessionUser
  public_base_url?: string
  must_change_password?: boolean
  /** The language the account chose for notifications (none: zh-CN). */
  locale?: string | null
}

/** Did the server refuse the `device_id` we offered (revoked, or another user's device)? */
function deviceRefused(e: unknown): boolean {
  if (!(e instanceof ApiError)) return false
  return e.code === 'auth.device_revoked' || (e.field ?? '').split(/[.[]/)[0] === 'device_id'
}

/**
 * Sign in online. If this install belongs to another user and still has unsynced work, refuse
 * (nothing typed may be lost); if it belongs to another user with nothing pending, clear it first.
 *
 * Signing in again as the same user on the same install (e.g. after the refresh token expired)
 * sends the install's `device_id`, so the server re-uses the device: the outbox numbering simply
 * continues and nothing already sent is applied twice. Only if the server refuses that device
 * (`auth.device_revoked`, or a `device_id` field error) and the outbox is empty does the install
 * enrol as a new device; with work still waiting it throws `DeviceNotReusable` and keeps everything.
 */
export async function signIn(username: string, password: string): Promise<SessionUser> {
  const prev = await getMeta('user')
  const storedDevice = (await getMeta('device_id')) as string | undefined
  const offerDevice = storedDevice && prev?.username === username ? storedDevice : undefined
  const login = (device_id?: string) =>
    api<LoginResponse>('/api/auth/login', {
      method: 'POST',
      auth: false,
      json: device_id ? { username, password, device_name: deviceName(), device_id } : { username, password, device_name: deviceName() },
    })
  return completeSignIn(login, offerDevice, password, username)
}

/**
 * Single sign-on (企业统一登录): the server's callback sent the browser back to `/login#sso_code=…`;
 * trade that one-time code for the same answer a password login gives. The install's device is
 * offered (the user is not known before the answer); a refused device leaves the code usable, so the
 * retry as a new device follows the same rules as a password sign-in.
 */
export async function signInWithSso(code: string): Promise<SessionUser> {
  const storedDevice = (await getMeta('device_id')) as string | undefined
  const login = (device_id?: string) =>
    api<LoginResponse>('/api/auth/oidc/exchange', {
      method: 'POST',
      auth: false,
      json: device_id ? { code, device_name: deviceName(), device_id } : { code, device_name: deviceName() },
    })
  return completeSignIn(login, storedDevice, '')
}

/** How one may sign in here (public): whether the 企业统一登录 button is shown. */
export interface SignInConfig { sso: boolean; sso_providers: string[]; password_login: boolean }
export async function signInConfig(): Promise<SignInConfig> {
  return api<SignInConfig>('/api/auth/config', { auth: false })
}

async function completeSignIn(
  login: (device_id?: string) => Promise<LoginResponse>, offerDevice: string | undefined, password: string,
  typedUsername = '',
): Promise<SessionUser> {
  const db = await getDB()
  let prev = await getMeta('user')
  let body: LoginResponse
  try {
    body = await login(offerDevice)
  } catch (e) {
    if (!offerDevice || !deviceRefused(e)) throw e
    const revoked = (e as ApiError).code === 'auth.device_revoked'
    const pending = revoked ? (await unsyncedCounts()).total : await db.count('outbox')
    if (pending > 0) {
      await setMeta('needs_sign_in', true)
      // A revoked device with unsynced work: the revocation screen offers it as a file first.
      if (revoked) await markRevoked()
      throw new DeviceNotReusable((e as ApiError).code, pending)
    }
    if (revoked) {
      // Revoked and nothing unsynced: this install's data and keys go (docs/security.md §6);
      // the user continues on a freshly enrolled device and recovers their key there.
      await purgeLocalData()
      forgetLock()
      prev = undefined
    }
    body = await login(undefined) // nothing waiting: a fresh enrolment loses nothing
  }
  const username = body.user.username || typedUsername
  const sameUser = prev?.id === body.user.id
  if (prev && !sameUser) {
    const pending = (await db.count('outbox')) + (await db.count('drafts'))
    if (pending > 0) throw new SwitchUserBlocked(prev.name, pending)
  }
  const tx = db.transaction(['meta', 'rows', 'outbox', 'conflicts', 'rejections', 'drafts', 'blobs'], 'readwrite')
  const meta = tx.objectStore('meta')
  if (prev && !sameUser) {
    for (const s of ['rows', 'conflicts', 'rejections', 'drafts', 'blobs'] as const) await tx.objectStore(s).clear()
    for (const k of ['cursor', 'pull_upto', 'server_last_mutation_id', 'last_sync_at', 'last_sync_ok_at', 'last_sync_error']) await meta.delete(k)
    // The previous user's keys and app lock go with them (issue 5).
    for (const k of ['keys', 'lock', 'lock_failures', 'lock_not_before']) await meta.delete(k)
  }
  const oldDevice = (await meta.get('device_id')) as string | undefined
  if (oldDevice !== body.device_id) {
    // A new device starts at mutation id 1: renumber whatever is still waiting (empty unless the
    // install switched user, which is refused above while work is pending).
    const outbox = tx.objectStore('outbox')
    const entries = (await outbox.getAll()).sort((a, b) => a.id - b.id)
    await outbox.clear()
    let next = 1
    for (const e of entries) await outbox.add({ ...e, id: next++ })
    await meta.put(next, 'next_mutation_id')
    await meta.delete('server_last_mutation_id')
  }
  await meta.put(body.device_id, 'device_id')
  await meta.put(deviceName(), 'device_name')
  await meta.put(body.public_base_url ?? '', 'public_base_url')
  await meta.put({ ...body.user, username }, 'user')
  await meta.put(body.access_token, 'access_token')
  await meta.put(body.refresh_token, 'refresh_token')
  await meta.put(false, 'needs_sign_in')
  await meta.put(!!body.must_change_password, 'must_change_password')
  await tx.done
  mustChangePassword.value = !!body.must_change_password
  oneTimePassword.value = body.must_change_password ? password : ''
  if (prev && !sameUser) {
    lockConfigured.value = false
    locked.value = false
  }
  currentUser.value = { ...body.user, username }
  deviceId.value = body.device_id
  publicBaseUrl.value = body.public_base_url ?? ''
  notifyChange('meta', 'rows', 'outbox')
  await settleLocaleAtSignIn(body.locale)
  return currentUser.value
}

/** Sign out: only when nothing is waiting to sync (the caller checks and explains). */
export async function signOut(): Promise<void> {
  const db = await getDB()
  const tx = db.transaction('meta', 'readwrite')
  for (const k of ['access_token', 'refresh_token'] as const) await tx.store.delete(k)
  await tx.done
  currentUser.value = null
  oneTimePassword.value = ''
  notifyChange('meta')
}

/** The server refused the new (or current) password; `message` is in the screen's language. */
export class PasswordRefused extends Error {
  constructor(public field: 'current_password' | 'new_password' | 'form', message: string, public code: string) {
    super(message)
  }
}

/**
 * The server's refusals read "中文 (English)": the Chinese part for the Chinese screen, the part in
 * brackets for the English one (no English inside a Chinese screen).
 */
export function localizedServerMessage(message: string, locale: string): string {
  const m = /^(.*?)\s*\(([^()]*)\)\s*$/s.exec(message)
  if (!m) return message
  return locale === 'en' ? m[2] || message : m[1] || message
}

/**
 * Replace the signed-in user's password (`POST /api/me/password`): after a one-time password this
 * clears `mustChangePassword`, and the app continues to the PIN setup as a normal first sign-in.
 * A 400 refusal becomes `PasswordRefused` naming the field; other errors pass through.
 */
export async function changePassword(current: string, next: string, locale = 'zh-CN'): Promise<void> {
  try {
    await api('/api/me/password', { method: 'POST', json: { current_password: current, new_password: next } })
  } catch (e) {
    if (e instanceof ApiError && e.status === 400) {
      const field = e.field === 'current_password' || e.field === 'new_password' ? e.field : 'form'
      throw new PasswordRefused(field, localizedServerMessage(e.message, locale), e.code)
    }
    throw e
  }
  await setMeta('must_change_password', false)
  mustChangePassword.value = false
  oneTimePassword.value = ''
  notifyChange('meta')
}
