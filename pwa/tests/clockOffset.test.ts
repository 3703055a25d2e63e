import { beforeEach, describe, expect, it } from 'vitest'
import { FakeServer } from './fakeServer'
import { configureApi } from '@/sync/api'
import { pushOutbox } from '@/sync/client'
import { setMeta, getMeta } from '@/store/meta'
import { enqueue } from '@/store/outbox'
import { syncStatus, clockOffsetMs, clockWrong, clockBanner, offsetSeconds, CLOCK_WARN_MS } from '@/sync/status'
import { refreshStatus } from '@/sync/scheduler'
import zh from '@/i18n/zh-CN'
import en from '@/i18n/en'

describe('clock offset computation (issue 16 point 9)', () => {
  it('uses the midpoint of the round trip against server_time', () => {
    const server = Date.parse('2026-12-02T08:00:00.000Z')
    // Sent 400 ms before and received 600 ms after the server stamp, device 10 min ahead.
    const ahead = 10 * 60_000
    expect(clockOffsetMs(server + ahead - 400, server + ahead + 600, '2026-12-02T08:00:00.000Z')).toBe(ahead + 100)
    expect(clockOffsetMs(server - 30_000, server - 29_000, '2026-12-02T08:00:00.000Z')).toBe(-29_500)
  })

  it('gives null for a missing or unparsable server_time', () => {
    expect(clockOffsetMs(1, 2, undefined)).toBeNull()
    expect(clockOffsetMs(1, 2, 'not a time')).toBeNull()
  })

  it('warns beyond five minutes either way, not at or below', () => {
    expect(clockWrong(null)).toBe(false)
    expect(clockWrong(CLOCK_WARN_MS)).toBe(false)
    expect(clockWrong(CLOCK_WARN_MS + 1)).toBe(true)
    expect(clockWrong(-CLOCK_WARN_MS - 1)).toBe(true)
    expect(clockBanner(4 * 60_000)).toBeNull()
    expect(clockBanner(null)).toBeNull()
    expect(clockBanner(-12 * 60_000 - 10_000)).toEqual({ min: 12, ahead: false })
    expect(clockBanner(6 * 60_000)).toEqual({ min: 6, ahead: true })
    expect(offsetSeconds(-1499)).toBe(-1)
  })

  it('the banner and status texts exist in both locales, with no Latin word in zh-CN', () => {
    const z = zh as unknown as { banner: Record<string, string>; storage: Record<string, string> }
    const e = en as unknown as { banner: Record<string, string>; storage: Record<string, string> }
    for (const k of ['clockOffset', 'clockOffsetValue', 'clockOffsetUnknown', 'clockOffsetWrong', 'clockAhead', 'clockBehind']) {
      expect(z.storage[k]).toBeTruthy()
      expect(e.storage[k]).toBeTruthy()
      expect(z.storage[k].replace(/\{\w+\}/g, '')).not.toMatch(/[A-Za-z]{2,}/)
    }
    expect(z.storage.clockOffset).toBe('本机时钟与服务器相差')
    expect(z.banner.clockWrong.replace(/\{\w+\}/g, '')).not.toMatch(/[A-Za-z]{2,}/)
    expect(e.banner.clockWrong).toBeTruthy()
  })
})

describe('clock offset measured at every push', () => {
  let server: FakeServer
  beforeEach(async () => {
    server = new FakeServer()
    configureApi({ base: '', fetch: server.fetch as typeof fetch })
    await setMeta('device_id', 'dev-1')
    await setMeta('access_token', 'at-1')
    await setMeta('refresh_token', 'rt-1')
  })

  it('a server 20 minutes behind this device gives an offset of about +20 min, kept across reloads', async () => {
    server.clockSkewMs = -20 * 60_000
    await enqueue('interview.save', { id: 'iv-c', form: 'group', unit_id: 'u1', adhoc_reason: 'r' })
    await pushOutbox({ sleep: async () => undefined, media: false })
    const stored = await getMeta('clock_offset_ms')
    expect(stored).toBeGreaterThan(20 * 60_000 - 5_000)
    expect(stored).toBeLessThan(20 * 60_000 + 5_000)
    expect(clockBanner(syncStatus.clockOffsetMs)).toEqual({ min: 20, ahead: true })
    syncStatus.clockOffsetMs = null
    await refreshStatus()
    expect(syncStatus.clockOffsetMs).toBe(stored)
  })

  it('a correct clock gives no banner', async () => {
    await enqueue('interview.save', { id: 'iv-d', form: 'group', unit_id: 'u1', adhoc_reason: 'r' })
    await pushOutbox({ sleep: async () => undefined, media: false })
    expect(Math.abs(syncStatus.clockOffsetMs ?? 99_999)).toBeLessThan(5_000)
    expect(clockBanner(syncStatus.clockOffsetMs)).toBeNull()
  })
})
