// App lock (docs/security.md §6). Every device has a PIN, set right after the first sign-in and
// before anything is pulled; the app starts locked, locks after idle time (default 5 minutes, per
// device) and on demand, and unlocks offline by unwrapping the local data key with a key derived
// from the PIN and the server-held unlock share (shell/unlockShare.ts). While locked the data key
// is forgotten: nothing is read or written (store/atrest.ts). Failed attempts wait 1, 2, 4, 8 … s
// (capped at 5 minutes); the count and the earliest next attempt live in IndexedDB, so a reload
// does not reset them. The key derivation is loaded lazily (src/crypto/lockkey.ts).
import { ref } from 'vue'
import { getMeta, getMetaMany, setMeta } from '@/store/meta'
import { copyAtRestKey, hasAtRestKey, loadAtRestCipher, setAtRestKey, setAtRestRequired } from '@/store/atrest'
import { flushAutosave } from '@/store/autosave'
import { afterUnlock } from '@/store/atrestUpgrade'
import { fetchShare, shareForUnlock, ShareUnavailable } from './unlockShare'

export const DEFAULT_IDLE_MINUTES = 5
export const MAX_DELAY_SECONDS = 300
export const PIN_MIN = 6

export const locked = ref(false)
export const lockConfigured = ref(false)
export const idleMinutes = ref(DEFAULT_IDLE_MINUTES)

let lastActivity = Date.now()
let timer: ReturnType<typeof setInterval> | null = null

export function isLocked(): boolean {
  return locked.value
}

/** Is the local data key held (unlocked with a PIN set)? */
export function hasDataKey(): boolean {
  return hasAtRestKey()
}

/** Seconds to wait after the n-th consecutive failure: 1, 2, 4, 8 … capped at 5 minutes. */
export function delaySeconds(failures: number): number {
  return failures <= 0 ? 0 : Math.min(2 ** (failures - 1), MAX_DELAY_SECONDS)
}

/** Called on user activity: restarts the idle timer. */
export function touchActivity(now = Date.now()): void {
  lastActivity = now
}

/** Lock when idle for longer than the configured minutes (run by a timer; exported for tests). */
export function checkIdle(now = Date.now()): void {
  if (lockConfigured.value && !locked.value && now - lastActivity >= idleMinutes.value * 60_000) lockNow()
}

export function lockNow(): void {
  if (!lockConfigured.value) return
  locked.value = true
  // Typing still waiting for its debounce is saved (encrypted) before the key goes.
  void flushAutosave().finally(() => {
    if (locked.value) setAtRestKey(null)
  })
}

function installWatchers(): void {
  if (timer || typeof window === 'undefined') return
  for (const ev of ['pointerdown', 'keydown', 'wheel', 'touchstart']) window.addEventListener(ev, () => touchActivity(), { passive: true })
  document.addEventListener('visibilitychange', () => checkIdle())
  timer = setInterval(() => checkIdle(), 10_000)
}

/** Forget the lock in memory (the revocation purge has deleted its configuration). */
export function forgetLock(): void {
  setAtRestKey(null)
  lockConfigured.value = false
  locked.value = false
}

/** At start: a device with a lock starts locked. */
export async function initLock(): Promise<void> {
  // The app never stores user data in plaintext: without the key, writes fail.
  setAtRestRequired(true)
  const m = await getMetaMany(['lock', 'lock_idle_minutes'])
  lockConfigured.value = !!m.lock
  idleMinutes.value = m.lock_idle_minutes ?? DEFAULT_IDLE_MINUTES
  locked.value = !!m.lock
  setAtRestKey(null)
  touchActivity()
  installWatchers()
}

/**
 * Set the PIN (right after the first sign-in; online, for the unlock share). A data key already
 * held (changing the PIN while unlocked) is kept and re-wrapped; otherwise a new one is made.
 * Throws ShareUnavailable when the server cannot be reached.
 */
export async function setupLock(pin: string): Promise<void> {
  if (pin.length < PIN_MIN) throw new Error(`PIN shorter than ${PIN_MIN}`)
  // A new key under a lock that exists would orphan everything encrypted with the old one.
  if ((await getMeta('lock')) && !hasAtRestKey()) throw new Error('unlock first to change the PIN')
  const { wrapDataKey } = await import('@/crypto/lockkey')
  const { deviceId, share } = await fetchShare()
  const existing = (await getMeta('lock')) ? copyAtRestKey() : null
  const key = existing ?? crypto.getRandomValues(new Uint8Array(32))
  const config = await wrapDataKey(pin, share, deviceId, key)
  await setMeta('lock', config)
  await setMeta('lock_failures', 0)
  await setMeta('lock_not_before', 0)
  await loadAtRestCipher()
  setAtRestKey(key)
  key.fill(0)
  await afterUnlock()
  lockConfigured.value = true
  locked.value = false
  touchActivity()
  installWatchers()
}

export async function setIdleMinutes(minutes: number): Promise<void> {
  idleMinutes.value = minutes
  await setMeta('lock_idle_minutes', minutes)
}

export type UnlockResult =
  | { ok: true }
  | { ok: false; waitSeconds: number; failures: number; tooEarly: boolean }
  /** No valid unlock share: `must_connect` (expired, offline) or `revoked` (the server refused it). */
  | { ok: false; share: 'must_connect' | 'revoked' }

/** Try the PIN; refused without trying while an earlier failure's delay runs. */
export async function unlock(pin: string, now = () => Date.now()): Promise<UnlockResult> {
  const m = await getMetaMany(['lock', 'lock_failures', 'lock_not_before'])
  if (!m.lock) {
    locked.value = false
    return { ok: true }
  }
  const failures = m.lock_failures ?? 0
  const notBefore = m.lock_not_before ?? 0
  if (now() < notBefore) return { ok: false, waitSeconds: Math.ceil((notBefore - now()) / 1000), failures, tooEarly: true }
  const { openLock, wrapDataKey } = await import('@/crypto/lockkey')
  const lockDevice = m.lock.device_id ?? (await getMeta('device_id')) ?? ''
  let share: Uint8Array | null = null
  try {
    share = await shareForUnlock(lockDevice, now())
  } catch (e) {
    if (!(e instanceof ShareUnavailable)) throw e
    // A lock from before the unlock share (v1) still opens with the PIN alone; it is re-wrapped
    // as soon as a share can be fetched.
    if (m.lock.v === 2) return { ok: false, share: e.reason }
  }
  let key: Uint8Array
  try {
    key = await openLock(m.lock, pin, share)
  } catch {
    const n = failures + 1
    await setMeta('lock_failures', n)
    await setMeta('lock_not_before', now() + delaySeconds(n) * 1000)
    return { ok: false, waitSeconds: delaySeconds(n), failures: n, tooEarly: false }
  }
  if (m.lock.v !== 2 && share) await setMeta('lock', await wrapDataKey(pin, share, lockDevice, key))
  await loadAtRestCipher()
  setAtRestKey(key)
  key.fill(0)
  await setMeta('lock_failures', 0)
  await setMeta('lock_not_before', 0)
  // Journal replay and recovery first, so the screens mount on what the last session typed.
  await afterUnlock()
  locked.value = false
  touchActivity(now())
  return { ok: true }
}
