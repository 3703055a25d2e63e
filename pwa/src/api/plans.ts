// Plan coverage warnings (每季度 1 次 / 年度深度复盘 / 每月 1 次): computed by the server, online only.
import { api } from '@/sync/api'
import { download } from '@/api/online'

export interface CoverageWarning { kind: string; message_zh: string }

export function fetchCoverage(year: number): Promise<CoverageWarning[]> {
  return api<CoverageWarning[]>(`/api/plans/coverage?year=${year}`, { timeoutMs: 15000 })
}

// 复制上年计划 (HR): `apply: false` counts, `apply: true` creates the items through plan.save on the server.
export interface PlanCopy { from_year: number; to_year: number; to_create: number; already_there: number; created: number; rejected: string[] }

export function copyPlan(fromYear: number, toYear: number, apply: boolean): Promise<PlanCopy> {
  return api<PlanCopy>('/api/plans/copy', { method: 'POST', json: { from_year: fromYear, to_year: toYear, apply }, timeoutMs: 120000 })
}

// 计划导入 (HR: either plan; a unit lead: their own unit's plan): template, upload → preview → apply.
// The same file is sent again to apply; the server plans it again against the database as it is then.
export interface PlanImportRefusal { row: number; column: string; column_letter: string; value: string; reason: string }
export interface PlanImportEntry {
  row: number; scope: string; scope_zh: string; kind: string; kind_zh: string; year: number; period: string
  cadre: string; cadre_no: string; unit: string; window_start: string; window_end: string; title: string; reason: string
}
export interface PlanImportSummary { added: number; unchanged: number; refused: number; refused_rows: number }
export interface PlanImportPreview {
  year: number | null; scope: string | null; summary: PlanImportSummary
  added: PlanImportEntry[]; unchanged: PlanImportEntry[]; refused: PlanImportRefusal[]
}
export interface PlanImportApplied { summary: PlanImportSummary; created: number; rejected: string[] }

export async function downloadPlanTemplate(scope: 'company' | 'unit', fileName: string): Promise<void> {
  await download(`/api/plans/import/template?scope=${scope}`, fileName)
}

function planForm(file: Blob, name: string): FormData {
  const form = new FormData()
  form.append('file', file, name)
  return form
}

export function previewPlanImport(file: Blob, name: string, year: number, scope: 'company' | 'unit'): Promise<PlanImportPreview> {
  return api<PlanImportPreview>(`/api/plans/import/preview?year=${year}&scope=${scope}`,
    { method: 'POST', body: planForm(file, name), timeoutMs: 120000 })
}

export function applyPlanImport(file: Blob, name: string, year: number, scope: 'company' | 'unit', applyValid: boolean): Promise<PlanImportApplied> {
  return api<PlanImportApplied>(`/api/plans/import/apply?year=${year}&scope=${scope}&apply_valid=${applyValid}`,
    { method: 'POST', body: planForm(file, name), timeoutMs: 300000 })
}
