import { expect, test } from 'vitest'
import { HookTimeoutError, Priority, type ShutdownError } from '../../src/index.js'
import { defined, hooksByName, quiet, settle } from '../core/helpers.js'
import { runFixture } from '../process/run-fixture.js'

const block = (ms: number): void => {
  const until = performance.now() + ms
  while (performance.now() < until) {}
}

test('issue 8.3: a hook that blocks the event loop past its budget is `timeout`, and says how far over', async () => {
  const lifecycle = quiet()
  lifecycle.onStop('sync-flush', () => block(250), { timeout: 50 })
  lifecycle.onStop('async-but-blocking', async () => block(250), { timeout: 50, priority: -1 })
  lifecycle.onStop('fine', () => {}, { timeout: 50, priority: -2 })
  const { error } = await settle(lifecycle.stop())
  const hooks = hooksByName((error as ShutdownError).report)
  for (const name of ['sync-flush', 'async-but-blocking']) {
    const hook = defined(hooks.get(name))
    expect(hook?.status).toBe('timeout')
    expect(hook?.budgetMs).toBe(50)
    expect(hook?.durationMs).toBeGreaterThanOrEqual(250)
    expect(hook?.error).toBeInstanceOf(HookTimeoutError)
    expect((hook.error as HookTimeoutError).ranMs).toBeGreaterThanOrEqual(250)
    expect((hook.error as Error).message).toMatch(/ran \d+ ms against its 50 ms budget \(\d+ ms over/)
  }
  expect(hooks.get('fine')?.status).toBe('ok')
})

test("issue 8.3: a blocked loop that passes the stop's deadline makes the next phase overdue", async () => {
  const lifecycle = quiet({ timeout: 100, finalGrace: 20 })
  let signal: AbortSignal | undefined
  lifecycle.onStop('blocker', () => block(200), { priority: Priority.WORKERS, timeout: 1_000 })
  lifecycle.onStop(
    'db',
    (context) => {
      signal = context.signal
    },
    { priority: Priority.RESOURCES },
  )
  const { error } = await settle(lifecycle.stop())
  const hooks = hooksByName((error as ShutdownError).report)
  expect(signal?.aborted).toBe(true)
  expect(hooks.get('db')?.budgetMs).toBe(20)
  // The blocker outlived the stop's deadline without its timer firing: it is the culprit.
  expect(hooks.get('blocker')?.status).toBe('timeout')
  expect((defined(hooks.get('blocker')).error as Error).message).toContain(
    'outlived its 100 ms budget while `blocker`',
  )
})

test('issue 8.3 in a real process: a 1.5 s synchronous hook with a 300 ms budget exits 1, reported timeout', async () => {
  const fixture = runFixture('blocking-hook')
  await fixture.ready
  fixture.kill('SIGTERM')
  const exit = await fixture.exit
  expect(exit.code).toBe(1)
  const log = fixture.stdout() + fixture.stderr()
  expect(log).toMatch(/sync-flush\s+timeout/)
  expect(log).toMatch(/stop hook `sync-flush` passed its 300 ms budget: it ran \d+ ms, \d+ ms over/)
})
