/**
 * `sequential: true` against avvio's close, which runs `onClose` hooks one at a time (Fastify's
 * shutdown): N no-op async hooks, each variant in the same process, interleaved.
 */
import avvio from 'avvio'
import type { Lifecycle as LifecycleClass } from '../../src/index.js'
import { median, minorGc } from './stats.js'

const noop = async (): Promise<void> => {}

async function ours(Lifecycle: typeof LifecycleClass, hooks: number): Promise<number> {
  const lc = new Lifecycle({ logger: false, sequential: true })
  for (let i = 0; i < hooks; i++) lc.onStop(`hook-${i}`, noop)
  minorGc()
  const started = performance.now()
  await lc.stop()
  return performance.now() - started
}

async function avvioClose(hooks: number): Promise<number> {
  const app = avvio({}, { autostart: false })
  for (let i = 0; i < hooks; i++) app.onClose(noop)
  await app.ready()
  minorGc()
  const started = performance.now()
  await new Promise<void>((resolve, reject) => app.close((error) => (error ? reject(error) : resolve())))
  return performance.now() - started
}

/** Markdown rows: `sequential: true` against avvio at each size, and the ratio. */
export async function sequentialRows(Lifecycle: typeof LifecycleClass, runs: number): Promise<string[]> {
  const rows = [
    '| hooks | avvio `close()` ms | `sequential: true` `stop()` ms | ratio (target ≤ 1) |',
    '|---|---|---|---|',
  ]
  for (const hooks of [1_000, 10_000]) {
    const a: number[] = []
    const o: number[] = []
    for (let i = 0; i < 3; i++) {
      await avvioClose(hooks)
      await ours(Lifecycle, hooks)
    }
    for (let i = 0; i < runs; i++) {
      a.push(await avvioClose(hooks))
      o.push(await ours(Lifecycle, hooks))
    }
    rows.push(
      `| ${hooks.toLocaleString('en')} | ${median(a).toFixed(2)} | ${median(o).toFixed(2)} | **${(median(o) / median(a)).toFixed(2)}** |`,
    )
  }
  return rows
}
