// 待办 for the signed-in user (views/TodoView.vue): one section per role, each a few groups (what
// waits, how many, where to do it) of entries that open their own screen. Local rows through the
// overlay (offline); the few figures only the server has — the late-report list (working-day
// calendar), plan coverage and the supervision draws — are fetched when online and say so otherwise.
import { computed, onMounted, ref, shallowRef, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { useOverlay, useReference, liveRows } from '@/composables/data'
import { currentUser, roles } from '@/shell/session'
import { today as todayIso } from '@/domain/validate'
import { withLocalStatus } from '@/views/followup/local'
import { usePlanItems } from '@/views/plans/usePlanItems'
import { fetchLateReports } from '@/api/followup'
import { fetchCoverage, type CoverageWarning } from '@/api/plans'
import { listDraws, sampleOf, type Draw, type SampleEntry } from '@/api/supervision'
import { isOnline } from '@/api/online'
import { fmtDate } from '@/shell/format'
import {
  agendaToDecide, assignedProblems, drawsToMake, inSubtree, itemsToJudge, missedPlanItems, openProblems, overdueProblems,
  problemsToAssign, problemsToClose, reportsDue, reportsToProcess, reportsToRead, todoRoles, unitInterviews, upcomingVisits,
  type Row, type TodoInput, type TodoRole,
} from '@/domain/todo'
import { isOverdue, type Problem } from '@/domain/followup'

export interface TodoEntry { key: string; text: string; meta: string; to: string; warn?: boolean }
export interface TodoGroup {
  /** i18n key under `todo.group`; also the data-test name. */
  key: string
  to: string
  /** null: not known here (needs a connection). */
  count: number | null
  entries: TodoEntry[]
}
export interface TodoSection { role: TodoRole; groups: TodoGroup[] }

/** Entries shown per group; the group's count and link lead to the rest. */
export const SHOWN = 5

export function useTodo() {
  const { t } = useI18n()
  const { map, ready } = useOverlay(['interview', 'issue', 'report', 'followup', 'archive', 'notification'])
  const { unitById, userById } = useReference()
  const { entries: planEntries } = usePlanItems(computed(() => () => true))
  const me = computed(() => currentUser.value?.id ?? '')
  const myUnitId = computed(() => currentUser.value?.unit_id ?? null)
  const sections = computed(() => todoRoles(roles.value))
  const has = (r: TodoRole) => sections.value.includes(r)

  const input = computed<TodoInput>(() => {
    const m = map.value
    const rows = (entity: string): Row[] => liveRows(m, entity).map((r) => ({ ...r.row, id: r.id }))
    const events = liveRows(m, 'followup')
    return {
      today: todayIso(),
      me: me.value,
      myUnitId: myUnitId.value,
      myUnitPath: unitById.value.get(myUnitId.value ?? '')?.path ?? '\u0000',
      unitPath: (id: string) => unitById.value.get(id)?.path ?? '',
      interviews: rows('interview'),
      problems: withLocalStatus(liveRows(m, 'issue'), events).map((r) => ({ ...r.row, id: r.id })),
      reports: rows('report'),
      followups: rows('followup'),
      archivedIds: new Set(liveRows(m, 'archive').map((r) => r.id)),
      notifications: rows('notification'),
      plan: planEntries.value.map((e) => ({ item: { ...e.item, id: e.row.id }, status: e.status, interviewId: e.interviewId })),
    }
  })

  // --- what only the server knows (online) --------------------------------------------------------
  const lateCount = ref<number | null>(null)
  const lateEntries = shallowRef<TodoEntry[]>([])
  const coverage = shallowRef<CoverageWarning[] | null>(null)
  const draws = shallowRef<Draw[] | null>(null)
  const samples = shallowRef<Map<string, SampleEntry[]>>(new Map())
  async function loadOnline(): Promise<void> {
    if (!isOnline()) return
    const jobs: Promise<unknown>[] = []
    if (has('hr')) {
      jobs.push(fetchLateReports().then((d) => {
        const all = d.cadres.flatMap((c) => c.reports.map((r) => ({ c, r })))
        lateCount.value = all.length
        lateEntries.value = all.map(({ c, r }) => ({
          key: r.interview_id, text: c.cadre_name, to: `/followup/reports/${r.interview_id}`, warn: true,
          meta: t('todo.lateMeta', { due: fmtDate(r.due_date), n: r.working_days_overdue }),
        }))
      }, () => { lateCount.value = null }))
    }
    if (has('hr') || has('unit_lead')) {
      jobs.push(fetchCoverage(Number(todayIso().slice(0, 4))).then((w) => { coverage.value = w }, () => { coverage.value = null }))
    }
    if (has('supervisor')) {
      jobs.push(listDraws().then(async (ds) => {
        const revealed = ds.filter((d) => !!d.revealed_at || !!d.seed)
        const out = new Map<string, SampleEntry[]>()
        await Promise.all(revealed.map(async (d) => { out.set(d.id, await sampleOf(d.id)) }))
        samples.value = out
        draws.value = ds
      }, () => { draws.value = null }))
    }
    await Promise.all(jobs)
  }
  onMounted(() => void loadOnline())
  watch(sections, () => void loadOnline())

  // --- entries ------------------------------------------------------------------------------------
  // By id, once per input: a lookup by `find` per entry was quadratic (three years of HR's reports ×
  // interviews: 1.8 s of the home screen in bench/growth.py's CPU profile).
  const interviewById = computed(() => new Map(input.value.interviews.map((iv) => [iv.id, iv])))
  const ivOf = (id: string): Row | undefined => interviewById.value.get(id)
  const unitName = (id: unknown): string => unitById.value.get(String(id ?? ''))?.name ?? ''
  const ivTitle = (id: string): string => {
    const iv = ivOf(id)
    return String(iv?.topic || iv?.theme || iv?.adhoc_reason || unitName(iv?.unit_id) || t('followup.interview'))
  }
  const problemEntry = (p: Row): TodoEntry => ({
    key: p.id, text: String(p.description ?? ''), to: `/followup/problems/${p.id}`,
    warn: isOverdue(p as unknown as Problem, input.value.today),
    meta: [t(`issueStatus.${String(p.status || 'raised')}`), p.handler_unit_id ? unitName(p.handler_unit_id) : '', p.due_date ? `${t('todo.due')} ${fmtDate(String(p.due_date))}` : '']
      .filter(Boolean).join(' · '),
  })
  const reportEntry = (r: Row): TodoEntry => ({
    key: r.id, text: String(r.title || ivTitle(r.id)), to: `/followup/reports/${r.id}`,
    meta: [unitName(ivOf(r.id)?.unit_id), r.submitted_at ? `${t('todo.submitted')} ${fmtDate(String(r.submitted_at))}` : ''].filter(Boolean).join(' · '),
  })
  const planEntry = (e: TodoInput['plan'][number], cadreName = false): TodoEntry => ({
    key: e.item.id,
    text: `${cadreName ? `${userById.value.get(e.item.cadre_id)?.name ?? ''} → ` : ''}${unitName(e.item.unit_id)}`,
    meta: `${t(`plans.kinds.${e.item.kind}`)} · ${t('plans.window', { start: e.item.window_start, end: e.item.window_end })}`,
    to: e.interviewId ? `/interviews/${e.interviewId}` : `/interviews/new?plan=${e.item.id}`,
    warn: e.status === 'missed',
  })
  const missedEntry = (e: TodoInput['plan'][number]): TodoEntry => ({ ...planEntry(e, true), to: `/plans/item/${e.item.id}` })
  const group = (key: string, to: string, entries: TodoEntry[], count: number | null = entries.length): TodoGroup => ({ key, to, count, entries })
  /** A group of `items`, counted whole, with entries built for the SHOWN the screen lists only. */
  const groupOf = <T>(key: string, to: string, items: T[], entry: (item: T) => TodoEntry): TodoGroup =>
    group(key, to, items.slice(0, SHOWN).map(entry), items.length)

  const hr = computed<TodoGroup[]>(() => {
    const i = input.value
    const gaps = missedPlanItems(i, 'company')
    const companyWarnings = coverage.value?.filter((w) => w.kind !== 'unit_month') ?? null
    return [
      groupOf('reportsToProcess', '/followup/hr?tab=inbox', reportsToProcess(i), reportEntry),
      groupOf('problemsToAssign', '/followup/hr?tab=inbox', problemsToAssign(i), problemEntry),
      groupOf('overdue', '/followup/hr?tab=overdue', overdueProblems(i), problemEntry),
      groupOf('toClose', '/followup/hr?tab=board', problemsToClose(i), problemEntry),
      group('lateReports', '/followup/hr?tab=late', lateEntries.value, lateCount.value),
      groupOf('planMissed', '/plans/company', gaps, missedEntry),
      group('planCoverage', '/plans/company', (companyWarnings ?? []).map((w, n) => ({ key: String(n), text: w.message_zh, meta: '', to: '/plans/company' })), companyWarnings?.length ?? null),
    ]
  })
  const leader = computed<TodoGroup[]>(() => [
    groupOf('agendaToDecide', '/followup/agenda?tab=agenda', agendaToDecide(input.value), problemEntry),
    groupOf('reportsToRead', '/followup/agenda?tab=reports', reportsToRead(input.value), reportEntry),
  ])
  const handler = computed<TodoGroup[]>(() => [groupOf('assigned', '/followup/tasks', assignedProblems(input.value), problemEntry)])
  const unitLead = computed<TodoGroup[]>(() => {
    const i = input.value
    const unitWarnings = coverage.value?.filter((w) => w.kind === 'unit_month') ?? null
    return [
      groupOf('unitPlanMissed', '/plans/unit', missedPlanItems(i, 'unit', (it) => inSubtree(i, it.unit_id)), missedEntry),
      group('unitCoverage', '/plans/unit', (unitWarnings ?? []).map((w, n) => ({ key: String(n), text: w.message_zh, meta: '', to: '/plans/unit' })), unitWarnings?.length ?? null),
      groupOf('unitInterviews', '/interviews', unitInterviews(i), (iv) => ({
        key: iv.id, text: ivTitle(iv.id), to: `/interviews/${iv.id}`,
        meta: [t(`form.${String(iv.form)}`), unitName(iv.unit_id), fmtDate(String(iv.started_at ?? iv.created_at ?? ''))].join(' · '),
      })),
      groupOf('unitProblems', '/unit/problems', openProblems(i.problems), problemEntry),
    ]
  })
  const supervisor = computed<TodoGroup[]>(() => {
    const today = input.value.today
    const toMake = draws.value ? drawsToMake(draws.value, today) : null
    const toJudge = draws.value ? itemsToJudge(samples.value) : null
    return [
      group('drawsToMake', '/supervision?tab=draws', (toMake ?? []).map((d) => ({
        key: d.draw?.id ?? `${d.period[0]}`, to: '/supervision?tab=draws',
        text: t(d.kind === 'period' ? 'todo.drawPeriod' : 'todo.drawReveal', { start: d.period[0], end: d.period[1] }), meta: '',
      })), toMake?.length ?? null),
      group('itemsToJudge', '/supervision?tab=draws', (toJudge ?? []).map((s) => {
        const entry = samples.value.get(s.drawId)?.find((e) => e.item_id === s.itemId)
        return { key: `${s.drawId}:${s.itemId}`, text: entry?.title ?? '', meta: unitName(entry?.unit_id), to: '/supervision?tab=draws' }
      }), toJudge?.length ?? null),
    ]
  })
  const cadre = computed<TodoGroup[]>(() => [
    groupOf('upcomingVisits', '/plans/mine', upcomingVisits(input.value), (e) => planEntry(e)),
    groupOf('reportsDue', '/followup/reports', reportsDue(input.value), (e) => ({
      key: e.interview.id, text: ivTitle(e.interview.id), to: `/followup/reports?open=${e.interview.id}`, warn: e.late,
      meta: [fmtDate(String(e.interview.started_at ?? '')), e.due ? `${t('todo.due')} ${fmtDate(e.due)}` : t('followup.dueAfterSync')].join(' · '),
    })),
  ])

  const byRole: Record<TodoRole, typeof hr> = { hr, leader, handler, unit_lead: unitLead, supervisor, cadre }
  const list = computed<TodoSection[]>(() => sections.value.map((role) => ({ role, groups: byRole[role].value })))
  return { sections: list, ready, reloadOnline: loadOnline }
}
