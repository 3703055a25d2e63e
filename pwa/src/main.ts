import { createApp } from 'vue'
// Vant components and their styles are imported on demand (unplugin-vue-components); the
// function-style APIs need their styles here.
import 'vant/es/toast/style'
import 'vant/es/dialog/style'
import 'vant/es/notify/style'
import './styles.css'
import './touch.css'
import App from './App.vue'
import { router } from './router'
import { i18n, applyVantLocale, loadLocaleMessages } from './i18n'
import { getDB } from './store/db'
import './domain/mutations'
import { replayJournal, installAutosaveFlush } from './store/autosave'
import { acquireWriter, isWriter } from './shell/writer'
import { loadSession } from './shell/session'
import { requestPersistence, refreshEstimate } from './shell/storage'
import { initServiceWorker } from './shell/update'
import { startScheduler } from './sync/scheduler'
import { onAfterPull } from './sync/client'
import { currentUser } from './shell/session'
import { recoverRecordings } from './store/recordings'
import { initLock } from './shell/lock'
import { watchRevocation } from './shell/revocation'
import { keepFieldsOutOfSessionRestore } from './shell/noFormRestore'
import { loadWorkCalendar, refreshWorkCalendar } from './shell/workCalendar'

// After each pull: seal remark drafts left unsealed, and re-wrap the user's own remarks for any
// officer key learnt of since they were written (docs/security.md §4). Crypto loads lazily. Only
// the writer tab: it alone has remark editors open, so it alone knows which drafts are in use.
onAfterPull(async () => {
  const me = currentUser.value
  if (!me || !isWriter.value) return 0
  const [{ sealRemarkDrafts }, { grantOfficersForOwnRemarks }] = await Promise.all([import('./crypto/remarks'), import('./crypto/grants')])
  return (await sealRemarkDrafts(me.id)) + (await grantOfficersForOwnRemarks(me.id))
})

// After each pull: the working-day calendar for report deadlines offline (shell/workCalendar.ts).
onAfterPull(refreshWorkCalendar)

async function boot(): Promise<void> {
  // Plain HTTP on the LAN: no service worker, no crypto.subtle, and a password would go in clear.
  // Show only how to reach the HTTPS address; nothing else starts, no login form exists.
  if (window.isSecureContext === false) {
    await loadLocaleMessages(i18n.global.locale.value)
    const { default: InsecureContext } = await import('./components/InsecureContext.vue')
    document.documentElement.lang = i18n.global.locale.value
    createApp(InsecureContext).use(i18n).mount('#app')
    return
  }
  keepFieldsOutOfSessionRestore()
  await getDB()
  await loadWorkCalendar()
  const writer = await acquireWriter()
  // Anything typed in a tab that closed before IndexedDB committed is saved now.
  if (writer) await replayJournal()
  installAutosaveFlush()
  const user = await loadSession()
  // A device with an app lock starts locked (docs/security.md §6).
  await initLock()
  // Revoked earlier and not purged yet (work to export, or the tab closed mid-way): decide now.
  await watchRevocation()
  await loadLocaleMessages(i18n.global.locale.value)
  const app = createApp(App)
  app.use(i18n)
  if (i18n.global.locale.value !== 'zh-CN') void applyVantLocale(i18n.global.locale.value)
  document.documentElement.lang = i18n.global.locale.value
  app.use(router)
  app.mount('#app')
  initServiceWorker()
  void requestPersistence().then(() => refreshEstimate())
  if (user) startScheduler()
  // Evaluation tickets to hand out offline: the pool refills after each sync (docs/evaluation.md).
  // Loaded after start-up, off the initial bundle.
  if (writer) void import('./views/evaluation/ticketPool').then((m) => m.startTicketTopUp())
  // 回执码 reserved for this tablet, spent offline when a problem is raised (docs/followup.md).
  if (writer) void import('./store/receiptPool').then((m) => m.startReceiptTopUp(!!user))
  // A voice memo interrupted by a crash or reload: keep what was recorded up to its last chunk.
  if (writer && user) void recoverRecordings().catch((e) => console.error(e))
}

void boot()
