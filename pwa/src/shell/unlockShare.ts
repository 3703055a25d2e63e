// The server-held unlock share (docs/security.md §6): 32 random bytes per device that the app-lock
// key mixes in. The device caches it until last successful fetch + `valid_days` (server setting,
// 30 by default) and refreshes it on every sync contact; past that it must reach the server to
// unlock, which a revoked device cannot (401 auth.device_revoked). Time is the latest wall-clock
// time this install has seen, so setting the clock back does not extend the cache.
import { api, ApiError, NetworkError } from '@/sync/api'
import { deleteMeta, getMeta, setMeta, type CachedUnlockShare } from '@/store/meta'
import { unb64url } from '@/crypto/b64'

const DAY_MS = 86_400_000

export interface FetchedShare {
  device_id: string
  share: string
  valid_days: number
}

export type ShareFetcher = () => Promise<FetchedShare>

let fetcher: ShareFetcher = () => api<FetchedShare>('/api/devices/me/unlock-share', { timeoutMs: 15_000 })

/** Tests replace the network call. */
export function setShareFetcher(f: ShareFetcher): void {
  fetcher = f
}

/** Why a share could not be had: offline past expiry, or the server revoked this device. */
export class ShareUnavailable extends Error {
  constructor(public reason: 'must_connect' | 'revoked') {
    super(reason === 'revoked' ? 'device revoked' : 'the unlock share expired and the server cannot be reached')
  }
}

/** max(now, the latest time seen before), remembered. */
export async function trustedNow(now = Date.now()): Promise<number> {
  const seen = (await getMeta('clock_high_water')) ?? 0
  if (now > seen) {
    await setMeta('clock_high_water', now)
    return now
  }
  return seen
}

/** The cached share for `deviceId` while valid; an expired one is dropped. */
export async function cachedShare(deviceId: string, now = Date.now()): Promise<Uint8Array | null> {
  const cached = await getMeta('unlock_share')
  if (!cached) return null
  const t = await trustedNow(now)
  if (t >= cached.expires_at) {
    await deleteMeta('unlock_share')
    return null
  }
  return cached.device_id === deviceId ? unb64url(cached.share) : null
}

/**
 * Fetch this device's share and cache it (only for `lockDevice`, the device the lock was made
 * for, when given). Throws ShareUnavailable (revoked / unreachable).
 */
export async function fetchShare(now = Date.now(), lockDevice?: string): Promise<{ deviceId: string; share: Uint8Array }> {
  let got: FetchedShare
  try {
    got = await fetcher()
  } catch (e) {
    if (e instanceof ApiError && (e.code === 'auth.device_revoked' || e.code === 'auth.user_disabled')) throw new ShareUnavailable('revoked')
    if (e instanceof ApiError || e instanceof NetworkError) throw new ShareUnavailable('must_connect')
    throw e
  }
  const share = unb64url(got.share)
  if (share.length !== 32) throw new ShareUnavailable('must_connect')
  const t = await trustedNow(now)
  if (lockDevice && got.device_id !== lockDevice) return { deviceId: got.device_id, share }
  const entry: CachedUnlockShare = { device_id: got.device_id, share: got.share, expires_at: t + got.valid_days * DAY_MS }
  await setMeta('unlock_share', entry)
  return { deviceId: got.device_id, share }
}

/** The share to unlock the lock made for `deviceId`: cached while valid, else fetched. */
export async function shareForUnlock(deviceId: string, now = Date.now()): Promise<Uint8Array> {
  const cached = await cachedShare(deviceId, now)
  if (cached) return cached
  const got = await fetchShare(now, deviceId)
  if (got.deviceId !== deviceId) throw new ShareUnavailable('must_connect')
  return got.share
}

/** After a sync contact: renew the cached share (errors are the sync's business, not this one's). */
export async function refreshUnlockShare(): Promise<void> {
  const lock = await getMeta('lock')
  if (!lock) return
  try {
    await fetchShare(Date.now(), lock.device_id ?? (await getMeta('device_id')))
  } catch (e) {
    if (!(e instanceof ShareUnavailable)) console.error(e)
  }
}
