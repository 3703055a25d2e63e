// The assessment's plan cell: the rate counts only the items already due (docs/evaluation.md), so
// the fraction shown beside it is over the same items — "2/2 到期完成率 100% · 未到期 4", never
// "2/6 完成率 100%" (issue 17). The parts add up: total = due + planned.
export interface PlanCounts { total: number; done: number; late: number; missed: number; planned: number }

export function planFigures(p: PlanCounts): { done: number; due: number } {
  return { done: p.done + p.late, due: p.total - p.planned }
}
