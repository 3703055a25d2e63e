// Shared steps of the confidentiality browser checks (confidential.mjs, recovery.mjs).
import { chromium } from 'playwright-core'

export const PASSPHRASE = '甲醇车间-保密口令-2025'
export const PIN = '482916'

export function harness(out) {
  const errors = []
  const check = (cond, msg) => { if (!cond) { console.error('FAIL:', msg); process.exitCode = 1 } else console.log('ok:', msg) }
  return { errors, check }
}

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
}

// The remark editor is a contenteditable (components/SecretText.vue), the other fields inputs.
export const fill = (page, sel, v) => page.fill(`[data-test="${sel}"] input, [data-test="${sel}"] textarea, [data-test="${sel}"] [contenteditable]`, v)

/**
 * The sync runs of `page` so far, from the 立即同步 button's `data-runs` ("begun/ended",
 * sync/status.ts), whether it is idle (no run going, no spinner) and whether the status bar says
 * `words` (nothing waits). A press while a sync runs joins that run (sync/client.ts is
 * single-flight), and the spinner shows only once the press has read its settings from IndexedDB:
 * neither 「已全部同步」 nor the spinner alone tells that a sync asked for has happened; these counts do.
 */
export function syncState(page, words = '已全部同步') {
  return page.evaluate((w) => {
    const button = document.querySelector('[data-test=sync-now]')
    if (!button) return { idle: false, ended: -1 }
    const [begun, ended] = (button.dataset.runs ?? '0/0').split('/').map(Number)
    const idle = begun === ended && !button.querySelector('.van-loading')
    return { idle, begun, ended, clear: !!document.querySelector('[data-test=pending]')?.textContent?.includes(w) }
  }, words).catch(() => ({ idle: false, ended: -1 })) // a navigation in between: read again
}

/** Wait until a sync begun after `before` (a syncState) has ended and none runs. */
export async function syncEnded(page, before, { timeout = 60000 } = {}) {
  const end = Date.now() + timeout
  for (;;) {
    const s = await syncState(page)
    if (s.idle && s.ended > before.begun) return s
    if (Date.now() > end) throw new Error(`syncEnded: no sync begun after ${before.begun}/${before.ended} ended within ${timeout} ms (now ${s.begun}/${s.ended})`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * Press 立即同步 and wait until a sync that began after the press has ended with nothing waiting
 * (see syncState). Pressed again when the app is idle with no new run, or when work saved during
 * the run still waits (at most every 3 s). `words`: the status text when nothing waits (an English
 * screen passes its own).
 */
export async function synced(page, { words = '已全部同步', timeout = 60000 } = {}) {
  const end = Date.now() + timeout
  let before = await syncState(page, words)
  while (before.begun === undefined && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100))
    before = await syncState(page, words)
  }
  let pressed = 0
  for (let now = Date.now(); now < end; now = Date.now()) {
    const s = await syncState(page, words)
    if (s.begun < before.begun) before = { begun: 0 } // the page was loaded again: its runs are all new
    if (s.idle && s.ended > before.begun && s.clear) return
    if (s.idle && now - pressed > 3000) {
      await page.click('[data-test=sync-now]')
      pressed = Date.now()
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  const s = await syncState(page, words)
  throw new Error(`synced: no sync begun after pressing 立即同步 ended with「${words}」within ${timeout} ms (runs before: ${before.begun}/${before.ended}, now: ${s.begun}/${s.ended}, status: ${await page.textContent('[data-test=pending]').catch(() => '?')})`)
}

export async function signIn(browser, base, user, errors) {
  const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.on('pageerror', (e) => errors.push(`${user} pageerror: ${e.message}`))
  await signInOn(page, base, user)
  return { ctx, page }
}

/** Sign `user` in with the demo password on an open page, set the PIN if asked, sync once. */
export async function signInOn(page, base, user) {
  await page.goto(base + '/login')
  await page.fill('[data-test=username] input', user)
  await page.fill('[data-test=password] input', 'fangtan-demo')
  await page.click('[data-test=login]')
  await page.waitForURL((u) => !u.pathname.startsWith('/login'))
  await setPinIfAsked(page)
  await synced(page)
}

/**
 * Right after the first sign-in every device sets its unlock PIN (twice) before anything syncs
 * (docs/security.md §6). Waits for either the PIN screen or the app; sets `pin` when asked.
 */
export async function setPinIfAsked(page, pin = PIN) {
  await page.waitForSelector('[data-test=pin-setup], [data-test=status-bar], .status-bar, [data-test=lock-screen]', { timeout: 20000 })
  if (!(await page.isVisible('[data-test=pin-setup]'))) return false
  await fill(page, 'pin-new', pin)
  await fill(page, 'pin-new2', pin)
  await page.click('[data-test=pin-set]')
  await page.waitForSelector('[data-test=pin-setup]', { state: 'detached', timeout: 30000 })
  return true
}

/** First enrolment on a device: passphrase, unlock PIN, the recovery code shown once. */
export async function enrol(page, base) {
  await page.click('[data-test=set-up-keys]')
  await page.waitForURL('**/keys**')
  await page.waitForSelector('[data-test=passphrase]')
  await fill(page, 'passphrase', PASSPHRASE)
  await fill(page, 'passphrase2', PASSPHRASE)
  // The unlock PIN was set at sign-in; an older device without one is asked here.
  if (await page.isVisible('[data-test=pin] input')) {
    await fill(page, 'pin', PIN)
    await fill(page, 'pin2', PIN)
  }
  await page.click('[data-test=enrol]')
  await page.waitForSelector('[data-test=recovery-code]', { timeout: 30000 })
  const code = (await page.textContent('[data-test=recovery-code]')).trim()
  return code
}

/**
 * Every IndexedDB store, localStorage, sessionStorage and Cache Storage, as JSON. CryptoKeys are
 * described; Blob bytes, byte arrays and cached response bodies are decoded as UTF-8 text, so a
 * marker stored anywhere in plaintext shows up in the dump.
 */
export async function dumpStorage(page) {
  return page.evaluate(async () => {
    const dec = new TextDecoder('utf-8', { fatal: false })
    const blobTexts = new Map()
    const collect = async (v) => {
      if (v instanceof Blob) blobTexts.set(v, dec.decode(await v.arrayBuffer()))
      else if (v && typeof v === 'object' && !(v instanceof CryptoKey) && !ArrayBuffer.isView(v)) for (const x of Object.values(v)) await collect(x)
    }
    const out = {}
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((res, rej) => { const r = indexedDB.open(name); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error) })
      for (const store of db.objectStoreNames) {
        out[`${name}/${store}`] = await new Promise((res, rej) => {
          const tx = db.transaction(store)
          const keys = tx.objectStore(store).getAllKeys()
          const vals = tx.objectStore(store).getAll()
          tx.oncomplete = () => res(keys.result.map((k, i) => [k, vals.result[i]]))
          tx.onerror = () => rej(tx.error)
        })
        await collect(out[`${name}/${store}`])
      }
      db.close()
    }
    const ls = {}
    for (let i = 0; i < localStorage.length; i++) ls[localStorage.key(i)] = localStorage.getItem(localStorage.key(i))
    const ss = {}
    for (let i = 0; i < sessionStorage.length; i++) ss[sessionStorage.key(i)] = sessionStorage.getItem(sessionStorage.key(i))
    const cached = {}
    for (const cacheName of await caches.keys()) {
      const cache = await caches.open(cacheName)
      for (const req of await cache.keys()) {
        const res = await cache.match(req)
        cached[`${cacheName} ${req.url}`] = res ? dec.decode(await res.arrayBuffer()) : null
      }
    }
    return JSON.stringify({ indexedDB: out, localStorage: ls, sessionStorage: ss, cacheStorage: cached }, (k, v) =>
      v instanceof CryptoKey ? `CryptoKey(${v.type}, ${v.algorithm.name}, extractable=${v.extractable})`
        : v instanceof Blob ? `Blob(${v.size}): ${blobTexts.get(v) ?? ''}`
          : ArrayBuffer.isView(v) ? `bytes: ${dec.decode(v)}` : v, 1)
  })
}

/** One value of the app's IndexedDB `meta` store (e.g. `receipt_pool`, `work_calendar`), as stored. */
export function readMeta(page, key) {
  return page.evaluate((key) => new Promise((res, rej) => {
    const r = indexedDB.open('fangtan')
    r.onerror = () => rej(r.error)
    r.onsuccess = () => {
      const g = r.result.transaction('meta').objectStore('meta').get(key)
      g.onsuccess = () => { res(g.result ?? null); r.result.close() }
      g.onerror = () => rej(g.error)
    }
  }), key)
}

/** How many reserved receipt codes the tablet holds (issue 16 point 1). */
export async function receiptPoolSize(page) {
  const pool = await readMeta(page, 'receipt_pool')
  return Array.isArray(pool) ? pool.length : 0
}

/** A full page load starts locked once a PIN is set: unlock with it. */
export async function gotoApp(page, url, pin = PIN) {
  await page.goto(url)
  await unlockIfLocked(page, pin)
}

/** After a load or reload of an app page: unlock with the PIN when the lock screen shows. */
export async function unlockIfLocked(page, pin = PIN) {
  await page.waitForSelector('[data-test=lock-screen], [data-test=status-bar], .status-bar', { timeout: 15000 })
  if (await page.isVisible('[data-test=lock-screen]')) {
    await fill(page, 'lock-pin', pin)
    await page.click('[data-test=unlock]')
    await page.waitForSelector('[data-test=lock-screen]', { state: 'detached', timeout: 15000 })
  }
}

export async function newInterview(page, base, reason) {
  await gotoApp(page, base + '/interviews/new')
  await fill(page, 'adhoc-reason', reason)
  await page.click('[data-test=form-individual]')
  await page.click('[data-test=start]')
  await page.waitForURL(/\/interviews\/[0-9a-f-]{36}$/)
  await fill(page, 'participant-0-post', '中控操作工')
  await page.click('[data-test=participant-0-anonymous] .van-switch')
  return page.url()
}

/** Write a confidential remark in the open interview and wait until it is sealed into the outbox. */
export async function writeRemark(page, text) {
  await page.click('.van-tab:has-text("保密备注")')
  await page.click('[data-test=remark-add]')
  await fill(page, 'remark-input', text)
  await page.waitForFunction(() => document.querySelector('[data-test=seal-state]')?.textContent?.includes('已加密保存'), null, { timeout: 20000 })
  await page.click('[data-test=remark-done]')
  await page.waitForSelector('[data-test=remark-card]')
}

/** Click a download button and save the file at `path`; returns the browser's suggested file name. */
export async function saveDownload(page, selector, path) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click(selector)])
  await dl.saveAs(path)
  console.log(`saved: ${path.split('/').pop()} (${dl.suggestedFilename()})`)
  return dl.suggestedFilename()
}
