// Plan items on this device with their completion status, computed from the local interviews
// (pulled rows ⊕ outbox), so the chips are right offline too.
import { computed, type Ref } from 'vue'
import { useOverlay, liveRows } from '@/composables/data'
import { chinaDay, heldDays, statusOf, type PlanCompletion, type PlanItem } from '@/domain/plans'
import type { OverlayRow } from '@/store/registry'

export interface PlanEntry {
  item: PlanItem
  row: OverlayRow
  status: PlanCompletion | 'cancelled'
  heldOn: string | null
  /** The interview that fulfils it, or a started draft that links it. */
  interviewId: string | null
}

export function usePlanItems(filter: Ref<(item: PlanItem) => boolean>) {
  const { map, ready } = useOverlay(['plan_item', 'interview'])
  const entries = computed<PlanEntry[]>(() => {
    const interviews = liveRows(map.value, 'interview').map((r) => r.row)
    const held = heldDays(interviews)
    // A started but not yet submitted visit: open it rather than start a second one.
    const linked = new Map(interviews.filter((iv) => typeof iv.plan_item_id === 'string').map((iv) => [String(iv.plan_item_id), String(iv.id)]))
    const today = chinaDay(new Date())
    return liveRows(map.value, 'plan_item')
      .map((row) => {
        const item = row.row as unknown as PlanItem
        const h = held.get(row.id)
        const status = item.status === 'cancelled' ? 'cancelled' : statusOf(item.window_end, h?.day ?? null, today)
        return { item, row, status, heldOn: h?.day ?? null, interviewId: h?.interviewId ?? linked.get(row.id) ?? null } as PlanEntry
      })
      .filter((e) => filter.value(e.item))
      .sort((a, b) => a.item.window_end.localeCompare(b.item.window_end) || a.row.id.localeCompare(b.row.id))
  })
  return { entries, ready, map }
}
