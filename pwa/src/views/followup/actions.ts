// Which follow-up actions the signed-in user gets on a problem, from the overlay (the problem's
// interview for "raised it", the archive row, a recorded decision) — domain/followup.ts problemActions.
import { computed, type ComputedRef, type Ref } from 'vue'
import type { OverlayRow, RowMap } from '@/store/registry'
import { currentUser, roles } from '@/shell/session'
import { isWriter } from '@/shell/writer'
import { problemActions, type Problem } from '@/domain/followup'

/** Ids of the problems with a recorded decision (决定), once per change of the events: not a scan of
 * every event for each problem shown (three years of HR's: 10⁵ events). */
export function decidedIssues(events: Ref<OverlayRow[]>): ComputedRef<Set<string>> {
  return computed(() => new Set(events.value.filter((e) => e.row.kind === 'decide').map((e) => String(e.row.issue_id))))
}

export function actionsFor(map: Ref<RowMap>, events: Ref<OverlayRow[]>): (r: OverlayRow) => string[] {
  const decidedIds = decidedIssues(events)
  return (r: OverlayRow) => {
    if (!isWriter.value) return []
    const me = currentUser.value?.id ?? ''
    const ivId = String(r.row.interview_id ?? '')
    const iv = map.value.get(`interview\u0000${ivId}`)?.row
    const cadres = [...((iv?.cadre_ids as string[] | undefined) ?? []), iv?.author_id]
    return problemActions({ ...(r.row as unknown as Problem), id: r.id }, {
      roles: roles.value,
      userId: me,
      unitId: currentUser.value?.unit_id ?? null,
      isRaiser: r.row.raised_by === me || cadres.includes(me),
      archived: map.value.has(`archive\u0000${ivId}`),
      decided: decidedIds.value.has(r.id),
    })
  }
}
