// The server-held unlock share (docs/security.md §6): cached for `valid_days` after the last fetch,
// refused once expired while offline, refreshed by a fetch; a revoked device cannot get it again.
import { beforeEach, describe, expect, it } from 'vitest'
import { initLock, locked, setupLock, unlock, hasDataKey } from '@/shell/lock'
import { setShareFetcher, refreshUnlockShare, type FetchedShare } from '@/shell/unlockShare'
import { getMeta, setMeta } from '@/store/meta'
import { ApiError, NetworkError } from '@/sync/api'
import { b64url } from '@/crypto/b64'

const DAY = 86_400_000
const PIN = '482916'
const SHARE = b64url(crypto.getRandomValues(new Uint8Array(32)))
let server: 'up' | 'down' | 'revoked'
let fetches = 0

beforeEach(async () => {
  server = 'up'
  fetches = 0
  setShareFetcher(async (): Promise<FetchedShare> => {
    fetches++
    if (server === 'down') throw new NetworkError('offline')
    if (server === 'revoked') throw new ApiError(401, 'auth.device_revoked', 'revoked')
    return { device_id: 'dev-1', share: SHARE, valid_days: 30 }
  })
  await setupLock(PIN)
  await initLock() // a reload: locked
})

describe('unlock share', () => {
  it('unlocks offline within 30 days of the last fetch, refuses after and drops the cached share', async () => {
    const { expires_at } = (await getMeta('unlock_share'))!
    server = 'down'
    expect(await unlock(PIN, () => expires_at - DAY)).toEqual({ ok: true })
    expect(fetches).toBe(1) // only the setup fetched
    await initLock()
    expect(await unlock(PIN, () => expires_at + 1)).toEqual({ ok: false, share: 'must_connect' })
    expect(locked.value).toBe(true)
    expect(hasDataKey()).toBe(false)
    expect(await getMeta('unlock_share')).toBeUndefined()
    // Not counted as a wrong PIN.
    expect(await getMeta('lock_failures')).toBe(0)
    // Back online: a fresh fetch unlocks, and starts a new 30 days.
    server = 'up'
    expect(await unlock(PIN, () => expires_at + 2)).toEqual({ ok: true })
    expect((await getMeta('unlock_share'))!.expires_at).toBe(expires_at + 2 + 30 * DAY)
  })

  it('setting the clock back does not extend the cached share', async () => {
    const { expires_at } = (await getMeta('unlock_share'))!
    server = 'down'
    await setMeta('clock_high_water', expires_at + 5)
    expect(await unlock(PIN, () => expires_at - 10 * DAY)).toEqual({ ok: false, share: 'must_connect' })
  })

  it('the wrong PIN still fails with the share; the share alone opens nothing', async () => {
    expect(await unlock('000000')).toMatchObject({ ok: false, failures: 1 })
  })

  it('every sync contact renews the cached share', async () => {
    const before = (await getMeta('unlock_share'))!.expires_at
    await new Promise((r) => setTimeout(r, 5))
    await refreshUnlockShare()
    expect((await getMeta('unlock_share'))!.expires_at).toBeGreaterThan(before)
    server = 'down'
    await refreshUnlockShare() // offline: the cache stays as it is
    expect(await getMeta('unlock_share')).toBeTruthy()
  })

  it('a revoked device with an expired share cannot unlock, with or without the PIN', async () => {
    const { expires_at } = (await getMeta('unlock_share'))!
    server = 'revoked'
    // Before the expiry the cached share still unlocks (so unsynced work can be exported): the
    // documented limit of the share (docs/security.md §1).
    expect(await unlock(PIN, () => expires_at - DAY)).toEqual({ ok: true })
    await initLock()
    expect(await unlock(PIN, () => expires_at + 1)).toEqual({ ok: false, share: 'revoked' })
    expect(locked.value).toBe(true)
    expect(await unlock(PIN, () => expires_at + 2)).toEqual({ ok: false, share: 'revoked' })
    expect(hasDataKey()).toBe(false)
    // Nor can it set a new PIN to get round it: that needs a share too.
    await expect(setupLock('135791')).rejects.toThrow()
  })
})
