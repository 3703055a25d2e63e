// The interview capture form as a setup store (vitesse style): the editable state, its mapping to
// the wire values of `interview.save` (docs/sync-protocol.md §1.4), the merge of pulled changes into
// fields not edited here, autosave as you type, submit-time validation, submission and signing.
// InterviewView only lays it out; the logic is testable without mounting the view.
//
// Every change is saved as you type: fields the server accepts go out as `interview.save` patches
// (debounced, coalesced); anything not sendable yet (a participant without a post, an unfinished
// briefing) is kept as a local draft. Nothing typed is lost on reload, tab close or crash.
import { computed, reactive, ref, watch, type Ref } from 'vue'
import { autosave, flushAutosave } from '@/store/autosave'
import { loadDraft } from '@/store/drafts'
import type { OverlayRow } from '@/store/registry'
import { FORM_FIELDS, type Form, type Participant } from '@/domain/forms'
import { validateSubmit, hasErrors, type Errors } from '@/domain/validate'
import { commitAllNoteDrafts, submitInterview } from '@/domain/interview'

export type Field = 'place' | 'theme' | 'channel' | 'absence_reason' | 'topic' | 'departments' | 'consensus' | 'disagreements' | 'participants' | 'participant_count' | 'topics' | 'briefing' | 'summary'
export const FIELDS: Field[] = ['place', 'theme', 'channel', 'absence_reason', 'topic', 'departments', 'consensus', 'disagreements', 'participants', 'participant_count', 'topics', 'briefing', 'summary']
const TEXT: Field[] = ['place', 'theme', 'channel', 'absence_reason', 'topic', 'summary']

/** The editable state (UI values; may hold things the server would not accept yet). */
export interface InterviewFormState {
  place: string
  theme: string
  channel: string
  absence_reason: string
  topic: string
  departments: string[]
  consensus: string[]
  disagreements: string[]
  participants: Participant[]
  participant_count: number | null
  topics: string[]
  conveyed: string
  understood: string | null
  summary: string
}

/** The tab of the capture screen that holds an error key. */
const TAB_OF: Record<string, string> = { topics: 'notes', summary: 'summary', briefing: 'briefing' }
export function tabOf(key: string): string {
  return TAB_OF[key.split(/[.[]/)[0]] ?? 'basics'
}

export const draftKeyOf = (id: string) => `iv:${id}`

export type SubmitOutcome = { ok: true } | { ok: false; errors: Errors }

/**
 * `row`: the interview as the overlay shows it (undefined until loaded); `readonly`: this tab may not
 * write (another tab is the writer), so nothing is autosaved.
 */
export function useInterviewForm(id: string, source: { row: Ref<OverlayRow | undefined>; readonly: Ref<boolean>; amendmentReason?: Ref<string> }) {
  const { row, readonly } = source
  /** Why a submitted interview is being changed: sent with every patch of it (docs/followup.md §Amendments). */
  const amendmentReason = source.amendmentReason ?? ref('')
  const form = computed(() => (row.value?.row.form as Form | undefined) ?? 'individual')
  const spec = computed(() => FORM_FIELDS[form.value])
  const submitted = computed(() => row.value?.row.status === 'submitted')
  const draftKey = draftKeyOf(id)

  const f = reactive<InterviewFormState>({
    place: '',
    theme: '',
    channel: '',
    absence_reason: '',
    topic: '',
    departments: [],
    consensus: [],
    disagreements: [],
    participants: [],
    participant_count: null,
    topics: [],
    conveyed: '',
    understood: null,
    summary: '',
  })

  /** What the server gets for a field (docs/sync-protocol.md §1.4 interview.save). */
  function wire(field: Field): unknown {
    switch (field) {
      case 'participants':
        return f.participants
          .filter((p) => p.post.trim())
          .map((p) => ({ post: p.post.trim(), name: p.anonymous ? null : p.name?.trim() || null, anonymous: p.anonymous }))
      case 'consensus':
      case 'disagreements':
        return f[field].filter((s) => s.trim()).map((s) => s.trim())
      case 'briefing':
        return f.conveyed.trim() && f.understood ? { conveyed: f.conveyed, understood: f.understood } : null
      case 'departments':
      case 'topics':
        return [...f[field]]
      case 'participant_count':
        return f.participant_count
      default:
        return (f[field as 'place'] ?? '') === '' ? null : f[field as 'place']
    }
  }

  /** UI-only parts that the server copy cannot hold yet, kept as a local draft. */
  function uiDraft(): Record<string, unknown> | null {
    const d: Record<string, unknown> = {}
    if (JSON.stringify(f.participants) !== JSON.stringify(wire('participants'))) d.participants = f.participants
    for (const k of ['consensus', 'disagreements'] as const) if (f[k].some((s) => !s.trim())) d[k] = f[k]
    if ((f.conveyed && !f.understood) || (!f.conveyed.trim() && f.understood)) d.briefing = { conveyed: f.conveyed, understood: f.understood }
    return Object.keys(d).length ? d : null
  }

  /** The wire value (JSON) last sent or received per field: a change is a difference from it. */
  const sent: Partial<Record<Field, string>> = {}
  /** Fields edited here: pulled changes no longer overwrite them. */
  const touched = new Set<Field>()
  const initialized = ref(false)

  function loadField(field: Field, r: Record<string, unknown>): void {
    const v = r[field]
    switch (field) {
      case 'participants':
        f.participants = ((v as Participant[]) ?? []).map((p) => ({ post: p.post ?? '', name: p.name ?? null, anonymous: !!p.anonymous }))
        break
      case 'briefing': {
        const b = v as { conveyed?: string; understood?: string } | null
        f.conveyed = b?.conveyed ?? ''
        f.understood = b?.understood ?? null
        break
      }
      case 'departments':
      case 'consensus':
      case 'disagreements':
      case 'topics':
        f[field] = [...((v as string[]) ?? [])]
        break
      case 'participant_count':
        f.participant_count = (v as number | null) ?? null
        break
      default:
        f[field as 'place'] = (v as string | null) ?? ''
    }
  }

  async function init(r: OverlayRow): Promise<void> {
    for (const field of FIELDS) loadField(field, r.row)
    for (const field of FIELDS) sent[field] = JSON.stringify(wire(field))
    const d = await loadDraft(draftKey)
    if (d?.participants) f.participants = d.participants as Participant[]
    if (d?.consensus) f.consensus = d.consensus as string[]
    if (d?.disagreements) f.disagreements = d.disagreements as string[]
    if (d?.briefing) {
      const b = d.briefing as { conveyed: string; understood: string | null }
      f.conveyed = b.conveyed
      f.understood = b.understood
    }
    if (form.value === 'individual' && f.participants.length === 0) f.participants = [{ post: '', name: null, anonymous: false }]
    initialized.value = true
  }

  /** Changes from elsewhere (a pull, another tab) show for fields not edited here. */
  function mergePulled(r: OverlayRow): void {
    for (const field of FIELDS) {
      if (touched.has(field)) continue
      const incoming = JSON.stringify(field === 'briefing' ? r.row.briefing ?? null : r.row[field] ?? (TEXT.includes(field) ? null : field === 'participant_count' ? null : []))
      if (incoming !== sent[field]) {
        loadField(field, r.row)
        sent[field] = JSON.stringify(wire(field))
      }
    }
  }

  watch(
    row,
    (r) => {
      if (!r) return
      if (!initialized.value) {
        void init(r)
        return
      }
      mergePulled(r)
    },
    { immediate: true },
  )

  /** As you type: changed wire values as one coalesced `interview.save` patch, the rest as a draft. */
  function autosaveChanges(): void {
    if (!initialized.value || readonly.value) return
    // A submitted record changes only as an amendment with a reason: without one nothing is sent.
    if (submitted.value && !amendmentReason.value.trim()) return
    const patch: Record<string, unknown> = {}
    for (const field of FIELDS) {
      const v = wire(field)
      const j = JSON.stringify(v)
      if (j !== sent[field]) {
        patch[field] = v
        sent[field] = j
        touched.add(field)
      }
    }
    if (submitted.value) patch.amendment_reason = amendmentReason.value.trim()
    if (Object.keys(patch).length > (submitted.value ? 1 : 0)) autosave(draftKey, { kind: 'mutation', name: 'interview.save', args: { id, ...patch } })
    autosave(`draft:${draftKey}`, { kind: 'draft', key: draftKey, value: uiDraft() })
  }
  watch(f, autosaveChanges, { deep: true })

  function setCovered(promptId: string, on: boolean): void {
    const has = f.topics.includes(promptId)
    if (on && !has) f.topics = [...f.topics, promptId]
    if (!on && has) f.topics = f.topics.filter((x) => x !== promptId)
  }

  /** The interview as the submit-time checks see it (domain/validate.ts). */
  function current() {
    return {
      form: form.value,
      started_at: (row.value?.row.started_at as string | null) ?? null,
      summary: f.summary,
      topics: f.topics,
      participants: spec.value.participants === 'none' ? [] : f.participants,
      theme: f.theme,
      place: f.place,
      channel: f.channel,
      absence_reason: f.absence_reason,
      topic: f.topic,
      departments: f.departments,
      consensus: f.consensus,
      disagreements: f.disagreements,
      participant_count: f.participant_count,
    }
  }

  const errors = ref<Errors>({})
  function validate(): Errors {
    errors.value = validateSubmit(current())
    return errors.value
  }
  // Re-check live once a submission attempt showed errors, so they clear as the user fixes them.
  watch(f, () => {
    if (Object.keys(errors.value).length) validate()
  }, { deep: true })

  const submitting = ref(false)
  /** Commit note drafts, check, then submit and sign; on errors nothing is submitted. */
  async function submit(): Promise<SubmitOutcome> {
    submitting.value = true
    try {
      const withNotes = await commitAllNoteDrafts(id)
      for (const p of withNotes) setCovered(p, true)
      await flushAutosave()
      if (hasErrors(validate())) return { ok: false, errors: errors.value }
      await new Promise((r) => setTimeout(r, 0)) // let the watcher queue the last patch
      await flushAutosave()
      await submitInterview(id, { ended: !!row.value?.row.ended_at, submitted: submitted.value, amendmentReason: amendmentReason.value.trim() })
      return { ok: true }
    } finally {
      submitting.value = false
    }
  }

  return { f, form, spec, submitted, initialized, errors, submitting, wire, uiDraft, setCovered, current, validate, submit }
}
