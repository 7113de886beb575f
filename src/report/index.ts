/**
 * `graceful-lifecycle/report`: the report's printers that a running service does not need. A report
 * itself prints as a table (`String(report)`), a timeline and JSON (what the logger writes); this
 * entry writes it as a self-contained HTML page, a Chrome trace and a Prometheus snapshot, and turns
 * a saved one back into a report. A service that never imports it never loads these printers.
 *
 * @example
 * ```ts
 * import { formatHTML, formatPrometheus, reportFromJSON } from 'graceful-lifecycle/report'
 *
 * const report = reportFromJSON(JSON.parse(readFileSync('report.json', 'utf8')))
 * writeFileSync('report.html', formatHTML(report))
 * writeFileSync('/var/lib/node_exporter/textfile/stop.prom', formatPrometheus(report))
 * ```
 *
 * @module
 */
// The printers live in src/core/report/ beside the others; the root entry loads none of these.
export {
  formatHTML,
  formatPrometheus,
  formatTrace,
  reportFromJSON,
  type TimelineOptions,
  type TraceEvent,
  type TraceFile,
} from '../core/report/index.js'
