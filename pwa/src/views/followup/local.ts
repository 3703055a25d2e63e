// Problems as this device sees them: the overlay row with the status its unsent follow-up events
// lead to (domain/followup.ts foldStatus), and the assignment an unsent `assign` carries.
import { computed, type ComputedRef, type Ref } from 'vue'
import type { OverlayRow } from '@/store/registry'
import { foldStatus } from '@/domain/followup'

export function withLocalStatus(issues: OverlayRow[], events: OverlayRow[]): OverlayRow[] {
  const pending = new Map<string, OverlayRow[]>()
  for (const e of events) {
    if (!e.pending.length || e.synced) continue
    const id = String(e.row.issue_id)
    pending.set(id, [...(pending.get(id) ?? []), e])
  }
  return issues.map((r) => {
    const evs = (pending.get(r.id) ?? []).sort((a, b) => Math.min(...a.pending) - Math.min(...b.pending))
    if (!evs.length) return r
    const row: Record<string, unknown> = { ...r.row, status: foldStatus(r.row.status as string, r.row.handler_unit_id as string, evs.map((e) => String(e.row.kind))) }
    for (const e of evs) {
      if (e.row.kind === 'assign') {
        row.handler_unit_id = e.row.handler_unit_id
        if (e.row.owner_user_id) row.owner_user_id = e.row.owner_user_id
        if (e.row.owner) row.owner = e.row.owner
        if (e.row.due_date) row.due_date = e.row.due_date
      }
      if (e.row.kind === 'escalate') row.major = true
    }
    return { ...r, row, pending: [...r.pending, ...evs.flatMap((e) => e.pending)] }
  })
}

/** Problems grouped by their interview, once per change: not filtered for each report listed
 * (reports × problems of the years a device holds). */
export function problemsByInterview(issues: Ref<OverlayRow[]>): ComputedRef<Map<string, OverlayRow[]>> {
  return computed(() => {
    const out = new Map<string, OverlayRow[]>()
    for (const i of issues.value) {
      const iv = String(i.row.interview_id)
      const list = out.get(iv)
      if (list) list.push(i)
      else out.set(iv, [i])
    }
    return out
  })
}
