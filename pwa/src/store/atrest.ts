// Local data at rest (docs/security.md §6): every record that holds what users typed or pulled is
// encrypted with AES-256-GCM under the local data key before it reaches IndexedDB or localStorage.
// Encrypting is synchronous (@noble/ciphers) on purpose: IndexedDB transactions commit as soon as
// they wait on anything else, so WebCrypto's promises cannot run inside a read-modify-write. Blob
// bytes (photos, memos, recording chunks) are encrypted with WebCrypto before their transaction.
// The cipher module is loaded when a key arrives (it is not needed before), off the first paint.
import type { gcm as Gcm } from '@noble/ciphers/aes.js'
import { measured } from './timing'

/** Format version, part of every record's associated data. */
export const AT_REST_VERSION = 1
const NONCE_BYTES = 12

/** Thrown when a record is written (or encrypted bytes opened) while no data key is held (locked). */
export class LockedError extends Error {
  constructor() {
    super('the app is locked: local data cannot be read or written')
  }
}

let dataKey: Uint8Array | null = null
let gcm: typeof Gcm | null = null

/** Load the synchronous cipher; awaited before a key is installed (shell/lock.ts, tests). */
export async function loadAtRestCipher(): Promise<void> {
  gcm ??= (await import('@noble/ciphers/aes.js')).gcm
}

function cipher(): typeof Gcm {
  if (!gcm) throw new Error('the at-rest cipher is not loaded (loadAtRestCipher)')
  return gcm
}
/** Outside tests the app never writes plaintext: without a key, writes fail (see setAtRestRequired). */
let required = false

const keyListeners = new Set<() => void>()

/** Called whenever the key is set or forgotten: whoever keeps opened records drops them then. */
export function onAtRestKeyChange(listener: () => void): () => void {
  keyListeners.add(listener)
  return () => keyListeners.delete(listener)
}

/** Hold the unwrapped data key (raw 32 bytes) while unlocked; `null` forgets it (zeroed). */
export function setAtRestKey(key: Uint8Array | null): void {
  if (dataKey && dataKey !== key) dataKey.fill(0)
  dataKey = key ? new Uint8Array(key) : null
  webKeyFor = null
  for (const listener of keyListeners) listener()
}

/** A copy of the held key, only to re-wrap it under a new PIN (shell/lock.ts setupLock). */
export function copyAtRestKey(): Uint8Array | null {
  return dataKey ? new Uint8Array(dataKey) : null
}

export function hasAtRestKey(): boolean {
  return dataKey !== null
}

/** The app sets this at start: with no key held, writes throw instead of storing plaintext. */
export function setAtRestRequired(on: boolean): void {
  required = on
}

function key(): Uint8Array | null {
  if (!dataKey && required) throw new LockedError()
  return dataKey
}

const encoder = new TextEncoder()
const AAD_HEAD = `["fangtan.local-record",${AT_REST_VERSION},`

/** The bytes of JSON ["fangtan.local-record", version, store, key], built without the array: it is
 * asked for once per record sealed or opened (10⁵ in a first sync of a year). */
function aad(store: string, recordKey: unknown): Uint8Array {
  return encoder.encode(`${AAD_HEAD}${JSON.stringify(store)},${JSON.stringify(recordKey ?? null)}]`)
}

function random(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n))
}

/** nonce ‖ ciphertext+tag of `plain`, bound to the store and record key. */
export function encryptBytes(store: string, recordKey: unknown, plain: Uint8Array): Uint8Array | null {
  const k = key()
  if (!k) return null
  const nonce = random(NONCE_BYTES)
  const ct = cipher()(k, nonce, aad(store, recordKey)).encrypt(plain)
  const out = new Uint8Array(NONCE_BYTES + ct.length)
  out.set(nonce)
  out.set(ct, NONCE_BYTES)
  return out
}

/** Decrypts what `encryptBytes` made; throws LockedError without a key, and on any tampering. */
export function decryptBytes(store: string, recordKey: unknown, encrypted: Uint8Array): Uint8Array {
  if (!dataKey) throw new LockedError()
  return cipher()(dataKey, encrypted.subarray(0, NONCE_BYTES), aad(store, recordKey)).decrypt(encrypted.subarray(NONCE_BYTES))
}

// --- records --------------------------------------------------------------------------------

/**
 * Fields kept in plaintext per store: keys, index fields and sync bookkeeping (docs/security.md §6
 * lists them as the metadata that leaks). Everything else goes into `sealed`. Stores not listed
 * (`meta`, `blobs`) are not encrypted field-wise: meta holds tokens, keys and the lock itself, and
 * blob bytes are encrypted on their own (encryptBlob).
 */
export const PLAIN_FIELDS: Record<string, readonly string[]> = {
  rows: ['entity', 'id', 'seq', 'deleted', 'parent'],
  outbox: ['id', 'state', 'entity', 'row_id', 'attempts', 'created_at', 'client_time', 'base', 'needs_base'],
  drafts: ['key', 'updated_at'],
  conflicts: ['id', 'entity', 'row_id', 'status', 'kind', 'seq', 'created_at'],
  rejections: ['key', 'server_id', 'device_id', 'mutation_id', 'status', 'rejected_at', 'dismissed_at', 'dismiss_queued'],
  recordings: ['rec', 'n', 'blob', 'sealed_blob'],
}

/** The in-line primary key of a record of `store` (the keyPaths in db.ts). */
export function recordKeyOf(store: string, rec: Record<string, unknown>): unknown {
  switch (store) {
    case 'rows':
      return [rec.entity, rec.id]
    case 'recordings':
      return [rec.rec, rec.n]
    case 'outbox':
    case 'conflicts':
      return rec.id
    default:
      return rec.key
  }
}

export interface EncryptedRecord {
  /** The ciphertext; `sealed` is the on-disk field name of existing installs, kept as is. */
  sealed: Uint8Array
  [plain: string]: unknown
}

export function isEncryptedRecord(v: unknown): v is EncryptedRecord {
  return typeof v === 'object' && v !== null && (v as { sealed?: unknown }).sealed instanceof Uint8Array
}

/** A record's plaintext fields and the rest (what gets sealed). */
function splitRecord(plainFields: readonly string[], rec: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
  const plain: Record<string, unknown> = {}
  const secret: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(rec)) {
    if (plainFields.includes(k)) plain[k] = v
    else secret[k] = v
  }
  return [plain, secret]
}

/** The stored form of a record: plaintext fields plus `sealed` (JSON of the rest). */
export function encryptRecord(store: string, value: unknown): unknown {
  const plainFields = PLAIN_FIELDS[store]
  if (!plainFields || typeof value !== 'object' || value === null || isEncryptedRecord(value)) return value
  const rec = value as Record<string, unknown>
  const [out, secret] = splitRecord(plainFields, rec)
  const encrypted = encryptBytes(store, recordKeyOf(store, rec), encoder.encode(JSON.stringify(secret)))
  if (!encrypted) return value // tests without a key (the app always has one: setAtRestRequired)
  out.sealed = encrypted
  return out
}

// --- many records at once, with WebCrypto ---------------------------------------------------
// A pulled page (hundreds of rows) is sealed before its transaction opens, and the overlay's rows
// are opened after theirs closed, with WebCrypto: same format as encryptRecord (nonce ‖
// ciphertext+tag, same associated data), but native and off the main thread, where the
// synchronous cipher cost ~60–90 µs of main-thread time per 1 kB record (a year's first sync is
// 10⁵ records). Inside a read-modify-write transaction the synchronous path stays the only one.

/** The held key as a non-extractable CryptoKey, imported once per key. */
let webKeyFor: { raw: Uint8Array; key: Promise<CryptoKey> } | null = null
function recordWebKey(): Promise<CryptoKey> | null {
  const k = key()
  if (!k) return null
  if (webKeyFor?.raw !== k) {
    webKeyFor = { raw: k, key: crypto.subtle.importKey('raw', new Uint8Array(k), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']) }
  }
  return webKeyFor.key
}

/**
 * The User Timing entries the bulk paths leave, one per call (a pull page, a store read whole):
 * what sealing and opening at rest cost a first sync, end to end — WebCrypto runs off the main
 * thread, so a CPU profile of the page does not see it (bench/first_sync.mjs sums these).
 */
export const SEAL_MEASURE = 'fangtan:at-rest-seal'
export const OPEN_MEASURE = 'fangtan:at-rest-open'
/** encryptRecord for many records, with WebCrypto; the results pass through the database's put unchanged. */
export async function encryptRecords<T>(store: string, values: T[]): Promise<T[]> {
  const plainFields = PLAIN_FIELDS[store]
  const webKey = plainFields ? recordWebKey() : null
  if (!plainFields || !webKey) return values
  return measured(SEAL_MEASURE, () => sealAll(plainFields, store, values, webKey))
}

/** Random bytes, drawn 65,536 at a time (the most getRandomValues gives a call). */
function randomMany(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n)
  for (let at = 0; at < n; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(n, at + 65536)))
  return out
}

async function sealAll<T>(plainFields: readonly string[], store: string, values: T[], webKey: Promise<CryptoKey>): Promise<T[]> {
  const k = await webKey
  // The page's nonces drawn together (one call per 5,461 records instead of one per record); each
  // record still gets its own 12 random bytes.
  const nonces = randomMany(NONCE_BYTES * values.length)
  return Promise.all(
    values.map(async (value, i) => {
      if (typeof value !== 'object' || value === null || isEncryptedRecord(value)) return value
      const rec = value as Record<string, unknown>
      const [out, secret] = splitRecord(plainFields, rec)
      const nonce = nonces.subarray(i * NONCE_BYTES, (i + 1) * NONCE_BYTES)
      const ad = aad(store, recordKeyOf(store, rec)) as Uint8Array<ArrayBuffer>
      const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: ad }, k, encoder.encode(JSON.stringify(secret))))
      const sealed = new Uint8Array(NONCE_BYTES + ct.length)
      sealed.set(nonce)
      sealed.set(ct, NONCE_BYTES)
      out.sealed = sealed
      return out as T
    }),
  )
}

/** decryptRecord for many records read raw (the database's getAllSealed), with WebCrypto. */
export async function decryptRecords<T>(store: string, values: T[]): Promise<T[]> {
  if (!PLAIN_FIELDS[store]) return values
  if (!dataKey) return values.map((v) => decryptRecord(store, v))
  return measured(OPEN_MEASURE, () => openAll(store, values))
}

async function openAll<T>(store: string, values: T[]): Promise<T[]> {
  const k = await recordWebKey()!
  const decoder = new TextDecoder()
  return Promise.all(
    values.map(async (value) => {
      if (!isEncryptedRecord(value)) return value
      const { sealed, ...plain } = value
      const encrypted = sealed as Uint8Array<ArrayBuffer>
      const ad = aad(store, recordKeyOf(store, plain)) as Uint8Array<ArrayBuffer>
      const bytes = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: encrypted.subarray(0, NONCE_BYTES), additionalData: ad }, k, encrypted.subarray(NONCE_BYTES))
      return { ...plain, ...(JSON.parse(decoder.decode(bytes)) as Record<string, unknown>) } as T
    }),
  )
}

/**
 * The record as the app wrote it. Plaintext records (before the upgrade) pass through. While
 * locked only the plaintext fields come back (status counters, revocation checks run then); a
 * write of such a partial record fails, since writing needs the key too, so nothing is lost.
 */
export function decryptRecord<T>(store: string, value: T): T {
  if (!PLAIN_FIELDS[store] || !isEncryptedRecord(value)) return value
  const { sealed: encrypted, ...plain } = value
  if (!dataKey) return plain as T
  const secret = JSON.parse(new TextDecoder().decode(decryptBytes(store, recordKeyOf(store, plain), encrypted))) as Record<string, unknown>
  return { ...plain, ...secret } as T
}

// --- strings (the localStorage auto-save journal) -------------------------------------------

/** `v1.` + base64 of nonce ‖ ciphertext; null when no key is held. */
export function encryptString(store: string, recordKey: string, text: string): string | null {
  const encrypted = encryptBytes(store, recordKey, encoder.encode(text))
  if (!encrypted) return null
  let bin = ''
  for (const b of encrypted) bin += String.fromCharCode(b)
  return `v${AT_REST_VERSION}.${btoa(bin)}`
}

export function decryptString(store: string, recordKey: string, stored: string): string {
  const m = /^v1\.([A-Za-z0-9+/=]*)$/.exec(stored)
  if (!m) throw new Error('not an encrypted string')
  const bin = atob(m[1])
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return new TextDecoder().decode(decryptBytes(store, recordKey, bytes))
}

// --- blobs ----------------------------------------------------------------------------------

async function webKey(usage: KeyUsage): Promise<CryptoKey> {
  const k = key()
  if (!k) throw new LockedError()
  return crypto.subtle.importKey('raw', new Uint8Array(k), { name: 'AES-GCM' }, false, [usage])
}

/** Blob bytes encrypted like a record (nonce ‖ ciphertext), as an opaque Blob. */
export async function encryptBlob(store: string, recordKey: unknown, blob: Blob): Promise<Blob> {
  const k = await webKey('encrypt')
  const nonce = random(NONCE_BYTES) as Uint8Array<ArrayBuffer>
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad(store, recordKey) as Uint8Array<ArrayBuffer> }, k, await blob.arrayBuffer())
  return new Blob([nonce, ct], { type: 'application/octet-stream' })
}

export async function decryptBlob(store: string, recordKey: unknown, encrypted: Blob, type: string): Promise<Blob> {
  if (!dataKey) throw new LockedError()
  const k = await webKey('decrypt')
  const bytes = new Uint8Array(await encrypted.arrayBuffer())
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: bytes.subarray(0, NONCE_BYTES), additionalData: aad(store, recordKey) as Uint8Array<ArrayBuffer> },
    k,
    bytes.subarray(NONCE_BYTES),
  )
  return new Blob([plain], { type })
}
