// The local database's record types: a leaf module (it imports only idb's types), so the store
// modules, the at-rest encryption wrapper and the views can all name them without an import cycle.
import type { DBSchema, IDBPDatabase } from 'idb'

export interface RecordingHeader {
  id: string
  /** The attachment id chosen when recording started, so recovery never adds the memo twice. */
  attachment_id: string
  parent_entity: 'interview' | 'note' | 'issue' | 'followup'
  parent_id: string
  mime: string
  name: string
  started_at: string
}

export interface RecordingPart {
  rec: string
  n: number
  header?: RecordingHeader
  /** Sealed at rest when `sealed_blob` is 1 (store/atrest.ts); the header is sealed with the record. */
  blob?: Blob
  sealed_blob?: 1
}

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
  /** 1: `blob` holds the bytes encrypted at rest (store/atrest.ts encryptBlob; the field name is the on-disk format, kept); read them with store/blobs.ts. */
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
