// Apache ECharts, only the parts the dashboard draws. Imported dynamically by EChart.vue so that
// the chart library is downloaded only when a dashboard is opened (bench/pwa budget).
import { use, init, type EChartsType } from 'echarts/core'
import { BarChart, PieChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export { init }
export type { EChartsType }
