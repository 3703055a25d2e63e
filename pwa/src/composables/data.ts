// Reactive reads of the overlay for screens: re-read when local data changes (this tab or another).
import { computed, onMounted, onUnmounted, ref, shallowRef } from 'vue'
import { onChange } from '@/store/events'
import { getRow, loadOverlay, rowsOf } from '@/store/overlay'
import type { RowMap, OverlayRow } from '@/store/registry'
import { currentUser } from '@/shell/session'
import { pickChecklist, type Checklist } from '@/domain/catalogue'
import { getDB } from '@/store/db'
import { interviewDay } from '@/domain/validate'

export function useOverlay(entities: string[]) {
  const map = shallowRef<RowMap>(new Map())
  const ready = ref(false)
  let timer: ReturnType<typeof setTimeout> | null = null
  async function reload(): Promise<void> {
    map.value = await loadOverlay({ entities, userId: currentUser.value?.id })
    ready.value = true
  }
  let off: (() => void) | null = null
  onMounted(() => {
    void reload()
    off = onChange((kinds) => {
      if (!kinds.has('rows') && !kinds.has('outbox')) return
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => void reload(), 40)
    })
  })
  onUnmounted(() => {
    off?.()
    if (timer) clearTimeout(timer)
  })
  return { map, ready, reload }
}

export interface OrgUnit {
  id: string
  parent_id: string | null
  name: string
  kind: string
  path: string
  is_handler_dept: boolean | number
  sort: number
  /** 停用: still named by old records, never offered for new work (docs/administration.md). */
  disabled?: boolean
}
export interface OrgUser {
  id: string
  name: string
  unit_id: string
  roles: string[]
  post: string | null
}

/** Reference data (org units, users, the checklist) shared by all screens. */
const units = shallowRef<OrgUnit[]>([])
const users = shallowRef<OrgUser[]>([])
const checklistRow = shallowRef<unknown>(null)
let refLoaded = false

async function loadReference(): Promise<void> {
  const db = await getDB()
  const tx = db.transaction('rows')
  const idx = tx.store.index('by_entity')
  const [u, us, cat] = await Promise.all([idx.getAll('org_unit'), idx.getAll('user'), tx.store.get(['catalogue', 'checklist'])])
  await tx.done
  units.value = u.map((r) => r.row as unknown as OrgUnit).sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0) || a.path.localeCompare(b.path))
  users.value = us.map((r) => r.row as unknown as OrgUser)
  checklistRow.value = cat?.row ?? null
}

export function useReference() {
  if (!refLoaded) {
    refLoaded = true
    void loadReference()
    onChange((kinds) => {
      if (kinds.has('rows')) void loadReference()
    })
  }
  const unitById = computed(() => new Map(units.value.map((u) => [u.id, u])))
  const userById = computed(() => new Map(users.value.map((u) => [u.id, u])))
  const checklist = computed<Checklist>(() => pickChecklist(checklistRow.value))
  return { units, users, unitById, userById, checklist }
}

export function liveRows(map: RowMap, entity: string, pred?: (r: OverlayRow) => boolean): OverlayRow[] {
  return rowsOf(map, entity).filter((r) => !pred || pred(r))
}

/** An interview as this device has it (pending edits included), or undefined. */
export async function interviewRowOf(interviewId: string | null | undefined): Promise<Record<string, unknown> | undefined> {
  if (!interviewId) return undefined
  const map = await loadOverlay({ entities: ['interview'], userId: currentUser.value?.id })
  return getRow(map, 'interview', interviewId)?.row
}

/** The day (Asia/Shanghai) of an interview on this device, pending edits included; null when unknown. */
export async function interviewDayOf(interviewId: string | null | undefined): Promise<string | null> {
  return interviewDay((await interviewRowOf(interviewId)) as { started_at?: string | null; created_at?: string | null } | undefined)
}
