// From November 1, while next year's working-day calendar is unknown, HR and admins see a banner
// (the server decides: GET /api/calendar/ → next_year_unknown). Asked once per session when online;
// the calendar screen clears it after an import.
import { ref } from 'vue'
import { fetchCalendar } from '@/api/calendar'
import { isOnline } from '@/api/online'

export const unknownNextYear = ref<number | null>(null)
let asked = false

export async function checkCalendar(roles: readonly string[]): Promise<void> {
  if (asked || !roles.some((r) => r === 'hr' || r === 'admin') || !isOnline()) return
  asked = true
  try {
    unknownNextYear.value = (await fetchCalendar()).next_year_unknown
  } catch {
    asked = false // offline or a passing error: ask again on the next screen
  }
}

export function calendarEntered(): void {
  unknownNextYear.value = null
}
