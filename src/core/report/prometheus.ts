import type { ShutdownReport } from '../types.js'
import { checkReport } from './format.js'

const label = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')
const seconds = (ms: number): string => String(Math.round(ms * 1000) / 1_000_000)

/**
 * The report as a Prometheus text-format snapshot (gauges in seconds: the stop's duration and
 * verdict, each hook's duration, budget and status), the figures the OpenTelemetry metrics carry. For
 * node_exporter's textfile collector or a Pushgateway, where a process that is exiting can leave them.
 *
 * @example
 * ```ts
 * lifecycle.on('stopped', (report) =>
 *   writeFileSync('/var/lib/node_exporter/textfile/my-service.prom', formatPrometheus(report)),
 * )
 * ```
 */
export function formatPrometheus(report: ShutdownReport): string {
  checkReport('`formatPrometheus()`', report)
  const reason = `reason="${label(report.reason.type)}"`
  const lines = [
    '# HELP graceful_lifecycle_stop_duration_seconds How long the last stop took.',
    '# TYPE graceful_lifecycle_stop_duration_seconds gauge',
    `graceful_lifecycle_stop_duration_seconds{${reason}} ${seconds(report.durationMs)}`,
    // No sample timestamps: the textfile collector and the Pushgateway refuse them; this gauge says when.
    '# HELP graceful_lifecycle_stop_started_seconds When the last stop began (Unix time).',
    '# TYPE graceful_lifecycle_stop_started_seconds gauge',
    `graceful_lifecycle_stop_started_seconds{${reason}} ${report.startedAt / 1000}`,
    '# HELP graceful_lifecycle_stop_ok Whether every hook of the last stop ended ok (1) or not (0).',
    '# TYPE graceful_lifecycle_stop_ok gauge',
    `graceful_lifecycle_stop_ok{${reason}} ${report.ok ? 1 : 0}`,
    '# HELP graceful_lifecycle_hook_duration_seconds How long each hook of the last stop ran, by status.',
    '# TYPE graceful_lifecycle_hook_duration_seconds gauge',
  ]
  const budgets: string[] = []
  for (const phase of report.phases) {
    for (const hook of phase.hooks) {
      const labels = `hook="${label(hook.name)}",run="${phase.kind}",priority="${phase.priority}",status="${hook.status}"`
      lines.push(`graceful_lifecycle_hook_duration_seconds{${labels}} ${seconds(hook.durationMs)}`)
      if (hook.budgetMs !== undefined) {
        budgets.push(
          `graceful_lifecycle_hook_budget_seconds{hook="${label(hook.name)}",run="${phase.kind}",priority="${phase.priority}"} ${seconds(hook.budgetMs)}`,
        )
      }
    }
  }
  lines.push(
    '# HELP graceful_lifecycle_hook_budget_seconds The budget each hook of the last stop ran with.',
    '# TYPE graceful_lifecycle_hook_budget_seconds gauge',
    ...budgets,
  )
  return `${lines.join('\n')}\n`
}
