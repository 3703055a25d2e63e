// The five interview forms of the rule book §四(二) and what each asks for.
export const FORMS = ['individual', 'group', 'walkthrough', 'online', 'symposium'] as const
export type Form = (typeof FORMS)[number]

export const ISSUE_CATEGORIES = ['business', 'management', 'demand', 'suggestion'] as const
export type IssueCategory = (typeof ISSUE_CATEGORIES)[number]

export const UNDERSTOOD = ['fully', 'partly', 'not'] as const

/** Server limits (docs/sync-protocol.md §1.1). */
export const SHORT_MAX = 200
export const LONG_MAX = 20000
export const LIST_MAX = 100

/** Photo size limit enforced before storing (the server accepts up to 100 MiB per blob). */
export const PHOTO_MAX_BYTES = 15 * 1024 * 1024
/** Free space required before a voice memo may start (a long memo is a few MB). */
export const AUDIO_MIN_FREE_BYTES = 50 * 1024 * 1024
export const AUDIO_MAX_SECONDS = 30 * 60

export interface Participant {
  post: string
  name: string | null
  anonymous: boolean
}

/** Which fields each form shows. */
export const FORM_FIELDS: Record<Form, { participants: 'one' | 'group' | 'some' | 'none'; fields: string[] }> = {
  individual: { participants: 'one', fields: ['place'] },
  group: { participants: 'group', fields: ['theme', 'place'] },
  walkthrough: { participants: 'some', fields: ['place'] },
  online: { participants: 'some', fields: ['channel', 'absence_reason'] },
  symposium: { participants: 'none', fields: ['topic', 'departments', 'participant_count', 'consensus', 'disagreements', 'place'] },
}
