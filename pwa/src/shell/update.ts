// New app versions: the service worker waits; the app shows 有新版本 and switches only when no
// interview is open for editing and no auto-save is pending. Local data is in IndexedDB, which an
// app update never touches (schema upgrades go through `openDB`'s versioned upgrade).
import { ref } from 'vue'
import { registerSW } from 'virtual:pwa-register'
import { flushAutosave, pendingAutosaves } from '@/store/autosave'
import { claimIfUncontrolled } from './swClaim'

export const needRefresh = ref(false)
export const offlineReady = ref(false)
/** Set by the interview screen while it is open. */
export const editingOpen = ref(0)

let updateSW: ((reload?: boolean) => Promise<void>) | null = null

export function initServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return
  updateSW = registerSW({
    immediate: true,
    onNeedRefresh() {
      needRefresh.value = true
    },
    onOfflineReady() {
      offlineReady.value = true
    },
    onRegisteredSW(_url, reg) {
      // Look for a new version every 30 minutes while open.
      if (reg) setInterval(() => void reg.update().catch(() => {}), 30 * 60 * 1000)
      void claimIfUncontrolled(navigator.serviceWorker)
    },
  })
}

export function canUpdateNow(): boolean {
  return editingOpen.value === 0 && pendingAutosaves() === 0
}

export async function applyUpdate(): Promise<boolean> {
  if (!updateSW || !canUpdateNow()) return false
  await flushAutosave()
  await updateSW(true)
  return true
}
