// The unsynced work of a revoked device as one JSON file (docs/security.md §6): the outbox
// mutations with their full args, drafts, media not uploaded (base64) and unassembled recordings,
// open rejections. The file is NOT encrypted — it is what the user typed — so the screen says to
// hand it over and delete it. Loaded only by the revocation screen.
import { openStoredBlob } from '@/store/blobs'
import { openPart } from '@/store/recordings'
import { getDB } from '@/store/db'
import { getMetaMany, setMeta } from '@/store/meta'

export const EXPORT_KIND = 'fangtan.unsynced-work'

async function blobToBase64(b: Blob): Promise<string> {
  const bytes = new Uint8Array(await b.arrayBuffer())
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(bin)
}

/** Blobs become `{blob_base64, type, size}`; everything else is copied. */
async function plain(value: unknown): Promise<unknown> {
  if (value instanceof Blob) return { blob_base64: await blobToBase64(value), type: value.type, size: value.size }
  if (Array.isArray(value)) return Promise.all(value.map(plain))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = await plain(v)
    return out
  }
  return value
}

export async function buildExport(now = new Date()): Promise<{ json: string; fileName: string; counts: Record<string, number> }> {
  const db = await getDB()
  const meta = await getMetaMany(['user', 'device_id', 'device_name', 'server_last_mutation_id', 'revoked'])
  const outbox = (await db.getAll('outbox')).sort((a, b) => a.id - b.id)
  const drafts = await db.getAll('drafts')
  // Media bytes are sealed at rest; the export holds them in plaintext (docs/security.md §6).
  const blobs = await Promise.all((await db.getAll('blobs')).filter((b) => b.status !== 'done').map(openStoredBlob))
  const recordings = await Promise.all((await db.getAll('recordings')).map(async ({ sealed_blob: _, ...p }) => (p.blob ? { ...p, blob: await openPart({ ...p, sealed_blob: _ }) } : p)))
  const rejections = (await db.getAll('rejections')).filter((r) => r.status === 'open')
  const doc = {
    kind: EXPORT_KIND,
    v: 1,
    exported_at: now.toISOString(),
    reason: meta.revoked?.code ?? 'auth.device_revoked',
    revoked_at: meta.revoked?.at ?? null,
    user: meta.user ? { id: meta.user.id, name: meta.user.name, username: meta.user.username ?? null } : null,
    device_id: meta.device_id ?? null,
    device_name: meta.device_name ?? null,
    server_last_mutation_id: meta.server_last_mutation_id ?? 0,
    outbox: outbox.map(({ id, name, args, base, client_time, created_at, entity, row_id }) => ({ id, name, args, base: base ?? null, client_time, created_at, entity, row_id })),
    drafts,
    blobs: await plain(blobs),
    recordings: await plain(recordings),
    rejections,
  }
  const stamp = now.toISOString().replace(/[-:]/g, '').slice(0, 15)
  const who = meta.user?.username ?? meta.user?.id ?? 'user'
  return {
    json: JSON.stringify(doc, null, 1),
    fileName: `fangtan-未同步-${who}-${stamp}.json`,
    counts: { outbox: outbox.length, drafts: drafts.length, blobs: blobs.length, recordings: recordings.length, rejections: rejections.length },
  }
}

/** Build the file, hand it to the browser's download, and remember that it was exported. */
export async function downloadExport(): Promise<string> {
  const { json, fileName } = await buildExport()
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
  const at = new Date().toISOString()
  await setMeta('revoked_exported_at', at)
  return at
}
