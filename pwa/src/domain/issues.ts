// Issues (问题) as the issue editor writes them: raised once, then patched field by field.
import { enqueue } from '@/store/outbox'

/** Raise a problem; its 回执码 from the tablet's reserved pool (null: none left, the server assigns one). */
export async function raiseIssue(args: { id: string; interview_id: string; note_id: string | null } & Record<string, unknown>): Promise<string | null> {
  const entry = await enqueue('issue.raise', args)
  return (entry.args.receipt_code as string | undefined) ?? null
}

/** Patch semantics: only the fields in `changed` are sent, so a concurrent edit of another field merges. */
export async function updateIssue(id: string, changed: Record<string, unknown>): Promise<void> {
  if (Object.keys(changed).length) await enqueue('issue.update', { id, ...changed })
}
