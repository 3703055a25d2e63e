// Key pairs made on the device (docs/security.md §3). Private keys are kept as non-extractable
// CryptoKeys; the encryption key is generated extractable only for the moment of wrapping its backup.
import { b64url } from './b64'

export const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const
export const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const

/** An uncompressed P-256 point, base64url (what key.publish sends). */
export async function publicPoint(publicKey: CryptoKey): Promise<string> {
  return b64url(await crypto.subtle.exportKey('raw', publicKey))
}

/** A new HPKE (ECDH P-256) key pair whose PKCS#8 can be exported once for the backups. */
export async function generateEncryptionKeyForBackup(): Promise<{ pkcs8: Uint8Array<ArrayBuffer>; publicKey: CryptoKey }> {
  const pair = (await crypto.subtle.generateKey(ECDH, true, ['deriveBits'])) as CryptoKeyPair
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey))
  return { pkcs8, publicKey: pair.publicKey }
}

/** Re-import a PKCS#8 encryption key non-extractable (after wrapping, or unwrapping a backup). */
export async function importEncryptionPrivateKey(pkcs8: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', pkcs8, ECDH, false, ['deriveBits'])
}

export async function importEncryptionPublicKey(point: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', point, ECDH, true, [])
}

/** A device signing key pair; the private half is non-extractable from birth. */
export async function generateSigningKey(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(ECDSA, false, ['sign', 'verify'])) as CryptoKeyPair
}

/** Import a JWK test key (the fixed keys of sync/vectors) for HPKE or for signing. */
export async function importJwkPair(jwk: JsonWebKey, purpose: 'encryption' | 'signing'): Promise<CryptoKeyPair> {
  const { d: _d, ...pub } = jwk
  const alg = purpose === 'encryption' ? ECDH : ECDSA
  const privateKey = await crypto.subtle.importKey('jwk', { ...jwk, key_ops: undefined, ext: false }, alg, false, purpose === 'encryption' ? ['deriveBits'] : ['sign'])
  const publicKey = await crypto.subtle.importKey('jwk', pub, alg, true, purpose === 'encryption' ? [] : ['verify'])
  return { privateKey, publicKey }
}
