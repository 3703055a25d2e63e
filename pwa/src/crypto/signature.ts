// Signed interview records (docs/security.md §5): RFC 8785 canonical JSON (`canonicalize`), ECDSA
// P-256 / SHA-256, WebCrypto's raw r||s signature (64 bytes), base64url — as sync/signing.py.
import canonicalize from 'canonicalize'
import { b64url, unb64url, utf8 } from './b64'

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const

export function canonicalBytes(document: unknown): Uint8Array<ArrayBuffer> {
  const text = canonicalize(document)
  if (text === undefined) throw new Error('document has no JSON form')
  return utf8(text)
}

export async function signBytes(privateKey: CryptoKey, message: Uint8Array<ArrayBuffer>): Promise<string> {
  return b64url(await crypto.subtle.sign(SIGN, privateKey, message))
}

export async function importVerifyKey(publicKeyB64: string): Promise<CryptoKey> {
  const raw = unb64url(publicKeyB64)
  if (raw.length !== 65 || raw[0] !== 4) throw new Error('not an uncompressed P-256 point')
  return crypto.subtle.importKey('raw', raw, ECDSA, true, ['verify'])
}

export async function verifyBytes(publicKeyB64: string, signatureB64: string, message: Uint8Array<ArrayBuffer>): Promise<boolean> {
  try {
    const sig = unb64url(signatureB64)
    if (sig.length !== 64) return false
    return await crypto.subtle.verify(SIGN, await importVerifyKey(publicKeyB64), sig, message)
  } catch {
    return false
  }
}

export async function sha256Hex(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', data))
  return [...d].map((b) => b.toString(16).padStart(2, '0')).join('')
}
