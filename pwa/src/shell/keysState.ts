// Whether this install holds the signed-in user's confidentiality key (for the banner and screens).
// Reads only the meta entry; the crypto code itself is loaded lazily by the screens that need it.
import { ref, watch } from 'vue'
import { getMeta } from '@/store/meta'
import { onChange } from '@/store/events'
import { currentUser } from './session'

export const hasKeys = ref<boolean | null>(null)
/** The id of this device's encryption key for the signed-in user (a remark not wrapped for it cannot be opened here). */
export const myKeyId = ref<string | null>(null)

export async function refreshKeysState(): Promise<void> {
  const k = await getMeta('keys')
  hasKeys.value = !!(currentUser.value && k && k.user_id === currentUser.value.id && k.encryption)
  myKeyId.value = hasKeys.value ? (k?.encryption?.id ?? null) : null
}

let installed = false
export function watchKeysState(): void {
  if (installed) return
  installed = true
  void refreshKeysState()
  onChange((kinds) => {
    if (kinds.has('meta')) void refreshKeysState()
  })
  watch(currentUser, () => void refreshKeysState())
}
