// Confidential remarks end to end (docs/security.md): the officer and the cadre enrol their keys;
// the cadre writes a remark with a marker text, syncs and submits (the interview is signed); the
// marker is nowhere in the cadre's IndexedDB or localStorage (dumped here, and written to
// <out>/cadre-storage.json for the test, which also searches the server's files); the officer
// reads it in the app and the access log shows that. A second marker (PLAIN_MARKER) goes into an
// ordinary note, a note composer draft and a photo's bytes: those reach the server in plaintext
// (only remarks are end to end), but on the tablet they are sealed at rest — after sync and a
// reload it is nowhere in IndexedDB, localStorage or Cache Storage either.
// Usage: node scripts/confidential.mjs http://127.0.0.1:8765 OUTDIR MARKER [PLAIN_MARKER]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { harness, launch, signIn, enrol, synced, dumpStorage, newInterview, writeRemark, fill, gotoApp } from './lib-confidential.mjs'
import { valueSettled } from './lib-wait.mjs'

const base = process.argv[2] ?? 'http://127.0.0.1:8765'
const out = process.argv[3] ?? '/tmp/pwa-shots'
const marker = process.argv[4] ?? `MARK-${Date.now().toString(16)}-夜班保密`
const plainMarker = process.argv[5] ?? `PLAIN-${Date.now().toString(16)}-食堂明文`
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()

// The officer enrols first, so the cadre's remark is sealed for the officer's key too.
const O = await signIn(browser, base, 'officer', errors)
check(new URL(O.page.url()).pathname === '/remarks', 'the officer lands on 保密备注')
check(await O.page.isVisible('[data-test=needs-keys]'), 'a device without keys asks for them')
const officerCode = await enrol(O.page, base)
check(/^([A-Z2-7]{4}-){7}[A-Z2-7]{4}$/.test(officerCode), `recovery code shown once: 8 groups of 4 base32 (${officerCode.length} chars)`)
check((await O.page.textContent('[data-test=keys]')).includes('请抄写恢复码并妥善保管'), 'the recovery code is shown with 请抄写恢复码并妥善保管')
await O.page.screenshot({ path: `${out}/30-recovery-code.png` })
await O.page.click('[data-test=code-done]')
await synced(O.page)

const C = await signIn(browser, base, 'cadre', errors)
await enrol(C.page, base)
await C.page.click('[data-test=code-done]')
await synced(C.page)
const ivUrl = await newInterview(C.page, base, '职工反映家庭困难')
await writeRemark(C.page, marker)
check(!(await C.page.isVisible('[data-test=remark-text]')), 'after closing the editor the text is not on screen')
await C.page.screenshot({ path: `${out}/31-remark-written.png` })
// Submit: summary and one covered prompt, then the interview is signed after the submit.
await C.page.click('.van-tab:has-text("访谈要点")')
await fill(C.page, 'note-input-demand.2', '希望调整夜班')
await C.page.click('[data-test="note-add-demand.2"]')
// Ordinary (not confidential) content with the plain marker: a note and a photo.
await fill(C.page, 'note-input-demand.1', `食堂意见 ${plainMarker}`)
await C.page.click('[data-test="note-add-demand.1"]')
await C.page.click('.van-tab:has-text("照片与录音")')
const png = readFileSync(new URL('../public/pwa-192x192.png', import.meta.url))
await C.page.setInputFiles('[data-test=photo-input] >> nth=-1', { name: '食堂.png', mimeType: 'image/png', buffer: Buffer.concat([png, Buffer.from(`照片 ${plainMarker}`)]) })
await C.page.waitForSelector('[data-test=attachment] img', { timeout: 15000 })
await C.page.click('.van-tab:has-text("总结")')
await fill(C.page, 'summary', '职工家庭困难，希望调整夜班。')
await C.page.waitForTimeout(500)
await C.page.click('[data-test=submit-bottom]')
await C.page.waitForFunction(() => document.querySelector('[data-test=interview] h1')?.textContent?.includes('已提交'), null, { timeout: 15000 })
await synced(C.page)
await synced(C.page)
const signedShown = await C.page.waitForSelector('[data-test=signed]', { timeout: 20000 }).then(() => true, () => false)
if (!signedShown) console.log('storage:', (await dumpStorage(C.page)).slice(0, 200000).split('\n').filter((l) => /rejection|error|message|sign/.test(l)).join('\n'))
check(signedShown, 'the submitted interview shows 已签名 once the signature row is pulled')
await C.page.click('.van-tab:has-text("保密备注")')
await C.page.waitForSelector('[data-test=remark-card] [data-state=synced]', { timeout: 15000 }).catch(() => {})
check(await C.page.isVisible('[data-test=remark-card] [data-state=synced]'), 'the remark is on the server (已同步)')

// The author reads it back in the app (logged).
await C.page.click('[data-test=remark-view]')
await C.page.waitForSelector('[data-test=remark-text]')
check((await C.page.textContent('[data-test=remark-text]')).includes(marker), 'the author reads the remark in the app')
await C.page.click('.van-button:has-text("收起")')
await synced(C.page)

// A composer draft with the plain marker in a second, open interview, typed and reloaded at once
// (it stays a draft); the reload starts locked, the PIN opens it and the app reads the draft back.
const iv2 = await newInterview(C.page, base, '职工反映食堂问题')
await C.page.click('.van-tab:has-text("访谈要点")')
await C.page.click('[data-test="note-input-suggestion.1"] textarea')
await C.page.keyboard.type(`草稿 ${plainMarker}`)
await C.page.waitForTimeout(600)
await gotoApp(C.page, iv2)
await C.page.click('.van-tab:has-text("访谈要点")')
check((await valueSettled(C.page, '[data-test="note-input-suggestion.1"] textarea', `草稿 ${plainMarker}`)) === `草稿 ${plainMarker}`, 'the composer draft with the plain marker survives the reload (the app reads it)')
await synced(C.page)
await gotoApp(C.page, ivUrl)
await C.page.click('.van-tab:has-text("照片与录音")')
await C.page.waitForSelector('[data-test=attachment] img', { timeout: 15000 })
const dump = await dumpStorage(C.page)
writeFileSync(`${out}/cadre-storage.json`, dump)
check(/"fangtan\/blobs": \[\s*\[/.test(dump) && /"fangtan\/drafts": \[\s*\[/.test(dump) && /"fangtan\/rows": \[\s*\[/.test(dump), 'the photo, the draft and the pulled rows are in IndexedDB')
check(!dump.includes(plainMarker) && !dump.includes(plainMarker.split('-')[1]), 'the plain marker (note, draft, photo) is nowhere in IndexedDB, localStorage or Cache Storage')
check(!dump.includes(marker) && !dump.includes(marker.split('-')[1]), 'the marker is nowhere in the cadre’s IndexedDB, localStorage or sessionStorage')
// Without Cache Storage (the app's own code mentions pkcs8 and the like).
const stored = JSON.stringify({ ...JSON.parse(dump), cacheStorage: undefined }, null, 1)
check(stored.includes('"entity": "remark"') && stored.includes('"sealed": "bytes:'), 'the remark row is in IndexedDB, sealed at rest (its envelope inside)')
check(stored.includes('CryptoKey(private, ECDH, extractable=false)'), 'the private encryption key is a non-extractable CryptoKey')
check(!/"d":\s*"/.test(stored) && !stored.includes('pkcs8'), 'no exported private key material is stored')
check(stored.includes('"entity": "interview_signature"'), 'the signature went through the outbox and came back')

// The officer reads it and the access log shows who and when.
await synced(O.page)
await gotoApp(O.page, base + '/remarks')
await O.page.waitForSelector('[data-test=officer-remark]')
await O.page.click('[data-test=officer-remark-view]')
await O.page.waitForSelector('[data-test=officer-remark-text]')
check((await O.page.textContent('[data-test=officer-remark-text]')).includes(marker), 'the officer reads the marker in the app')
await synced(O.page)
await O.page.waitForSelector('[data-test=access-row][data-synced=yes]', { timeout: 15000 })
const log = await O.page.textContent('[data-test=access-log]')
check(log.includes('吴静') && log.includes('刘海涛'), 'the access log shows the officer (吴静) and the author (刘海涛) reading it')
await O.page.screenshot({ path: `${out}/32-officer-remarks.png`, fullPage: true })
const officerDump = await dumpStorage(O.page)
check(!officerDump.includes(marker.split('-')[1]), 'the marker is not in the officer’s IndexedDB either')

check(errors.length === 0, `no page errors (${errors.join('; ')})`)
await browser.close()
