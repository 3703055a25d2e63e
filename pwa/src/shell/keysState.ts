// Whether this install holds the signed-in user's confidentiality key (for the banner and screens).
// Reads only the meta entry; the crypto code itself is loaded lazily by the screens that need it.
import { ref, watch } from 'vue'
import { getMeta } from '@/store/meta'
import { onChange } from '@/store/events'
import { currentUser } from './session'

export const hasKeys = ref<boolean | null>(null)

export async function refreshKeysState(): Promise<void> {
  const k = await getMeta('keys')
  hasKeys.value = !!(currentUser.value && k && k.user_id === currentUser.value.id && k.encryption)
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
