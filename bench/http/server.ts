/**
 * The server every variant runs, in its own process: `node --import tsx server.ts <variant>`.
 * The handler is the same for all: `GET /?ms=N` answers `hello` after N ms, `/?ms=never` never
 * answers. The server counts handler starts and finished responses ('finish'), prints its port and,
 * on exit or when asked over IPC, its counts, as JSON lines on stdout (synchronous on a pipe).
 */
import { writeSync } from 'node:fs'
import { createServer } from 'node:http'
import { BUDGET_MS } from './config.js'
import { attach, isVariant } from './variants.js'

const variant = process.argv[2]
if (!isVariant(variant)) throw new TypeError(`Unknown variant \`${String(variant)}\``)

const counts = { started: 0, finished: 0 }
/** performance.now() of the last finished response and of the trigger, for server-side timings. */
let lastFinishAt = 0
let triggeredAt = 0
process.prependListener('SIGTERM', () => {
  triggeredAt = performance.now()
})
let details: Record<string, unknown> | undefined

function emit(line: Record<string, unknown>): void {
  writeSync(1, `${JSON.stringify(line)}\n`)
}

function snapshot(type: string): Record<string, unknown> {
  const now = performance.now()
  return {
    type,
    ...counts,
    cpu: process.cpuUsage(),
    details,
    sinceLastFinishMs: now - lastFinishAt,
    sinceTriggerMs: triggeredAt ? now - triggeredAt : undefined,
  }
}

const server = createServer((req, res) => {
  counts.started++
  res.once('finish', () => {
    counts.finished++
    lastFinishAt = performance.now()
  })
  const ms = new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? '0'
  if (ms === 'never') return
  const reply = () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' })
    res.end('hello')
  }
  if (ms === '0') reply()
  else setTimeout(reply, Number(ms))
})

await attach(variant, server, BUDGET_MS, (value) => {
  details = value
})
process.on('exit', () => emit(snapshot('exit')))
process.on('message', (message) => {
  if (message === 'stats') emit(snapshot('stats'))
  if (message === 'heap') emit({ type: 'heap', heapUsed: heapAfterGc() })
})

/** The heap once garbage has been collected (the process runs with `--expose-gc`). */
function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('the bench server needs --expose-gc')
  for (let i = 0; i < 3; i++) gc()
  return process.memoryUsage().heapUsed
}
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  emit({ type: 'port', port: typeof address === 'object' && address ? address.port : 0 })
})
