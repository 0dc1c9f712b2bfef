import { use } from 'echarts/core'
import { BarChart, ScatterChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

// Only what the two compare charts draw: the full echarts bundle is several times larger.
use([BarChart, ScatterChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer])

export type ChartTheme = 'light' | 'dark'

/**
 * Column colours: the same model keeps its colour in the header, the bar chart and the scatter. Green and
 * red come last, since the grid uses them for best and worst.
 */
const SERIES: Record<ChartTheme, readonly string[]> = {
  light: ['#4f46e5', '#0e7490', '#a86200', '#be185d', '#9333ea', '#4d7c0f', '#0f8a5f', '#c2372f'],
  dark: ['#8b85ff', '#38bdf8', '#f0b449', '#f472b6', '#c084fc', '#a3e635', '#3ecf8e', '#ff7b72'],
}

export function modelColor(index: number, theme: ChartTheme): string {
  const palette = SERIES[theme]
  return palette[index % palette.length]!
}

/** Mirrors base.css: canvas cannot read CSS variables, so the chart gets the same values as plain colours. */
export function chartPalette(theme: ChartTheme) {
  return theme === 'dark'
    ? {
        text: '#e6e9ef',
        muted: '#9aa4b4',
        faint: '#6b7587',
        axis: '#364050',
        split: '#262d38',
        backdrop: 'rgba(154, 164, 180, 0.28)',
        tooltipBg: '#161b22',
        tooltipBorder: '#364050',
      }
    : {
        text: '#18202b',
        muted: '#5b6575',
        faint: '#8a93a3',
        axis: '#c7cdd8',
        split: '#eef0f3',
        backdrop: 'rgba(91, 101, 117, 0.22)',
        tooltipBg: '#ffffff',
        tooltipBorder: '#dfe3ea',
      }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
