// Media upload after text (DESIGN §4 Blobs): HEAD to ask whether the server has it, then PUT in
// chunks with Content-Range so an upload interrupted by a dropped connection resumes where it was.
import { pendingBlobs, updateBlob, getBlob } from '@/store/blobs'
import { syncStatus } from './status'
import { api, ApiError } from './api'
import { withRetry, type SyncOptions } from './retry'

export const CHUNK_SIZE = 512 * 1024

/** How many bytes the server already holds for a partial upload, from a HEAD/PUT response. */
export function serverOffset(res: Response): number | undefined {
  const off = res.headers.get('Upload-Offset') ?? res.headers.get('X-Upload-Offset')
  if (off !== null && /^\d+$/.test(off)) return Number(off)
  // Resumable-upload convention (308 Resume Incomplete): `Range: bytes=0-<last>`
  const range = res.headers.get('Range')
  const m = range && /bytes=0-(\d+)/.exec(range)
  if (m) return Number(m[1]) + 1
  return undefined
}

async function head(sha: string): Promise<{ complete: boolean; offset: number }> {
  const res = await api<Response>(`/api/blobs/${sha}`, { method: 'HEAD', raw: true, okStatuses: [404, 308, 206] })
  if (res.status === 200 || res.status === 204) return { complete: true, offset: 0 }
  return { complete: false, offset: serverOffset(res) ?? 0 }
}

export async function uploadBlob(sha: string, opts: SyncOptions = {}, onProgress?: (done: number) => void): Promise<void> {
  const rec = await getBlob(sha)
  if (!rec || rec.status === 'done') return
  const state = await withRetry(() => head(sha), opts)
  if (state.complete) {
    await updateBlob(sha, { status: 'done', uploaded: rec.size })
    return
  }
  let offset = Math.min(state.offset, rec.size)
  await updateBlob(sha, { status: 'uploading', uploaded: offset })
  let restarts = 0
  const chunkSize = opts.blobChunkSize ?? CHUNK_SIZE
  while (offset < rec.size) {
    const end = Math.min(offset + chunkSize, rec.size)
    const chunk = rec.blob.slice(offset, end)
    try {
      const res = await withRetry(
        () =>
          api<Response>(`/api/blobs/${sha}`, {
            method: 'PUT',
            body: chunk,
            headers: {
              'Content-Type': 'application/octet-stream',
              'Content-Range': `bytes ${offset}-${end - 1}/${rec.size}`,
            },
            raw: true,
            okStatuses: [308],
            timeoutMs: 120_000,
          }),
        opts,
      )
      offset = end === rec.size ? rec.size : (serverOffset(res) ?? end)
    } catch (e) {
      // The server's stored upload does not match our offset: ask where it is, at most twice.
      if (e instanceof ApiError && (e.code === 'blob.range_invalid' || e.status === 416) && restarts < 2) {
        restarts++
        const s = await head(sha)
        if (s.complete) break
        offset = s.offset
        continue
      }
      await updateBlob(sha, { last_error: e instanceof Error ? e.message : String(e), uploaded: offset })
      throw e
    }
    await updateBlob(sha, { uploaded: offset })
    onProgress?.(offset)
  }
  await updateBlob(sha, { status: 'done', uploaded: rec.size, last_error: undefined })
}

/** Upload every pending blob, oldest first, updating `syncStatus.media`. Returns how many finished. */
export async function uploadPendingBlobs(opts: SyncOptions = {}): Promise<number> {
  const list = await pendingBlobs()
  syncStatus.media = {
    pending: list.length,
    bytesTotal: list.reduce((a, b) => a + b.size, 0),
    bytesDone: list.reduce((a, b) => a + b.uploaded, 0),
  }
  let done = 0
  try {
    for (const b of list) {
      syncStatus.media.current = b.sha256
      const before = syncStatus.media.bytesDone - b.uploaded
      await uploadBlob(b.sha256, opts, (n) => {
        syncStatus.media.bytesDone = before + n
      })
      syncStatus.media.bytesDone = before + b.size
      syncStatus.media.pending--
      done++
    }
  } finally {
    syncStatus.media.current = undefined
  }
  return done
}
