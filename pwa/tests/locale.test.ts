// @vitest-environment happy-dom
// English is loaded on demand (i18n/index.ts): switching to it loads its texts and keeps the ones
// screens merged in before; Chinese is built in.
import { describe, expect, it } from 'vitest'
import { i18n, setLocale } from '@/i18n'

describe('locales', () => {
  it('starts with Chinese only and loads English when switched to it, keeping merged texts', async () => {
    expect(i18n.global.availableLocales).toContain('zh-CN')
    i18n.global.mergeLocaleMessage('en', { screenOnly: { hello: 'Hello from a screen' } })
    await setLocale('en')
    expect(i18n.global.locale.value).toBe('en')
    expect(i18n.global.t('nav.status')).not.toBe(i18n.global.getLocaleMessage('zh-CN').nav.status)
    expect(i18n.global.t('nav.status')).toMatch(/[A-Za-z]/)
    expect(i18n.global.t('screenOnly.hello')).toBe('Hello from a screen')
    await setLocale('zh-CN')
    expect(i18n.global.t('nav.status')).toBe(i18n.global.getLocaleMessage('zh-CN').nav.status)
  })
})
