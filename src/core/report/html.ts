import type { HookReport, ShutdownReport } from '../types.js'
import { checkReport, describeHook, headline, ms, phaseLabel, timeRange } from './format.js'

const LABEL = 240
const PLOT = 760
const RIGHT = 24
const TOP = 44
const PHASE_ROW = 26
const HOOK_ROW = 20

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string,
  )

const px = (value: number): string => String(Math.round(value * 100) / 100)

/** 1, 2 or 5 times a power of ten: about six ticks across the range. */
function tickStep(span: number): number {
  const rough = span / 6
  const power = 10 ** Math.floor(Math.log10(rough))
  const unit = [1, 2, 5, 10].find((step) => step * power >= rough) ?? 10
  return unit * power
}

function tooltip(hook: HookReport, phase: string): string {
  const budget = hook.budgetMs === undefined ? '' : ` of a ${ms(hook.budgetMs)} budget`
  const lines = [
    `${hook.name} — ${hook.status}`,
    `${phase}`,
    `started at ${ms(hook.startMs)}, took ${ms(hook.durationMs)}${budget}`,
  ]
  const note = describeHook(hook, false)
  if (note !== '') lines.push(note)
  return lines.join('\n')
}

/**
 * The report as a self-contained HTML page: the timeline as inline SVG (phases and hooks as bars on
 * one time axis, budgets dashed, failures in colour), each hook's details on hover, and the table
 * beneath. No external asset: the page opens from a file, offline.
 *
 * @example
 * ```ts
 * writeFileSync('stop.html', formatHTML(report))
 * ```
 */
export function formatHTML(report: ShutdownReport): string {
  checkReport('`formatHTML()`', report)
  const { from, to } = timeRange(report)
  const span = to - from
  const x = (at: number): number => LABEL + ((at - from) / span) * PLOT
  const w = (duration: number): number => Math.max(1.5, (duration / span) * PLOT)
  const parts: string[] = []
  let y = TOP

  const step = tickStep(span)
  for (let tick = Math.ceil(from / step) * step; tick <= to + 1e-9; tick += step) {
    const at = px(x(tick))
    parts.push(
      `<line class="grid${from < 0 && Math.abs(tick) < 1e-9 ? ' zero' : ''}" x1="${at}" x2="${at}" y1="${TOP - 8}" y2="__BOTTOM__"/>`,
      `<text class="tick" x="${at}" y="${TOP - 14}" text-anchor="middle">${Number(tick.toPrecision(12))} ms</text>`,
    )
  }

  for (const phase of report.phases) {
    const label = phaseLabel(phase)
    parts.push(
      `<text class="label phase-label" x="8" y="${px(y + 17)}">${escapeHtml(label)}</text>`,
      `<rect class="phase kind-${phase.kind}" data-phase="${escapeHtml(label)}" data-start-ms="${phase.startMs}" data-duration-ms="${phase.durationMs}" x="${px(x(phase.startMs))}" y="${px(y + 8)}" width="${px(w(phase.durationMs))}" height="10" rx="2" data-tip="${escapeHtml(`${label}\nstarted at ${ms(phase.startMs)}, took ${ms(phase.durationMs)}\n${phase.hooks.length} hook(s)`)}"/>`,
    )
    y += PHASE_ROW
    for (const hook of phase.hooks) {
      const tip = escapeHtml(tooltip(hook, label))
      const name = escapeHtml(hook.name)
      parts.push(
        `<text class="label hook-label status-${hook.status}" x="24" y="${px(y + 14)}">${name}</text>`,
        `<rect class="bar status-${hook.status}" data-hook="${name}" data-status="${hook.status}" data-start-ms="${hook.startMs}" data-duration-ms="${hook.durationMs}" x="${px(x(hook.startMs))}" y="${px(y + 3)}" width="${px(w(hook.durationMs))}" height="14" rx="2" tabindex="0" data-tip="${tip}"/>`,
      )
      if (hook.budgetMs !== undefined && hook.status !== 'skipped') {
        const end = hook.startMs + hook.budgetMs
        if (end <= to) {
          const at = px(x(end))
          parts.push(
            `<line class="budget" data-hook="${name}" data-budget-ms="${hook.budgetMs}" x1="${at}" x2="${at}" y1="${px(y + 1)}" y2="${px(y + 19)}"/>`,
          )
        }
      }
      y += HOOK_ROW
    }
  }
  const height = y + 16
  const svg = parts.join('\n').replaceAll('__BOTTOM__', px(y + 4))
  const json = JSON.stringify(report.toJSON()).replace(/</g, '\\u003c')
  const title = escapeHtml(headline(report, false).replace(/^graceful-lifecycle: /, ''))
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>graceful-lifecycle: ${title}</title>
<style>
:root { color-scheme: light; --ok: #2da44e; --error: #cf222e; --timeout: #bf8700; --skipped: #8c959f; --phase: #0969da; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px; color: #1f2328; background: #fff; }
h1 { font-size: 18px; margin: 0 0 4px; }
h1 .verdict-ok { color: var(--ok); } h1 .verdict-bad { color: var(--error); }
.meta { color: #59636e; margin-bottom: 12px; }
svg { display: block; font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
.grid { stroke: #d1d9e0; stroke-width: 1; } .grid.zero { stroke: #59636e; stroke-dasharray: 3 3; }
.tick { fill: #59636e; } .label { fill: #1f2328; } .phase-label { font-weight: 600; }
.phase { fill: var(--phase); opacity: .75; } .phase.kind-start { fill: #8250df; }
.bar { cursor: default; } .bar:hover, .bar:focus { stroke: #1f2328; stroke-width: 1.5; outline: none; }
.status-ok.bar { fill: var(--ok); } .status-error.bar { fill: var(--error); }
.status-timeout.bar { fill: var(--timeout); } .status-skipped.bar { fill: var(--skipped); }
.hook-label.status-error { fill: var(--error); font-weight: 700; } .hook-label.status-timeout { fill: var(--timeout); font-weight: 700; }
.hook-label.status-skipped { fill: var(--skipped); }
.budget { stroke: #8250df; stroke-width: 2; stroke-dasharray: 2 2; }
.legend span { display: inline-block; margin-right: 14px; } .legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; }
#tip { position: fixed; pointer-events: none; background: #1f2328; color: #fff; padding: 6px 9px; border-radius: 6px; white-space: pre-line; font: 12px/1.4 ui-monospace, monospace; max-width: 460px; display: none; z-index: 1; }
table { border-collapse: collapse; margin-top: 20px; font: 12px ui-monospace, monospace; }
th, td { text-align: left; padding: 3px 10px; border-bottom: 1px solid #e6eaef; white-space: nowrap; } td.num { text-align: right; } td:last-child { white-space: pre-line; }
tr.phase-row td { font-weight: 600; background: #f6f8fa; }
</style>
</head>
<body>
<h1>${title.replace(/(ok|NOT OK)$/, (verdict) => `<span class="${report.ok ? 'verdict-ok' : 'verdict-bad'}">${verdict}</span>`)}</h1>
<div class="meta">began ${escapeHtml(new Date(report.startedAt).toISOString())} · ${report.phases.length} phase(s) · ${report.phases.reduce((sum, phase) => sum + phase.hooks.length, 0)} hook(s)</div>
<div class="legend"><span><i style="background:var(--phase)"></i>phase</span><span><i style="background:var(--ok)"></i>ok</span><span><i style="background:var(--error)"></i>error</span><span><i style="background:var(--timeout)"></i>timeout</span><span><i style="background:var(--skipped)"></i>skipped</span><span><i style="border:2px dashed #8250df;width:0;height:10px"></i>budget</span></div>
<svg xmlns="http://www.w3.org/2000/svg" id="timeline" width="${LABEL + PLOT + RIGHT}" height="${px(height)}" viewBox="0 0 ${LABEL + PLOT + RIGHT} ${px(height)}" data-from-ms="${from}" data-to-ms="${to}">
<rect id="plot" x="${LABEL}" y="${TOP - 8}" width="${PLOT}" height="${px(y - TOP + 12)}" fill="none"/>
${svg}
</svg>
${table(report)}
<div id="tip" role="tooltip"></div>
<script type="application/json" id="report">${json}</script>
<script>
(() => {
  const tip = document.getElementById('tip')
  const show = (target, x, y) => {
    tip.textContent = target.getAttribute('data-tip')
    tip.style.display = 'block'
    tip.style.left = Math.min(x + 14, innerWidth - tip.offsetWidth - 8) + 'px'
    tip.style.top = (y + 14) + 'px'
  }
  document.addEventListener('mousemove', (event) => {
    const target = event.target.closest && event.target.closest('[data-tip]')
    if (target) show(target, event.clientX, event.clientY)
    else tip.style.display = 'none'
  })
  document.addEventListener('focusin', (event) => {
    const target = event.target.closest && event.target.closest('[data-tip]')
    if (!target) return
    const box = target.getBoundingClientRect()
    show(target, box.left, box.bottom)
  })
})()
</script>
</body>
</html>
`
}

function table(report: ShutdownReport): string {
  const rows = [
    '<tr><th>phase</th><th>hook</th><th>status</th><th>start</th><th>duration</th><th>budget</th><th>details</th></tr>',
  ]
  for (const phase of report.phases) {
    rows.push(
      `<tr class="phase-row"><td>${escapeHtml(phaseLabel(phase))}</td><td></td><td></td><td class="num">${ms(phase.startMs)}</td><td class="num">${ms(phase.durationMs)}</td><td></td><td></td></tr>`,
    )
    for (const hook of phase.hooks) {
      rows.push(
        `<tr data-hook="${escapeHtml(hook.name)}"><td></td><td>${escapeHtml(hook.name)}</td><td>${hook.status}</td><td class="num">${ms(hook.startMs)}</td><td class="num">${ms(hook.durationMs)}</td><td class="num">${hook.budgetMs === undefined ? '' : ms(hook.budgetMs)}</td><td>${escapeHtml(describeHook(hook, false))}</td></tr>`,
      )
    }
  }
  return `<table>\n${rows.join('\n')}\n</table>`
}
