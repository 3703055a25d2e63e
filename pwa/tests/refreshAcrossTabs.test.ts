// A refresh token is single-use and a used one presented again ends the sign-in on the server
// (reuse detection, docs/security.md): two tabs must never both spend the same token. The refresh
// runs under a Web Lock and re-reads the stored pair once it holds the lock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FakeServer } from './fakeServer'
import { configureApi, refreshAccessToken } from '@/sync/api'
import { getMeta, setMeta } from '@/store/meta'

let server: FakeServer

beforeEach(async () => {
  server = new FakeServer()
  configureApi({ base: '', fetch: server.fetch as typeof fetch })
  await setMeta('access_token', 'stale')
  await setMeta('refresh_token', 'rt-1')
})

afterEach(() => {
  vi.unstubAllGlobals()
})

function lockHeldBy(otherTab: () => Promise<void>): string[] {
  const names: string[] = []
  const locks = {
    request: async (name: string, fn: () => Promise<unknown>) => {
      names.push(name)
      await otherTab() // the lock is granted only after the other tab's refresh
      return fn()
    },
  }
  vi.stubGlobal('navigator', { ...(globalThis.navigator ?? {}), locks })
  return names
}

describe('token refresh across tabs', () => {
  it('uses the pair another tab stored while this one waited for the lock', async () => {
    const names = lockHeldBy(async () => {
      expect(await refreshWithFetch()).toBe('at-2') // the other tab spends rt-1
    })
    expect(await refreshAccessToken()).toBe('at-2')
    expect(names).toEqual(['fangtan-token-refresh'])
    expect(server.refreshes).toBe(1) // rt-1 was presented once, never replayed
    expect(await getMeta('refresh_token')).toBe('rt-2')
  })

  it('refreshes itself when nobody else did', async () => {
    lockHeldBy(async () => {})
    expect(await refreshAccessToken()).toBe('at-2')
    expect(server.refreshes).toBe(1)
  })
})

/** What the other tab does: its own refresh, storing the rotated pair. */
async function refreshWithFetch(): Promise<string> {
  const res = await server.fetch('/api/auth/refresh', {
    method: 'POST', body: JSON.stringify({ refresh_token: await getMeta('refresh_token') }),
  })
  const body = (await res.json()) as { access_token: string; refresh_token: string }
  await setMeta('access_token', body.access_token)
  await setMeta('refresh_token', body.refresh_token)
  return body.access_token
}
