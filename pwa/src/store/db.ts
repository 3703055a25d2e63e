// The local database: one IndexedDB database per install (not per user: a device is bound to one
// user at enrolment, DESIGN §4). Every store the offline core needs lives here, so that a pulled
// page, its cursor and the outbox trimming can be one transaction.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { RecordingPart } from './recordings'
import { sealedDB } from './sealedDb'

export const DB_NAME = 'fangtan'
/** 3: records sealed at rest (store/atrest.ts); existing plaintext is sealed on the first unlock. */
export const DB_VERSION = 3

/** A pulled row as the server last sent it (DESIGN §4 pull `changes[]`). */
export interface StoredRow {
  entity: string
  id: string
  seq: number
  deleted: boolean
  row: Record<string, unknown>
  /** Denormalised parent id (e.g. a note's interview_id), indexed for per-interview reads. */
  parent?: string
}

/**
 * `sealed` is what an older install stored for `frozen` (the outbox said "seal" before the word was
 * kept for encryption): such an entry is frozen (see isFrozen in store/outbox.ts).
 */
export type OutboxState = 'pending' | 'frozen' | 'sealed'

/** One named mutation waiting for the server (DESIGN §4 push `mutations[]`). */
export interface OutboxEntry {
  /** Mutation id: per device, strictly increasing by 1, never reused. */
  id: number
  name: string
  args: Record<string, unknown>
  /** Row seq the client last saw, for updates (conflict detection on the server). */
  base?: number
  client_time: string
  /** When the user first made this change (for the "oldest unsynced" age). */
  created_at: string
  /**
   * `pending`: never sent, may still absorb further keystrokes (coalescing).
   * `frozen`: handed to a push at least once; it may already be on the server, so it never
   * changes again (an older install's `sealed` means the same).
   */
  state: OutboxState
  /** The entity/row this mutation writes, for coalescing and for "is it on the server?" badges. */
  entity: string
  row_id: string
  /** Push attempts that ended without a result for this entry (network error, 5xx). */
  attempts: number
  /**
   * An update of a row with an earlier mutation still in the outbox (e.g. created in this offline
   * session): its base is decided when the entry is frozen — `base_mutation` naming that earlier
   * mutation, or `base` from the pulled row once none is left (docs/sync-protocol.md §1.1).
   */
  needs_base?: boolean
  /** "The row as my mutation N left it": the server resolves N to the seq N ended at. */
  base_mutation?: number
}

export type BlobStatus = 'pending' | 'uploading' | 'done'

/** A photo or voice memo, kept as a Blob (never base64) until the server has it. */
export interface StoredBlob {
  sha256: string
  blob: Blob
  type: string
  size: number
  /** Bytes the server has confirmed (resumable upload). */
  uploaded: number
  status: BlobStatus
  created_at: string
  last_error?: string
  /** 1: `blob` holds the bytes sealed at rest (store/atrest.ts sealBlob); read them with store/blobs.ts. */
  sealed_blob?: 1
}

/** A conflict row as pulled (docs/sync-protocol.md §1.2 `conflict`), plus local bookkeeping. */
export interface StoredConflict {
  id: string
  entity: string
  row_id: string
  kind: 'hard' | 'soft'
  field: string | null
  fields?: unknown
  winner_value: unknown
  loser_value: unknown
  winner_user_id?: string | null
  winner_device_id?: string | null
  winner_mutation_id?: number | null
  loser_user_id?: string | null
  loser_device_id?: string | null
  loser_mutation_id?: number | null
  loser_seq?: number | null
  base?: number | null
  status: 'open' | 'merged' | 'resolved'
  resolved_by?: string | null
  resolved_at?: string | null
  note?: string | null
  created_at?: string
  /** Server seq of the pulled row. */
  seq: number
}

/**
 * A mutation the server refused permanently, kept until edited and resent or discarded on purpose.
 * Key: `${device_id}:${mutation_id}` so the push result and the pulled `rejection` row meet.
 */
export interface StoredRejection {
  key: string
  server_id?: string
  device_id: string
  mutation_id: number
  name: string
  args: Record<string, unknown>
  base?: number | null
  client_time?: string | null
  error: { code: string; message: string; field?: string | null; details?: unknown }
  rejected_at: string
  /** Local decision: still to handle, resent as a new mutation, or deliberately discarded. */
  status: 'open' | 'resent' | 'discarded'
  /** Server time of `rejection.dismiss` (pulled): discarded on this or another of the author's devices. */
  dismissed_at?: string | null
  /** A `rejection.dismiss` for it is in the outbox (it needs `server_id`, known once pulled). */
  dismiss_queued?: boolean
}

/**
 * Text being typed that is not yet a mutation (a note composer, an issue form that does not validate
 * yet). Saved on every keystroke so nothing typed is lost; becomes a mutation when committed.
 */
export interface StoredDraft {
  key: string
  value: Record<string, unknown>
  updated_at: string
}

export interface FangtanDB extends DBSchema {
  drafts: {
    key: string
    value: StoredDraft
  }
  rows: {
    key: [string, string]
    value: StoredRow
    indexes: { by_entity: string; by_parent: [string, string] }
  }
  outbox: {
    key: number
    value: OutboxEntry
    indexes: { by_row: [string, string]; by_state: OutboxState }
  }
  blobs: {
    key: string
    value: StoredBlob
    indexes: { by_status: BlobStatus }
  }
  meta: {
    key: string
    value: unknown
  }
  conflicts: {
    key: string
    value: StoredConflict
    indexes: { by_status: string }
  }
  rejections: {
    key: string
    value: StoredRejection
    indexes: { by_status: string }
  }
  /** Voice memo chunks persisted while recording (store/recordings.ts); version 2. */
  recordings: {
    key: [string, number]
    value: RecordingPart
  }
}

export type DB = IDBPDatabase<FangtanDB>
export type StoreName = 'rows' | 'outbox' | 'blobs' | 'meta' | 'conflicts' | 'rejections' | 'drafts' | 'recordings'

let dbPromise: Promise<DB> | null = null

export function openLocalDB(name = DB_NAME): Promise<DB> {
  return openDB<FangtanDB>(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        const rows = db.createObjectStore('rows', { keyPath: ['entity', 'id'] })
        rows.createIndex('by_entity', 'entity')
        rows.createIndex('by_parent', ['entity', 'parent'])
        const outbox = db.createObjectStore('outbox', { keyPath: 'id' })
        outbox.createIndex('by_row', ['entity', 'row_id'])
        outbox.createIndex('by_state', 'state')
        const blobs = db.createObjectStore('blobs', { keyPath: 'sha256' })
        blobs.createIndex('by_status', 'status')
        db.createObjectStore('meta')
        db.createObjectStore('drafts', { keyPath: 'key' })
        const conflicts = db.createObjectStore('conflicts', { keyPath: 'id' })
        conflicts.createIndex('by_status', 'status')
        const rejections = db.createObjectStore('rejections', { keyPath: 'key' })
        rejections.createIndex('by_status', 'status')
      }
      if (oldVersion < 2) {
        // Voice memo chunks written while recording, so a crash keeps what was recorded.
        db.createObjectStore('recordings', { keyPath: ['rec', 'n'] })
      }
      if (oldVersion >= 1 && oldVersion < 3) {
        // Records written before sealing at rest: no key is held during an upgrade, so they are
        // sealed on the first unlock after it (store/atrestUpgrade.ts).
        void tx.objectStore('meta').put(true, 'at_rest_upgrade')
      }
    },
    blocked() {
      // Another tab holds an older version open; it will reload on `versionchange`.
    },
    blocking() {
      // A newer version of the app wants to upgrade: close so it can, and reload this tab.
      void dbPromise?.then((db) => db.close())
      dbPromise = null
      if (typeof location !== 'undefined') location.reload()
    },
  }).then(sealedDB)
}

/** The app's shared connection (tests call `setDB` with a fresh fake-indexeddb database). */
export function getDB(): Promise<DB> {
  if (!dbPromise) dbPromise = openLocalDB()
  return dbPromise
}

export function setDB(db: Promise<DB> | null): void {
  dbPromise = db
}
