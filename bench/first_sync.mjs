// HR's first sync from zero in real Chromium (issue 18.2), against a running server over a
// generated year (bench/year.py). Signs in, sets the PIN, waits for the first sync to finish, then
// opens the tracking board and waits until it is usable (a problem row or card and the status filter's
// counts shown). Prints one JSON object: times, rows in IndexedDB, storage bytes, JS heap, and a CPU
// profile's summary: the top functions by self time and the at-rest sealing's share.
// Usage: node bench/first_sync.mjs URL USERNAME PASSWORD
import { createRequire } from 'node:module'

const require = createRequire(new URL('../pwa/package.json', import.meta.url))
const { chromium } = require('playwright-core')
const { setPinIfAsked } = await import('../pwa/scripts/lib-confidential.mjs')

const [base, username, password] = process.argv.slice(2)
const timeout = Number(process.env.BENCH_FIRST_SYNC_TIMEOUT_MS ?? 900000)
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
})
const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
const page = await ctx.newPage()
await page.goto(base + '/login')
await page.fill('[data-test=username] input', username)
await page.fill('[data-test=password] input', password)
// A CPU profile of the page from sign-in to a usable board: where the time goes, and the main-thread
// share of the synchronous AES-GCM of @noble/ciphers (its own chunk: store/atrest.ts), which seals
// single records; pulled pages are sealed with WebCrypto, measured by the app's User Timing below.
const cdp = await ctx.newCDPSession(page)
await cdp.send('Profiler.enable')
await cdp.send('Profiler.setSamplingInterval', { interval: 1000 })
await cdp.send('Profiler.start')
const t0 = Date.now()
await page.click('[data-test=login]')
await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout })
await setPinIfAsked(page)
const pinSet = Date.now()
await page.waitForFunction(() => /\d:\d/.test(document.querySelector('[data-test=last-sync]')?.textContent ?? ''), null,
  { timeout, polling: 250 })
const synced = Date.now()
// Through the app's own navigation, as HR would click (a page load would lock the app again).
await page.click('aside a[href="/followup/hr"]', { timeout })
await page.click('.van-tab:has-text("跟踪看板")', { timeout })
// The board opens as a table at the desk (cards on a tablet, or when chosen): either is usable.
await page.waitForSelector('[data-test=problem-board] :is([data-test=board-row], [data-problem])', { timeout })
await page.waitForFunction(() => /（[1-9]\d*）/.test(document.querySelector('[data-test=f-status]')?.textContent ?? ''), null,
  { timeout, polling: 250 })
const usable = Date.now()
const { profile } = await cdp.send('Profiler.stop')
// BENCH_PROFILE_OUT=path keeps the whole profile (.cpuprofile: Chromium's DevTools open it).
if (process.env.BENCH_PROFILE_OUT) (await import('node:fs')).writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(profile))
const profiled = selfTimes(profile)
const facts = await page.evaluate(async () => {
  const estimate = await navigator.storage.estimate()
  const counts = {}
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open(info.name)
      r.onsuccess = () => resolve(r.result)
      r.onerror = () => reject(r.error)
    })
    for (const store of db.objectStoreNames) {
      counts[store] = await new Promise((resolve) => {
        const r = db.transaction(store).objectStore(store).count()
        r.onsuccess = () => resolve(r.result)
        r.onerror = () => resolve(-1)
      })
    }
    db.close()
  }
  // The at-rest sealing end to end (store/atrest.ts's User Timing: WebCrypto is off the main thread),
  // and the waits for each pulled page's transaction to commit (store/apply.ts: the database process).
  const spent = (name) => performance.getEntriesByName(name).reduce((ms, e) => ms + e.duration, 0)
  return {
    seal_wall_ms: Math.round(spent('fangtan:at-rest-seal')),
    seal_calls: performance.getEntriesByName('fangtan:at-rest-seal').length,
    open_wall_ms: Math.round(spent('fangtan:at-rest-open')),
    commit_wall_ms: Math.round(spent('fangtan:pull-commit')),
    storage_bytes: estimate.usage ?? null,
    idb_bytes: estimate.usageDetails?.indexedDB ?? null,
    heap_bytes: performance.memory?.usedJSHeapSize ?? null,
    stores: counts,
    cards: document.querySelectorAll('[data-test=problem-board] :is([data-test=board-row], [data-problem])').length,
  }
})
await browser.close()
console.log(JSON.stringify({
  sign_in_to_pin_ms: pinSet - t0, first_sync_ms: synced - t0, board_usable_ms: usable - t0, ...facts, ...profiled,
}))

/** Self time per function (ms) from a V8 CPU profile: the top ones, idle, and the cipher chunk's sum. */
function selfTimes({ nodes, samples, timeDeltas }) {
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const self = new Map()
  for (let i = 0; i < samples.length; i++) self.set(samples[i], (self.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0) / 1000)
  const per = new Map()
  let sealing = 0
  let total = 0
  let idle = 0
  for (const [id, ms] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame
    total += ms
    if (functionName === '(idle)' || functionName === '(program)') idle += functionName === '(idle)' ? ms : 0
    if (/\/assets\/aes-[^/]*\.js$/.test(url)) sealing += ms
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`
    per.set(key, (per.get(key) ?? 0) + ms)
  }
  const top = [...per].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, ms]) => [k, Math.round(ms)])
  return { profile_ms: Math.round(total), idle_ms: Math.round(idle), sealing_ms: Math.round(sealing), top }
}
