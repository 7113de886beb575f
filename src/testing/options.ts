import { DEFAULTS } from '../core/defaults.js'
import { checkDuration, checkFunction, checkKeys, checkName, fail, readOptions } from '../core/validate.js'

/** What `testShutdown()` needs of an in-process lifecycle: a graceful-lifecycle `Lifecycle`. */
export interface LifecycleTarget {
  readonly state: string
  start(): Promise<void>
  stop(reason?: { readonly type: 'signal'; readonly signal: NodeJS.Signals }): Promise<unknown>
}

/** What `testShutdown()` needs of an in-process server: a `node:http` (or https, http2) server. */
export interface ServerTarget {
  readonly listening: boolean
  address(): unknown
  listen(port: number, host: string, callback: () => void): unknown
}

/** What `during` is given. */
export interface DuringContext {
  readonly port: number
  /** The command's pid (in process: this process's). */
  readonly pid: number | undefined
  /** Everything the command wrote so far (in process: ''). */
  readonly output: () => string
}

/** Options of {@link testShutdown}: a command, or an in-process `lifecycle` and `server`. */
export interface TestShutdownOptions {
  /** The service as a command: `['node', 'dist/server.js']`. Its process gets the signal. */
  readonly command?: readonly string[]
  /** Working directory of `command`. @default process.cwd() */
  readonly cwd?: string
  /** Environment of `command`, added to `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /**
   * The port `command` listens on. When absent, the first `host:port` its output prints
   * (`listening on http://localhost:53211`) is taken.
   */
  readonly port?: number
  /** The service in this process: its lifecycle (started here if idle) and server (listened on port 0 if not listening). */
  readonly lifecycle?: LifecycleTarget
  readonly server?: ServerTarget
  /** @default '127.0.0.1' */
  readonly host?: string
  /** The route the load requests. @default '/' */
  readonly path?: string
  /** @default 'GET' */
  readonly method?: string
  /** Raw keep-alive connections (`net` sockets, next request written the moment an answer completes). @default 2 */
  readonly rawConnections?: number
  /** Concurrent requests through one keep-alive `http.Agent`. @default 2 */
  readonly agentSockets?: number
  /** Pause between two requests of one client, in ms. @default 1 */
  readonly pauseMs?: number
  /**
   * How long the load runs before the signal, in ms. The signal then waits for a moment when a
   * request is in flight, at most `loadBefore` more. @default 500
   */
  readonly loadBefore?: number
  /**
   * Runs under load after `loadBefore`, before the signal, and is awaited: a reload (`SIGHUP`),
   * a dependency going away. The requests it costs count like the others.
   */
  readonly during?: (target: DuringContext) => unknown
  /** What a command is sent (in process: the stop reason). @default 'SIGTERM' */
  readonly signal?: NodeJS.Signals
  /** How long to wait for the listening port, in ms. @default 15000 */
  readonly startTimeout?: number
  /** How long the service may take to exit after the signal, in ms, before it is killed. @default 30000 */
  readonly timeout?: number
}

/** @internal */
export type Resolved = Required<
  Omit<TestShutdownOptions, 'command' | 'cwd' | 'env' | 'port' | 'lifecycle' | 'server' | 'during'>
> &
  Pick<TestShutdownOptions, 'command' | 'cwd' | 'env' | 'port' | 'lifecycle' | 'server' | 'during'>

const WHERE = '`testShutdown()`'
const KEYS = [
  'command',
  'cwd',
  'env',
  'port',
  'lifecycle',
  'server',
  'host',
  'path',
  'method',
  'rawConnections',
  'agentSockets',
  'pauseMs',
  'loadBefore',
  'during',
  'signal',
  'startTimeout',
  'timeout',
]

function count(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1_000) {
    fail(WHERE, field, 'an integer from 0 to 1000', value)
  }
}

/** @internal */
export function resolveOptions(options: unknown): Resolved {
  let o = readOptions(WHERE, 'options', options, KEYS) as TestShutdownOptions
  checkKeys(WHERE, 'options', o, KEYS)
  const inProcess = o.lifecycle !== undefined || o.server !== undefined
  if (o.command !== undefined && inProcess) {
    fail(WHERE, 'options', 'either `command` or `lifecycle` and `server`, not both', Object.keys(o))
  }
  if (o.command === undefined && !inProcess) {
    fail(WHERE, 'options', 'a `command`, or a `lifecycle` and a `server`', Object.keys(o))
  }
  if (o.command !== undefined) {
    const command = o.command as unknown
    if (
      !Array.isArray(command) ||
      command.length === 0 ||
      !command.every((part) => typeof part === 'string')
    ) {
      fail(WHERE, 'command', 'a non-empty array of strings', command)
    }
    if (o.cwd !== undefined) checkName(WHERE, 'cwd', o.cwd)
    if (o.env !== undefined) {
      // Read once into a copy, as the options are: what is checked here is what the child gets.
      const env = readOptions(WHERE, 'env', o.env, [])
      for (const [key, value] of Object.entries(env)) {
        if (value !== undefined && typeof value !== 'string') fail(WHERE, `env.${key}`, 'a string', value)
      }
      o = { ...o, env }
    }
    if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 1 || o.port > 65_535)) {
      fail(WHERE, 'port', 'an integer from 1 to 65535', o.port)
    }
  } else {
    for (const key of ['cwd', 'env', 'port'] as const) {
      if (o[key] !== undefined) fail(WHERE, key, 'given only with `command`', o[key])
    }
    const lifecycle = o.lifecycle as unknown as Record<string, unknown> | undefined
    if (
      lifecycle === null ||
      typeof lifecycle !== 'object' ||
      typeof lifecycle.stop !== 'function' ||
      typeof lifecycle.start !== 'function'
    ) {
      fail(WHERE, 'lifecycle', 'a `Lifecycle`', lifecycle)
    }
    const server = o.server as unknown as Record<string, unknown> | undefined
    if (
      server === null ||
      typeof server !== 'object' ||
      typeof server.listen !== 'function' ||
      typeof server.address !== 'function'
    ) {
      fail(WHERE, 'server', 'a `node:http`, `node:https` or `node:http2` server', server)
    }
  }
  for (const key of ['host', 'path', 'method'] as const)
    if (o[key] !== undefined) checkName(WHERE, key, o[key])
  if (o.path !== undefined && !o.path.startsWith('/'))
    fail(WHERE, 'path', 'a path beginning with `/`', o.path)
  if (o.rawConnections !== undefined) count('rawConnections', o.rawConnections)
  if (o.agentSockets !== undefined) count('agentSockets', o.agentSockets)
  if ((o.rawConnections ?? 1) + (o.agentSockets ?? 1) === 0) {
    fail(WHERE, 'rawConnections', 'at least one client (with `agentSockets`)', 0)
  }
  for (const key of ['pauseMs', 'loadBefore', 'startTimeout', 'timeout'] as const) {
    if (o[key] !== undefined) checkDuration(WHERE, key, o[key])
  }
  if (o.during !== undefined) checkFunction(WHERE, 'during', o.during)
  if (o.signal !== undefined && (typeof o.signal !== 'string' || !/^SIG[A-Z0-9]+$/.test(o.signal))) {
    fail(WHERE, 'signal', 'a signal name such as `SIGTERM`', o.signal)
  }
  return {
    ...DEFAULTS.testing,
    ...(Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as TestShutdownOptions),
  }
}
