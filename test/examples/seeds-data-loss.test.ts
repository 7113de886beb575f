import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import type { Counts } from '../../examples/seeds/data-loss/store.js'
import { run } from './child.js'

/** Runs the writer until it wrote 10 orders, sends `signal`, and counts the rows it left. */
async function writeThen(signal: NodeJS.Signals): Promise<{ exit: unknown; counts: Counts }> {
  const dir = mkdtempSync(join(tmpdir(), 'gl-seed-data-loss-'))
  const writer = run('examples/seeds/data-loss/writer.ts', { args: [dir] })
  await writer.line(/order 10 written/, 60_000)
  writer.kill(signal)
  const exit = await writer.exit(60_000)
  const check = run('examples/seeds/data-loss/check.ts', { args: [dir] })
  const line = await check.line(/^\{/, 60_000)
  expect(await check.exit(60_000)).toEqual({ code: 0, signal: null })
  return { exit, counts: JSON.parse(line) as Counts }
}

test('seeds/data-loss: the same writer, SIGKILL leaves dirty or missing rows, SIGTERM through the lifecycle none', async () => {
  const [killed, stopped] = await Promise.all([writeThen('SIGKILL'), writeThen('SIGTERM')])

  expect(killed.exit).toEqual({ code: null, signal: 'SIGKILL' })
  expect(killed.counts.pending).toBe(0)
  expect(killed.counts.missing).toBeGreaterThan(0) // the in-memory queue is gone
  expect(killed.counts.halfWritten).toBeLessThanOrEqual(1) // at most the order being written

  expect(stopped.exit).toEqual({ code: 0, signal: null })
  expect(stopped.counts.halfWritten).toBe(0)
  expect(stopped.counts.missing).toBe(0)
  expect(stopped.counts.whole + stopped.counts.pending).toBe(300)
  expect(stopped.counts.whole).toBeGreaterThanOrEqual(11)
}, 180_000)
