// Officers joining (docs/security.md §2): an officer's client re-wraps the content key of every
// remark it can open for a newly joined officer and queues `remark.put` with `base`; the new officer
// then opens old remarks, the ciphertext is untouched. With FANGTAN_GRANT_IN/OUT set (by
// tests/e2e/browser/test_pwa_officer_grant_rewraps_for_python.py) it grants a Python-sealed envelope
// and writes the result for Python to check and open.
import { describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { getDB } from '@/store/db'
import { setMeta } from '@/store/meta'
import { listOutbox } from '@/store/outbox'
import { importJwkPair, openEnvelope, publicPoint, seal, type Envelope } from '@/crypto'
import { grantCandidates, grantOfficer } from '@/crypto/grants'

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const

async function newPair(): Promise<{ pair: CryptoKeyPair; point: string }> {
  const pair = (await crypto.subtle.generateKey(ECDH, false, ['deriveBits'])) as CryptoKeyPair
  return { pair, point: await publicPoint(pair.publicKey) }
}

async function put(entity: string, id: string, row: Record<string, unknown>, seq = 1): Promise<void> {
  const db = await getDB()
  await db.put('rows', { entity, id, seq, deleted: false, row: { id, ...row } })
}

async function iAm(userId: string, keyId: string, k: { pair: CryptoKeyPair; point: string }): Promise<void> {
  await setMeta('keys', { user_id: userId, encryption: { id: keyId, public_key: k.point, privateKey: k.pair.privateKey, publicKey: k.pair.publicKey } })
}

describe('granting a new officer access to existing remarks', () => {
  it('re-wraps for the new officer only, queues remark.put with base, ciphertext unchanged', async () => {
    const [author, o1, o2] = [await newPair(), await newPair(), await newPair()]
    await put('user', 'u-a', { name: '刘海涛', roles: ['cadre'] })
    await put('user', 'u-o1', { name: '吴静', roles: ['officer'] })
    await put('user', 'u-o2', { name: '新管理员', roles: ['officer'] })
    await put('user', 'u-hr', { name: '王丽娟', roles: ['hr'] })
    await put('user_key', 'k-a', { user_id: 'u-a', purpose: 'encryption', public_key: author.point, created_at: '2025-01-01', retired_at: null })
    await put('user_key', 'k-o1', { user_id: 'u-o1', purpose: 'encryption', public_key: o1.point, created_at: '2025-01-01', retired_at: null })
    await put('user_key', 'k-o2', { user_id: 'u-o2', purpose: 'encryption', public_key: o2.point, created_at: '2025-06-01', retired_at: null })
    const sealedFor = [
      { user_id: 'u-a', key_id: 'k-a', public_key: author.point },
      { user_id: 'u-o1', key_id: 'k-o1', public_key: o1.point },
    ]
    const env = await seal('职工反映家庭困难 GRANT-1', { rowId: 'r-1', recipients: sealedFor })
    await put('remark', 'r-1', { interview_id: 'iv-1', author_id: 'u-a', envelope: env }, 7)
    // A remark o1 cannot open (sealed for the author only) is left alone.
    const other = await seal('只有作者能看', { rowId: 'r-2', recipients: [sealedFor[0]] })
    await put('remark', 'r-2', { interview_id: 'iv-1', author_id: 'u-a', envelope: other }, 8)
    await iAm('u-o1', 'k-o1', o1)

    const candidates = await grantCandidates('u-o1')
    expect(candidates.map((c) => [c.user_id, c.remarkIds])).toEqual([['u-o2', ['r-1']]])
    expect(await grantOfficer('u-o1', 'u-o2')).toEqual({ granted: 1, failed: 0 })

    const [entry] = await listOutbox()
    expect(entry).toMatchObject({ name: 'remark.put', base: 7, args: { id: 'r-1', interview_id: 'iv-1' } })
    const next = entry.args.envelope as Envelope
    expect([next.kid, next.nonce, next.ct]).toEqual([env.kid, env.nonce, env.ct])
    expect(next.recipients.slice(0, 2)).toEqual(env.recipients)
    expect(next.recipients.map((r) => [r.user_id, r.key_id])).toEqual([['u-a', 'k-a'], ['u-o1', 'k-o1'], ['u-o2', 'k-o2']])
    expect(await openEnvelope(next, { rowId: 'r-1', userId: 'u-o2', keyPair: o2.pair })).toBe('职工反映家庭困难 GRANT-1')
    expect(await openEnvelope(next, { rowId: 'r-1', userId: 'u-o1', keyPair: o1.pair })).toBe('职工反映家庭困难 GRANT-1')
    // The overlay already carries the new envelope: nothing left to grant.
    expect(await grantCandidates('u-o1')).toEqual([])
  })

  it('an officer with a newer key is granted again for that key; retired keys are not used', async () => {
    const [author, o1, o2old, o2new] = [await newPair(), await newPair(), await newPair(), await newPair()]
    await put('user', 'u-a', { name: 'A', roles: ['cadre'] })
    await put('user', 'u-o1', { name: 'O1', roles: ['officer'] })
    await put('user', 'u-o2', { name: 'O2', roles: ['officer'] })
    await put('user_key', 'k-o2-old', { user_id: 'u-o2', purpose: 'encryption', public_key: o2old.point, created_at: '2025-01-01', retired_at: null })
    await put('user_key', 'k-o2-new', { user_id: 'u-o2', purpose: 'encryption', public_key: o2new.point, created_at: '2025-02-01', retired_at: '2025-03-01' })
    const env = await seal('x', { rowId: 'r-1', recipients: [
      { user_id: 'u-a', key_id: 'k-a', public_key: author.point },
      { user_id: 'u-o1', key_id: 'k-o1', public_key: o1.point },
      { user_id: 'u-o2', key_id: 'k-o2-old', public_key: o2old.point },
    ] })
    await put('remark', 'r-1', { interview_id: 'iv-1', author_id: 'u-a', envelope: env }, 3)
    await iAm('u-o1', 'k-o1', o1)
    // k-o2-new is retired: o2's current key is the old one, which the remark already has.
    expect(await grantCandidates('u-o1')).toEqual([])
    await put('user_key', 'k-o2-new', { user_id: 'u-o2', purpose: 'encryption', public_key: o2new.point, created_at: '2025-02-01', retired_at: null })
    expect(await grantOfficer('u-o1', 'u-o2')).toEqual({ granted: 1, failed: 0 })
    const next = (await listOutbox())[0].args.envelope as Envelope
    expect(next.recipients.filter((r) => r.user_id === 'u-o2').map((r) => r.key_id)).toEqual(['k-o2-new'])
    expect(await openEnvelope(next, { rowId: 'r-1', userId: 'u-o2', keyPair: o2new.pair })).toBe('x')
  })

  it.runIf(!!process.env.FANGTAN_GRANT_IN)('grants a Python-sealed envelope (FANGTAN_GRANT_IN → FANGTAN_GRANT_OUT)', async () => {
    const input = JSON.parse(readFileSync(process.env.FANGTAN_GRANT_IN!, 'utf8'))
    const me = input.officer
    const pair = await importJwkPair(me.jwk, 'encryption')
    const point = await publicPoint(pair.publicKey)
    await put('user', me.user_id, { name: 'officer', roles: ['officer'] })
    await put('user', input.new_officer.user_id, { name: 'new officer', roles: ['officer'] })
    await put('user_key', me.key_id, { user_id: me.user_id, purpose: 'encryption', public_key: point, created_at: '2025-01-01', retired_at: null })
    await put('user_key', input.new_officer.key_id, { user_id: input.new_officer.user_id, purpose: 'encryption', public_key: input.new_officer.public_key, created_at: '2025-01-02', retired_at: null })
    await put('remark', input.row_id, { interview_id: input.interview_id, author_id: input.author_id, envelope: input.envelope }, 5)
    await setMeta('keys', { user_id: me.user_id, encryption: { id: me.key_id, public_key: point, privateKey: pair.privateKey, publicKey: pair.publicKey } })
    expect(await grantOfficer(me.user_id, input.new_officer.user_id)).toEqual({ granted: 1, failed: 0 })
    const [entry] = await listOutbox()
    writeFileSync(process.env.FANGTAN_GRANT_OUT!, JSON.stringify({ base: entry.base, args: entry.args }))
  })
})
