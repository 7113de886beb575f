/** @internal What the report folder offers the rest of the package. */

export type { TimelineOptions, TraceEvent, TraceFile } from '../types.js'
export { shouldColor } from './color.js'
export { reportFromJSON } from './from-json.js'
export { formatHTML } from './html.js'
export { formatPrometheus } from './prometheus.js'
export { Report } from './report.js'
export { serializeError } from './serialize.js'
export { formatTable } from './table.js'
export { formatTimeline } from './timeline.js'
export { formatTrace } from './trace.js'
