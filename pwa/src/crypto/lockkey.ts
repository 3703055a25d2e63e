// The app lock's key material (docs/security.md §6). Version 2: the key-encryption key is
//   HKDF-SHA256(ikm = PBKDF2-SHA256(PIN, salt, 600,000, 32 bytes) ‖ share, salt = "",
//               info = '["fangtan.local-kek",2]', 32 bytes)
// where `share` is the device's 32-byte server-held unlock share; it wraps the 32-byte local data
// key with AES-256-GCM (associated data '["fangtan.local-data-key",2]'). Version 1 (no `v`, PIN
// only, associated data '["fangtan.local-data-key",1]') is still opened, then re-wrapped as 2.
import type { LockConfig } from '@/store/meta'
import { b64url, randomBytes, unb64url, utf8 } from './b64'
import { deriveKek } from './backup'

export const LOCK_ITERATIONS = 600_000
export const SHARE_BYTES = 32
const KEK_INFO = utf8(JSON.stringify(['fangtan.local-kek', 2]))
const aadFor = (v: 1 | 2) => utf8(JSON.stringify(['fangtan.local-data-key', v]))

async function kekV2(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number, share: Uint8Array): Promise<CryptoKey> {
  if (share.length !== SHARE_BYTES) throw new Error('unlock share must be 32 bytes')
  const base = await crypto.subtle.importKey('raw', utf8(pin.normalize('NFC')), 'PBKDF2', false, ['deriveBits'])
  const pinBits = new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 256))
  const ikm = new Uint8Array(pinBits.length + share.length)
  ikm.set(pinBits)
  ikm.set(share, pinBits.length)
  try {
    const hkdf = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveKey'])
    return await crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: KEK_INFO },
      hkdf,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    )
  } finally {
    pinBits.fill(0)
    ikm.fill(0)
  }
}

/** Wrap `dataKey` (32 raw bytes) under PIN + share. */
export async function wrapDataKey(pin: string, share: Uint8Array, deviceId: string, dataKey: Uint8Array, iterations = LOCK_ITERATIONS): Promise<LockConfig> {
  const salt = randomBytes(16)
  const nonce = randomBytes(12)
  const kek = await kekV2(pin, salt, iterations, share)
  const wrapped = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aadFor(2) }, kek, new Uint8Array(dataKey))
  return { v: 2, device_id: deviceId, kdf: 'PBKDF2-SHA256', iterations, salt: b64url(salt), nonce: b64url(nonce), wrapped: b64url(wrapped) }
}

/** A fresh local data key and its lock configuration. */
export async function createLock(pin: string, share: Uint8Array, deviceId: string, iterations = LOCK_ITERATIONS): Promise<{ config: LockConfig; dataKey: Uint8Array }> {
  const dataKey = randomBytes(32)
  return { config: await wrapDataKey(pin, share, deviceId, dataKey, iterations), dataKey }
}

/** The raw local data key; throws when the PIN (or the share) is wrong. `share` is unused by version 1. */
export async function openLock(config: LockConfig, pin: string, share: Uint8Array | null): Promise<Uint8Array> {
  const salt = unb64url(config.salt)
  const kek =
    config.v === 2
      ? await kekV2(pin, salt, config.iterations, share ?? new Uint8Array(0))
      : await deriveKek(pin.normalize('NFC'), salt, config.iterations)
  return new Uint8Array(
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64url(config.nonce), additionalData: aadFor(config.v === 2 ? 2 : 1) }, kek, unb64url(config.wrapped)),
  )
}
