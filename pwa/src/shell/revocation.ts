// Revocation (docs/security.md §6): when the server answers `auth.device_revoked` to any call, this
// install must not keep the user's data. The rule:
//   1. The sync that learns of it has already tried to push (push comes first); a revoked device
//      can push nothing more, so what is still unsynced stays put — never silently lost.
//   2. Nothing unsynced (outbox, drafts, media not uploaded, an unassembled recording): purge at
//      once — every IndexedDB store (keys and app lock included), localStorage, sessionStorage,
//      the app's runtime caches — and go to sign-in.
//   3. Unsynced work left: the app shows only the revocation screen (after the PIN, if the app is
//      locked: the export holds plaintext), which explains in Chinese, offers the work as a file
//      and purges after the export, or after the user confirms the loss explicitly.
import { ref } from 'vue'
import { getMeta } from '@/store/meta'
import { onChange } from '@/store/events'
import { flushAutosave } from '@/store/autosave'
import { purgeLocalData, unsyncedCounts, PURGE_CHANNEL, type UnsyncedCounts } from '@/store/purge'
import { syncStatus } from '@/sync/status'
import { forgetLock } from './lock'
import { currentUser, deviceId } from './session'

/** Non-null while this device is revoked and unsynced work waits for export (App.vue shows RevokedScreen). */
export const revokedWork = ref<UnsyncedCounts | null>(null)

export const SIGN_IN_AFTER_PURGE = '/login?revoked=1'

let running: Promise<string> | null = null
let purgedHere = false

/** Purge now (the caller made sure nothing is lost, or the user acknowledged it) and go to sign-in. */
export async function purgeAndSignIn(navigate = true): Promise<void> {
  purgedHere = true
  await purgeLocalData()
  forgetLock()
  currentUser.value = null
  deviceId.value = null
  revokedWork.value = null
  if (navigate && typeof location !== 'undefined') location.replace(SIGN_IN_AFTER_PURGE)
}

/** Apply the rule above; 'none' when the device is not revoked. */
export function handleRevocation(): Promise<string> {
  running ??= (async () => {
    if (!(await getMeta('revoked'))) {
      revokedWork.value = null
      return 'none'
    }
    await flushAutosave()
    const counts = await unsyncedCounts()
    if (counts.total === 0) {
      await purgeAndSignIn()
      return 'purged'
    }
    revokedWork.value = counts
    return 'kept'
  })().finally(() => {
    running = null
  })
  return running
}

let installed = false
/** At start and on every local meta change (a sync may just have learnt of the revocation). */
export async function watchRevocation(): Promise<void> {
  if (!installed) {
    installed = true
    onChange((kinds) => {
      // While a sync runs it still writes; the scheduler calls handleRevocation when it ends.
      if ((kinds.has('meta') || kinds.has('outbox')) && !syncStatus.syncing) void handleRevocation()
    })
    if (typeof BroadcastChannel !== 'undefined') {
      // Another tab purged: nothing here is valid any more.
      new BroadcastChannel(PURGE_CHANNEL).onmessage = () => {
        if (purgedHere) return // this tab purged and is on its way to sign-in already
        forgetLock()
        location.replace(SIGN_IN_AFTER_PURGE)
      }
    }
  }
  await handleRevocation()
}
