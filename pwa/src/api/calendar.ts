// Online calls of the working-day calendar screen (docs/administration.md "Next year's calendar").
// The server parses the State Council's notice; the screen shows what it read before saving.
import { api } from '@/sync/api'
import { isOnline, OfflineError } from './online'

export interface CalendarOverride { day: string; workday: boolean; note: string | null; updated_by: string | null; updated_at: string }
export interface CalendarYear { year: number; complete: boolean; note: string | null; updated_by: string | null; updated_at: string }
export interface CalendarInfo {
  library_years: [number, number]
  overrides: CalendarOverride[]
  years: CalendarYear[]
  /** From November 1 while next year's calendar is unknown. */
  next_year_unknown: number | null
}
export interface NoticeDay { day: string; workday: boolean; holiday: string }
export interface NoticeAnswer {
  year: number
  days: NoticeDay[]
  holidays_off: number
  makeup_workdays: number
  warnings: string[]
  saved: boolean
}

function online(): void {
  if (!isOnline()) throw new OfflineError('offline')
}

export async function fetchCalendar(): Promise<CalendarInfo> {
  online()
  return api<CalendarInfo>('/api/calendar/', { timeoutMs: 30000 })
}

/** Parse only: nothing is saved. */
export async function previewNotice(text: string, year?: number): Promise<NoticeAnswer> {
  online()
  return api<NoticeAnswer>('/api/calendar/notice/preview', { method: 'POST', json: { text, ...(year ? { year } : {}) }, timeoutMs: 30000 })
}

/** The server parses the text again and saves the days, marking the year complete. */
export async function importNotice(text: string, year?: number): Promise<NoticeAnswer> {
  online()
  return api<NoticeAnswer>('/api/calendar/notice', { method: 'POST', json: { text, ...(year ? { year } : {}) }, timeoutMs: 30000 })
}
