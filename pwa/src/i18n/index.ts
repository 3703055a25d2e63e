import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'

export type MessageSchema = typeof zhCN

export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]

function initialLocale(): Locale {
  try {
    const saved = localStorage.getItem('fangtan.locale')
    if (saved === 'en' || saved === 'zh-CN') return saved
  } catch {
    /* private mode */
  }
  return 'zh-CN' // Chinese first, whatever the browser says
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  // English is loaded on demand (loadLocaleMessages): Chinese is what nearly every user reads, and
  // the other locale's texts would be a tenth of the initial download. Until it arrives, missing
  // keys fall back to Chinese.
  messages: { 'zh-CN': zhCN } as unknown as Record<Locale, MessageSchema>,
})

/** Load a locale's texts if it is not the built-in Chinese; merged, so that texts screens added
 * (e.g. views/evaluation/useMessages.ts) are kept. */
export async function loadLocaleMessages(l: Locale): Promise<void> {
  if (l !== 'en' || englishLoaded) return
  const { default: en } = await import('./en')
  i18n.global.mergeLocaleMessage('en', en)
  englishLoaded = true
}
let englishLoaded = false

/** Vant's own texts (confirm/cancel, pickers) follow the app locale; English is loaded on demand. */
export async function applyVantLocale(l: Locale): Promise<void> {
  const { Locale: VantLocale } = await import('vant')
  if (l === 'en') {
    const { default: enUS } = await import('vant/es/locale/lang/en-US')
    VantLocale.use('en-US', enUS)
  } else {
    const { default: zh } = await import('vant/es/locale/lang/zh-CN')
    VantLocale.use('zh-CN', zh)
  }
}

export async function setLocale(l: Locale): Promise<void> {
  // The choice is kept at once, before the texts load: a reload right after still starts in it.
  try {
    localStorage.setItem('fangtan.locale', l)
  } catch {
    /* ignore */
  }
  await loadLocaleMessages(l)
  void applyVantLocale(l)
  i18n.global.locale.value = l
  document.documentElement.lang = l
}

/** Message keys cannot contain dots (they are paths): `auth.bad_credentials` → `auth_bad_credentials`. */
export function keyOf(code: string): string {
  return code.replace(/\./g, '_')
}
