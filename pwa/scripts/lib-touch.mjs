// Touch-target checks for the browser tests (docs/pwa.md "Touch targets"): every visible control is
// at least 44×44 CSS px, no button label wraps, and every tab of a tab bar is on screen.
//
// A control's target is the element itself, measured with getBoundingClientRect, except:
//  - an <input> whose label is its target (a visually hidden radio/checkbox inside a <label>,
//    like the rating page's stars): the label is measured instead;
//  - the WCAG 2.5.8 "inline" exception: a text link inside a sentence (an inline <a> whose
//    block has other text) is constrained by the line height of the text around it;
//  - the WCAG 2.5.8 "equivalent" exception: a field's <label for> (it also focuses the field)
//    when the field itself is a 44×44 target;
//  - the WCAG 2.5.8 "user agent control" exception: the browser's own <audio controls> bar.
// Nothing else is exempt; each exception found is listed with its reason.

export const MIN = 44

/** Runs in the page: offenders, exempted targets, wrapped button labels and clipped tabs. */
function measureInPage(min) {
  const SELECTOR = [
    'button', 'a[href]', 'input:not([type=hidden])', 'select', 'textarea', '[contenteditable=true]', '[contenteditable=""]',
    '[role=button]', '[role=link]', '[role=checkbox]', '[role=radio]', '[role=switch]', '[role=tab]', '[role=menuitem]',
    '.van-tab', '.van-checkbox', '.van-radio', '.van-switch', '.van-cell--clickable', '.van-nav-bar__left', '.van-nav-bar__right',
    '.van-tabbar-item', '.van-stepper__minus', '.van-stepper__plus', 'label[for]', 'audio[controls]', 'video[controls]',
  ].join(',')
  const visible = (el) => {
    const r = el.getBoundingClientRect()
    if (r.width === 0 || r.height === 0) return false
    return el.checkVisibility({ opacityProperty: true, visibilityProperty: true })
  }
  const describe = (el) => {
    const dt = el.closest('[data-test]')?.getAttribute('data-test')
    const cls = [...el.classList].filter((c) => c.startsWith('van-') && !c.includes('--')).slice(0, 2).join('.')
    return `${el.tagName.toLowerCase()}${cls ? '.' + cls : ''}${dt ? `[data-test=${dt}]` : ''}`
  }
  const label = (el) => (el.getAttribute('aria-label') || el.textContent || el.getAttribute('placeholder') || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 30)
  const blockOf = (el) => {
    let b = el.parentElement
    while (b && getComputedStyle(b).display.startsWith('inline')) b = b.parentElement
    return b
  }
  const offenders = []
  const exempt = []
  const seen = new Set()
  for (let el of document.querySelectorAll(SELECTOR)) {
    // The Vant checkbox/radio root is the target; its icon and label are parts of it.
    if (el.matches('.van-checkbox__icon, .van-radio__icon, .van-checkbox__label, .van-radio__label')) continue
    if (el.tagName === 'INPUT' && ['radio', 'checkbox'].includes(el.type) && el.closest('label')) el = el.closest('label')
    if (seen.has(el) || !visible(el)) continue
    seen.add(el)
    const r = el.getBoundingClientRect()
    const w = Math.round(r.width * 10) / 10
    const h = Math.round(r.height * 10) / 10
    if (w >= min - 0.5 && h >= min - 0.5) continue
    const entry = { selector: describe(el), text: label(el), size: `${w}×${h}` }
    if (el.matches('label[for]')) {
      const ctl = document.getElementById(el.htmlFor)
      const cr = ctl?.getBoundingClientRect()
      if (ctl && visible(ctl) && cr.width >= min - 0.5 && cr.height >= min - 0.5) { exempt.push({ ...entry, why: 'a field label: its field is the 44 px target (WCAG 2.5.8 equivalent exception)' }); continue }
    }
    if (el.matches('audio[controls], video[controls]')) { exempt.push({ ...entry, why: 'user agent control (WCAG 2.5.8): the browser draws and sizes it' }); continue }
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
      const block = blockOf(el)
      const rest = block ? block.textContent.replace(el.textContent, '').trim() : ''
      if (rest.length > 0) { exempt.push({ ...entry, why: 'inline link in a sentence (WCAG 2.5.8 inline exception)' }); continue }
    }
    offenders.push(entry)
  }
  // A button's label stays on one line: its text box is no taller than one line.
  const wrapped = []
  for (const t of document.querySelectorAll('.van-button__text, .van-nav-bar__text')) {
    if (!visible(t)) continue
    const cs = getComputedStyle(t)
    const lh = parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.3
    const h = t.getBoundingClientRect().height
    const lines = Math.round(h / lh)
    if (lines > 1 || t.scrollWidth > t.clientWidth + 1) wrapped.push({ selector: describe(t.closest('.van-button, .van-nav-bar') ?? t), text: label(t), lines, height: Math.round(h) })
  }
  // Every tab of a tab bar lies inside the bar's visible width (no tab cut off or hidden off screen).
  const clipped = []
  for (const nav of document.querySelectorAll('.van-tabs__wrap')) {
    if (!visible(nav)) continue
    const box = nav.getBoundingClientRect()
    for (const tab of nav.querySelectorAll('.van-tab')) {
      const r = tab.getBoundingClientRect()
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.right > window.innerWidth + 0.5) clipped.push({ text: label(tab), left: Math.round(r.left), right: Math.round(r.right), bar: `${Math.round(box.left)}–${Math.round(box.right)}` })
    }
  }
  return { offenders, exempt, wrapped, clipped }
}

/**
 * A collector: `measure(page, name)` records what `name` (a screen at the current viewport) has;
 * `report(check)` prints every offender and fails the check when any is found.
 */
export function touchAudit() {
  const screens = []
  async function measure(page, name) {
    // Let Vant finish laying out (tabs measure their line after a frame, popups animate in).
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))))
    await page.waitForTimeout(350)
    const vp = page.viewportSize()
    const res = await page.evaluate(measureInPage, MIN)
    screens.push({ name: `${name} @${vp.width}×${vp.height}`, ...res })
    return res
  }
  function report(check, { expectTabsFit = true } = {}) {
    const all = (k) => screens.flatMap((s) => s[k].map((o) => ({ screen: s.name, ...o })))
    const offenders = all('offenders')
    const wrapped = all('wrapped')
    const clipped = all('clipped')
    const exempt = all('exempt')
    for (const o of offenders) console.log(`  offender: ${o.screen} :: ${o.selector} "${o.text}" ${o.size}`)
    for (const o of wrapped) console.log(`  wrapped: ${o.screen} :: ${o.selector} "${o.text}" ${o.lines} lines (${o.height} px)`)
    for (const o of clipped) console.log(`  clipped tab: ${o.screen} :: "${o.text}" ${o.left}–${o.right} in bar ${o.bar}`)
    const kinds = new Map()
    for (const e of exempt) kinds.set(`${e.selector} "${e.text}" — ${e.why}`, (kinds.get(`${e.selector} "${e.text}" — ${e.why}`) ?? 0) + 1)
    for (const [k, n] of kinds) console.log(`  exempt (${n}×): ${k}`)
    console.log(`touch audit: ${screens.length} screens, ${offenders.length} targets under ${MIN}×${MIN}, ${wrapped.length} wrapped labels, ${clipped.length} clipped tabs, ${exempt.length} exempt`)
    check(offenders.length === 0, `every visible control on ${screens.length} screens is at least ${MIN}×${MIN} CSS px (${offenders.length} offenders)`)
    check(wrapped.length === 0, `no button label wraps (${wrapped.length} wrapped)`)
    if (expectTabsFit) check(clipped.length === 0, `every tab is on screen at every size (${clipped.length} clipped)`)
    return { offenders, wrapped, clipped, exempt }
  }
  return { measure, report, screens }
}
