// The client side of the named-mutation catalogue (docs/sync-protocol.md): for each mutation name,
// which row it writes, how a still-unsent copy absorbs further edits, and how it shows in the
// overlay before the server has applied it. Filled in by `domain/mutations.ts`.

/** Rows keyed `${entity}\u0000${id}`, as the overlay sees them. */
export type RowMap = Map<string, OverlayRow>

export interface OverlayRow {
  entity: string
  id: string
  row: Record<string, unknown>
  /** Server seq of the pulled row; undefined when the row exists only in the outbox. */
  seq?: number
  deleted: boolean
  /** Outbox mutation ids that touch this row and are not yet confirmed by a pull. */
  pending: number[]
  /** Has a pulled copy (the server has seen the row at least once). */
  synced: boolean
}

export interface MutationSpec {
  name: string
  /** Entity and row id that this mutation writes (for coalescing and badges). */
  target(args: Record<string, unknown>): { entity: string; id: string }
  /**
   * How a new call merges into an unsent (pending) mutation of the same name for the same row:
   * `merge` shallow-merges args (object-valued keys listed in `deepKeys` merge one level deeper),
   * `replace` takes the new args, `append` never coalesces (every call is its own mutation).
   */
  coalesce: 'merge' | 'replace' | 'append'
  deepKeys?: string[]
  /** Apply to the overlay (pure; `rows` is the working copy). */
  apply(rows: RowMap, args: Record<string, unknown>, ctx: ApplyContext): void
  /**
   * `base` (docs/sync-protocol.md §1.1): `never` (creates, appends), `ifExists` (create-or-update:
   * an update once the row exists), `always` (pure updates).
   */
  base: 'never' | 'ifExists' | 'always'
  /** Other mutation names an unsent call of which this one may fold into (issue.update → issue.raise). */
  coalesceInto?: string[]
}

export interface ApplyContext {
  mutationId: number
  clientTime: string
  userId?: string
}

const specs = new Map<string, MutationSpec>()

export function defineMutation(spec: MutationSpec): MutationSpec {
  specs.set(spec.name, spec)
  return spec
}

export function getSpec(name: string): MutationSpec | undefined {
  return specs.get(name)
}

export function rowKey(entity: string, id: string): string {
  return `${entity}\u0000${id}`
}

/** Get-or-create a row in the working copy (created rows are local-only until pulled). */
export function upsertRow(rows: RowMap, entity: string, id: string, mutationId: number): OverlayRow {
  const key = rowKey(entity, id)
  let r = rows.get(key)
  if (!r) {
    r = { entity, id, row: { id }, deleted: false, pending: [], synced: false }
    rows.set(key, r)
  } else {
    // Copy-on-write: never mutate the pulled row objects held elsewhere.
    r = { ...r, row: { ...r.row }, pending: [...r.pending] }
    rows.set(key, r)
  }
  if (!r.pending.includes(mutationId)) r.pending.push(mutationId)
  return r
}

export function mergeArgs(
  old: Record<string, unknown>,
  next: Record<string, unknown>,
  deepKeys: string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...old, ...next }
  for (const k of deepKeys) {
    const a = old[k]
    const b = next[k]
    if (isPlainObject(a) && isPlainObject(b)) out[k] = { ...a, ...b }
  }
  return out
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Blob)
}
