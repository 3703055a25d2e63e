// Web Push from the PWA (issue 6 item 6) in real Chromium. Headless Chromium cannot reach a push
// service (no Firebase Cloud Messaging here), so `PushManager.subscribe` alone is replaced, by an
// init script, with one that returns a subscription whose endpoint and p256dh/auth keys belong to
// the test's local fake push service (tests/fake_push_service.py). Everything after it is real: the
// app posts the subscription to the server; an assignment (done by the pytest side on
// `control: assign`) makes the server send a real, encrypted, VAPID-signed Web Push that the fake
// service decrypts and checks; the pytest side writes the decrypted payload to OUT/push-payload.json,
// which is delivered here to the real service worker through the Chrome DevTools Protocol
// (ServiceWorker.deliverPushMessage); the notification must be shown, and its url must open the
// problem's page. Finally 关闭推送 removes the subscription on the server (checked by pytest).
// Usage: node scripts/push.mjs http://127.0.0.1:8765 OUT ENDPOINT P256DH AUTH
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { harness, launch, signIn, gotoApp, synced } from './lib-confidential.mjs'
import { swControls } from './lib-wait.mjs'

const [base, out, endpoint, p256dh, auth] = process.argv.slice(2)
const { errors, check } = harness(out)
const browser = await launch()
const stdin = createInterface({ input: process.stdin })
const lines = stdin[Symbol.asyncIterator]()
async function control(action) {
  console.log(`control: ${action}`)
  const { value } = await lines.next()
  if (value?.trim() !== 'done') throw new Error(`control ${action}: got ${value}`)
}

const H = await signIn(browser, base, 'handler', errors)
await H.ctx.grantPermissions(['notifications'], { origin: base })
// The only stand-in (see the header): subscribe/getSubscription answer with the fake service's
// subscription; the app still asks the server for the VAPID key and posts the subscription itself.
await H.ctx.addInitScript(({ endpoint, p256dh, auth }) => {
  const FLAG = 'test:fake-push-subscribed'
  const json = { endpoint, expirationTime: null, keys: { p256dh, auth } }
  const make = () => ({
    endpoint, expirationTime: null, options: { userVisibleOnly: true },
    getKey: () => null, toJSON: () => json,
    unsubscribe: async () => { localStorage.removeItem(FLAG); return true },
  })
  PushManager.prototype.subscribe = async function () { localStorage.setItem(FLAG, '1'); return make() }
  PushManager.prototype.getSubscription = async function () { return localStorage.getItem(FLAG) ? make() : null }
}, { endpoint, p256dh, auth })

await gotoApp(H.page, `${base}/inbox?tab=messages`)
await swControls(H.page)
await H.page.click('[data-test=push-subscribe]')
await H.page.waitForSelector('[data-test=push-state]:has-text("已开启推送")', { timeout: 20000 })
check(true, 'push enabled from the inbox (subscription posted to the server)')
await control('assign')

// The real Web Push arrived at the fake service; its decrypted payload goes to the real service worker.
const payload = JSON.parse(readFileSync(`${out}/push-payload.json`, 'utf-8'))
const cdp = await H.ctx.newCDPSession(H.page)
// The registration and its versions arrive as events after ServiceWorker.enable; wait for the
// registration of this origin whose version is activated (a fixed pause raced on a loaded machine),
// and keep the worker's reported errors for the failure message.
const registrations = new Map()
const versions = new Map()
const workerErrors = []
cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => { for (const r of e.registrations) registrations.set(r.registrationId, r) })
cdp.on('ServiceWorker.workerVersionUpdated', (e) => { for (const v of e.versions) versions.set(v.versionId, v) })
cdp.on('ServiceWorker.workerErrorReported', (e) => workerErrors.push(e.errorMessage))
await cdp.send('ServiceWorker.enable')
const activeRegistration = () => [...registrations.values()].find((r) => r.scopeURL.startsWith(base) && !r.isDeleted &&
  [...versions.values()].some((v) => v.registrationId === r.registrationId && v.status === 'activated'))
for (let i = 0; i < 200 && !activeRegistration(); i++) await H.page.waitForTimeout(100)
const reg = activeRegistration()
check(!!reg, `service worker registration found with an activated version (${reg?.scopeURL})`)
check(await H.page.evaluate(() => Notification.permission) === 'granted', 'notification permission granted')
await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(base).origin, registrationId: reg.registrationId, data: JSON.stringify(payload) })
// registration.getNotifications() is async, so poll it (waitForFunction would take the promise as truthy).
let shown = []
for (let i = 0; i < 120 && shown.length === 0; i++) {
  shown = await H.page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data })))
  if (!shown.length) await H.page.waitForTimeout(250)
}
if (!shown.length) console.log('service worker state:', JSON.stringify({ registrations: [...registrations.values()], versions: [...versions.values()], workerErrors }))
console.log('notifications:', JSON.stringify(shown))
check(shown.length === 1 && shown[0].title === payload.title && shown[0].body === payload.body && shown[0].tag === payload.id, 'the service worker shows the pushed notification')
check(shown[0]?.data?.url === payload.url && payload.url.startsWith('/followup/problems/'), `the notification opens ${payload.url}`)

// The url is a real screen: the problem with its timeline, once synced.
await synced(H.page)
await gotoApp(H.page, base + payload.url)
await H.page.waitForSelector('[data-test=problem-view] [data-problem]', { timeout: 20000 })
check((await H.page.textContent('[data-test=problem-view]')).includes('循环泵密封频繁泄漏'), 'the push url opens the problem page')
await H.page.screenshot({ path: `${out}/70-push-problem-page.png` })

// 关闭推送: the server forgets the subscription first, then the browser.
await gotoApp(H.page, `${base}/inbox?tab=messages`)
await H.page.click('[data-test=push-unsubscribe]')
await H.page.waitForSelector('[data-test=push-state]:has-text("已关闭推送")', { timeout: 20000 })
check(true, 'push disabled from the inbox')
await H.page.screenshot({ path: `${out}/71-push-disabled.png` })

console.log(errors.join('\n') || 'no page errors')
check(errors.length === 0, 'no page errors')
stdin.close()
await browser.close()
