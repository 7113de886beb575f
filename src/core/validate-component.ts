import { InvalidArgumentError, InvalidStateError } from './errors.js'
import { errorMessage } from './foreign.js'
import type { Entry } from './run.js'
import { TRACKED_HOOK } from './tracker.js'
import type { AttachContext, Component, HookOptions, LifecycleState, StopReason } from './types.js'
import {
  checkDuration,
  checkFinite,
  checkFunction,
  checkKeys,
  checkName,
  checkObject,
  fail,
  MAX_DELAY,
  readOptions,
  whileReading,
} from './validate.js'

const COMPONENT_KEYS = [
  'name',
  'priority',
  'start',
  'stop',
  'timeout',
  'startTimeout',
  'attach',
  'checkBudget',
]
const HOOK_OPTION_KEYS = ['priority', 'timeout']
const REASON_TYPES = ['manual', 'signal', 'error', 'disposed']
const REASON_KEYS = ['type', 'signal', 'error']

/**
 * @internal Throws at `register()` for anything that would fail later. Returns the component's
 * fields read once each: a getter or a Proxy that answers differently on a second read cannot
 * slip past the checks, and one that throws is refused here, with a code, not later.
 */
export function validateComponent(
  component: unknown,
  entries: ReadonlyMap<string, Entry>,
  state: LifecycleState,
): Component {
  checkObject('`register()`', 'component', component)
  const { keys, c } = readComponent(component)
  checkName('`register()`', 'name', c.name)
  const name = c.name
  const where = `component \`${name}\``
  checkKeys(where, 'component', keys, COMPONENT_KEYS)
  checkRegistration(name, c.start !== undefined, entries, state)
  if (c.priority !== undefined) checkFinite(where, 'priority', c.priority)
  if (c.start !== undefined) checkFunction(where, 'start', c.start)
  if (c.stop !== undefined) checkFunction(where, 'stop', c.stop)
  if (c.attach !== undefined) checkFunction(where, 'attach', c.attach)
  if (c.checkBudget !== undefined) checkFunction(where, 'checkBudget', c.checkBudget)
  if (c.start === undefined && c.stop === undefined && c.attach === undefined) {
    fail(where, 'start`, `stop` or `attach', 'a function', undefined)
  }
  if (c.timeout !== undefined) checkDuration(where, 'timeout', c.timeout)
  if (c.startTimeout !== undefined) checkDuration(where, 'startTimeout', c.startTimeout)
  return c as unknown as Component
}

/** Its own keys (what `checkKeys` looks at) and each known field, read once. */
function readComponent(component: object): { keys: Record<string, unknown>; c: Record<string, unknown> } {
  const source = component as Record<string, unknown>
  let reading = 'its own keys'
  try {
    const keys = Object.fromEntries(Object.keys(component).map((key) => [key, true]))
    const c: Record<string, unknown> = {}
    for (const key of COMPONENT_KEYS) {
      reading = `\`${key}\``
      c[key] = source[key]
    }
    return { keys, c }
  } catch (error) {
    throw new InvalidArgumentError(
      `Expected \`component\` of \`register()\` to be readable, got one whose ${reading} threw: ${errorMessage(error)}`,
      { cause: error },
    )
  }
}

/** The state and the name: what every registration checks, `onStop()`'s included. */
function checkRegistration(
  name: string,
  starts: boolean,
  entries: ReadonlyMap<string, Entry>,
  state: LifecycleState,
): void {
  if (state === 'stopping' || state === 'stopped') {
    throw new InvalidStateError(`Cannot register component \`${name}\`: the lifecycle is ${state}`)
  }
  if (name === TRACKED_HOOK) {
    throw new InvalidArgumentError(
      `Expected \`name\` of component \`${name}\` to be unique, got a duplicate: \`${name}\` (the name of \`lifecycle.track()\`'s hook)`,
    )
  }
  if (entries.has(name)) {
    // Two components of one factory get one default name: say how to tell them apart.
    throw new InvalidArgumentError(
      `Expected \`name\` of component \`${name}\` to be unique, got a duplicate: \`${name}\` (a component registered earlier has it: pass each its own \`name\` option, as in \`worker(loop, { name: '${name}-2' })\`)`,
    )
  }
  if (starts && (state === 'starting' || state === 'running')) {
    throw new InvalidStateError(
      `Cannot register component \`${name}\` with a \`start\` hook: the lifecycle is ${state} and start hooks run only in start()`,
    )
  }
}

/**
 * @internal `onStart()` and `onStop()`, checked: the registry entry of a component with one hook.
 * The options are read once each (as `readOptions()` reads them, without a copy): a getter that
 * answers the check with one value and the entry with another cannot get past the check. Messages
 * are built only for a failure: ten thousand `onStop()` calls format none (registration row of
 * `npm run bench -- core`).
 */
export function validateHook(
  method: 'onStart' | 'onStop',
  name: unknown,
  hook: unknown,
  options: unknown,
  entries: ReadonlyMap<string, Entry>,
  state: LifecycleState,
): HookOptionsRead {
  // A name that begins with a printable ASCII character is not blank: `trim()` only for the others.
  if (
    typeof name !== 'string' ||
    (!(name.charCodeAt(0) > 32 && name.charCodeAt(0) < 127) && name.trim() === '')
  )
    checkName(`\`${method}()\``, 'name', name)
  if (typeof hook !== 'function') checkFunction(hookWhere(method, name), 'hook', hook)
  const read =
    options === undefined
      ? NO_OPTIONS
      : (readHookOptions(options) ?? explainHookOptions(method, name, options))
  checkRegistration(name, method === 'onStart', entries, state)
  return read
}

/**
 * Options that `readHookOptions()` did not take (not an object, an unknown key, a bad value, a read
 * that threw): refused by the checks that explain, or (a getter that answered differently this
 * time) their values, read once more, into a copy.
 */
function explainHookOptions(method: string, name: string, options: unknown): HookOptionsRead {
  const where = hookWhere(method, name)
  const copy = readOptions(where, 'options', options, HOOK_OPTION_KEYS) as Record<string, unknown>
  checkKeys(where, 'options', copy, HOOK_OPTION_KEYS)
  const { priority, timeout } = copy
  if (priority !== undefined) checkFinite(where, 'priority', priority)
  if (timeout !== undefined) checkDuration(where, 'timeout', timeout)
  // The first read was refused and this one passed: a getter that answers differently each time.
  throw new InvalidArgumentError(
    `Expected \`options\` of ${where} to read the same each time, got a getter or Proxy whose answer changed`,
  )
}

const hookWhere = (method: string, name: string): string => `\`${method}()\` for component \`${name}\``

/**
 * What `readHookOptions()` read, valid until its next call: no object per `onStop()`. The caller reads
 * it at once; no code of the user's runs in between (a getter that calls `onStop()` runs before).
 * A new object per call cost 29 instructions a hook in the registration row and 465 in the
 * concurrent-stop row (the young-generation collection it brings into the stop), `npm run bench -- core`.
 */
const hookOptionsRead: { priority: number | undefined; timeout: number | undefined } = {
  priority: undefined,
  timeout: undefined,
}
/** A hook's options as read once: `validateHook()`'s answer. */
type HookOptionsRead = { readonly [K in keyof HookOptions]?: HookOptions[K] | undefined }

const NO_OPTIONS: HookOptionsRead = Object.freeze({})

/**
 * A plain options object's two fields, each read once, told without formatting a message; anything
 * else (not an object, an unknown key, a read that throws) is `undefined`, for the checks that explain.
 */
function readHookOptions(options: unknown): HookOptionsRead | undefined {
  if (options === null || typeof options !== 'object') return undefined
  let priority: unknown
  let timeout: unknown
  try {
    if (Array.isArray(options)) return undefined
    // `Object.keys()` and an index loop: a `for…in` (which also walks the prototype chain) cost about
    // 250 instructions more per `onStop()` (registration row of `npm run bench -- core`).
    const keys = Object.keys(options)
    for (let i = 0; i < keys.length; i++)
      if (keys[i] !== 'priority' && keys[i] !== 'timeout') return undefined
    ;({ priority, timeout } = options as Record<string, unknown>)
  } catch {
    return undefined
  }
  if (priority !== undefined && !(typeof priority === 'number' && Number.isFinite(priority))) return undefined
  if (
    timeout !== undefined &&
    !(typeof timeout === 'number' && Number.isFinite(timeout) && timeout >= 0 && timeout <= MAX_DELAY)
  )
    return undefined
  hookOptionsRead.priority = priority
  hookOptionsRead.timeout = timeout
  return hookOptionsRead
}

/**
 * @internal A stop's reason, checked: a copy with each field read once, the one the stop and its
 * hooks see (a getter cannot pass the check as `'manual'` and reach the hooks as something else).
 */
export function readReason(reason: unknown, where = '`stop()`'): StopReason {
  const copy = readOptions(where, 'reason', reason, REASON_KEYS) as Record<string, unknown>
  const type = copy.type
  if (typeof type !== 'string' || !REASON_TYPES.includes(type)) {
    fail(where, 'reason.type', `one of ${REASON_TYPES.map((t) => `'${t}'`).join(', ')}`, type)
  }
  if (type === 'signal' && typeof copy.signal !== 'string') {
    fail(where, 'reason.signal', 'a signal name such as `SIGTERM`', copy.signal)
  }
  return copy as StopReason
}

/**
 * @internal What a component's `attach` was given, checked and read once. `register()` always
 * passes a good one; this is for a hand call (`component.attach(undefined)`) or a wrapper that
 * builds its own, which get a coded error naming `attach` rather than a TypeError from inside.
 */
export function readAttachContext(component: string, context: unknown): AttachContext {
  const where = `\`attach\` of ${component}`
  checkObject(where, 'context', context)
  return whileReading(where, 'context', () => {
    const { name, stopping, state, log, requestStop } = context as Record<keyof AttachContext, unknown>
    checkName(where, 'context.name', name)
    const signal = stopping as { aborted?: unknown; addEventListener?: unknown } | null
    if (
      signal === null ||
      typeof signal !== 'object' ||
      typeof signal.aborted !== 'boolean' ||
      typeof signal.addEventListener !== 'function'
    ) {
      fail(where, 'context.stopping', 'an AbortSignal', stopping)
    }
    checkFunction(where, 'context.state', state)
    checkFunction(where, 'context.requestStop', requestStop)
    checkObject(where, 'context.log', log)
    const logger = log as Record<string, unknown>
    for (const level of ['info', 'warn', 'error'] as const) {
      checkFunction(where, `context.log.${level}`, logger[level])
    }
    return {
      name,
      stopping: stopping as AbortSignal,
      state: state as AttachContext['state'],
      log: log as AttachContext['log'],
      requestStop: requestStop as AttachContext['requestStop'],
    }
  })
}
