// ECharts options built from the dashboard's figures (pure functions, unit-tested).
import type { Count, PlanCount, UnitScores } from '@/api/dashboards'

type Option = Record<string, unknown>

export function barOption(items: Count[], name: string): Option {
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 60 },
    xAxis: { type: 'category', data: items.map((i) => i.label), axisLabel: { interval: 0, rotate: items.length > 4 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name, data: items.map((i) => i.count), itemStyle: { color: '#1d6fd8' } }],
  }
}

export function pieOption(items: Count[], name: string): Option {
  return {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [{ type: 'pie', name, radius: ['35%', '65%'], data: items.map((i) => ({ name: i.label, value: i.count })) }],
  }
}

export function planOption(items: PlanCount[], labels: { done: string; late: string; missed: string; planned: string }): Option {
  const series = (['done', 'late', 'missed', 'planned'] as const).map((k, n) => ({
    type: 'bar', stack: 'plan', name: labels[k], data: items.map((i) => i[k]),
    itemStyle: { color: ['#1a8f3c', '#e6a23c', '#c62828', '#9bbbe6'][n] },
  }))
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 16, bottom: 70 },
    xAxis: { type: 'category', data: items.map((i) => i.label), axisLabel: { interval: 0, rotate: items.length > 4 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series,
  }
}

export function scoresOption(units: UnitScores[], labels: { attitude: string; professionalism: string; responsiveness: string }): Option {
  const series = (['attitude', 'professionalism', 'responsiveness'] as const).map((k) => ({
    type: 'bar', name: labels[k], data: units.map((u) => u[k]),
  }))
  return {
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 16, bottom: 60 },
    xAxis: { type: 'category', data: units.map((u) => u.unit) },
    yAxis: { type: 'value', min: 0, max: 5 },
    series,
  }
}
