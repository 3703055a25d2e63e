// HR's tracking board (issue 17 point 4): its filters, view (看板 cards / 表格 table, remembered on this
// device), pages, and the ledger export of exactly the filtered rows. The filtering and sorting are
// domain/problemBoard.ts; the export asks the server for the same query (server/followup/board.py),
// which applies it to what the policy lets this user pull — the same rows once the device is synced.
import { computed, reactive, ref, watch, type Ref } from 'vue'
import type { OverlayRow, RowMap } from '@/store/registry'
import { useReference, type OrgUnit } from '@/composables/data'
import { today } from '@/domain/validate'
import { boardParams, isFiltered, pageOf, selectBoard, type BoardLookup, type BoardProblem, type BoardQuery } from '@/domain/problemBoard'
import { download } from '@/api/online'

export type BoardView = 'cards' | 'table'
const VIEW_KEY = 'fangtan.board.view'
export const TABLE_PAGE = 50
export const CARD_PAGE = 20

function storedView(): BoardView {
  try {
    return localStorage.getItem(VIEW_KEY) === 'cards' ? 'cards' : 'table'
  } catch {
    return 'table'
  }
}

// One board per app: switching tabs or screens keeps the filters HR set (until the app reloads).
const query = reactive<BoardQuery>({ sort: 'newest' })
const view = ref<BoardView>(storedView())
watch(view, (v) => {
  try {
    localStorage.setItem(VIEW_KEY, v)
  } catch {
    /* private mode: the choice lasts for this session */
  }
})

export type BoardRow = BoardProblem & { _r: OverlayRow }

/** The org tree's units indented by depth (for the unit filter). */
function indented(units: OrgUnit[]): { id: string; label: string }[] {
  return [...units]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((u) => ({ id: u.id, label: `${'\u3000'.repeat(Math.max(0, u.path.split('/').filter(Boolean).length - 1))}${u.name}` }))
}

export function useProblemBoard(issues: Ref<OverlayRow[]>, map: Ref<RowMap>) {
  const { units, users, unitById, userById } = useReference()
  const all = computed<BoardRow[]>(() => issues.value.map((r) => ({ ...(r.row as unknown as BoardProblem), id: r.id, _r: r })))
  const lookup = computed<BoardLookup>(() => ({
    today: today(),
    unitPath: (id) => unitById.value.get(id)?.path,
    cadresOf: (id) => (map.value.get(`interview\u0000${id}`)?.row.cadre_ids as string[] | undefined) ?? [],
    userName: (id) => userById.value.get(id)?.name,
  }))
  const rows = computed(() => selectBoard(all.value, query, lookup.value))
  const page = ref(1)
  // A new filter or sort starts at the first page.
  watch(() => JSON.stringify(query), () => (page.value = 1))
  watch(view, () => (page.value = 1))
  const paged = computed(() => pageOf(rows.value, page.value, view.value === 'table' ? TABLE_PAGE : CARD_PAGE))

  const cadreOptions = computed(() => users.value.filter((u) => u.roles.includes('cadre')).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')))
  const unitOptions = computed(() => indented(units.value))
  const deptOptions = computed(() => units.value.filter((u) => !!u.is_handler_dept))

  function clear(): void {
    for (const k of Object.keys(query) as (keyof BoardQuery)[]) if (k !== 'sort') delete query[k]
  }
  const filtered = computed(() => isFiltered(query))
  const exportPath = computed(() => `/api/exports/ledger?${boardParams(query).toString()}`)
  /** The ledger .xlsx of exactly these rows, in this order. */
  const exportRows = () => download(exportPath.value, '问题整改台账.xlsx')

  return { query, view, rows, page, paged, filtered, clear, cadreOptions, unitOptions, deptOptions, exportPath, exportRows, lookup }
}
