// Merge this feature's texts into the app's locales the first time one of its screens loads.
import { i18n } from '@/i18n'
import { en, zhCN } from './messages'

let merged = false

export function useEvaluationMessages(): void {
  if (merged) return
  merged = true
  i18n.global.mergeLocaleMessage('zh-CN', { evaluation: zhCN })
  i18n.global.mergeLocaleMessage('en', { evaluation: en })
}
