// User Timing entries the store leaves for the benchmarks (bench/first_sync.mjs sums them by name):
// what a first sync spends where the page's CPU profile cannot see (WebCrypto's threads, the
// database process).

/** Entries of a name kept before they are cleared: a tab open for weeks must not grow without end
 * (a first sync of three years leaves ~100). */
const MEASURES_KEPT = 10000
const measures = new Map<string, number>()

/** `work()`, leaving one entry named `name` for the time it took. */
export async function measured<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now()
  try {
    return await work()
  } finally {
    const n = (measures.get(name) ?? 0) + 1
    if (n > MEASURES_KEPT) performance.clearMeasures(name)
    measures.set(name, n > MEASURES_KEPT ? 1 : n)
    performance.measure(name, { start })
  }
}
