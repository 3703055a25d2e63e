// The mutation catalogue of docs/sync-protocol.md §1.4, as the client needs it: which row each
// mutation writes, how unsent edits coalesce, and how it shows in the overlay before the server
// has applied it. Row shapes follow §1.2.
import { defineMutation, upsertRow, rowKey, type RowMap } from '@/store/registry'
// The follow-up loop's mutations (report.save, report.submit, notification.read) live with its logic.
import './followup'
// Plans (plan.save) and their offline completion status.
import './plans'

function str(v: unknown): string {
  return typeof v === 'string' ? v : String(v)
}

/** Patch semantics: only the fields present in args change; `id` is never rewritten. */
function patch(row: Record<string, unknown>, args: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(args)) if (k !== 'id') row[k] = v
}

function isNew(r: { synced: boolean; row: Record<string, unknown> }): boolean {
  return !r.synced && r.row.created_at === undefined
}

export const INTERVIEW_DEFAULTS: Record<string, unknown> = {
  plan_item_id: null,
  adhoc_reason: null,
  cadre_ids: [],
  started_at: null,
  ended_at: null,
  place: null,
  participants: [],
  participant_count: null,
  theme: null,
  channel: null,
  absence_reason: null,
  topic: null,
  departments: [],
  consensus: [],
  disagreements: [],
  topics: [],
  briefing: null,
  summary: null,
  status: 'draft',
  submitted_at: null,
}

defineMutation({
  name: 'interview.save',
  target: (a) => ({ entity: 'interview', id: str(a.id) }),
  coalesce: 'merge',
  deepKeys: ['briefing'],
  base: 'ifExists',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'interview', str(args.id), ctx.mutationId)
    if (isNew(r)) {
      Object.assign(r.row, INTERVIEW_DEFAULTS, {
        cadre_ids: ctx.userId ? [ctx.userId] : [],
        author_id: ctx.userId ?? null,
        created_at: ctx.clientTime,
      })
    }
    patch(r.row, args)
    if (args.status === 'submitted' && !r.row.submitted_at) r.row.submitted_at = ctx.clientTime
    r.row.updated_at = ctx.clientTime
  },
})

defineMutation({
  name: 'note.add',
  target: (a) => ({ entity: 'note', id: str(a.id) }),
  coalesce: 'append',
  base: 'never',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'note', str(args.id), ctx.mutationId)
    Object.assign(r.row, { prompt_id: null, author_id: ctx.userId ?? null, client_time: ctx.clientTime, created_at: ctx.clientTime })
    patch(r.row, args)
  },
})

export const ISSUE_DEFAULTS: Record<string, unknown> = {
  note_id: null,
  solution: null,
  owner: null,
  owner_user_id: null,
  due_date: null,
  major: false,
  receipt_code: null,
  public_summary: null,
  status: 'raised',
  handler_unit_id: null,
  flagged_events: 0,
}

defineMutation({
  name: 'issue.raise',
  target: (a) => ({ entity: 'issue', id: str(a.id) }),
  coalesce: 'merge',
  base: 'never',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'issue', str(args.id), ctx.mutationId)
    if (isNew(r)) Object.assign(r.row, ISSUE_DEFAULTS, { raised_by: ctx.userId ?? null, created_at: ctx.clientTime })
    patch(r.row, args)
    r.row.updated_at = ctx.clientTime
  },
})

defineMutation({
  name: 'issue.update',
  target: (a) => ({ entity: 'issue', id: str(a.id) }),
  coalesce: 'merge',
  coalesceInto: ['issue.raise'],
  base: 'always',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'issue', str(args.id), ctx.mutationId)
    patch(r.row, args)
    r.row.updated_at = ctx.clientTime
  },
})

defineMutation({
  name: 'followup.add',
  target: (a) => ({ entity: 'followup', id: str(a.id) }),
  coalesce: 'append',
  base: 'never',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'followup', str(args.id), ctx.mutationId)
    Object.assign(r.row, { author_id: ctx.userId ?? null, client_time: ctx.clientTime, created_at: ctx.clientTime, flagged: false })
    patch(r.row, args)
  },
})

defineMutation({
  name: 'remark.put',
  target: (a) => ({ entity: 'remark', id: str(a.id) }),
  coalesce: 'replace',
  // Replacing a remark goes through the server's base-version conflict detection.
  base: 'ifExists',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'remark', str(args.id), ctx.mutationId)
    if (isNew(r)) Object.assign(r.row, { author_id: ctx.userId ?? null, created_at: ctx.clientTime })
    patch(r.row, args)
    r.row.updated_at = ctx.clientTime
    // 记录于: the author's writing time (the server keeps it, on its clock); an officer's grant is no writing.
    if (r.row.author_id === ctx.userId) r.row.written_at = ctx.clientTime
  },
})

defineMutation({
  name: 'attachment.add',
  target: (a) => ({ entity: 'attachment', id: str(a.id) }),
  coalesce: 'append',
  base: 'never',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'attachment', str(args.id), ctx.mutationId)
    Object.assign(r.row, { name: null, author_id: ctx.userId ?? null, created_at: ctx.clientTime })
    patch(r.row, args)
  },
})

defineMutation({
  name: 'attachment.remove',
  target: (a) => ({ entity: 'attachment', id: str(a.id) }),
  coalesce: 'append',
  base: 'never',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'attachment', str(args.id), ctx.mutationId)
    r.deleted = true
  },
})

defineMutation({
  name: 'conflict.resolve',
  target: (a) => ({ entity: 'conflict', id: str(a.id) }),
  coalesce: 'replace',
  base: 'never',
  // Conflicts live in their own store; the inbox reads pending resolves from the outbox.
  apply() {},
})

defineMutation({
  name: 'rejection.dismiss',
  target: (a) => ({ entity: 'rejection', id: str(a.id) }),
  coalesce: 'replace',
  base: 'never',
  // Rejections live in their own store (already marked discarded locally); nothing to overlay.
  apply() {},
})

defineMutation({
  name: 'mutation.void',
  // Stands in for a queued mutation the server could not decode (docs/sync-protocol.md §7).
  target: (a) => {
    const orig = (a.original_args ?? {}) as Record<string, unknown>
    const entity = String(a.original_name ?? 'void').split('.')[0]
    return { entity, id: String(orig.id ?? 'void') }
  },
  coalesce: 'append',
  base: 'never',
  apply() {},
})

// Confidentiality (docs/sync-protocol.md §1.4, docs/security.md): keys, backups, access log, signatures.
defineMutation({
  name: 'key.publish',
  target: (a) => ({ entity: 'user_key', id: str(a.id) }),
  coalesce: 'append',
  base: 'never',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'user_key', str(args.id), ctx.mutationId)
    Object.assign(r.row, { user_id: ctx.userId ?? null, device_id: null, retired_at: null, created_at: ctx.clientTime })
    patch(r.row, args)
  },
})

defineMutation({
  name: 'key.retire',
  target: (a) => ({ entity: 'user_key', id: str(a.id) }),
  coalesce: 'append',
  base: 'never',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'user_key', str(args.id), ctx.mutationId)
    if (!r.row.retired_at) r.row.retired_at = ctx.clientTime
  },
})

defineMutation({
  name: 'key.backup',
  target: (a) => ({ entity: 'key_backup', id: str(a.id) }),
  coalesce: 'append',
  base: 'never',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'key_backup', str(args.id), ctx.mutationId)
    Object.assign(r.row, { user_id: ctx.userId ?? null, created_at: ctx.clientTime })
    patch(r.row, args)
  },
})

defineMutation({
  name: 'remark.access',
  target: (a) => ({ entity: 'remark_access', id: str(a.id) }),
  coalesce: 'append',
  base: 'never',
  apply(rows, args, ctx) {
    const r = upsertRow(rows, 'remark_access', str(args.id), ctx.mutationId)
    Object.assign(r.row, { user_id: ctx.userId ?? null, client_time: ctx.clientTime, created_at: ctx.clientTime })
    patch(r.row, args)
  },
})

defineMutation({
  name: 'interview.sign',
  target: (a) => ({ entity: 'interview_signature', id: str(a.id) }),
  coalesce: 'append',
  base: 'never',
  // 已签名 shows only once the server has verified and stored it (the pulled row).
  apply() {},
})

/** Is there a pending row in the overlay for this entity/id? (helper for views) */
export function hasRow(rows: RowMap, entity: string, id: string): boolean {
  return rows.has(rowKey(entity, id))
}
