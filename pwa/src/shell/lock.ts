// App lock (docs/security.md §6). Once a PIN/passphrase is set (at key enrolment), the app starts
// locked, locks after idle time (default 5 minutes, per device) and on demand, and unlocks offline
// by unwrapping the local data key with the PIN-derived key. Failed attempts wait 1, 2, 4, 8 … s
// (capped at 5 minutes); the count and the earliest next attempt live in IndexedDB, so a reload
// does not reset them. The key derivation is loaded lazily (src/crypto/lockkey.ts).
import { ref } from 'vue'
import { getMetaMany, setMeta } from '@/store/meta'

export const DEFAULT_IDLE_MINUTES = 5
export const MAX_DELAY_SECONDS = 300
export const PIN_MIN = 6

export const locked = ref(false)
export const lockConfigured = ref(false)
export const idleMinutes = ref(DEFAULT_IDLE_MINUTES)

let lastActivity = Date.now()
let dataKey: CryptoKey | null = null
let timer: ReturnType<typeof setInterval> | null = null

export function isLocked(): boolean {
  return locked.value
}

/** The unwrapped local data key while unlocked (null when locked or no lock is set). */
export function localDataKey(): CryptoKey | null {
  return dataKey
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
  dataKey = null
}

function installWatchers(): void {
  if (timer || typeof window === 'undefined') return
  for (const ev of ['pointerdown', 'keydown', 'wheel', 'touchstart']) window.addEventListener(ev, () => touchActivity(), { passive: true })
  document.addEventListener('visibilitychange', () => checkIdle())
  timer = setInterval(() => checkIdle(), 10_000)
}

/** Forget the lock in memory (the revocation purge has deleted its configuration). */
export function forgetLock(): void {
  dataKey = null
  lockConfigured.value = false
  locked.value = false
}

/** At start: a device with a lock starts locked. */
export async function initLock(): Promise<void> {
  const m = await getMetaMany(['lock', 'lock_idle_minutes'])
  lockConfigured.value = !!m.lock
  idleMinutes.value = m.lock_idle_minutes ?? DEFAULT_IDLE_MINUTES
  locked.value = !!m.lock
  if (m.lock) dataKey = null
  touchActivity()
  installWatchers()
}

/** Set (or replace) the PIN: a new local data key wrapped under it. */
export async function setupLock(pin: string): Promise<void> {
  if (pin.length < PIN_MIN) throw new Error(`PIN shorter than ${PIN_MIN}`)
  const { createLock } = await import('@/crypto/lockkey')
  const { config, dataKey: key } = await createLock(pin)
  await setMeta('lock', config)
  await setMeta('lock_failures', 0)
  await setMeta('lock_not_before', 0)
  dataKey = key
  lockConfigured.value = true
  locked.value = false
  touchActivity()
  installWatchers()
}

export async function setIdleMinutes(minutes: number): Promise<void> {
  idleMinutes.value = minutes
  await setMeta('lock_idle_minutes', minutes)
}

export type UnlockResult = { ok: true } | { ok: false; waitSeconds: number; failures: number; tooEarly: boolean }

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
  const { openLock } = await import('@/crypto/lockkey')
  try {
    dataKey = await openLock(m.lock, pin)
  } catch {
    const n = failures + 1
    await setMeta('lock_failures', n)
    await setMeta('lock_not_before', now() + delaySeconds(n) * 1000)
    return { ok: false, waitSeconds: delaySeconds(n), failures: n, tooEarly: false }
  }
  await setMeta('lock_failures', 0)
  await setMeta('lock_not_before', 0)
  locked.value = false
  touchActivity(now())
  return { ok: true }
}
