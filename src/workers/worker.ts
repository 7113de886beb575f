import { DEFAULTS } from '../core/defaults.js'
import { StoppingError } from '../core/errors.js'
import { Priority } from '../core/priority.js'
import type { AttachContext, Component, StartContext, StopContext } from '../core/types.js'
import { checkFunction, checkKeys, whileReading } from '../core/validate.js'
import { LoopRunner, untilAborted } from './loop-runner.js'
import {
  type CommonOptions,
  checkComponentName,
  type Resolved,
  readComponentOptions,
  resolveCommon,
} from './options.js'

/** What a worker's loop receives. */
export interface WorkerContext {
  /** Aborts when the worker's stop hook runs (reason: a `StoppingError`). Return soon after. */
  readonly signal: AbortSignal
}

/** A long-running loop: returns (or rejects with the signal's reason) once `signal` aborts. */
export type WorkerLoop = (context: WorkerContext) => unknown

/** Options of {@link worker}. */
export interface WorkerOptions extends CommonOptions {
  /**
   * Component name, unique in its lifecycle.
   * @default the loop function's own name (`async function poll()` gives `poll`), else DEFAULTS.workers.workerName ('worker')
   */
  readonly name?: string
}

const WORKER_KEYS = ['name', 'priority', 'timeout', 'onCrash', 'logger']

/** A component that runs a loop; register it with `lifecycle.register()`. */
export class WorkerComponent implements Component {
  readonly name: string
  readonly priority: number
  readonly timeout?: number
  readonly start: (context: StartContext) => void
  readonly stop: (context: StopContext) => Promise<void>
  readonly attach: (context: AttachContext) => () => void
  readonly #loop: WorkerLoop
  readonly #common: Resolved
  #runner: LoopRunner | undefined

  /** @internal Use {@link worker}. */
  constructor(name: string, loop: WorkerLoop, common: Resolved) {
    this.name = name
    this.priority = common.priority ?? Priority.WORKERS
    if (common.timeout !== undefined) this.timeout = common.timeout
    this.#loop = loop
    this.#common = common
    this.start = () => this.#start()
    this.stop = (context) => this.#stop(context)
    this.attach = common.attach
  }

  /**
   * The loop is running: launched, and has not returned or crashed.
   *
   * @example
   * ```ts
   * health.check('poller', () => poller.running)
   * ```
   */
  get running(): boolean {
    return this.#runner !== undefined && this.#runner.exit === undefined
  }

  #start(): void {
    const runner = new LoopRunner(this.name, this.#common)
    this.#runner = runner
    runner.launch((signal) => this.#loop({ signal }))
  }

  async #stop({ signal, reason, details }: StopContext): Promise<void> {
    const runner = this.#runner
    if (runner?.done === undefined) {
      details.exit = 'never started'
      return
    }
    const before = runner.exit
    runner.abort(new StoppingError(reason))
    if (before === undefined) {
      details.exit = 'stopped'
      const onAbort = (): void => {
        details.exit = 'abandoned'
      }
      signal.addEventListener('abort', onAbort, { once: true })
      try {
        await untilAborted(runner.done, signal)
      } finally {
        signal.removeEventListener('abort', onAbort)
      }
    } else {
      details.exit = before.type === 'crashed' ? 'crashed' : 'returned before the stop'
    }
    const exit = runner.exit
    if (exit?.type === 'crashed') {
      if (exit.error.whileStopping) details.exit = 'failed while stopping'
      throw exit.error
    }
  }
}

/**
 * A component that runs `loop({ signal })` in the background (its start resolves as soon as the loop
 * is launched) and, on stop, aborts `signal` and waits for the loop to return, within its budget.
 * A loop that fails before the stop is logged, handled by `onCrash`, and reported by the stop hook
 * as a `WorkerCrashedError`; a rejection with the signal's own abort reason counts as a clean exit.
 *
 * @example
 * ```ts
 * import { setTimeout as sleep } from 'node:timers/promises'
 * lifecycle.register(
 *   worker(async function cleanup({ signal }) {
 *     while (!signal.aborted) {
 *       await deleteExpiredSessions()
 *       await sleep(60_000, undefined, { signal }).catch(() => {})
 *     }
 *   }, { onCrash: 'stop' }), // named `cleanup`, after its loop; `{ name }` names it otherwise
 * )
 * ```
 */
export function worker(loop: WorkerLoop, options: WorkerOptions = {}): WorkerComponent {
  checkFunction('`worker()`', 'loop', loop)
  const o = readComponentOptions('`worker()`', options, WORKER_KEYS) as WorkerOptions &
    Record<string, unknown>
  const name = whileReading(
    '`worker()`',
    'loop',
    () => o.name ?? (loop.name === '' ? DEFAULTS.workers.workerName : loop.name),
  )
  checkComponentName('worker', name)
  const where = `worker \`${name}\``
  checkKeys(where, 'options', o, WORKER_KEYS)
  return new WorkerComponent(name, loop, resolveCommon('worker', name, o))
}
