// Which follow-up actions the signed-in user gets on a problem, from the overlay (the problem's
// interview for "raised it", the archive row, a recorded decision) — domain/followup.ts problemActions.
import type { Ref } from 'vue'
import type { OverlayRow, RowMap } from '@/store/registry'
import { currentUser, roles } from '@/shell/session'
import { isWriter } from '@/shell/writer'
import { problemActions, type Problem } from '@/domain/followup'

export function actionsFor(map: Ref<RowMap>, events: Ref<OverlayRow[]>): (r: OverlayRow) => string[] {
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
      decided: events.value.some((e) => e.row.issue_id === r.id && e.row.kind === 'decide'),
    })
  }
}
