// 名单导入 (admin): upload → preview → apply → slips. The screen is thin; this holds the state and the
// rule the server enforces too: nothing is applied while a row is refused unless the admin chooses
// to apply the valid rows only (docs/administration.md "Roster import").
import { computed, ref } from 'vue'
import { applyRoster, downloadRosterTemplate, downloadSlips, previewRoster, type RosterApplied, type RosterPreview } from '@/api/admin'
import { errorText } from '@/api/online'

export function canApply(preview: RosterPreview | null, validOnly: boolean): boolean {
  if (!preview) return false
  return preview.refused.length === 0 || validOnly
}

export function useRosterImport(offlineText: () => string) {
  const preview = ref<RosterPreview | null>(null)
  const applied = ref<RosterApplied | null>(null)
  const validOnly = ref(false)
  const busy = ref(false)
  const error = ref<string | null>(null)
  const fileName = ref('')

  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    busy.value = true
    error.value = null
    try {
      return await fn()
    } catch (e) {
      error.value = errorText(e, offlineText())
      return undefined
    } finally {
      busy.value = false
    }
  }

  const template = () => run(downloadRosterTemplate)

  async function upload(file: File): Promise<void> {
    fileName.value = file.name
    applied.value = null
    validOnly.value = false
    preview.value = null
    const p = await run(() => previewRoster(file, file.name))
    if (p) preview.value = p
  }

  async function apply(): Promise<void> {
    const p = preview.value
    if (!p || !canApply(p, validOnly.value)) return
    const done = await run(() => applyRoster(p.token, validOnly.value))
    if (done) {
      applied.value = done
      preview.value = null
    }
  }

  async function slips(): Promise<void> {
    const url = applied.value?.slips_url
    if (url) await run(() => downloadSlips(url))
  }

  const applicable = computed(() => canApply(preview.value, validOnly.value))
  const noChanges = computed(() => {
    const s = preview.value?.summary
    return !!s && s.added + s.changed + s.disabled + s.refused + s.units_added + s.headcount_changed === 0
  })
  return { preview, applied, validOnly, busy, error, fileName, template, upload, apply, slips, applicable, noChanges }
}
