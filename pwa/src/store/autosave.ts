// Auto-save on every keystroke. Each change is written synchronously to a small localStorage
// journal (survives a tab closed a millisecond later), then debounced (≤ 300 ms) into IndexedDB as
// a mutation or a draft; the journal entry is cleared once IndexedDB has committed. Pending saves
// are flushed on `visibilitychange` (hidden) and `pagehide`; the journal is replayed after the
// unlock (store/atrestUpgrade.ts). Journal entries are encrypted under the local data key
// (store/atrest.ts, synchronous): localStorage never holds what is typed in plaintext.
import { enqueue } from './outbox'
import { saveDraft, deleteDraft } from './drafts'
import { hasAtRestKey, decryptString, encryptString } from './atrest'

export type JournalOp =
  | { kind: 'mutation'; name: string; args: Record<string, unknown> }
  | { kind: 'draft'; key: string; value: Record<string, unknown> | null }

export const DEBOUNCE_MS = 250
const JOURNAL_KEY = 'fangtan.journal.v2'
/** Written in plaintext by versions before encrypting at rest; replayed once and removed. */
const LEGACY_JOURNAL_KEY = 'fangtan.journal.v1'

interface Slot {
  op: JournalOp
  timer: ReturnType<typeof setTimeout> | null
}

const slots = new Map<string, Slot>()
let inflight: Promise<void> = Promise.resolve()

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage
  } catch {
    return null
  }
}

/** The journal as stored: slot key → encrypted JSON of the op. */
function readJournal(storageKey = JOURNAL_KEY): Record<string, string> {
  const s = storage()
  if (!s) return {}
  try {
    return JSON.parse(s.getItem(storageKey) ?? '{}') as Record<string, string>
  } catch {
    return {}
  }
}

function writeJournal(j: Record<string, string>): void {
  const s = storage()
  if (!s) return
  try {
    if (Object.keys(j).length === 0) s.removeItem(JOURNAL_KEY)
    else s.setItem(JOURNAL_KEY, JSON.stringify(j))
  } catch {
    /* quota: IndexedDB still gets it within DEBOUNCE_MS */
  }
}

function decryptEntry(key: string, encrypted: string | undefined): JournalOp | undefined {
  if (!encrypted) return undefined
  try {
    return JSON.parse(decryptString('journal', key, encrypted)) as JournalOp
  } catch {
    return undefined // locked, or not ours: left for a later replay
  }
}

function mergeOp(prev: JournalOp | undefined, next: JournalOp): JournalOp {
  if (prev && prev.kind === 'mutation' && next.kind === 'mutation' && prev.name === next.name) {
    return { ...next, args: { ...prev.args, ...next.args } }
  }
  return next
}

async function commit(op: JournalOp): Promise<void> {
  if (op.kind === 'mutation') await enqueue(op.name, op.args)
  else if (op.value === null) await deleteDraft(op.key)
  else await saveDraft(op.key, op.value)
}

/**
 * Schedule a save. `key` identifies what is being edited (e.g. `interview:<id>`); successive calls
 * with the same key merge (mutation args shallow-merge, drafts replace) and reset the timer.
 */
export function autosave(key: string, rawOp: JournalOp): void {
  // Plain JSON copy: screens pass Vue reactive objects, which IndexedDB cannot clone.
  const op = JSON.parse(JSON.stringify(rawOp)) as JournalOp
  const slot = slots.get(key)
  const merged = mergeOp(slot?.op, op)
  const j = readJournal()
  // Without the key (locked) nothing is journalled in plaintext: IndexedDB gets it, or the write fails loudly.
  const encrypted = encryptString('journal', key, JSON.stringify(mergeOp(decryptEntry(key, j[key]), op)))
  if (encrypted) {
    j[key] = encrypted
    writeJournal(j)
  }
  if (slot?.timer) clearTimeout(slot.timer)
  const timer = setTimeout(() => void flushKey(key), DEBOUNCE_MS)
  slots.set(key, { op: merged, timer })
}

async function flushKey(key: string): Promise<void> {
  const slot = slots.get(key)
  if (!slot) return
  if (slot.timer) clearTimeout(slot.timer)
  slots.delete(key)
  const op = slot.op
  // Serialise commits so mutation order follows typing order.
  inflight = inflight.then(async () => {
    try {
      await commit(op)
      // Clear the journal entry unless newer typing for this key arrived meanwhile.
      if (!slots.has(key)) {
        const j = readJournal()
        delete j[key]
        writeJournal(j)
      }
    } catch (e) {
      console.error('autosave failed; kept in journal', e)
    }
  })
  return inflight
}

/** Write every pending save now (before navigation, sync, submit, or the page going away). */
export async function flushAutosave(): Promise<void> {
  await Promise.all([...slots.keys()].map((k) => flushKey(k)))
  await inflight
}

export function pendingAutosaves(): number {
  return slots.size
}

/** Replay journal entries left by a tab that closed before IndexedDB committed (needs the key). */
export async function replayJournal(): Promise<number> {
  if (!hasAtRestKey()) return 0
  let n = 0
  const legacy = readJournal(LEGACY_JOURNAL_KEY) as unknown as Record<string, JournalOp>
  for (const k of Object.keys(legacy)) {
    await commit(legacy[k])
    n++
  }
  storage()?.removeItem(LEGACY_JOURNAL_KEY)
  const j = readJournal()
  const done: string[] = []
  for (const k of Object.keys(j)) {
    if (slots.has(k)) continue
    const op = decryptEntry(k, j[k])
    if (!op) continue
    await commit(op)
    done.push(k)
  }
  const now = readJournal()
  for (const k of done) if (!slots.has(k)) delete now[k]
  writeJournal(now)
  return n + done.length
}

let installed = false
export function installAutosaveFlush(): void {
  if (installed || typeof window === 'undefined') return
  installed = true
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') void flushAutosave()
  })
  window.addEventListener('pagehide', () => void flushAutosave())
}
