import { expect, test } from 'vitest'
import { type ShutdownError, StartError } from '../../src/index.js'
import { never, quiet, settle } from '../core/helpers.js'
import { lines, runFixture, tempFile } from '../process/run-fixture.js'

test('issue 8.2: a start hook that hangs when the stop begins is given up on at its start budget and named', async () => {
  const lifecycle = quiet({ timeout: 5_000 })
  lifecycle.register({ name: 'db', start: () => {}, stop: () => {}, priority: -100 })
  lifecycle.register({ name: 'warmup', start: never, startTimeout: 100, stop: () => {} })
  const started = settle(lifecycle.start())
  await new Promise((resolve) => setImmediate(resolve))
  const { error } = await settle(lifecycle.stop())
  const report = (error as ShutdownError).report
  expect(report.ok).toBe(false)
  expect((error as Error).message).toContain('`warmup` (timeout)')
  const [first, ...rest] = report.phases
  expect(first?.kind).toBe('start')
  expect(first?.hooks.map((hook) => [hook.name, hook.status, hook.budgetMs])).toEqual([
    ['warmup', 'timeout', 100],
  ])
  // It began before the stop: its offset is negative.
  expect(first?.hooks[0]?.startMs).toBeLessThan(0)
  expect(rest.flatMap((phase) => phase.hooks.map((hook) => hook.name))).toEqual(['db'])
  expect(report.toString()).toContain('warmup')
  expect((await started).error).toBeInstanceOf(StartError)
})

test('issue 8.2 in a real process: SIGTERM during a hung start exits 1 and the log names the hook', async () => {
  const file = tempFile()
  const fixture = runFixture('hung-start', [file])
  await fixture.ready
  const sent = fixture.kill('SIGTERM')
  const exit = await fixture.exit
  expect(exit).toMatchObject({ code: 1, signal: null })
  // Given up on at its 400 ms start budget, not at the stop's 5 s.
  expect(exit.at - sent).toBeLessThan(4_000)
  expect(lines(file)).toEqual(['db:start', 'db:stop'])
  const log = fixture.stdout() + fixture.stderr()
  expect(log).toContain('start hook `cache-warmup` passed its 400 ms budget')
  expect(log).toMatch(/cache-warmup\s+timeout/)
  expect(log).toContain('exiting with code 1')
})
