import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it, vi } from 'vitest'
import { Lifecycle, ShutdownError, WorkerCrashedError } from '../../src/index.js'
import { worker } from '../../src/workers/index.js'
import { captureLogger } from './capture-logger.js'

const boom = new Error('boom')

describe('worker() whose loop fails before the stop', () => {
  it('is logged at once, and the stop reports it as the hook error (onCrash: log)', async () => {
    const { logger, lines, logged } = captureLogger()
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      worker(
        async () => {
          await sleep(5)
          throw boom
        },
        { name: 'crasher', logger },
      ),
    )
    await lifecycle.start()
    // The crash is logged when it happens; the lifecycle keeps running.
    await logged('error')
    expect(lifecycle.state).toBe('running')
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(1)
    expect(String(lines[0]?.args[0])).toContain('crasher')
    const error = await lifecycle.stop().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ShutdownError)
    const hook = (error as ShutdownError).report.phases[0]?.hooks[0]
    expect(hook).toMatchObject({ name: 'crasher', status: 'error', details: { exit: 'crashed' } })
    expect(hook?.error).toBeInstanceOf(WorkerCrashedError)
    expect(hook?.error).toMatchObject({ cause: boom, whileStopping: false, worker: 'crasher' })
  })

  it("stops the lifecycle with an error reason when onCrash is 'stop'", async () => {
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      worker(
        async () => {
          throw boom
        },
        { name: 'crasher', onCrash: 'stop' },
      ),
    )
    const stopped = new Promise<unknown>((resolve) => lifecycle.once('stopping', resolve))
    await lifecycle.start()
    const reason = await stopped
    expect(reason).toMatchObject({ type: 'error' })
    expect((reason as { error: unknown }).error).toBeInstanceOf(WorkerCrashedError)
    const error = await lifecycle.stop().catch((e: unknown) => e)
    expect((error as ShutdownError).report.phases[0]?.hooks[0]?.status).toBe('error')
  })

  it('calls an onCrash function with the WorkerCrashedError and the name', async () => {
    let crashed: () => void = () => {}
    const called = new Promise<void>((resolve) => {
      crashed = resolve
    })
    const onCrash = vi.fn((_error: unknown, _name: string) => crashed())
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      worker(
        () => {
          throw boom
        },
        { name: 'crasher', onCrash, logger: false },
      ),
    )
    await lifecycle.start()
    await called
    expect(onCrash).toHaveBeenCalledTimes(1)
    expect(onCrash.mock.calls[0]?.[0]).toBeInstanceOf(WorkerCrashedError)
    expect(onCrash.mock.calls[0]?.[1]).toBe('crasher')
    await lifecycle.stop().catch(() => {})
  })

  it('reports a loop that fails with another error while stopping, without calling onCrash', async () => {
    const onCrash = vi.fn()
    const lifecycle = new Lifecycle({ logger: false })
    lifecycle.register(
      worker(
        async ({ signal }) => {
          await new Promise((resolve) => signal.addEventListener('abort', resolve))
          throw boom
        },
        { name: 'bad-cleanup', onCrash, logger: false },
      ),
    )
    await lifecycle.start()
    const error = await lifecycle.stop().catch((e: unknown) => e)
    const hook = (error as ShutdownError).report.phases[0]?.hooks[0]
    expect(hook).toMatchObject({ status: 'error', details: { exit: 'failed while stopping' } })
    expect(hook?.error).toMatchObject({ whileStopping: true, cause: boom })
    expect(onCrash).not.toHaveBeenCalled()
  })
})
