// The navigation labels of the evaluation, assessment and dashboard screens: the only texts of
// these screens in the initial bundle (src/i18n); the rest arrive with the screens (messages.ts).
export const zhCN = { nav: { tickets: '评价码', results: '匿名评价', dashboards: '统计看板', assessment: '干部考核' } }

export const en: typeof zhCN = {
  nav: { tickets: 'Rating tickets', results: 'Anonymous ratings', dashboards: 'Dashboards', assessment: 'Cadre assessment' },
}
