// The app lock's key material (docs/security.md §6): a key-encryption key derived from the PIN with
// PBKDF2-SHA256 (600,000 iterations, per-device salt) wraps the local data key (AES-256-GCM).
import type { LockConfig } from '@/store/meta'
import { b64url, randomBytes, unb64url, utf8 } from './b64'
import { deriveKek } from './backup'

export const LOCK_ITERATIONS = 600_000
const AAD = utf8(JSON.stringify(['fangtan.local-data-key', 1]))

async function importDataKey(raw: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt'])
}

export async function createLock(pin: string, iterations = LOCK_ITERATIONS): Promise<{ config: LockConfig; dataKey: CryptoKey }> {
  const salt = randomBytes(16)
  const nonce = randomBytes(12)
  const raw = randomBytes(32)
  try {
    const kek = await deriveKek(pin.normalize('NFC'), salt, iterations)
    const wrapped = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: AAD }, kek, raw)
    const config: LockConfig = { kdf: 'PBKDF2-SHA256', iterations, salt: b64url(salt), nonce: b64url(nonce), wrapped: b64url(wrapped) }
    return { config, dataKey: await importDataKey(raw) }
  } finally {
    raw.fill(0)
  }
}

/** The local data key; throws when the PIN is wrong. */
export async function openLock(config: LockConfig, pin: string): Promise<CryptoKey> {
  const kek = await deriveKek(pin.normalize('NFC'), unb64url(config.salt), config.iterations)
  const raw = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64url(config.nonce), additionalData: AAD }, kek, unb64url(config.wrapped)))
  try {
    return await importDataKey(raw)
  } finally {
    raw.fill(0)
  }
}
