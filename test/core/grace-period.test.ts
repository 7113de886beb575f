import { describe, expect, test, vi } from 'vitest'
import { Lifecycle, Priority } from '../../src/index.js'
import { quiet } from './helpers.js'

const logger = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() })
const warned = (log: ReturnType<typeof logger>) => log.warn.mock.calls.map((call) => String(call[0]))

describe('budgets that cannot fit are reported when they are configured', () => {
  test('timeout + finalGrace beyond gracePeriod: logged by the constructor, emitted, listed by checkBudgets()', async () => {
    const log = logger()
    const lifecycle = new Lifecycle({ logger: log, timeout: 29_500, finalGrace: 1_000, gracePeriod: 30_000 })
    const warnings: string[] = []
    lifecycle.on('warning', (message) => void warnings.push(message))
    await Promise.resolve()
    expect(warnings).toEqual([expect.stringContaining('`gracePeriod` (30000 ms)')])
    expect(warned(log)).toHaveLength(1)
    expect(warned(log)[0]).toMatch(
      /`timeout` \(29500 ms\).*`finalGrace` \(1000 ms\).*`gracePeriod` \(30000 ms\)/,
    )
    expect(lifecycle.checkBudgets()).toEqual([expect.stringContaining('`gracePeriod` (30000 ms)')])
  })

  test('a component whose stop budget exceeds gracePeriod: logged and emitted at register()', () => {
    const log = logger()
    const lifecycle = new Lifecycle({ logger: log, timeout: 20_000, gracePeriod: 30_000 })
    const warnings: string[] = []
    lifecycle.on('warning', (message) => void warnings.push(message))
    lifecycle.register({ name: 'db', stop: () => {}, timeout: 45_000 })
    expect(warnings.some((w) => w.includes('`db`') && w.includes('`gracePeriod` (30000 ms)'))).toBe(true)
    expect(warned(log).join('\n')).toContain('`db`')
  })

  test('a component whose stop budget exceeds the whole stop timeout: reported even without gracePeriod', () => {
    const lifecycle = quiet({ timeout: 5_000 })
    const warnings: string[] = []
    lifecycle.on('warning', (message) => void warnings.push(message))
    lifecycle.onStop('consumer', () => {}, { timeout: 8_000 })
    expect(warnings).toEqual([expect.stringMatching(/`consumer`.*8000 ms.*`timeout` \(5000 ms\)/)])
  })

  test('a worst-case stop beyond gracePeriod: reported when start() begins', async () => {
    const log = logger()
    const lifecycle = new Lifecycle({ logger: log, timeout: 20_000, finalGrace: 1_000, gracePeriod: 18_000 })
    const warnings: string[] = []
    lifecycle.on('warning', (message) => void warnings.push(message))
    lifecycle.onStop('http', () => {}, { priority: Priority.INGRESS, timeout: 9_000 })
    lifecycle.onStop('consumer', () => {}, { priority: Priority.WORKERS, timeout: 9_000 })
    expect(warnings).toEqual([])
    await lifecycle.start()
    // The constructor's (emitted once it returned): `timeout` + `finalGrace` (21 s) cannot fit;
    // start()'s: 9 s + 9 s + 1 s of final grace = 19 s > 18 s.
    expect(warnings).toHaveLength(2)
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining('`finalGrace` (1000 ms)'),
        expect.stringMatching(/worst-case stop \(19000 ms\) exceeds `gracePeriod` \(18000 ms\)/),
      ]),
    )
    expect(warned(log).sort()).toEqual([...warnings].sort().map((w) => `graceful-lifecycle: ${w}`))
    expect(lifecycle.checkBudgets().sort()).toEqual([...warnings].sort())
  })

  test('phases whose budgets add up beyond timeout are listed by checkBudgets()', () => {
    const lifecycle = quiet({ timeout: 20_000, hookTimeout: 10_000 })
    lifecycle.onStop('http', () => {}, { priority: Priority.INGRESS })
    lifecycle.onStop('consumer', () => {}, { priority: Priority.WORKERS })
    expect(lifecycle.checkBudgets()).toEqual([])
    lifecycle.onStop('db', () => {}, { priority: Priority.RESOURCES, timeout: 5_000 })
    expect(lifecycle.checkBudgets()).toEqual([
      expect.stringMatching(/add up to 25000 ms.*`timeout` \(20000 ms\)/),
    ])
  })

  test('sequential phases add their hooks up', () => {
    const lifecycle = quiet({ timeout: 10_000, sequential: true, hookTimeout: 4_000 })
    lifecycle.onStop('a', () => {})
    lifecycle.onStop('b', () => {})
    expect(lifecycle.checkBudgets()).toEqual([])
    lifecycle.onStop('c', () => {})
    expect(lifecycle.checkBudgets()).toEqual([expect.stringContaining('12000 ms')])
  })

  test('the worst-case stop beyond gracePeriod is reported', () => {
    const lifecycle = quiet({ timeout: 10_000, finalGrace: 2_000, gracePeriod: 11_000, hookTimeout: 10_000 })
    lifecycle.onStop('a', () => {})
    expect(lifecycle.checkBudgets().join('\n')).toMatch(
      /worst-case stop \(12000 ms\) exceeds `gracePeriod` \(11000 ms\)/,
    )
  })

  test('budgets that fit are not reported', async () => {
    const log = logger()
    const lifecycle = new Lifecycle({ logger: log, timeout: 20_000, gracePeriod: 30_000, hookTimeout: 5_000 })
    const warnings: string[] = []
    lifecycle.on('warning', (message) => void warnings.push(message))
    lifecycle.onStop('http', () => {}, { priority: Priority.INGRESS })
    lifecycle.onStop('db', () => {}, { priority: Priority.RESOURCES })
    await lifecycle.start()
    expect(warnings).toEqual([])
    expect(log.warn).not.toHaveBeenCalled()
    expect(lifecycle.checkBudgets()).toEqual([])
  })

  test('without gracePeriod, only budgets beyond timeout are reported', () => {
    const lifecycle = quiet({ timeout: 60_000, finalGrace: 60_000 })
    lifecycle.onStop('a', () => {}, { timeout: 50_000 })
    expect(lifecycle.checkBudgets()).toEqual([])
  })
})
