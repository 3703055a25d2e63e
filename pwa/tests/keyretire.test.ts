// Key retirement (docs/security.md §3, 保密密钥 screen): `key.retire` is queued for a lost tablet's
// key; this device's own keys are refused; new remarks skip retired keys at once (even before the
// retire is synced) and fall back to the officer's newest live key, or to none.
import { describe, expect, it } from 'vitest'
import { getDB } from '@/store/db'
import { setMeta } from '@/store/meta'
import { listOutbox } from '@/store/outbox'
import { publicPoint } from '@/crypto'
import { KeyInUse, myPublishedKeys, remarkRecipients, retireKey } from '@/crypto/keystore'
import { sealRemark } from '@/crypto/remarks'
import type { Envelope } from '@/crypto/envelope'

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const
async function point(): Promise<{ pair: CryptoKeyPair; point: string }> {
  const pair = (await crypto.subtle.generateKey(ECDH, false, ['deriveBits'])) as CryptoKeyPair
  return { pair, point: await publicPoint(pair.publicKey) }
}
async function put(entity: string, id: string, row: Record<string, unknown>): Promise<void> {
  await (await getDB()).put('rows', { entity, id, seq: 1, deleted: false, row: { id, ...row } })
}
const key = (id: string, user_id: string, purpose: string, public_key: string, created_at: string, extra: Record<string, unknown> = {}) =>
  put('user_key', id, { user_id, purpose, public_key, created_at, device_id: null, retired_at: null, ...extra })

async function setup() {
  const [me, mySign, o1old, o1new, o2] = await Promise.all([point(), point(), point(), point(), point()])
  await put('user', 'u-me', { name: '刘海涛', roles: ['cadre'] })
  await put('user', 'u-o1', { name: '吴静', roles: ['officer'] })
  await put('user', 'u-o2', { name: '李明', roles: ['officer'] })
  await key('k-me', 'u-me', 'encryption', me.point, '2025-01-01')
  await key('s-me', 'u-me', 'signing', mySign.point, '2025-01-01', { device_id: 'dev-here' })
  await key('s-lost', 'u-me', 'signing', mySign.point, '2024-12-01', { device_id: 'dev-lost' })
  await key('k-o1-old', 'u-o1', 'encryption', o1old.point, '2025-01-01')
  await key('k-o1-new', 'u-o1', 'encryption', o1new.point, '2025-02-01')
  await key('k-o2', 'u-o2', 'encryption', o2.point, '2025-01-01')
  await setMeta('keys', {
    user_id: 'u-me',
    encryption: { id: 'k-me', public_key: me.point, privateKey: me.pair.privateKey, publicKey: me.pair.publicKey },
    signing: { id: 's-me', public_key: mySign.point, privateKey: mySign.pair.privateKey, publicKey: mySign.pair.publicKey },
  })
}

const ids = (rs: Array<{ user_id: string; key_id: string }>) => rs.map((r) => `${r.user_id}:${r.key_id}`).sort()

describe('retiring keys', () => {
  it('new remarks use each officer’s newest live key and skip retired ones at once', async () => {
    await setup()
    expect(ids((await remarkRecipients('u-me')).recipients)).toEqual(['u-me:k-me', 'u-o1:k-o1-new', 'u-o2:k-o2'])
    await retireKey('u-me', 'k-o1-new') // (as an admin may) — queued, not synced yet: it counts at once
    await retireKey('u-me', 'k-o2')
    const { recipients, officersWithoutKey } = await remarkRecipients('u-me')
    expect(ids(recipients)).toEqual(['u-me:k-me', 'u-o1:k-o1-old'])
    expect(officersWithoutKey).toEqual(['李明'])
    await sealRemark('u-me', 'r-1', 'iv-1', '保密内容')
    const put = (await listOutbox()).find((e) => e.name === 'remark.put')!
    expect(ids((put.args.envelope as Envelope).recipients)).toEqual(['u-me:k-me', 'u-o1:k-o1-old'])
  })

  it('a pulled retired_at is skipped too', async () => {
    await setup()
    await key('k-o1-new', 'u-o1', 'encryption', (await point()).point, '2025-02-01', { retired_at: '2025-03-01T00:00:00Z' })
    expect(ids((await remarkRecipients('u-me')).recipients)).toContain('u-o1:k-o1-old')
  })

  it('the 保密密钥 list: a lost tablet’s signing key can be retired, this device’s keys cannot', async () => {
    await setup()
    const listed = await myPublishedKeys('u-me')
    expect(listed.map((k) => [k.id, k.thisDevice])).toEqual([['k-me', true], ['s-me', true], ['s-lost', false]])
    await expect(retireKey('u-me', 'k-me')).rejects.toBeInstanceOf(KeyInUse)
    await expect(retireKey('u-me', 's-me')).rejects.toBeInstanceOf(KeyInUse)
    await retireKey('u-me', 's-lost')
    expect((await listOutbox()).map((e) => [e.name, e.args])).toEqual([['key.retire', { id: 's-lost' }]])
    expect((await myPublishedKeys('u-me')).find((k) => k.id === 's-lost')!.retired_at).toBeTruthy()
  })
})
