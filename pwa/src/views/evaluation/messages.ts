// Texts of the evaluation, assessment and dashboard screens, merged into `evaluation.*` when one of
// them loads (useMessages.ts), so they stay out of the initial bundle. Nav labels: navMessages.ts.
export const zhCN = {
  tickets: {
    title: '匿名评价码', intro: '访谈结束后，请每位参会职工用自己的手机扫码，对本次访谈干部匿名评分（态度、专业性、问题响应速度）。一人一码，一码只能评价一次；本机离线时也能出示。',
    count: '本次发放张数', show: '逐张出示', print: '打印评价码', unused: '本机可用评价码：{n} 张', none: '本机没有可用的评价码。请联网同步后再试。',
    short: '本次需要 {n} 张，本机只有 {m} 张可用：先发这些，联网同步补充后再发其余的。',
    low: '可用评价码不足 {n} 张，联网同步后会自动补充。', of: '第 {i} / {n} 张', prev: '上一张', next: '下一张', done: '完成',
    scan: '请用手机扫码评价', number: '评价码', sheetTitle: '访谈干部匿名评价码', sheetHint: '沿虚线剪开，每位职工一张。手机扫码评价；不便扫码的可填写纸质问卷并注明评价码。',
    refill: '补充评价码',
    needsSignal: '手机第一次打开评价页需要有网络信号（之后断网也能填写，恢复信号后自动提交）。',
  },
  results: {
    title: '匿名评价结果', year: '年度', quarter: '季度', allQuarters: '全年', unit: '单位', allUnits: '全公司',
    k: '评价结果在季度结束后发布；每位干部每季度至少 {k} 份评价才显示（意见建议至少 {kc} 份），样本不足的不显示、也不计入汇总。',
    cadre: '干部', period: '季度', responses: '份数', attitude: '态度', professionalism: '专业性', responsiveness: '问题响应速度',
    pooled: '汇总（仅含已达到 {k} 份的干部）', suppressed: '样本不足，暂不显示', none: '该范围内暂无可显示的评价结果。',
    comments: '意见建议', noComments: '意见建议需至少 {kc} 份评价才显示', offline: '评价结果只在联网时查看。',
    paper: '录入纸质问卷', paperHint: '按纸质问卷上印的评价码录入，每个评价码只能使用一次。', ticket: '评价码', comment: '意见建议（选填）',
    submit: '录入', saved: '已录入', pickScore: '请为「{f}」打分',
    pendingTitle: '待发布', pending: '{period} 待发布：本季度仍在收集评价，季度结束后于 {date} 发布结果；此前不显示任何得分、份数或意见。',
  },
  dashboards: {
    title: '统计看板', period: '统计期间', export: '导出 Excel', offline: '统计看板只在联网时查看。', wholeYear: '全年',
    problems: '问题总数', overdue: '逾期未办结', medianClose: '办结用时中位数（天）', responses: '匿名评价份数',
    plan: '访谈计划完成情况（按单位）', planMonth: '访谈计划完成情况（按月）', byCategory: '问题类别', byStatus: '问题状态',
    byDepartment: '问题责任部门', closure: '办结用时', scores: '匿名评价得分（仅含达到 {k} 份的干部）', signals: '形式主义信号',
    signalsNone: '本期没有形式主义信号。', empty: '暂无数据',
    pending: '{period} 的匿名评价待发布（{date} 发布），未计入本页的评价得分和“全部满分”信号。',
    done: '按时完成', late: '逾期完成', missed: '未完成', planned: '未到期', count: '数量',
  },
  assessment: {
    title: '干部考核', export: '导出 Excel', offline: '干部考核只在联网时查看。', cadre: '干部', scores: '匿名评价',
    suppressed: '样本不足', pending: '待发布（{date} 发布）', plan: '访谈计划', planRate: '到期完成率', notYetDue: '未到期 {n}', reports: '访谈报告', onTime: '按时 {n}', late: '逾期 {n}',
    overdue: '逾期未交 {n}', problems: '问题响应', toAssign: '交办 {d} 天', toClose: '办结 {d} 天', raised: '提出 {n} 个',
    hint: '每季度一张表：匿名评价在季度结束后发布，不少于 {k} 份方显示；访谈计划为已完成/已到期，到期完成率不计尚未到期的计划；用时为中位数（自然日）。',
  },
}

export const en: typeof zhCN = {
  tickets: {
    title: 'Anonymous rating tickets', intro: 'After the interview, each participant scans a ticket with their own phone and rates the cadre anonymously (attitude, professionalism, responsiveness). One ticket per person, one rating per ticket; works while this tablet is offline.',
    count: 'Tickets to hand out', show: 'Show one by one', print: 'Print tickets', unused: 'Unused tickets on this device: {n}', none: 'No unused tickets on this device. Sync while online and try again.',
    short: '{n} tickets needed but only {m} on this device: hand these out, the rest after the pool refills at the next sync.',
    low: 'Fewer than {n} tickets left; the pool refills at the next sync.', of: 'Ticket {i} of {n}', prev: 'Previous', next: 'Next', done: 'Done',
    scan: 'Scan with your phone to rate', number: 'Ticket', sheetTitle: 'Anonymous rating tickets', sheetHint: 'Cut along the dashed lines, one per participant. Scan to rate, or fill in a paper questionnaire with the ticket number.',
    refill: 'Refill tickets',
    needsSignal: 'The phone needs a signal the first time it opens the rating page (after that it can fill it in offline; it sends when the signal is back).',
  },
  results: {
    title: 'Anonymous rating results', year: 'Year', quarter: 'Quarter', allQuarters: 'Whole year', unit: 'Unit', allUnits: 'Whole company',
    k: 'Results are released after the quarter ends; a cadre\'s quarter is shown only with at least {k} responses (comments: {kc}); smaller groups are hidden and left out of every total.',
    cadre: 'Cadre', period: 'Quarter', responses: 'Responses', attitude: 'Attitude', professionalism: 'Professionalism', responsiveness: 'Responsiveness',
    pooled: 'Total (cadres with at least {k} responses only)', suppressed: 'Too few responses to show', none: 'No results to show for this selection.',
    comments: 'Comments', noComments: 'Comments are shown from {kc} responses', offline: 'Results are available online only.',
    paper: 'Enter a paper questionnaire', paperHint: 'Type the ticket number printed on the questionnaire; each ticket counts once.', ticket: 'Ticket number', comment: 'Comment (optional)',
    submit: 'Enter', saved: 'Entered', pickScore: 'Please rate "{f}"',
    pendingTitle: 'Pending release', pending: '{period} is pending: ratings are still being collected; results are released on {date}, after the quarter ends. No score, count or comment is shown before then.',
  },
  dashboards: {
    title: 'Dashboards', period: 'Period', export: 'Export to Excel', offline: 'Dashboards are available online only.', wholeYear: 'Whole year',
    problems: 'Problems', overdue: 'Overdue', medianClose: 'Median days to close', responses: 'Anonymous ratings',
    plan: 'Plan completion by unit', planMonth: 'Plan completion by month', byCategory: 'By category', byStatus: 'By status',
    byDepartment: 'By department', closure: 'Time to close', scores: 'Rating scores (cadres with at least {k} ratings)', signals: 'Formalism signals',
    signalsNone: 'No formalism signals in this period.', empty: 'No data',
    pending: 'Ratings of {period} are pending release (on {date}) and left out of the scores and the all-5s signal here.',
    done: 'Done on time', late: 'Done late', missed: 'Missed', planned: 'Not yet due', count: 'Count',
  },
  assessment: {
    title: 'Cadre assessment', export: 'Export to Excel', offline: 'The assessment is available online only.', cadre: 'Cadre', scores: 'Ratings',
    suppressed: 'Too few', pending: 'Pending (released {date})', plan: 'Plan', planRate: 'Rate of due', notYetDue: 'not yet due {n}', reports: 'Reports', onTime: 'on time {n}', late: 'late {n}',
    overdue: 'overdue {n}', problems: 'Problems', toAssign: 'assign {d} d', toClose: 'close {d} d', raised: '{n} raised',
    hint: 'One table per quarter: ratings are released after the quarter ends, from {k} responses; the plan shows done/due, and its rate leaves out items not yet due; times are medians in calendar days.',
  },
}
