// Unpadded base64url (docs/security.md §2 "encoding") and UTF-8 helpers.
export function b64url(data: ArrayBuffer | Uint8Array): string {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data)
  let bin = ''
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i])
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Decode unpadded (or padded) base64url; throws on anything else. */
export function unb64url(text: string): Uint8Array<ArrayBuffer> {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new Error('not base64url')
  const s = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/')
  if (s.length % 4 === 1) throw new Error('not base64url')
  const bin = atob(s + '='.repeat((4 - (s.length % 4)) % 4))
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

export const utf8 = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>

/** Strict UTF-8 decoding: invalid bytes throw instead of turning into U+FFFD. */
export const fromUtf8 = (b: ArrayBuffer | Uint8Array): string => new TextDecoder('utf-8', { fatal: true }).decode(b)

export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n))
}
