// Photos and voice memos as the screens add them: the bytes are kept locally as a Blob
// (store/blobs.ts, uploaded after the text) and an `attachment.add` names them in the outbox.
import { v7 as uuidv7 } from 'uuid'
import { enqueue } from '@/store/outbox'
import { putBlob } from '@/store/blobs'

export type AttachmentParent = 'interview' | 'note' | 'issue' | 'followup'

/** A MIME type the server accepts as given; anything else is sent as opaque bytes. */
function safeMime(type: string): string {
  return /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type : 'application/octet-stream'
}

/** Keep `blob` and queue its attachment to the parent row; returns the new attachment id. */
export async function addAttachment(parentEntity: AttachmentParent, parentId: string, blob: Blob, name: string): Promise<string> {
  const rec = await putBlob(blob)
  const id = uuidv7()
  await enqueue('attachment.add', {
    id,
    parent_entity: parentEntity,
    parent_id: parentId,
    sha256: rec.sha256,
    mime: safeMime(rec.type),
    size: rec.size,
    name: name.slice(0, 200),
  })
  return id
}

export async function removeAttachment(id: string): Promise<void> {
  await enqueue('attachment.remove', { id })
}
