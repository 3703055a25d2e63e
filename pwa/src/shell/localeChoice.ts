// The server writes notifications (inbox and Web Push) in the language each user chose
// (`PUT /api/me/locale`, sync/notices.py). The choice is made on a device — on the sign-in screen or
// in 同步与存储 — often offline, so it is kept as "not yet told" and told at the next sync.
//
// Which wins: a choice made on this device (it is stored under `fangtan.locale` only when the user
// picks a language) is told to the server; a device where nobody ever chose takes the account's
// language at sign-in, so English on the tablet also means English on the office PC.
import { api } from '@/sync/api'
import { LOCALES, setLocale, type Locale } from '@/i18n'

const CHOSEN = 'fangtan.locale'
const UNTOLD = 'fangtan.locale.untold'

function isLocale(value: string | null | undefined): value is Locale {
  return (LOCALES as readonly string[]).includes(value ?? '')
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key)
    else localStorage.setItem(key, value)
  } catch {
    /* private mode: the choice lasts as long as the page */
  }
}

/** The user picked a language here: use it, and tell the server when it can be told. */
export async function chooseLocale(l: Locale): Promise<void> {
  write(UNTOLD, '1')
  await setLocale(l)
  void tellServerLocale()
}

/** Tell the server the choice made here, if it has not heard it yet (a failure waits for the next sync). */
export async function tellServerLocale(): Promise<void> {
  const chosen = read(CHOSEN)
  if (read(UNTOLD) !== '1' || !isLocale(chosen)) return
  try {
    await api('/api/me/locale', { method: 'PUT', json: { locale: chosen } })
    if (read(CHOSEN) === chosen) write(UNTOLD, null)
  } catch {
    /* offline or signed out: told at the next sync */
  }
}

/** After sign-in: a device with no choice of its own takes the account's; one with a choice tells it. */
export async function settleLocaleAtSignIn(accountLocale: string | null | undefined): Promise<void> {
  const chosen = read(CHOSEN)
  if (chosen === null) {
    if (isLocale(accountLocale)) {
      await setLocale(accountLocale)
      write(UNTOLD, null) // the server already has it
    }
    return
  }
  if (chosen !== (accountLocale ?? 'zh-CN')) write(UNTOLD, '1')
  await tellServerLocale()
}
