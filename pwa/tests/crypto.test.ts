// The browser crypto against the Python reference (sync/vectors/python-made.json) and against
// tampering: every change to ct, nonce, kid, enc, wrapped_key or the row id fails to open.
import { describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  b64url, canonicalBytes, CannotOpen, generateEncryptionKeyForBackup, importEncryptionPrivateKey, importJwkPair, isRecoveryCode,
  newRecoveryCode, openEnvelope, publicPoint, rewrapFor, seal, signBytes, unb64url, unwrapPrivateKey, verifyBytes,
  wrapPrivateKey, WrongSecret, type Envelope,
} from '@/crypto'

const VECTORS = fileURLToPath(new URL('../../sync/vectors/', import.meta.url))
const python = JSON.parse(readFileSync(VECTORS + 'python-made.json', 'utf8'))

async function pairs(vectors: typeof python) {
  const out: Record<string, { key_id: string; pair: CryptoKeyPair; point: string }> = {}
  for (const [userId, k] of Object.entries(vectors.remark.keys as Record<string, { key_id: string; jwk: JsonWebKey }>)) {
    const pair = await importJwkPair(k.jwk, 'encryption')
    out[userId] = { key_id: k.key_id, pair, point: await publicPoint(pair.publicKey) }
  }
  return out
}

/** What test_cross_language_vectors.py::_check does, in the browser's code. */
async function check(vectors: typeof python): Promise<void> {
  const r = vectors.remark
  for (const [userId, k] of Object.entries(await pairs(vectors))) {
    expect(await openEnvelope(r.envelope, { rowId: r.row_id, userId, keyPair: k.pair })).toBe(r.plaintext)
  }
  const s = vectors.signature
  const canonical = canonicalBytes(s.document)
  expect(b64url(canonical)).toBe(s.canonical_b64)
  expect(await verifyBytes(s.public_key, s.signature, canonical)).toBe(true)
}

describe('cross-language vectors', () => {
  it('opens and verifies what Python sealed and signed', async () => {
    await check(python)
  })

  it('seals and signs with the same fixed keys; the result opens here (and in Python: browser-made.json)', async () => {
    const k = await pairs(python)
    const r = python.remark
    const envelope = await seal(r.plaintext, {
      rowId: r.row_id,
      recipients: Object.entries(k).map(([user_id, v]) => ({ user_id, key_id: v.key_id, public_key: v.point })),
    })
    const device = await importJwkPair(python.signature.jwk, 'signing')
    const canonical = canonicalBytes(python.signature.document)
    const vectors = {
      remark: { ...r, envelope },
      signature: { ...python.signature, canonical_b64: b64url(canonical), signature: await signBytes(device.privateKey, canonical) },
    }
    await check(vectors)
    // `npm run vectors` writes the file test_cross_language_vectors.py opens.
    if (process.env.FANGTAN_WRITE_VECTORS === '1') writeFileSync(VECTORS + 'browser-made.json', JSON.stringify(vectors, null, 2) + '\n')
  })

  it('the committed browser-made.json opens here too (when present)', async () => {
    let text: string
    try {
      text = readFileSync(VECTORS + 'browser-made.json', 'utf8')
    } catch {
      return
    }
    await check(JSON.parse(text))
  })

  it('canonical form: RFC 8785 key order, no spaces, UTF-8', () => {
    expect(new TextDecoder().decode(canonicalBytes({ b: 1, a: [true, null, '中'], c: { z: 1.5, y: 'x' } }))).toBe('{"a":[true,null,"中"],"b":1,"c":{"y":"x","z":1.5}}')
  })
})

describe('tampering never shows garbage', () => {
  const r = python.remark
  const flip = (s: string, i = 0) => {
    const b = unb64url(s)
    b[i] ^= 0x01
    return b64url(b)
  }
  const cases: Array<[string, (e: Envelope) => Envelope, string?]> = [
    ['ct', (e) => ({ ...e, ct: flip(e.ct, 3) })],
    ['ct tag', (e) => ({ ...e, ct: flip(e.ct, unb64url(e.ct).length - 1) })],
    ['nonce', (e) => ({ ...e, nonce: flip(e.nonce) })],
    ['kid', (e) => ({ ...e, kid: e.kid + 'x' })],
    ['enc', (e) => ({ ...e, recipients: e.recipients.map((x) => ({ ...x, enc: flip(x.enc, 10) })) })],
    ['wrapped_key', (e) => ({ ...e, recipients: e.recipients.map((x) => ({ ...x, wrapped_key: flip(x.wrapped_key, 5) })) })],
    ['key_id', (e) => ({ ...e, recipients: e.recipients.map((x) => ({ ...x, key_id: x.key_id + '2' })) })],
    ['version', (e) => ({ ...e, v: 2 })],
    ['aead name', (e) => ({ ...e, aead: 'AES-128-GCM' })],
  ]
  for (const [what, change] of cases) {
    it(`a changed ${what} fails to open`, async () => {
      const { 'u-author': a } = await pairs(python)
      await expect(openEnvelope(change(structuredClone(r.envelope)), { rowId: r.row_id, userId: 'u-author', keyPair: a.pair })).rejects.toBeInstanceOf(CannotOpen)
    })
  }

  it('an envelope moved under another row id fails to open', async () => {
    const { 'u-author': a } = await pairs(python)
    await expect(openEnvelope(r.envelope, { rowId: '0193a5c2-7d3e-7b61-9a0f-000000000000', userId: 'u-author', keyPair: a.pair })).rejects.toMatchObject({ reason: 'unwrap' })
  })

  it('someone else’s key, or a user who is not a recipient, cannot open', async () => {
    const { 'u-officer': o } = await pairs(python)
    await expect(openEnvelope(r.envelope, { rowId: r.row_id, userId: 'u-author', keyPair: o.pair })).rejects.toMatchObject({ reason: 'unwrap' })
    await expect(openEnvelope(r.envelope, { rowId: r.row_id, userId: 'u-hr', keyPair: o.pair })).rejects.toMatchObject({ reason: 'not_recipient' })
  })
})

describe('sealing in the app', () => {
  it('seals with a non-extractable key, opens for each recipient, re-wraps for a new officer', async () => {
    const mk = async (user_id: string) => {
      const g = await generateEncryptionKeyForBackup()
      const pair = { privateKey: await importEncryptionPrivateKey(g.pkcs8), publicKey: g.publicKey }
      expect(pair.privateKey.extractable).toBe(false)
      return { user_id, key_id: `k-${user_id}`, public_key: await publicPoint(g.publicKey), pair }
    }
    const [author, officer, newcomer] = [await mk('a'), await mk('o'), await mk('n')]
    const rowId = '0193a5c2-7d3e-7b61-9a0f-5c1d2e3f4a5c'
    const env = await seal('夜班调整（保密）', { rowId, recipients: [author, officer] })
    expect(unb64url(env.nonce)).toHaveLength(12)
    for (const x of env.recipients) {
      expect(unb64url(x.enc)).toHaveLength(65)
      expect(unb64url(x.wrapped_key)).toHaveLength(48)
    }
    expect(await openEnvelope(env, { rowId, userId: 'o', keyPair: officer.pair })).toBe('夜班调整（保密）')
    await expect(openEnvelope(env, { rowId, userId: 'n', keyPair: newcomer.pair })).rejects.toBeInstanceOf(CannotOpen)
    const granted = await rewrapFor(env, { rowId, userId: 'o', keyPair: officer.pair, add: newcomer })
    expect(granted.ct).toBe(env.ct)
    expect(await openEnvelope(granted, { rowId, userId: 'n', keyPair: newcomer.pair })).toBe('夜班调整（保密）')
  })
})

describe('key backup and recovery code', () => {
  // Five PBKDF2-SHA256 derivations at the production 600,000 iterations (what this test proves): past
  // vitest's 5 s default on a loaded 2-core machine. The budget is stated, not waited.
  it('wraps with PBKDF2 (600,000) and unwraps only with the right secret for the right key', { timeout: 30_000 }, async () => {
    const g = await generateEncryptionKeyForBackup()
    const w = await wrapPrivateKey(g.pkcs8, 'correct horse battery', 'passphrase', 'key-1')
    expect(w).toMatchObject({ kdf: 'PBKDF2-SHA256', iterations: 600000, method: 'passphrase' })
    expect(unb64url(w.salt)).toHaveLength(16)
    expect(await unwrapPrivateKey(w, 'correct horse battery', 'key-1')).toEqual(g.pkcs8)
    await expect(unwrapPrivateKey(w, 'wrong horse battery', 'key-1')).rejects.toBeInstanceOf(WrongSecret)
    await expect(unwrapPrivateKey(w, 'correct horse battery', 'key-2')).rejects.toBeInstanceOf(WrongSecret)
    await expect(unwrapPrivateKey({ ...w, iterations: 1000 }, 'correct horse battery', 'key-1')).rejects.toBeInstanceOf(WrongSecret)
    await expect(wrapPrivateKey(g.pkcs8, 'short', 'passphrase', 'key-1')).rejects.toThrow()
  })

  it('recovery codes: 8 groups of 4 base32, with a check that catches typos; spacing and case do not matter', async () => {
    const code = await newRecoveryCode()
    expect(code).toMatch(/^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/)
    expect(await isRecoveryCode(code)).toBe(true)
    expect(await isRecoveryCode(code.toLowerCase().replace(/-/g, ' '))).toBe(true)
    const typo = (code[0] === 'A' ? 'B' : 'A') + code.slice(1)
    expect(await isRecoveryCode(typo)).toBe(false)
    const g = await generateEncryptionKeyForBackup()
    const w = await wrapPrivateKey(g.pkcs8, code, 'recovery_code', 'key-1')
    expect(await unwrapPrivateKey(w, code.toLowerCase().replace(/-/g, ' '), 'key-1')).toEqual(g.pkcs8)
  })
})
