// Retrying transient failures with exponential backoff, honouring 503 Retry-After.
import { ApiError, NetworkError } from './api'

export interface SyncOptions {
  pushBatch?: number
  pullLimit?: number
  /** Sleep function (tests pass a fake one) */
  sleep?: (ms: number) => Promise<void>
  /** Max wait honoured for a 503 Retry-After / backoff step, in ms */
  maxWaitMs?: number
  /** Attempts for transient failures (network, 5xx) per request */
  attempts?: number
  media?: boolean
  /** Bytes per Content-Range PUT of a blob upload (default CHUNK_SIZE, sync/blobs.ts); tests move a few KB */
  blobChunkSize?: number
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Retry transient failures: network errors, 503 (honouring Retry-After), other 5xx, 429. */
export async function withRetry<T>(fn: () => Promise<T>, opts: SyncOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 4
  const sleep = opts.sleep ?? defaultSleep
  const maxWait = opts.maxWaitMs ?? 30_000
  let delay = 1000
  for (let i = 1; ; i++) {
    try {
      return await fn()
    } catch (e) {
      const transient =
        e instanceof NetworkError || (e instanceof ApiError && (e.status >= 500 || e.status === 429))
      if (!transient || i >= attempts) throw e
      let wait = delay * (0.75 + Math.random() * 0.5)
      if (e instanceof ApiError && e.retryAfter !== undefined) wait = e.retryAfter * 1000
      await sleep(Math.min(wait, maxWait))
      delay = Math.min(delay * 2, maxWait)
    }
  }
}

