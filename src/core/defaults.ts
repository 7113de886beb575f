import { Priority } from './priority.js'
import type { HandledSignal } from './signals/options.js'

/**
 * Every default of the package, in one place: the code, the docs and the tests read these. The
 * `Lifecycle`'s own budgets sit at the top; each integration has its section. Frozen: changing a
 * default means passing the option.
 *
 * @example
 * ```ts
 * import { DEFAULTS, Lifecycle } from 'graceful-lifecycle'
 * import { httpServer } from 'graceful-lifecycle/http'
 *
 * const lifecycle = new Lifecycle({ timeout: DEFAULTS.timeout * 2 })
 * lifecycle.register(httpServer(server, { idleGrace: DEFAULTS.http.idleGrace * 2 }))
 * ```
 */
export const DEFAULTS = deepFreeze({
  /** Budget of a whole `stop()`, in ms. Leaves 5 s of Kubernetes' default 30 s grace period. */
  timeout: 25_000,
  /** Budget of one stop hook, in ms, when the component sets none. */
  hookTimeout: 10_000,
  /** Budget of one start hook, in ms, when the component sets none. */
  startTimeout: 15_000,
  /** What a hook gets after the global deadline has passed, in ms: enough to close a pool or flush a log. */
  finalGrace: 1_000,
  /** The name under which `lifecycle.track()`'s work appears in a report (a component cannot take it). */
  trackedHookName: 'lifecycle.track',

  /** `lifecycle.handleSignals()`. */
  signals: {
    /** The signals that stop the lifecycle. */
    signals: ['SIGTERM', 'SIGINT'] as readonly ('SIGTERM' | 'SIGINT')[],
    /** Ms after a stop settles before the watchdog reports what keeps the process alive: long enough to flush a backed-up stdout pipe, short next to Kubernetes' 30 s grace. */
    watchdog: 1_000,
    /** Ms during which repeats of the first signal are the same request: shorter than a deliberate second Ctrl+C, longer than a burst or a double delivery. */
    burstWindow: 250,
  },

  /** `httpServer()` of `graceful-lifecycle/http`. */
  http: {
    /** Component name. */
    name: 'http',
    /**
     * How long an idle keep-alive connection must have been quiet before the drain closes it, in
     * ms, counted from the stop's start (or from the end of its last response, when later); while
     * requests keep arriving on other connections, until the server has been quiet that long too
     * (at most 4 graces). A request that arrives on it meanwhile (one already on the wire at the
     * trigger, or a pooled socket picked by a client under load) is answered with `Connection:
     * close`. Behind a `drainDelay()` at least this long, connections that sat idle through it
     * close the moment the drain begins; without one they get the full grace. HTTP/2 sessions get
     * a GOAWAY notice once the drain has closed the listener, and the final GOAWAY by the same rule.
     */
    idleGrace: 500,
    /**
     * How long before the drain's deadline every `requestSignal(req)` aborts, in ms, so that
     * long-polling and server-sent-event handlers end their responses instead of being cut. When
     * the drain's budget is shorter than this, they abort the moment the drain begins.
     */
    requestAbortLead: 1_000,
    /**
     * The longest the listener stays open after the drain begins, in ms, while Node still accepts
     * connections that the kernel had already accepted (their handshake done, their request maybe
     * sent): Node takes one from the listen backlog per event-loop turn, and closing the listener
     * with some left would reset them. It closes as soon as a loop turn accepts nothing, usually
     * within a millisecond or two; this caps a flood. It is a second, not less: on a busy machine
     * a loop turn can take tens of ms, and 40 queued connections took over 100 ms to take.
     */
    backlogDrainCap: 1_000,
    /** The close reason sent to WebSocket clients with code 1001. */
    webSocketReason: 'Server shutting down',
  },

  /** `graceful-lifecycle/health`. */
  health: {
    /** Component name of `health()`. */
    name: 'health',
    /** Component name of `drainDelay()`. */
    drainDelayName: 'drain-delay',
    /** What `drainDelay(ms)`'s budget adds to `ms` (timers fire late under load), in ms. */
    drainDelaySlack: 500,
    /** How long one probe may take when the probe's `timeoutSeconds` is not given, in seconds: Kubernetes' default. */
    probeTimeoutSeconds: 1,
    /**
     * What `drainDelay({ periodSeconds, failureThreshold })` adds to the detection time, in ms: the
     * balancer's own update after it has seen the failures (endpoints, kube-proxy, an ingress reload).
     */
    drainDelayMargin: 1_000,
    /** How often each dependency check of `health({ checks })` runs at most, in ms. */
    checkInterval: 2_000,
    /** How long one dependency check may take before it counts as failed, in ms. */
    checkTimeout: 1_000,
    /** What the readiness body says of a failed check: its error's name and code (`'message'`: its message too). */
    expose: 'name' as 'name' | 'message',
  },

  /** `worker()` and `consumer()` of `graceful-lifecycle/workers`. */
  workers: {
    /** Component name of a `worker()` whose loop is an anonymous function (a named one gives its own name). */
    workerName: 'worker',
    /** Component name of `consumer()`. */
    consumerName: 'consumer',
    /** Handlers a consumer runs at once. */
    concurrency: 1,
    /** Pull sources: how long a consumer waits before asking again after `next()` returned `undefined`, in ms. */
    pollInterval: 100,
    /** What a worker (or a pull consumer) does when its loop (its source) fails before the stop: see `CrashPolicy`. */
    onCrash: 'log' as 'log' | 'stop',
  },

  /** The client adapters (`graceful-lifecycle/pg`, `/mysql`, `/redis`, `/amqp`, `/nats`, `/bullmq`, `/ws`). */
  adapters: {
    /** `pgPool()`. `pollInterval`: how often it reads the pool's counters while waiting, in ms. */
    pg: { name: 'pg', priority: Priority.RESOURCES, pollInterval: 10 },
    /** `mysqlPool()`. `pollInterval`: how often it looks at the pool's connections while waiting, in ms. */
    mysql: { name: 'mysql', priority: Priority.RESOURCES, pollInterval: 10 },
    /** `postgresSql()` (postgres.js). */
    postgres: { name: 'postgres', priority: Priority.RESOURCES },
    /** `redisClient()`. */
    redis: { name: 'redis', priority: Priority.RESOURCES },
    /** `amqpConnection()`. */
    amqpConnection: { name: 'amqp', priority: Priority.RESOURCES },
    /** `amqpConsumer()`: named `namePrefix` + the queue; `prefetch` is `channel.prefetch`. */
    amqpConsumer: { namePrefix: 'amqp:', priority: Priority.WORKERS, prefetch: 50 },
    /** `natsConnection()`. */
    nats: { name: 'nats', priority: Priority.RESOURCES },
    /** `bullmqWorker()`. */
    bullmq: { name: 'bullmq', priority: Priority.WORKERS },
    /** `wsServer()`. `reason`: the close reason sent with code 1001. */
    ws: { name: 'ws', priority: Priority.INGRESS, reason: 'Server shutting down' },
  },

  /** `fastifyApp()` of `graceful-lifecycle/fastify`. */
  fastify: {
    /** Component name. */
    name: 'fastify',
    /**
     * The part of the component's budget kept for `app.close()` (Fastify's `preClose` and `onClose`
     * hooks), in ms: the drain ends, destroying what is left, this long before the budget does. At
     * most half of the budget.
     */
    closeTimeout: 2_000,
  },

  /** `nestjsApp()` of `graceful-lifecycle/nestjs`. */
  nestjs: {
    /** Component name. */
    name: 'nestjs',
    /**
     * The part of the component's budget kept for `app.close()` (Nest's `onModuleDestroy`,
     * `beforeApplicationShutdown` and `onApplicationShutdown` hooks), in ms: the drain ends, destroying
     * what is left, this long before the budget does. At most half of the budget.
     */
    closeTimeout: 5_000,
  },

  /** `clusterPrimary()` of `graceful-lifecycle/cluster`. */
  cluster: {
    /** Component name. */
    name: 'cluster',
    /** How long a new worker may take to be ready (its lifecycle started and, with `listening`, its server listening), in ms. */
    readyTimeout: 30_000,
    /** The signal that restarts the workers one at a time. */
    reloadOn: 'SIGHUP' as HandledSignal | false,
    /** How long a worker that exits on its own waits before it is replaced, in ms (a crash loop must not fork a storm). */
    respawnDelay: 1_000,
    /** How long an old worker may take to stop during a reload before it is killed, in ms: a worker that never exits must not stall the reload. */
    reloadTimeout: 30_000,
  },

  /** `testShutdown()` of `graceful-lifecycle/testing`. */
  testing: {
    /** Where the load goes. */
    host: '127.0.0.1',
    path: '/',
    method: 'GET',
    /** Raw keep-alive connections (`net` sockets, next request written the moment an answer completes). */
    rawConnections: 2,
    /** Concurrent requests through one keep-alive `http.Agent`. */
    agentSockets: 2,
    /** The pause between two requests of one client, in ms. */
    pauseMs: 1,
    /** How long the load runs before the signal, in ms. */
    loadBefore: 500,
    /** What a command is sent (in process: the stop reason). */
    signal: 'SIGTERM' as NodeJS.Signals,
    /** How long to wait for the listening port, in ms. */
    startTimeout: 15_000,
    /** How long the service may take to exit after the signal, in ms, before it is killed. */
    timeout: 30_000,
  },
} as const)

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (inner !== null && typeof inner === 'object' && !Object.isFrozen(inner)) deepFreeze(inner)
  }
  return Object.freeze(value)
}
