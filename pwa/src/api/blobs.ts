// Online-only read of an attachment's bytes this device does not hold (pulled from another device).
import { api } from '@/sync/api'

/** GET /api/blobs/{sha256}: the bytes as a Blob. */
export async function fetchBlob(sha256: string): Promise<Blob> {
  const res = await api<Response>(`/api/blobs/${sha256}`, { raw: true })
  return res.blob()
}
