// HR's tracking board: filters and sorts against the server's cases (tests/data/board_query_cases.json,
// server/followup/board.py), so the table shows the rows the ledger export writes, in its order.
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { boardParams, daysOverdue, isFiltered, pageOf, selectBoard, type BoardLookup, type BoardProblem, type BoardQuery } from '@/domain/problemBoard'

interface Cases {
  today: string
  units: Record<string, string>
  users: Record<string, string>
  interviews: Record<string, string[]>
  problems: BoardProblem[]
  cases: { name: string; query: BoardQuery; ids: string[] }[]
}
const data = JSON.parse(readFileSync(resolve(__dirname, '../../tests/data/board_query_cases.json'), 'utf-8')) as Cases
const look: BoardLookup = {
  today: data.today,
  unitPath: (id) => data.units[id],
  cadresOf: (id) => data.interviews[id] ?? [],
  userName: (id) => data.users[id],
}

describe('the tracking board', () => {
  it.each(data.cases)('$name', (c) => {
    expect(selectBoard([...data.problems], c.query, look).map((p) => p.id)).toEqual(c.ids)
  })

  it('does not reorder or change the caller’s list', () => {
    const before = data.problems.map((p) => p.id)
    selectBoard(data.problems, { sort: 'overdue' }, look)
    expect(data.problems.map((p) => p.id)).toEqual(before)
  })

  it('counts days overdue in calendar days, 0 when not overdue', () => {
    const byId = new Map(data.problems.map((p) => [p.id, p]))
    expect(daysOverdue(byId.get('p1')!, data.today)).toBe(13)
    expect(daysOverdue(byId.get('p3')!, data.today)).toBe(3)
    expect(daysOverdue(byId.get('p2')!, data.today)).toBe(0) // resolved after its due date
    expect(daysOverdue(byId.get('p4')!, data.today)).toBe(0) // due today
    expect(daysOverdue(byId.get('p6')!, data.today)).toBe(0) // no due date
  })

  it('writes the export query with the names the server reads', () => {
    const q: BoardQuery = { q: '  压缩机 ', dept: 'd1', overdue: true, due_from: '2026-11-01', status: '', sort: 'overdue' }
    expect(boardParams(q).toString()).toBe(new URLSearchParams({ q: '压缩机', dept: 'd1', due_from: '2026-11-01', overdue: '1', sort: 'overdue' }).toString())
    expect(boardParams({}).toString()).toBe('sort=newest')
    expect(boardParams({ q: '   ' }).has('q')).toBe(false)
    expect(isFiltered({ sort: 'due', q: ' ' })).toBe(false)
    expect(isFiltered({ overdue: true })).toBe(true)
  })

  it('pages 12,000 rows 50 at a time and clamps the page', () => {
    const rows = Array.from({ length: 12000 }, (_, i) => i)
    expect(pageOf(rows, 1, 50)).toMatchObject({ page: 1, pages: 240 })
    expect(pageOf(rows, 240, 50).rows).toEqual(rows.slice(11950))
    expect(pageOf(rows, 999, 50).page).toBe(240)
    expect(pageOf([], 3, 50)).toEqual({ rows: [], page: 1, pages: 1 })
  })

  it('selects from a year of problems (12,000), most overdue first', () => {
    const many: BoardProblem[] = Array.from({ length: 12000 }, (_, i) => ({
      ...data.problems[i % data.problems.length], id: `x${String(i).padStart(5, '0')}`,
    }))
    const rows = selectBoard(many, { q: '压缩机', sort: 'overdue' }, look)
    // p1 and p7 (list positions 0 and 2) mention 压缩机; both are 13 days overdue, p1 raised first.
    expect(rows.length).toBe(many.filter((_, i) => i % 7 === 0 || i % 7 === 2).length)
    expect(rows.slice(0, 2).map((p) => p.description)).toEqual([data.problems[0].description, data.problems[0].description])
    expect(new Set(rows.map((p) => p.id)).size).toBe(rows.length)
  })
})
