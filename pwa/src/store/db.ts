// The local database: one IndexedDB database per install (not per user: a device is bound to one
// user at enrolment, DESIGN §4). Every store the offline core needs lives here, so that a pulled
// page, its cursor and the outbox trimming can be one transaction.
import { openDB } from 'idb'
import type { DB, FangtanDB } from './schema'
import { encryptedDB } from './encryptedDb'

export const DB_NAME = 'fangtan'
/** 3: records encrypted at rest (store/atrest.ts); existing plaintext is encrypted on the first unlock. */
export const DB_VERSION = 3

export type { StoredRow, OutboxState, OutboxEntry, BlobStatus, StoredBlob, StoredConflict, StoredRejection, StoredDraft, FangtanDB, DB, StoreName } from './schema'

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
        // Records written before encryption at rest: no key is held during an upgrade, so they are
        // encrypted on the first unlock after it (store/atrestUpgrade.ts).
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
  }).then(encryptedDB)
}

/** The app's shared connection (tests call `setDB` with a fresh fake-indexeddb database). */
export function getDB(): Promise<DB> {
  if (!dbPromise) dbPromise = openLocalDB()
  return dbPromise
}

export function setDB(db: Promise<DB> | null): void {
  dbPromise = db
}
