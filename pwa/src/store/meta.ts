// Small key/value facts about this install: session, device, cursor, counters.
import { getDB } from './db'

export interface SessionUser {
  id: string
  name: string
  roles: string[]
  unit_id: string
  username?: string
}

/** Every meta key in one place, with its type. */
export interface MetaMap {
  /** Enrolment: set once by the first online sign-in. */
  device_id: string
  device_name: string
  /** The server's FANGTAN_PUBLIC_BASE_URL at the last sign-in ('' when unset): phones' pages. */
  public_base_url: string
  user: SessionUser
  access_token: string
  refresh_token: string
  /** Pull cursor (server seq), stored in the same transaction as the rows of its page. */
  cursor: number
  /** Upper bound of an unfinished multi-page pull (`upto` of its first page). */
  pull_upto: number
  /** The next mutation id to hand out (per device, strictly increasing by 1). */
  next_mutation_id: number
  /** The server's `last_mutation_id` for this device, as last reported. */
  server_last_mutation_id: number
  last_sync_at: string
  last_sync_ok_at: string
  last_sync_error: { code: string; message: string } | null
  /** Set when the server answered 426: pushes wait until the app is updated. */
  client_too_old: boolean
  /** Result of navigator.storage.persist() */
  persisted: boolean
  /** Set when the device must re-sign-in (refresh token refused). */
  needs_sign_in: boolean
  /** Signed in with a one-time password: the 设置新密码 screen comes before anything else. */
  must_change_password: boolean
  locale: string
  /** Issue 5: this install's private keys (non-extractable CryptoKeys) for one user (crypto/keystore.ts). */
  keys: StoredKeys
  /** App lock (shell/lock.ts): PIN-derived key parameters and the wrapped local data key. */
  lock: LockConfig
  /** Failed unlock attempts since the last success, and the earliest time (ms) the next may run. */
  lock_failures: number
  lock_not_before: number
  /** Minutes of inactivity before the app locks (default 5). */
  lock_idle_minutes: number
  /** Set when the server answered `auth.device_revoked` (shell/revocation.ts): purge pending. */
  revoked: { at: string; code: string }
  /** When the unsynced work of a revoked device was exported to a file (then it may be purged). */
  revoked_exported_at: string
  /** Set by the IndexedDB upgrade to version 3: plaintext records wait to be sealed at the next unlock. */
  at_rest_upgrade: boolean
  /** The server-held unlock share of this device, cached (shell/unlockShare.ts). */
  unlock_share: CachedUnlockShare
  /** The latest wall-clock time (ms) this install has seen: a clock set back cannot extend the share. */
  clock_high_water: number
  /** The working-day calendar as last fetched (GET /api/calendar/table): report deadlines offline. */
  work_calendar: import('@/domain/workdays').WorkdayTable
  /** This device's clock minus the server's (ms), measured at the last push (sync/status.ts clockOffsetMs). */
  clock_offset_ms: number
}

export interface CachedUnlockShare {
  device_id: string
  /** 32 bytes, base64url. */
  share: string
  /** ms since the epoch: last successful fetch + the server's `valid_days`. */
  expires_at: number
}

export interface StoredKeyPair {
  /** The `user_key` row id it was published under. */
  id: string
  /** Uncompressed P-256 point, base64url. */
  public_key: string
  privateKey: CryptoKey
  publicKey: CryptoKey
}

export interface StoredKeys {
  user_id: string
  encryption?: StoredKeyPair
  signing?: StoredKeyPair
}

export interface LockConfig {
  /** 2: the key-encryption key mixes in the server-held unlock share (docs/security.md §6); absent: PIN only. */
  v?: 2
  /** The device whose unlock share the key-encryption key uses (v 2). */
  device_id?: string
  kdf: 'PBKDF2-SHA256'
  iterations: number
  salt: string
  nonce: string
  /** The local data key (AES-256-GCM), wrapped under the PIN-derived key. */
  wrapped: string
}

export type MetaKey = keyof MetaMap

export async function getMeta<K extends MetaKey>(key: K): Promise<MetaMap[K] | undefined> {
  const db = await getDB()
  return (await db.get('meta', key)) as MetaMap[K] | undefined
}

export async function setMeta<K extends MetaKey>(key: K, value: MetaMap[K]): Promise<void> {
  const db = await getDB()
  await db.put('meta', value, key)
}

export async function deleteMeta(key: MetaKey): Promise<void> {
  const db = await getDB()
  await db.delete('meta', key)
}

export async function getMetaMany<K extends MetaKey>(keys: K[]): Promise<Partial<Pick<MetaMap, K>>> {
  const db = await getDB()
  const tx = db.transaction('meta')
  const out: Partial<Pick<MetaMap, K>> = {}
  for (const k of keys) {
    const v = await tx.store.get(k)
    if (v !== undefined) (out as Record<string, unknown>)[k] = v
  }
  await tx.done
  return out
}
