// The signed document (docs/security.md §5) as the browser builds it from local rows.
import { describe, expect, it } from 'vitest'
import { documentFor, serverTime, SIGNED_FIELDS } from '@/crypto/signInterview'
import { canonicalBytes } from '@/crypto'

describe('signed interview document', () => {
  it('times are written as the server re-emits them (6-digit fractions, Z for UTC)', () => {
    expect(serverTime('2026-11-24T05:15:19.123Z')).toBe('2026-11-24T05:15:19.123000Z')
    expect(serverTime('2026-11-24T05:15:19.000Z')).toBe('2026-11-24T05:15:19Z')
    expect(serverTime('2026-11-24T05:15:19+00:00')).toBe('2026-11-24T05:15:19Z')
    expect(serverTime('2026-11-24T13:15:19.5+08:00')).toBe('2026-11-24T13:15:19.500000+08:00')
    expect(serverTime('2025-11-03T09:00:00+08:00')).toBe('2025-11-03T09:00:00+08:00')
    expect(serverTime(null)).toBe(null)
  })

  it('holds exactly the SignedInterview fields, with defaults, and notes sorted by id', () => {
    const doc = documentFor(
      { id: 'iv1', form: 'individual', unit_id: 'ws1', status: 'submitted', author_id: 'u', created_at: 'x', summary: '夜班', ended_at: '2026-01-01T00:00:00.1Z' },
      [{ id: 'n2', prompt_id: 'demand.2', text: 'b', author_id: 'u' }, { id: 'n1', text: 'a' }],
    )
    expect(Object.keys(doc.interview).sort()).toEqual(Object.keys(SIGNED_FIELDS).sort())
    expect(doc.interview).toMatchObject({ cadre_ids: [], briefing: null, summary: '夜班', ended_at: '2026-01-01T00:00:00.100000Z' })
    expect(doc.notes).toEqual([{ id: 'n1', prompt_id: null, text: 'a' }, { id: 'n2', prompt_id: 'demand.2', text: 'b' }])
    expect(new TextDecoder().decode(canonicalBytes(doc))).toMatch(/^\{"interview":\{"absence_reason":null,/)
  })
})
