import { DEFAULTS } from '../core/defaults.js'
import { InvalidStateError } from '../core/errors.js'
import type { AttachContext, Component, Logger } from '../core/types.js'
import {
  checkDuration,
  checkKeys,
  checkName,
  checkPositiveDuration,
  fail,
  readOptions,
} from '../core/validate.js'
import { readAttachContext } from '../core/validate-component.js'
import {
  type CheckChange,
  type CheckDefinition,
  type CheckFunction,
  type CheckResult,
  CheckRunner,
  type ExposeLevel,
  resolveChecks,
} from './checks.js'
import { asFetchHandler } from './fetch.js'
import { type HealthStatus, type LifecycleView, statusOf } from './status.js'

const OPTION_KEYS = ['name', 'checks', 'interval', 'timeout', 'expose']

/** What the handlers use of a response: `node:http`'s `ServerResponse`, Express's `res`, an HTTP/2 compatibility response. */
export interface ResponseLike {
  statusCode: number
  setHeader(name: string, value: string | number): unknown
  end(body?: string): unknown
}

/** A plain `(req, res)` handler. */
export type HealthHandler = (req: unknown, res: ResponseLike) => void

/** Options of {@link health}. */
export interface HealthOptions {
  /** The component's name. @default DEFAULTS.health.name ('health') */
  readonly name?: string
  /**
   * Named dependency checks (a DB ping, a broker channel): readiness fails while one fails;
   * liveness never looks at them. A function, or `{ check, timeout, interval }`.
   */
  readonly checks?: Readonly<Record<string, CheckFunction | CheckDefinition>>
  /** Each check runs at most once per `interval` ms, however often probes come. @default DEFAULTS.health.checkInterval (2000) */
  readonly interval?: number
  /** How long one run of a check may take, in ms, before it counts as failed. @default DEFAULTS.health.checkTimeout (1000) */
  readonly timeout?: number
  /**
   * What the readiness body (and `status()`) says of a failed check: `'name'`, its error's `name`
   * and `code` only; `'message'`, its message too. A driver's message can hold a connection string
   * with its password, and readiness endpoints are often reachable from outside; the message always
   * goes to the lifecycle's logger, once each time a check's status changes.
   * @default DEFAULTS.health.expose ('name')
   */
  readonly expose?: ExposeLevel
}

/**
 * What {@link health} returns: a component to register (it only attaches: no hooks), and the
 * handlers, which answer for the lifecycle it is registered with (503 until it is).
 */
export interface Health extends Component {
  readonly attach: (context: AttachContext) => () => void
  /**
   * 200 while the lifecycle runs and every dependency check passes; 503 from the moment a stop
   * begins (and before the start has finished), or while a check fails. Runs the checks that are due.
   */
  readonly readiness: HealthHandler
  /** 200 until the stop has ended, 503 after. Never runs or reads a dependency check. */
  readonly liveness: HealthHandler
  /** The status now, with each check's last result (runs nothing): for frameworks that answer in their own way. */
  status(): HealthStatus
  /** Runs the checks that are due (at most once per interval each), then gives the status. */
  check(): Promise<HealthStatus>
  /**
   * {@link readiness} for fetch-style handlers (`Bun.serve()`, `Deno.serve()`, Hono): the same
   * answer as a `Response`. The request is not read.
   */
  readonly fetchReadiness: (request?: unknown) => Promise<Response>
  /** {@link liveness} for fetch-style handlers, as a `Response`. */
  readonly fetchLiveness: (request?: unknown) => Promise<Response>
}

function answer(res: ResponseLike, ok: boolean, status: HealthStatus, withChecks: boolean): void {
  res.statusCode = ok ? 200 : 503
  res.setHeader('content-type', 'application/json; charset=utf-8')
  res.setHeader('cache-control', 'no-store')
  const body: Record<string, unknown> = { status: ok ? 'ok' : 'unavailable', state: status.state }
  if (withChecks && status.checks !== undefined) body.checks = status.checks
  res.end(JSON.stringify(body))
}

const WHERE = '`health()`'
const EXPOSE: readonly ExposeLevel[] = ['name', 'message']
const PREFIX = 'graceful-lifecycle: health:'

/** A logger that throws must not turn a check's result into a failed probe. */
function logChange(logger: Logger | undefined, name: string, result: CheckResult, message?: string): void {
  try {
    if (logger === undefined) return
    if (result.status === 'ok') logger.info(`${PREFIX} check \`${name}\` passes again`)
    else
      logger.warn(
        `${PREFIX} check \`${name}\` ${result.status === 'timeout' ? 'timed out' : 'failed'}: ${message}`,
      )
  } catch {}
}

/**
 * Readiness and liveness handlers, for the lifecycle this component is registered with. Readiness turns 503 the moment a stop begins
 * (`lifecycle.signal` aborts), so a load balancer or Kubernetes stops routing here while the
 * drain goes on; liveness stays 200 until the stop has ended, so nothing restarts a process that
 * is draining. Bodies are JSON: `{"status":"ok","state":"running"}`.
 *
 * With `checks`, readiness also fails while a dependency check fails, and its body reports each
 * check (`"checks":{"db":{"status":"ok","durationMs":2,"checkedAt":…}}`). Each check has a timeout
 * and runs at most once per interval, whatever the probe rate: probes that arrive while a run is
 * under way share it. Liveness never depends on them, so a database outage does not make
 * Kubernetes restart every pod. The state lives in what `health()` returns: nothing global.
 *
 * @example
 * ```ts
 * const probes = health({
 *   checks: {
 *     db: () => pool.query('SELECT 1'),
 *     broker: { check: () => channel.checkQueue('jobs'), timeout: 500, interval: 5_000 },
 *   },
 * })
 * lifecycle.register(probes)
 * const { readiness, liveness } = probes
 * const server = http.createServer((req, res) => {
 *   if (req.url === '/readyz') return readiness(req, res)
 *   if (req.url === '/livez') return liveness(req, res)
 *   app(req, res)
 * })
 * // Koa: ctx.status = (await probes.check()).ready ? 200 : 503
 * // Bun.serve(), Deno.serve(), Hono: if (url.pathname === '/readyz') return probes.fetchReadiness()
 * ```
 */
export function health(options?: HealthOptions): Health {
  let runners: CheckRunner[] | undefined
  let logger: Logger | undefined
  let name: string = DEFAULTS.health.name
  if (options !== undefined) {
    options = readOptions(WHERE, 'options', options, OPTION_KEYS)
    checkKeys(WHERE, 'options', options, OPTION_KEYS)
    if (options.expose !== undefined && !EXPOSE.includes(options.expose)) {
      fail(WHERE, 'expose', "`'name'` or `'message'`", options.expose)
    }
    if (options.name !== undefined) {
      checkName(WHERE, 'name', options.name)
      name = options.name
    }
    if (options.interval !== undefined) checkDuration(WHERE, 'interval', options.interval)
    if (options.timeout !== undefined) checkPositiveDuration(WHERE, 'timeout', options.timeout)
    if (options.checks !== undefined) {
      const defaults = {
        interval: options.interval ?? DEFAULTS.health.checkInterval,
        timeout: options.timeout ?? DEFAULTS.health.checkTimeout,
      }
      const expose = options.expose ?? DEFAULTS.health.expose
      // Read when the change happens: the logger is the lifecycle's, known once registered.
      const onChange: CheckChange = (check, result, message) => logChange(logger, check, result, message)
      runners = resolveChecks(WHERE, options.checks, defaults).map(
        (check) => new CheckRunner(check, expose, onChange),
      )
    }
  }
  // The lifecycle this component is registered with, as far as the handlers need it.
  let view: LifecycleView | undefined
  const results = (): Record<string, CheckResult> | undefined =>
    runners === undefined
      ? undefined
      : Object.fromEntries(runners.map((runner) => [runner.name, runner.result] as const))
  const status = (): HealthStatus => statusOf(view, results())
  const check = async (): Promise<HealthStatus> => {
    // A stopping or not yet started process is not ready whatever its dependencies say: ping nothing.
    const now = view
    if (runners !== undefined && now !== undefined && statusOf(now).ready) {
      await Promise.all(runners.map((runner) => runner.refresh(now.stopping)))
    }
    return status()
  }
  const readiness: HealthHandler = (_req, res) => {
    const now = status()
    // Not running (or stopping): answer at once, whatever the dependencies would say.
    if (runners === undefined || !statusOf(view).ready) {
      answer(res, now.ready, now, runners !== undefined)
      return
    }
    // Never a rejection: a probe must not be able to end the process. Not ready when in doubt.
    void check()
      .then((now) => answer(res, now.ready, now, true))
      .catch(() => {
        try {
          answer(res, false, status(), true)
        } catch {}
      })
  }
  const liveness: HealthHandler = (_req, res) => {
    const now = statusOf(view)
    answer(res, now.live, now, false)
  }
  const component = {
    name,
    // A copy of this component attaches the same handlers.
    attach: (context: AttachContext) => {
      const { name: registered, state, stopping, log } = readAttachContext(`component \`${name}\``, context)
      if (view !== undefined) {
        throw new InvalidStateError(
          `Cannot register component \`${registered}\`: its health handlers already answer for another registration`,
        )
      }
      const mine: LifecycleView = { state, stopping }
      view = mine
      logger = log
      return () => {
        if (view !== mine) return
        view = undefined
        logger = undefined
      }
    },
  }
  // Not enumerable: `register()` accepts a component's own keys only, and a copy needs none of them.
  return Object.defineProperties(component, {
    readiness: { value: readiness },
    liveness: { value: liveness },
    status: { value: status },
    check: { value: check },
    fetchReadiness: { value: asFetchHandler(readiness) },
    fetchLiveness: { value: asFetchHandler(liveness) },
  }) as Health
}
