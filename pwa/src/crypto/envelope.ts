// The remark envelope v1 (docs/security.md §2), interoperable byte for byte with sync/sealing.py:
// AES-256-GCM content under a random content key, the key wrapped per recipient with HPKE
// (RFC 9180) base mode DHKEM(P-256, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM via @hpke/core.
import { Aes256Gcm, CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from '@hpke/core'
import { b64url, fromUtf8, randomBytes, unb64url, utf8 } from './b64'

export const VERSION = 1
export const KEM = 'DHKEM-P256-HKDF-SHA256'
export const KDF = 'HKDF-SHA256'
export const AEAD = 'AES-256-GCM'
export const NONCE_BYTES = 12
export const ENC_BYTES = 65
export const WRAPPED_BYTES = 48
export const MAX_RECIPIENTS = 20

export interface EnvelopeRecipient {
  user_id: string
  key_id: string
  enc: string
  wrapped_key: string
}

export interface Envelope {
  v: number
  kem: string
  kdf: string
  aead: string
  kid: string
  nonce: string
  ct: string
  recipients: EnvelopeRecipient[]
}

/** A recipient's current public encryption key: an uncompressed P-256 point, base64url. */
export interface Recipient {
  user_id: string
  key_id: string
  public_key: string
}

export type CannotOpenReason = 'malformed' | 'not_recipient' | 'unwrap' | 'content'

/** The envelope is malformed, not for this key, tampered with or moved. Never garbage. */
export class CannotOpen extends Error {
  constructor(public reason: CannotOpenReason, message: string) {
    super(message)
    this.name = 'CannotOpen'
  }
}

let suiteInstance: CipherSuite | null = null
function suite(): CipherSuite {
  suiteInstance ??= new CipherSuite({ kem: new DhkemP256HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() })
  return suiteInstance
}

/** JSON.stringify of a flat array, as Python's json.dumps(separators=(",", ":"), ensure_ascii=False). */
export function contentAad(rowId: string, kid: string, entity = 'remark', field = 'text'): Uint8Array<ArrayBuffer> {
  return utf8(JSON.stringify(['fangtan.remark', VERSION, entity, rowId, field, kid]))
}

export function wrapInfo(rowId: string, kid: string, userId: string, keyId: string): Uint8Array<ArrayBuffer> {
  return utf8(JSON.stringify(['fangtan.remark-key', VERSION, rowId, kid, userId, keyId]))
}

async function importContentKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt'])
}

async function wrapFor(contentKey: Uint8Array<ArrayBuffer>, rowId: string, kid: string, r: Recipient): Promise<EnvelopeRecipient> {
  const point = unb64url(r.public_key)
  if (point.length !== ENC_BYTES || point[0] !== 4) throw new Error(`recipient ${r.user_id}: not an uncompressed P-256 point`)
  const pk = await suite().kem.importKey('raw', point.buffer, true)
  const sealed = await suite().seal({ recipientPublicKey: pk, info: wrapInfo(rowId, kid, r.user_id, r.key_id).buffer }, contentKey.buffer)
  return { user_id: r.user_id, key_id: r.key_id, enc: b64url(sealed.enc), wrapped_key: b64url(sealed.ct) }
}

/** A fresh v1 envelope of `plaintext` for `recipients` (the author and every officer). */
export async function seal(plaintext: string, opts: { rowId: string; recipients: Recipient[]; kid?: string }): Promise<Envelope> {
  const { rowId, recipients } = opts
  if (recipients.length < 1 || recipients.length > MAX_RECIPIENTS) throw new Error(`1–${MAX_RECIPIENTS} recipients`)
  if (new Set(recipients.map((r) => r.user_id)).size !== recipients.length) throw new Error('recipients must be distinct users')
  const kid = opts.kid ?? b64url(randomBytes(12))
  const contentKey = randomBytes(32)
  try {
    const nonce = randomBytes(NONCE_BYTES)
    const key = await importContentKey(contentKey)
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: contentAad(rowId, kid) }, key, utf8(plaintext))
    const wrapped: EnvelopeRecipient[] = []
    for (const r of recipients) wrapped.push(await wrapFor(contentKey, rowId, kid, r))
    return { v: VERSION, kem: KEM, kdf: KDF, aead: AEAD, kid, nonce: b64url(nonce), ct: b64url(ct), recipients: wrapped }
  } finally {
    contentKey.fill(0)
  }
}

function checkShape(env: unknown): asserts env is Envelope {
  const e = env as Envelope
  const ok =
    !!e && typeof e === 'object' && e.v === VERSION && e.kem === KEM && e.kdf === KDF && e.aead === AEAD &&
    typeof e.kid === 'string' && e.kid.length >= 1 && e.kid.length <= 64 &&
    typeof e.nonce === 'string' && typeof e.ct === 'string' && Array.isArray(e.recipients)
  if (!ok) throw new CannotOpen('malformed', '备注格式无效 (malformed envelope)')
}

/** The 32-byte content key for `userId`, or CannotOpen. */
export async function unwrapContentKey(env: Envelope, opts: { rowId: string; userId: string; keyPair: CryptoKeyPair }): Promise<Uint8Array<ArrayBuffer>> {
  checkShape(env)
  const mine = env.recipients.filter((r) => r && r.user_id === opts.userId)
  if (!mine.length) throw new CannotOpen('not_recipient', '此备注不是发给你的 (you are not a recipient of this remark)')
  for (const r of mine) {
    try {
      const enc = unb64url(r.enc)
      const wrapped = unb64url(r.wrapped_key)
      const info = wrapInfo(opts.rowId, env.kid, r.user_id, r.key_id)
      const key = new Uint8Array(await suite().open({ recipientKey: opts.keyPair, enc: enc.buffer, info: info.buffer }, wrapped.buffer))
      if (key.length === 32) return key
    } catch {
      // try the next entry for this user (a user with an older key), then give up
    }
  }
  throw new CannotOpen('unwrap', '无法解开内容密钥：密钥不符或已被篡改 (cannot unwrap the content key)')
}

/** The plaintext, or CannotOpen — never garbage. */
export async function openEnvelope(env: Envelope, opts: { rowId: string; userId: string; keyPair: CryptoKeyPair }): Promise<string> {
  const contentKey = await unwrapContentKey(env, opts)
  try {
    const key = await importContentKey(contentKey)
    const nonce = unb64url(env.nonce)
    if (nonce.length !== NONCE_BYTES) throw new Error('nonce')
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: contentAad(opts.rowId, env.kid) }, key, unb64url(env.ct))
    return fromUtf8(plain)
  } catch {
    throw new CannotOpen('content', '内容校验失败：密文被篡改或被移到了别处 (ciphertext tampered with or moved)')
  } finally {
    contentKey.fill(0)
  }
}

/** A copy of `env` that `add` can open too (an existing officer granting a new one, docs §2). */
export async function rewrapFor(env: Envelope, opts: { rowId: string; userId: string; keyPair: CryptoKeyPair; add: Recipient }): Promise<Envelope> {
  const contentKey = await unwrapContentKey(env, opts)
  try {
    const entry = await wrapFor(contentKey, opts.rowId, env.kid, opts.add)
    return { ...env, recipients: [...env.recipients.filter((r) => r.user_id !== opts.add.user_id), entry] }
  } finally {
    contentKey.fill(0)
  }
}
