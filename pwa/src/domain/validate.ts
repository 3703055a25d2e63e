// Client-side checks that mirror the server's rules (sync/mutations/interview.py, issue.py), so the
// form can say what is wrong next to the field, in Chinese, before anything is sent. Messages are
// i18n keys with params; the view translates them.
import { LONG_MAX, SHORT_MAX, type Participant } from './forms'

export interface FieldError {
  key: string
  params?: Record<string, unknown>
}
export type Errors = Record<string, FieldError>

const blank = (s: unknown) => typeof s !== 'string' || s.trim() === ''

export interface InterviewLike {
  form: string
  started_at?: string | null
  summary?: string | null
  topics?: string[]
  participants?: Participant[]
  theme?: string | null
  place?: string | null
  channel?: string | null
  absence_reason?: string | null
  topic?: string | null
  departments?: string[]
  consensus?: string[]
  disagreements?: string[]
  participant_count?: number | null
  briefing?: { conveyed: string; understood: string } | null
}

/** Rules that hold for drafts too (lengths); participants with an empty post are flagged softly. */
export function checkLengths(iv: InterviewLike): Errors {
  const e: Errors = {}
  for (const f of ['theme', 'place', 'channel', 'absence_reason', 'topic'] as const) {
    const v = iv[f]
    if (typeof v === 'string' && v.length > SHORT_MAX) e[f] = { key: 'v.tooLong', params: { n: SHORT_MAX } }
  }
  if ((iv.summary ?? '').length > LONG_MAX) e.summary = { key: 'v.tooLong', params: { n: LONG_MAX } }
  return e
}

/** The rule book's requirements checked on submission (same as the server's `_check_form`). */
export function validateSubmit(iv: InterviewLike): Errors {
  const e: Errors = checkLengths(iv)
  const ps = iv.participants ?? []
  if (!iv.started_at) e.started_at = { key: 'v.required' }
  if (!iv.topics || iv.topics.length === 0) e.topics = { key: 'v.topicsRequired' }
  if (blank(iv.summary)) e.summary = { key: 'v.summaryRequired' }
  ps.forEach((p, i) => {
    if (blank(p.post)) e[`participants[${i}].post`] = { key: 'v.postRequired' }
    if (p.anonymous && !blank(p.name)) e[`participants[${i}].name`] = { key: 'v.anonymousNoName' }
  })
  switch (iv.form) {
    case 'individual':
      if (ps.length !== 1) e.participants = { key: 'v.individualOne', params: { n: ps.length } }
      break
    case 'group': {
      if (ps.length < 3 || ps.length > 5) e.participants = { key: 'v.groupSize', params: { n: ps.length } }
      const posts = ps.map((p) => p.post.trim())
      posts.forEach((p, i) => {
        if (p && posts.indexOf(p) < i) e[`participants[${i}].post`] = { key: 'v.groupDistinctPosts', params: { post: p } }
      })
      if (blank(iv.theme)) e.theme = { key: 'v.themeRequired' }
      break
    }
    case 'walkthrough':
      if (blank(iv.place)) e.place = { key: 'v.placeRequired' }
      break
    case 'online':
      if (blank(iv.channel)) e.channel = { key: 'v.channelRequired' }
      if (blank(iv.absence_reason)) e.absence_reason = { key: 'v.absenceRequired' }
      if (ps.length < 1) e.participants = { key: 'v.onlineOne' }
      break
    case 'symposium':
      if (blank(iv.topic)) e.topic = { key: 'v.topicRequired' }
      if (!iv.departments || iv.departments.length === 0) e.departments = { key: 'v.departmentsRequired' }
      if ((iv.consensus ?? []).filter((s) => !blank(s)).length + (iv.disagreements ?? []).filter((s) => !blank(s)).length === 0)
        e.consensus = { key: 'v.consensusRequired' }
      break
  }
  if (iv.participant_count != null && iv.participant_count < Math.max(1, ps.length))
    e.participant_count = { key: 'v.participantCount', params: { n: ps.length } }
  return e
}

export interface IssueLike {
  category?: string | null
  description?: string | null
  unit_ids?: string[]
  solution?: string | null
  owner?: string | null
  due_date?: string | null
}

const CST = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })

/** The calendar day (YYYY-MM-DD) of an instant in China Standard Time, like the server's sync.calendar.local_date. */
export function chinaDay(iso: string | Date): string {
  return CST.format(typeof iso === 'string' ? new Date(iso) : iso)
}

/** The day of an interview (sync.followup_rules.interview_date): when it started, else when it was created. */
export function interviewDay(iv: { started_at?: string | null; created_at?: string | null } | null | undefined): string | null {
  const when = iv?.started_at || iv?.created_at
  return when ? chinaDay(when) : null
}

/**
 * A due date (预计完成时间, 完成时限) before the interview's day is refused — the server's
 * sync.followup_rules.due_date_before_interview, pinned by tests/data/due_date_cases.json, so the
 * screen says so at once instead of the problem coming back in 被退回 after the sync.
 */
export function dueBeforeInterview(due: string | null | undefined, day: string | null | undefined): boolean {
  return !!due && !!day && due < day
}

/** Today's date in local time as YYYY-MM-DD. */
export function today(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`
}

/**
 * What the report needs for a problem (rule book §五): description, units, solution, owner, due date,
 * category. Description, category and units are required by the server; a due date in the past is
 * refused here (a promise already broken helps nobody).
 */
export function validateIssue(x: IssueLike, opts: { now?: Date; dueWasSaved?: string | null; interviewDay?: string | null } = {}): Errors {
  const e: Errors = {}
  if (!x.category) e.category = { key: 'v.categoryRequired' }
  if (blank(x.description)) e.description = { key: 'v.descriptionRequired' }
  else if ((x.description ?? '').length > LONG_MAX) e.description = { key: 'v.tooLong', params: { n: LONG_MAX } }
  if (!x.unit_ids || x.unit_ids.length === 0) e.unit_ids = { key: 'v.unitsRequired' }
  if ((x.solution ?? '').length > LONG_MAX) e.solution = { key: 'v.tooLong', params: { n: LONG_MAX } }
  if ((x.owner ?? '').length > SHORT_MAX) e.owner = { key: 'v.tooLong', params: { n: SHORT_MAX } }
  if (x.due_date) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(x.due_date)) e.due_date = { key: 'v.dateFormat' }
    // An already-saved date may lie in the past now; only a newly chosen one is checked. A date both
    // past and before the interview is told the nearer reason: 不能早于今天.
    else if (x.due_date < today(opts.now) && x.due_date !== opts.dueWasSaved) e.due_date = { key: 'v.duePast' }
    else if (dueBeforeInterview(x.due_date, opts.interviewDay)) e.due_date = { key: 'v.dueBeforeInterview', params: { day: opts.interviewDay } }
  }
  return e
}

export function hasErrors(e: Errors): boolean {
  return Object.keys(e).length > 0
}

export interface NewInterviewLike {
  source: 'plan' | 'adhoc'
  plan_item_id: string | null
  adhoc_reason: string
  unit_id: string | null
  form: string | null
}

/** What 开始访谈 needs (the server's `interview.save` rules for a new record: a plan item or a reason). */
export function validateNewInterview(x: NewInterviewLike): Errors {
  const e: Errors = {}
  if (x.source === 'adhoc' && blank(x.adhoc_reason)) e.adhoc_reason = { key: 'v.adhocReasonRequired' }
  if (x.source === 'plan' && !x.plan_item_id) e.plan_item_id = { key: 'v.planRequired' }
  if (!x.unit_id) e.unit_id = { key: 'v.unitRequired' }
  if (!x.form) e.form = { key: 'v.formRequired' }
  return e
}
