import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { ShutdownError } from '../../src/index.js'
import { quiet, sleep } from './helpers.js'

type Outcome = 'ok' | 'reject' | 'throw' | 'hang'
interface Plan {
  priority: number
  duration: number
  outcome: Outcome
}

// Few distinct priorities, so that phases hold several hooks; short real durations.
const planArb = fc.record({
  priority: fc.integer({ min: -3, max: 3 }).map((n) => n * 50),
  duration: fc.integer({ min: 0, max: 3 }),
  outcome: fc.constantFrom<Outcome>('ok', 'ok', 'ok', 'reject', 'throw', 'hang'),
})

/** Log entries: `call:<name>` when the lifecycle invokes the hook, `settle:<name>` when it records its end. */
async function run(kind: 'start' | 'stop', plans: Plan[], sequential: boolean): Promise<string[]> {
  const lifecycle = quiet({ sequential, finalGrace: 5 })
  const log: string[] = []
  lifecycle.on('hook:end', (hook, runKind) => {
    if (runKind === kind) log.push(`settle:${hook.name}`)
  })
  plans.forEach((plan, index) => {
    const name = `h${index}`
    const hook = async (): Promise<void> => {
      log.push(`call:${name}`)
      if (plan.outcome === 'throw') throw new Error(`${name} failed`)
      if (plan.outcome === 'hang') return new Promise<void>(() => {})
      await sleep(plan.duration)
      if (plan.outcome === 'reject') throw new Error(`${name} failed`)
    }
    // `throw` must be synchronous: wrap so the function itself throws before returning a promise.
    const fn =
      plan.outcome === 'throw'
        ? () => {
            log.push(`call:${name}`)
            throw new Error(`${name} failed`)
          }
        : hook
    // A tight budget only for the hooks that hang: a 3 ms hook must not time out on a busy machine.
    const budget = plan.outcome === 'hang' ? 4 : 1_000
    lifecycle.register({
      name,
      priority: plan.priority,
      ...(kind === 'stop' ? { stop: fn, timeout: budget } : { start: fn, startTimeout: budget }),
    })
  })
  if (kind === 'start') {
    await lifecycle.start().catch(() => {})
  } else {
    await lifecycle.stop().catch((error: unknown) => {
      if (!(error instanceof ShutdownError)) throw error
    })
  }
  return log
}

const priorityOf = (plans: Plan[], entry: string): number => {
  const plan = plans[Number(entry.split(':h')[1])]
  if (!plan) throw new Error(`no plan for ${entry}`)
  return plan.priority
}

/** Sign 1: higher priority first (stop); -1: lower priority first (start). */
function assertPhased(log: string[], plans: Plan[], sign: 1 | -1): void {
  const settled = new Set<number>()
  for (const entry of log) {
    const name = entry.slice(entry.indexOf(':') + 1)
    const index = Number(name.slice(1))
    if (entry.startsWith('settle:')) {
      settled.add(index)
      continue
    }
    const priority = priorityOf(plans, entry)
    plans.forEach((other, otherIndex) => {
      if (sign * (other.priority - priority) > 0 && !settled.has(otherIndex)) {
        throw new Error(
          `${name} (priority ${priority}) was called before h${otherIndex} (priority ${other.priority}) settled: ${log.join(' ')}`,
        )
      }
    })
  }
}

describe('phases, as a property over random hooks', () => {
  test('no stop hook starts before every hook of every higher priority has settled', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(planArb, { minLength: 1, maxLength: 10 }), async (plans) => {
        const log = await run('stop', plans, false)
        assertPhased(log, plans, 1)
        expect(log.filter((entry) => entry.startsWith('call:'))).toHaveLength(plans.length)
      }),
      { numRuns: 40 },
    )
  })

  test('the hooks of one priority overlap: all are called before any of them settles', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(planArb, { minLength: 2, maxLength: 10 }).map((plans) =>
          // Synchronous outcomes settle the moment they are called, so overlap is about async hooks.
          plans.map((plan) => (plan.outcome === 'throw' ? { ...plan, outcome: 'reject' as const } : plan)),
        ),
        async (plans) => {
          const log = await run('stop', plans, false)
          for (const priority of new Set(plans.map((plan) => plan.priority))) {
            const members = plans.flatMap((plan, index) => (plan.priority === priority ? [`h${index}`] : []))
            const lastCall = Math.max(...members.map((name) => log.indexOf(`call:${name}`)))
            const firstSettle = Math.min(...members.map((name) => log.indexOf(`settle:${name}`)))
            expect(lastCall).toBeLessThan(firstSettle)
          }
        },
      ),
      { numRuns: 30 },
    )
  })

  test('start runs the phases in the reverse order: lowest priority first', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          planArb.map((plan) => ({ ...plan, outcome: 'ok' as const })),
          { minLength: 1, maxLength: 10 },
        ),
        async (plans) => {
          const log = await run('start', plans, false)
          assertPhased(log, plans, -1)
          const startOrder = log.filter((entry) => entry.startsWith('call:')).map((e) => priorityOf(plans, e))
          const stopLog = await run('stop', plans, false)
          const stopOrder = stopLog
            .filter((entry) => entry.startsWith('call:'))
            .map((e) => priorityOf(plans, e))
          expect(startOrder).toEqual([...startOrder].sort((a, b) => a - b))
          expect(stopOrder).toEqual([...startOrder].reverse())
        },
      ),
      { numRuns: 25 },
    )
  })

  test('a failed start hook ends the start: no hook of a higher priority is called', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(planArb, { minLength: 1, maxLength: 10 }), async (plans) => {
        const log = await run('start', plans, false)
        assertPhased(log, plans, -1)
        const failing = plans.filter((plan) => plan.outcome !== 'ok').map((plan) => plan.priority)
        const firstFailing = Math.min(...failing)
        const called = log.filter((entry) => entry.startsWith('call:')).map((e) => priorityOf(plans, e))
        for (const priority of called) expect(priority).toBeLessThanOrEqual(firstFailing)
      }),
      { numRuns: 25 },
    )
  })

  test('sequential: a start ends at its first failing hook; nothing after it is called', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(planArb, { minLength: 1, maxLength: 8 }), async (plans) => {
        const log = await run('start', plans, true)
        const order = plans
          .map((plan, index) => ({ ...plan, index }))
          .sort((a, b) => a.priority - b.priority || a.index - b.index)
        const firstFailure = order.findIndex((plan) => plan.outcome !== 'ok')
        const expected = (firstFailure === -1 ? order : order.slice(0, firstFailure + 1)).map((p) => p.index)
        const calls = log.filter((entry) => entry.startsWith('call:')).map((entry) => Number(entry.slice(6)))
        expect(calls).toEqual(expected)
      }),
      { numRuns: 25 },
    )
  })

  test('sequential: one hook at a time, last registered first; start in registration order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(planArb, { minLength: 1, maxLength: 8 }), async (plans) => {
        for (const kind of ['stop', 'start'] as const) {
          const okPlans = kind === 'start' ? plans.map((p) => ({ ...p, outcome: 'ok' as const })) : plans
          const log = await run(kind, okPlans, true)
          // One at a time: every call is directly followed by that hook's settle.
          for (let i = 0; i < log.length; i += 2) {
            expect(log[i]?.startsWith('call:')).toBe(true)
            expect(log[i + 1]).toBe(`settle:${log[i]?.slice(5)}`)
          }
          const calls = log
            .filter((entry) => entry.startsWith('call:'))
            .map((entry) => Number(entry.slice(6)))
          const expected = okPlans
            .map((plan, index) => ({ ...plan, index }))
            .sort((a, b) =>
              kind === 'stop'
                ? b.priority - a.priority || b.index - a.index
                : a.priority - b.priority || a.index - b.index,
            )
            .map((plan) => plan.index)
          expect(calls).toEqual(expected)
        }
      }),
      { numRuns: 20 },
    )
  })
})
