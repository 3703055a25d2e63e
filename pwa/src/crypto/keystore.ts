// This install's keys (docs/security.md §3): enrolment (new key pair, passphrase and recovery-code
// backups, publishing), recovery on a new device from the pulled backups, the device signing key,
// and who a new remark is sealed for. Loaded lazily with the rest of src/crypto.
import { v7 as uuidv7 } from 'uuid'
import { getDB } from '@/store/db'
import { getMeta, setMeta, type StoredKeyPair, type StoredKeys } from '@/store/meta'
import { enqueue } from '@/store/outbox'
import { notifyChange } from '@/store/events'
import { unb64url } from './b64'
import { newRecoveryCode, unwrapPrivateKey, wrapPrivateKey, WrongSecret, isRecoveryCode, PASSPHRASE_MIN, type BackupMethod, type WrappedKey } from './backup'
import { generateEncryptionKeyForBackup, generateSigningKey, importEncryptionPrivateKey, importEncryptionPublicKey, publicPoint } from './keys'
import type { Recipient } from './envelope'

export { WrongSecret, PASSPHRASE_MIN }

export interface UserKeyRow {
  id: string
  user_id: string
  purpose: 'encryption' | 'signing'
  device_id: string | null
  public_key: string
  created_at: string
  retired_at: string | null
}

export interface KeyBackupRow extends WrappedKey {
  id: string
  key_id: string
  user_id: string
  created_at: string
}

export async function loadKeys(userId: string): Promise<StoredKeys | undefined> {
  const k = await getMeta('keys')
  return k && k.user_id === userId ? k : undefined
}

async function rowsOf<T>(entity: string): Promise<T[]> {
  const db = await getDB()
  const pulled = (await db.getAllFromIndex('rows', 'by_entity', entity)).filter((r) => !r.deleted).map((r) => r.row as unknown as T)
  // Rows this device pushed but has not pulled back yet (e.g. its own key.publish) count too, and
  // a queued key.retire already stops a key being used (new remarks skip it at once, offline).
  const outbox = await db.getAll('outbox')
  const queued = outbox
    .filter((e) => e.entity === entity && (e.name === 'key.publish' || e.name === 'key.backup'))
    .map((e) => e.args as unknown as T)
  const retiring = new Map(outbox.filter((e) => e.entity === entity && e.name === 'key.retire').map((e) => [String(e.args.id), e.client_time]))
  const all = [...pulled, ...queued]
  if (!retiring.size) return all
  return all.map((r) => {
    const row = r as unknown as { id: string; retired_at?: string | null }
    return retiring.has(row.id) && !row.retired_at ? ({ ...row, retired_at: retiring.get(row.id) } as unknown as T) : r
  })
}

/** Every key the user has published (any device), newest first, with whether this device holds it. */
export async function myPublishedKeys(userId: string): Promise<Array<UserKeyRow & { thisDevice: boolean }>> {
  const mine = await loadKeys(userId)
  const own = new Set([mine?.encryption?.id, mine?.signing?.id].filter(Boolean))
  const seen = new Set<string>()
  return (await rowsOf<UserKeyRow>('user_key'))
    .filter((k) => k.user_id === userId || (k.user_id == null && own.has(k.id)))
    .filter((k) => !seen.has(k.id) && !!seen.add(k.id))
    .sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)))
    .map((k) => ({ ...k, thisDevice: own.has(k.id) }))
}

export class KeyInUse extends Error {
  constructor() {
    super('this device still uses this key')
    this.name = 'KeyInUse'
  }
}

/**
 * Retire one of the user's keys (a lost tablet's signing key, an encryption key replaced by a new
 * one): queues `key.retire {id}`; new remarks and signatures stop using it. This device's own
 * current keys are refused (it would keep using them).
 */
export async function retireKey(userId: string, keyId: string): Promise<void> {
  const mine = await loadKeys(userId)
  if (keyId === mine?.encryption?.id || keyId === mine?.signing?.id) throw new KeyInUse()
  await enqueue('key.retire', { id: keyId })
  notifyChange('rows')
}

/** What the user has on the server: published encryption keys (current first) and their backups. */
export async function serverState(userId: string): Promise<{ keys: UserKeyRow[]; backups: KeyBackupRow[] }> {
  const keys = (await rowsOf<UserKeyRow>('user_key'))
    .filter((k) => k.user_id === userId && k.purpose === 'encryption' && !k.retired_at)
    .sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)))
  const backups = (await rowsOf<KeyBackupRow>('key_backup')).filter((b) => !b.user_id || b.user_id === userId)
  return { keys, backups }
}

async function storeKeys(userId: string, change: Partial<Omit<StoredKeys, 'user_id'>>): Promise<StoredKeys> {
  const existing = (await loadKeys(userId)) ?? { user_id: userId }
  const next: StoredKeys = { ...existing, ...change, user_id: userId }
  await setMeta('keys', next)
  notifyChange('meta')
  return next
}

/** This device's signing key, made and published on first need. */
export async function ensureSigningKey(userId: string): Promise<StoredKeyPair> {
  const have = (await loadKeys(userId))?.signing
  if (have) return have
  const pair = await generateSigningKey()
  const signing: StoredKeyPair = { id: uuidv7(), public_key: await publicPoint(pair.publicKey), privateKey: pair.privateKey, publicKey: pair.publicKey }
  await storeKeys(userId, { signing })
  await enqueue('key.publish', { id: signing.id, purpose: 'signing', public_key: signing.public_key })
  return signing
}

/**
 * First enrolment: a new encryption key pair, wrapped for the server under the passphrase and under
 * a fresh recovery code (returned, to be shown once), then kept only as a non-extractable key.
 */
export async function enrol(userId: string, passphrase: string): Promise<{ recoveryCode: string }> {
  if (passphrase.length < PASSPHRASE_MIN) throw new Error(`passphrase shorter than ${PASSPHRASE_MIN}`)
  const keyId = uuidv7()
  const recoveryCode = await newRecoveryCode()
  const { pkcs8, publicKey } = await generateEncryptionKeyForBackup()
  let backups: WrappedKey[]
  let privateKey: CryptoKey
  try {
    backups = [await wrapPrivateKey(pkcs8, passphrase, 'passphrase', keyId), await wrapPrivateKey(pkcs8, recoveryCode, 'recovery_code', keyId)]
    privateKey = await importEncryptionPrivateKey(pkcs8)
  } finally {
    pkcs8.fill(0)
  }
  const encryption: StoredKeyPair = { id: keyId, public_key: await publicPoint(publicKey), privateKey, publicKey }
  await storeKeys(userId, { encryption })
  await enqueue('key.publish', { id: keyId, purpose: 'encryption', public_key: encryption.public_key })
  for (const b of backups) await enqueue('key.backup', { id: uuidv7(), key_id: keyId, ...b })
  await ensureSigningKey(userId)
  return { recoveryCode }
}

/** A new device: unwrap the current key from a pulled backup with the passphrase or recovery code. */
export async function recover(userId: string, secret: string): Promise<void> {
  const { keys, backups } = await serverState(userId)
  const method: BackupMethod = (await isRecoveryCode(secret)) ? 'recovery_code' : 'passphrase'
  for (const key of keys) {
    for (const b of backups.filter((x) => x.key_id === key.id && x.method === method)) {
      let pkcs8: Uint8Array<ArrayBuffer>
      try {
        pkcs8 = await unwrapPrivateKey(b, secret, key.id)
      } catch {
        continue
      }
      try {
        const privateKey = await importEncryptionPrivateKey(pkcs8)
        const publicKey = await importEncryptionPublicKey(unb64url(key.public_key))
        await storeKeys(userId, { encryption: { id: key.id, public_key: key.public_key, privateKey, publicKey } })
      } finally {
        pkcs8.fill(0)
      }
      await ensureSigningKey(userId)
      return
    }
  }
  throw new WrongSecret()
}

interface UserRow {
  id: string
  name: string
  roles: string[]
}

/**
 * Who a new remark is sealed for: the author (this device's key) and every officer's current
 * encryption key (the newest non-retired `user_key` of each user with role `officer`).
 */
export async function remarkRecipients(userId: string): Promise<{ recipients: Recipient[]; officersWithoutKey: string[] }> {
  const mine = (await loadKeys(userId))?.encryption
  if (!mine) throw new Error('no encryption key on this device')
  const officers = (await rowsOf<UserRow>('user')).filter((u) => Array.isArray(u.roles) && u.roles.includes('officer') && u.id !== userId)
  const keys = (await rowsOf<UserKeyRow>('user_key')).filter((k) => k.purpose === 'encryption' && !k.retired_at)
  const recipients: Recipient[] = [{ user_id: userId, key_id: mine.id, public_key: mine.public_key }]
  const officersWithoutKey: string[] = []
  for (const o of officers) {
    const current = keys.filter((k) => k.user_id === o.id).sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)))[0]
    if (current) recipients.push({ user_id: o.id, key_id: current.id, public_key: current.public_key })
    else officersWithoutKey.push(o.name)
  }
  return { recipients: recipients.slice(0, 20), officersWithoutKey }
}

export function keyPairOf(k: StoredKeyPair): CryptoKeyPair {
  return { privateKey: k.privateKey, publicKey: k.publicKey }
}
