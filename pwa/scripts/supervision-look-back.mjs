// The supervision group looks back (issue 17 point 2), at 1440×900 in zh-CN: the supervisor draws last
// month (already ended) from the period form, reads the stratification explained in Chinese, opens a
// sampled interview from the list, comes back, records a 走过场 finding, and sees it in 整改意见 with the
// interview's form · place · date and the cadre. The verification file it downloads is left in OUTDIR/verify.json.
// Usage: node scripts/supervision-look-back.mjs URL OUTDIR PERIOD INTERVIEW_ID PLACE DAY CADRE_NAME
import { mkdirSync } from 'node:fs'
import { gotoApp, harness, launch, signInOn } from './lib-confidential.mjs'
import { textSettled, valueSettled } from './lib-wait.mjs'

const [base, out, period, interviewId, place, day, cadreName] = process.argv.slice(2)
mkdirSync(out, { recursive: true })
const { errors, check } = harness(out)
const browser = await launch()
const shot = (page, name) => page.screenshot({ path: `${out}/${name}.png`, fullPage: true })

try {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  await signInOn(page, base, 'supervisor')
  await gotoApp(page, base + '/supervision') // the supervisor lands on 待办 (issue 17 point 1)
  await page.waitForSelector('[data-test=period-form]')
  check((await page.textContent('[data-test=strata-help]')).includes('每层至少抽 1 条'), 'the stratification is explained in Chinese')

  await page.selectOption('[data-test=period]', period)
  await page.fill('[data-test=period-rate]', '10')
  await page.click('[data-test=draw-period]')
  const item = `[data-test=sample-item][data-item="${interviewId}"]`
  await page.waitForSelector(item, { timeout: 20000 })
  check((await page.textContent(`${item} [data-test=sample-held]`)).includes(`${place} · ${day}`), 'the sampled item shows form · place · date')
  check((await page.locator('[data-test=period] option:checked').textContent()).includes('已抽取'), 'the period is marked 已抽取')
  const draw = page.locator('[data-test=draw][data-revealed=yes]', { has: page.locator(item) })
  await draw.locator('[data-test=verify]').click()
  await draw.locator('[data-test=verify-result].ok').waitFor()
  check(true, 'the draw rechecks from its published record')
  const [file] = await Promise.all([page.waitForEvent('download'), draw.locator('[data-test=save-verification]').click()])
  await file.saveAs(`${out}/verify.json`)
  check(file.suggestedFilename() === `抽查验证-${period}.json`, 'the verification file downloads')
  await shot(page, '01-drawn')

  await page.click(`${item} [data-test=open-interview]`)
  await page.waitForURL((u) => u.pathname === `/interviews/${interviewId}`)
  await page.waitForSelector('[data-test=interview]')
  // The page shell renders first; the record fills in once it is read from the device's store.
  const placeShown = (await valueSettled(page, '[data-test=place] input', place)) === place
  check(placeShown && (await textSettled(page, '[data-test=interview] h1', (t) => t.includes('小组座谈'))).includes('小组座谈'), 'the sampled interview opens from the list')
  await shot(page, '02-interview')
  await page.goBack()
  // Back on 监督抽查 the draw is listed; its sample opens again from the list.
  await page.locator('[data-test=draw][data-revealed=yes] [data-test=open-sample]').first().click()
  await page.waitForSelector(item)

  await page.locator(item).locator('[data-test=verdict]').selectOption('perfunctory')
  await page.locator(item).locator('[data-test=opinion]').fill('访谈只记录了一句话，请补充职工诉求和答复。')
  await page.locator(item).locator('[data-test=record]').click()
  await page.waitForSelector(`${item} [data-test=finding-recorded]`)
  check((await page.textContent(`${item} [data-test=finding-recorded]`)).includes('走过场'), 'a 走过场 finding is recorded')

  await page.click('.van-tab:has-text("整改意见")')
  await page.waitForSelector('[data-test=finding][data-status=open] [data-test=finding-context]')
  const context = await page.textContent('[data-test=finding][data-status=open] [data-test=finding-context]')
  check(context.includes(`小组座谈 · ${place} · ${day}`) && context.includes(cadreName), 'the finding shows form · place · date and the cadre')
  await shot(page, '03-finding')
} finally {
  for (const e of errors) console.error('FAIL:', e)
  if (errors.length) process.exitCode = 1
  await browser.close()
}
