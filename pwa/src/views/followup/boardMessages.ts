// Texts of HR's tracking board (table and cards), of the grouped report inbox and of the pager, merged
// into the locales under `board` the first time one of those screens loads (useBoardMessages), so
// they stay out of the initial bundle (scripts/size.mjs budget).
import { i18n } from '@/i18n'

export const zhCN = {
  cards: '看板',
  table: '表格',
  view: '显示方式',
  keyword: '关键词',
  keywordPh: '问题描述、解决方案、责任人、回执码',
  allCadres: '全部访谈干部',
  allUnits: '全部单位',
  allDepts: '全部责任部门',
  dueFrom: '完成时限从',
  dueTo: '至',
  overdueOnly: '只看逾期',
  clear: '清除筛选',
  sort: '排序',
  sorts: { newest: '最新登记在前', oldest: '最早登记在前', overdue: '逾期天数最多在前', due: '完成时限最早在前' },
  count: '共 {n} 个问题',
  countOf: '共 {n} 个问题（全部 {all} 个）',
  export: '导出筛选结果 (.xlsx)',
  exportHint: '导出的是服务器上的数据：本机未同步的修改不在其中',
  col: {
    n: '序号', description: '问题描述', units: '涉及单位', cadres: '访谈干部', category: '类别', dept: '责任部门',
    owner: '责任人', due: '完成时限', overdue: '逾期天数', status: '状态',
  },
  daysOverdue: '{n} 天',
  pager: '第 {page} / {pages} 页',
  prev: '上一页',
  next: '下一页',
  inboxTodo: '待处理',
  inboxDone: '已处理',
  inboxTodoHint: '有问题待交办、待销号，或已可归档',
  inboxDoneHint: '问题均已交办、正在整改，或报告已归档，暂无需人力资源部处理',
  need: { assign: '待交办 {n}', close: '待销号 {n}', archive: '可归档' },
  showProblems: '查看问题（{n}）',
  hideProblems: '收起问题',
}

export const en: typeof zhCN = {
  cards: 'Cards',
  table: 'Table',
  view: 'View',
  keyword: 'Keyword',
  keywordPh: 'Description, solution, owner, receipt code',
  allCadres: 'All cadres',
  allUnits: 'All units',
  allDepts: 'All handler departments',
  dueFrom: 'Due from',
  dueTo: 'to',
  overdueOnly: 'Overdue only',
  clear: 'Clear filters',
  sort: 'Sort',
  sorts: { newest: 'Newest first', oldest: 'Oldest first', overdue: 'Most days overdue first', due: 'Earliest due first' },
  count: '{n} problems',
  countOf: '{n} problems (of {all})',
  export: 'Export these rows (.xlsx)',
  exportHint: 'The export is the server’s data: changes not yet synced from this device are not in it',
  col: {
    n: 'No.', description: 'Description', units: 'Units concerned', cadres: 'Cadres', category: 'Category', dept: 'Handler department',
    owner: 'Owner', due: 'Due', overdue: 'Days overdue', status: 'Status',
  },
  daysOverdue: '{n} d',
  pager: 'Page {page} of {pages}',
  prev: 'Previous',
  next: 'Next',
  inboxTodo: 'To process',
  inboxDone: 'Processed',
  inboxTodoHint: 'Problems to assign or to close, or ready to archive',
  inboxDoneHint: 'Every problem assigned and at work, or the report archived: nothing for HR to do now',
  need: { assign: '{n} to assign', close: '{n} to close', archive: 'ready to archive' },
  showProblems: 'Show problems ({n})',
  hideProblems: 'Hide problems',
}

let merged = false

export function useBoardMessages(): void {
  if (merged) return
  merged = true
  i18n.global.mergeLocaleMessage('zh-CN', { board: zhCN })
  i18n.global.mergeLocaleMessage('en', { board: en })
}
