// The working-day calendar this device carries for report deadlines offline (issue 16 point 2):
// fetched after every successful pull (GET /api/calendar/table: statutory calendar, 调休 and HR's
// imports), kept in IndexedDB meta, read at boot. The report row's server due date still wins.
import { computed, ref } from 'vue'
import { api } from '@/sync/api'
import { getMeta, setMeta } from '@/store/meta'
import { syncStatus } from '@/sync/status'
import { companyDate, reportCountdown, type Countdown, type WorkdayTable } from '@/domain/workdays'

export const workTable = ref<WorkdayTable | null>(null)

export async function loadWorkCalendar(): Promise<void> {
  workTable.value = (await getMeta('work_calendar')) ?? null
}

/** After a pull (sync/client onAfterPull): refresh the cached table; a failure keeps the old one. */
export async function refreshWorkCalendar(): Promise<number> {
  const table = await api<WorkdayTable>('/api/calendar/table', { timeoutMs: 30_000 })
  await setMeta('work_calendar', table)
  workTable.value = table
  return 0
}

/** Today in the company's time zone, on the server's clock when the offset is known (a wrong
 * tablet clock must not make a report look late or early). */
export function companyToday(now = Date.now()): string {
  return companyDate(new Date(now - (syncStatus.clockOffsetMs ?? 0)))
}

/** The countdown of an interview's report, or null while the interview is not held or the report is submitted. */
export function countdownOf(iv: Record<string, unknown> | undefined | null, report: Record<string, unknown> | undefined | null): Countdown | null {
  if (!iv?.started_at || report?.status === 'submitted') return null
  return reportCountdown(workTable.value, companyDate(String(iv.started_at)), companyToday(), (report?.due_date as string | null | undefined) ?? null)
}

export const hasWorkCalendar = computed(() => workTable.value !== null)
