// The setup of the offline officer export check (tests/e2e/browser/
// test_pwa_remark_opens_offline_with_the_officer_export.py): the officer and the cadre enrol keys in
// the real browser (passphrase backups made by WebCrypto), the cadre writes a confidential remark
// with MARKER and syncs. The test then runs `fangtan remarks export` / `open` on it.
// Usage: node scripts/officer-export.mjs http://127.0.0.1:8765 OUTDIR MARKER
import { mkdirSync } from 'node:fs'
import { harness, launch, signIn, enrol, synced, newInterview, writeRemark } from './lib-confidential.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
const marker = process.argv[4] ?? `MARK-${Date.now().toString(16)}-保密`
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()

const O = await signIn(browser, base, 'officer', errors)
await enrol(O.page, base)
await O.page.click('[data-test=code-done]')
await synced(O.page)
check(true, 'the officer enrolled in the browser (passphrase and recovery-code backups on the server)')

const C = await signIn(browser, base, 'cadre', errors)
await enrol(C.page, base)
await C.page.click('[data-test=code-done]')
await synced(C.page)
await newInterview(C.page, base, '职工反映家庭困难')
await writeRemark(C.page, marker)
await synced(C.page)
await synced(C.page)
check(true, 'the cadre wrote and synced a confidential remark')
check(errors.length === 0, `no page errors (${errors.join('; ')})`)
await browser.close()
