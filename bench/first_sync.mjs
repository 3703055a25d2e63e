// HR's first sync from zero in real Chromium (issue 18.2), against a running server over a
// generated year (bench/year.py). Signs in, sets the PIN, waits for the first sync to finish, then
// opens the tracking board and waits until it is usable (a problem card and the status filter's
// counts shown). Prints one JSON object: times, rows in IndexedDB, storage bytes, JS heap, and the
// time spent in AES-GCM encryption (the at-rest sealing; summed over calls, so overlapping calls
// count twice — an upper bound of its share).
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
await ctx.addInitScript(() => {
  const subtle = globalThis.crypto?.subtle
  if (!subtle) return
  const encrypt = subtle.encrypt.bind(subtle)
  globalThis.__sealing = { ms: 0, calls: 0 }
  subtle.encrypt = async (...args) => {
    const t0 = performance.now()
    try { return await encrypt(...args) } finally {
      globalThis.__sealing.ms += performance.now() - t0
      globalThis.__sealing.calls += 1
    }
  }
})
const page = await ctx.newPage()
await page.goto(base + '/login')
await page.fill('[data-test=username] input', username)
await page.fill('[data-test=password] input', password)
const t0 = Date.now()
await page.click('[data-test=login]')
await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout })
await setPinIfAsked(page)
const pinSet = Date.now()
await page.waitForFunction(() => /\d:\d/.test(document.querySelector('[data-test=last-sync]')?.textContent ?? ''), null,
  { timeout, polling: 250 })
const synced = Date.now()
await page.goto(base + '/followup/hr?tab=board')
await page.waitForSelector('[data-problem]', { timeout })
await page.waitForFunction(() => /（[1-9]\d*）/.test(document.querySelector('[data-test=f-status]')?.textContent ?? ''), null,
  { timeout, polling: 250 })
const usable = Date.now()
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
  return {
    storage_bytes: estimate.usage ?? null,
    idb_bytes: estimate.usageDetails?.indexedDB ?? null,
    heap_bytes: performance.memory?.usedJSHeapSize ?? null,
    sealing: globalThis.__sealing ?? null,
    stores: counts,
    cards: document.querySelectorAll('[data-problem]').length,
  }
})
await browser.close()
console.log(JSON.stringify({
  sign_in_to_pin_ms: pinSet - t0, first_sync_ms: synced - t0, board_usable_ms: usable - t0, ...facts,
}))
