// Waiting for the state a check expects. A count, a text or a value read right after a click (or a
// reload) races the app: Vue renders on the next tick, a tab renders its content when first shown,
// and a photo or memo appears only once its Blob is read from IndexedDB and decrypted
// (AttachmentView). playwright-core has no `expect`, so `settle` does what playwright's
// `expect.poll` does: it reads the value again until it is the expected one or the time is up,
// then returns the last value read, which the check judges (and prints when it fails).

/**
 * Read `probe()` until `ok(value)` holds or `timeout` ms pass; returns the last value.
 * Intervals as playwright's expect.poll (100, 250, 500, then 1000 ms).
 */
export async function settle(probe, ok, { timeout = 10000 } = {}) {
  const end = Date.now() + timeout
  const intervals = [100, 250, 500]
  let v = await probe()
  for (let i = 0; !ok(v) && Date.now() < end; i++) {
    await new Promise((r) => setTimeout(r, Math.min(intervals[i] ?? 1000, Math.max(0, end - Date.now()))))
    v = await probe()
  }
  return v
}

/** How many elements match `selector` once it is `n` (or the time is up). */
export function countSettled(page, selector, n, opts) {
  return settle(() => page.locator(selector).count(), (c) => c === n, opts)
}

/** The text of `selector` once `ok(text)` holds (or the time is up); '' when it is absent. */
export function textSettled(page, selector, ok, opts) {
  return settle(async () => ((await page.locator(selector).count()) ? (await page.locator(selector).first().textContent()) ?? '' : ''), ok, opts)
}

/** The value of the input `selector` once it is `want` (or the time is up). */
export function valueSettled(page, selector, want, opts) {
  return settle(async () => ((await page.locator(selector).count()) ? await page.locator(selector).first().inputValue() : null), (v) => v === want, opts)
}

/**
 * Wait until the service worker controls `page`, i.e. it is installed (the app shell precached) and
 * activated. Only then does a reload or a navigation work offline. Going offline before it raced
 * the precache on a loaded machine (ERR_INTERNET_DISCONNECTED on an offline reload). The bound is
 * generous: installing precaches every asset, which takes seconds when two cores are busy.
 */
export async function swControls(page, { timeout = 90000 } = {}) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout })
}
