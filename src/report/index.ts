/**
 * `graceful-lifecycle/report`: tools for a stop's report once it is saved or scraped. A report
 * itself prints as a table (`String(report)`), a timeline, an HTML page or a trace; this entry
 * turns a saved one back into a report and writes the Prometheus snapshot.
 *
 * @example
 * ```ts
 * import { formatPrometheus, reportFromJSON } from 'graceful-lifecycle/report'
 *
 * const report = reportFromJSON(JSON.parse(readFileSync('report.json', 'utf8')))
 * writeFileSync('report.html', report.toHTML())
 * writeFileSync('/var/lib/node_exporter/textfile/stop.prom', formatPrometheus(report))
 * ```
 *
 * @module
 */
// The printers live in the core (a report prints itself); this entry only names them for users.
export {
  formatPrometheus,
  reportFromJSON,
  type TimelineOptions,
  type TraceEvent,
  type TraceFile,
} from '../core/report/index.js'
