// Revocation purge in the real browser (docs/security.md §6). Driven by
// tests/e2e/browser/test_pwa_revoked_device_purges_after_exporting_unsynced_work.py, which revokes
// the device named in OUT/revoke.txt (as admin, POST /api/devices/{id}/revoke) on `control: revoke`.
//  A. Tablet A (cadre) enrols keys and a PIN, syncs everything; it is revoked; its next contact
//     (立即同步) purges it: the sign-in page explains, IndexedDB/localStorage/sessionStorage are empty.
//  B. Tablet B (cadre2) captures an interview offline (MARKER); it is revoked while offline; back
//     online the sync learns it, nothing is deleted: the revocation screen shows what is unsynced,
//     survives a reload, exports a file holding the marker; then the purge empties the install.
// Usage: FANGTAN_CONTROL=1 node scripts/revoke.mjs http://127.0.0.1:8765 OUTDIR MARKER
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { harness, launch, signIn, enrol, synced, fill, dumpStorage, gotoApp, unlockIfLocked } from './lib-confidential.mjs'
import { swControls } from './lib-wait.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
const marker = process.argv[4] ?? `MARK-${Date.now().toString(16)}-吊销前未同步`
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const rl = createInterface({ input: process.stdin })
const stdinLines = rl[Symbol.asyncIterator]()

async function revoke(page, label) {
  const device = await page.evaluate(async () => {
    const db = await new Promise((res, rej) => { const r = indexedDB.open('fangtan'); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error) })
    const v = await new Promise((res) => { const r = db.transaction('meta').objectStore('meta').get('device_id'); r.onsuccess = () => res(r.result) })
    db.close()
    return v
  })
  writeFileSync(`${out}/revoke.txt`, device)
  console.log('control: revoke')
  const { value } = await stdinLines.next()
  check(value?.trim() === 'done', `${label}: the admin revoked device ${device}`)
}

/** Every IndexedDB store empty (meta may hold only `persisted`, written by the sign-in page's boot), no web storage. */
function checkEmpty(dumpText, label) {
  const dump = JSON.parse(dumpText)
  const leftovers = []
  for (const [store, entries] of Object.entries(dump.indexedDB)) {
    const keep = store.endsWith('/meta') ? entries.filter(([k]) => k !== 'persisted') : entries
    if (keep.length) leftovers.push(`${store}: ${keep.map(([k]) => JSON.stringify(k)).join(', ')}`)
  }
  check(Object.keys(dump.indexedDB).length > 0 && leftovers.length === 0, `${label}: every IndexedDB store is empty (${leftovers.join('; ') || 'nothing left'})`)
  check(Object.keys(dump.localStorage).length === 0 && Object.keys(dump.sessionStorage).length === 0, `${label}: localStorage and sessionStorage are empty`)
}

const browser = await launch()

// A: nothing unsynced → purged on the next contact.
const A = await signIn(browser, base, 'cadre', errors)
await enrol(A.page, base)
await A.page.click('[data-test=code-done]')
await synced(A.page)
const before = await dumpStorage(A.page)
check(before.includes('CryptoKey(private') && before.includes('"lock"'), 'A: keys and the app lock are on the tablet before')
await revoke(A.page, 'A')
await A.page.click('[data-test=sync-now]')
await A.page.waitForSelector('[data-test=purged-note]', { timeout: 30000 })
check((await A.page.textContent('[data-test=purged-note]')).includes('已全部清除'), 'A: the sign-in page explains that the device was revoked and wiped')
await A.page.screenshot({ path: `${out}/50-purged-sign-in.png` })
const afterA = await dumpStorage(A.page)
writeFileSync(`${out}/A-storage-after.json`, afterA)
checkEmpty(afterA, 'A')
check(!afterA.includes('CryptoKey'), 'A: no key is left')
await A.ctx.close()

// B: unsynced work → kept, explained, exported, then purged.
const B = await signIn(browser, base, 'cadre2', errors)
await swControls(B.page)
await B.ctx.setOffline(true)
await gotoApp(B.page, base + '/interviews/new')
await fill(B.page, 'adhoc-reason', marker)
await B.page.click('[data-test=form-individual]')
await B.page.click('[data-test=start]')
await B.page.waitForURL(/\/interviews\/[0-9a-f-]{36}$/)
await fill(B.page, 'participant-0-post', '检修钳工')
await B.page.waitForFunction(() => /待同步 \d+/.test(document.querySelector('[data-test=pending]')?.textContent ?? ''), null, { timeout: 15000 })
check(true, 'B: an interview was captured offline and waits in the outbox')
await revoke(B.page, 'B')
await B.ctx.setOffline(false)
await B.page.evaluate(() => window.dispatchEvent(new Event('online')))
await B.page.waitForSelector('[data-test=revoked-screen]', { timeout: 30000 })
const counts = (await B.page.textContent('[data-test=revoked-counts]')).trim()
check(/还有 [1-9]\d* 项内容未同步/.test(counts), `B: the revocation screen explains what is unsynced (${counts})`)
await B.page.screenshot({ path: `${out}/51-revoked-with-unsynced-work.png` })
const kept = await dumpStorage(B.page)
check(!kept.includes(marker) && /"fangtan\/outbox": \[\s*\[/.test(kept), 'B: nothing was deleted: the outbox is still in IndexedDB (sealed: the marker is not readable there)')
await B.page.reload()
// The revocation screen is behind the PIN; the cached unlock share is still valid, so it opens.
await unlockIfLocked(B.page).catch(() => undefined)
await B.page.waitForSelector('[data-test=revoked-screen]', { timeout: 15000 })
check(true, 'B: a reload shows the revocation screen again (nothing purged)')
const [download] = await Promise.all([B.page.waitForEvent('download'), B.page.click('[data-test=export-unsynced]')])
await download.saveAs(`${out}/unsynced.json`)
const file = readFileSync(`${out}/unsynced.json`, 'utf8')
const doc = JSON.parse(file)
check(doc.kind === 'fangtan.unsynced-work' && file.includes(marker) && doc.outbox.length > 0, `B: the exported file ${download.suggestedFilename()} holds the unsynced interview (${doc.outbox.length} mutations)`)
await B.page.waitForSelector('[data-test=exported]')
await B.page.click('[data-test=purge-now]')
await B.page.waitForSelector('[data-test=purged-note]', { timeout: 30000 })
const afterB = await dumpStorage(B.page)
writeFileSync(`${out}/B-storage-after.json`, afterB)
checkEmpty(afterB, 'B')
check(!afterB.includes(marker), 'B: the marker is gone from the tablet after the export and purge')

check(errors.length === 0, `no page errors (${errors.join('; ')})`)
rl.close()
await browser.close()
