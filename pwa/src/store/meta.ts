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
  locale: string
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
