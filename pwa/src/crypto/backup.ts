// Key backups (docs/security.md §3): the encryption key's PKCS#8 wrapped with AES-256-GCM under a
// key derived by PBKDF2-SHA256 (600,000 iterations, 16-byte salt) from a passphrase or from the
// recovery code shown once at enrolment.
import { b64url, randomBytes, unb64url, utf8 } from './b64'

export const BACKUP_KDF = 'PBKDF2-SHA256'
export const BACKUP_ITERATIONS = 600_000
export const PASSPHRASE_MIN = 10
export type BackupMethod = 'passphrase' | 'recovery_code'

export interface WrappedKey {
  method: BackupMethod
  kdf: string
  iterations: number
  salt: string
  nonce: string
  wrapped: string
}

export class WrongSecret extends Error {
  constructor() {
    super('口令或恢复码不正确 (wrong passphrase or recovery code)')
    this.name = 'WrongSecret'
  }
}

/** Associated data of a backup: it opens only as the backup of that key by that method. */
export function backupAad(keyId: string, method: BackupMethod): Uint8Array<ArrayBuffer> {
  return utf8(JSON.stringify(['fangtan.key-backup', 1, keyId, method]))
}

/** Passphrases are NFC-normalised; recovery codes lose spaces/dashes and are upper-cased. */
export function normaliseSecret(secret: string, method: BackupMethod): string {
  return method === 'recovery_code' ? secret.replace(/[\s-]/g, '').toUpperCase() : secret.normalize('NFC')
}

export async function deriveKek(secret: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', utf8(secret), 'PBKDF2', false, ['deriveKey'])
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
}

export async function wrapPrivateKey(pkcs8: Uint8Array<ArrayBuffer>, secret: string, method: BackupMethod, keyId: string, iterations = BACKUP_ITERATIONS): Promise<WrappedKey> {
  if (method === 'passphrase' && secret.length < PASSPHRASE_MIN) throw new Error(`passphrase shorter than ${PASSPHRASE_MIN}`)
  const salt = randomBytes(16)
  const nonce = randomBytes(12)
  const kek = await deriveKek(normaliseSecret(secret, method), salt, iterations)
  const wrapped = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: backupAad(keyId, method) }, kek, pkcs8)
  return { method, kdf: BACKUP_KDF, iterations, salt: b64url(salt), nonce: b64url(nonce), wrapped: b64url(wrapped) }
}

/** The PKCS#8 bytes, or WrongSecret (a wrong secret and a tampered backup look the same). */
export async function unwrapPrivateKey(backup: WrappedKey, secret: string, keyId: string): Promise<Uint8Array<ArrayBuffer>> {
  if (backup.kdf !== BACKUP_KDF || backup.iterations < BACKUP_ITERATIONS) throw new WrongSecret()
  try {
    const kek = await deriveKek(normaliseSecret(secret, backup.method), unb64url(backup.salt), backup.iterations)
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64url(backup.nonce), additionalData: backupAad(keyId, backup.method) }, kek, unb64url(backup.wrapped))
    return new Uint8Array(plain)
  } catch {
    throw new WrongSecret()
  }
}

// Recovery code: 128 random bits + a 32-bit SHA-256 check = 160 bits = 32 base32 characters,
// shown as 8 groups of 4 (a typo is caught at once, before a slow key derivation).
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

function base32(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const b of bytes) {
    value = (value << 8) | b
    bits += 8
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31]
  return out
}

function unbase32(text: string): Uint8Array<ArrayBuffer> | null {
  let bits = 0
  let value = 0
  const out: number[] = []
  for (const ch of text) {
    const v = B32.indexOf(ch)
    if (v < 0) return null
    value = ((value << 5) | v) & 0xffff
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return new Uint8Array(out)
}

async function check4(entropy: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', entropy)).slice(0, 4)
}

export async function newRecoveryCode(): Promise<string> {
  const entropy = randomBytes(16)
  const all = new Uint8Array(20)
  all.set(entropy)
  all.set(await check4(entropy), 16)
  return base32(all).match(/.{4}/g)!.join('-')
}

/** Is this a well-formed recovery code (32 base32 characters with a matching check)? */
export async function isRecoveryCode(text: string): Promise<boolean> {
  const s = normaliseSecret(text, 'recovery_code')
  if (s.length !== 32) return false
  const bytes = unbase32(s)
  if (!bytes || bytes.length !== 20) return false
  const want = await check4(bytes.slice(0, 16))
  return want.every((b, i) => b === bytes[16 + i])
}
