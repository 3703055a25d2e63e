// Dates and ages for display, in the current locale.
import { i18n } from '@/i18n'

function loc(): string {
  return i18n.global.locale.value === 'en' ? 'en-GB' : 'zh-CN'
}

const STYLES = {
  dateTime: { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false },
  date: { year: 'numeric', month: '2-digit', day: '2-digit' },
  time: { hour: '2-digit', minute: '2-digit', hour12: false },
} satisfies Record<string, Intl.DateTimeFormatOptions>
const formatters = new Map<string, Intl.DateTimeFormat>()

/** One formatter per locale and style: building one costs ~20 µs, and a board of a year of
 * problems formats tens of thousands of dates (bench/growth.py's CPU profile). */
function formatter(style: keyof typeof STYLES): Intl.DateTimeFormat {
  const key = `${loc()} ${style}`
  let f = formatters.get(key)
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(loc(), STYLES[style])))
  return f
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return formatter('dateTime').format(d)
}

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—'
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return formatter('date').format(d)
}

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  const now = new Date()
  const sameDay = d.toDateString() === now.toDateString()
  return sameDay
    ? formatter('time').format(d)
    : fmtDateTime(iso)
}

/** "3 天 4 小时" / "3 d 4 h": the age of something, coarse. */
export function fmtAge(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—'
  const ms = Math.max(0, now - Date.parse(iso))
  const t = i18n.global.t
  const min = Math.floor(ms / 60000)
  if (min < 1) return t('age.justNow')
  if (min < 60) return t('age.minutes', { n: min })
  const h = Math.floor(min / 60)
  if (h < 24) return t('age.hours', { n: h })
  const d = Math.floor(h / 24)
  return t('age.days', { n: d, h: h % 24 })
}
