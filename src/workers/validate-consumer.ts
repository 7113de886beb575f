import { DEFAULTS } from '../core/defaults.js'
import { checkDuration, checkFunction, checkKeys, checkObject, fail } from '../core/validate.js'
import { checkComponentName, type Resolved, readComponentOptions, resolveCommon } from './options.js'

const KEYS = [
  'name',
  'concurrency',
  'highWaterMark',
  'pollInterval',
  'onError',
  'drain',
  'priority',
  'timeout',
  'onCrash',
  'logger',
]
const SOURCE_CALLBACKS = ['requeue', 'ack', 'nack', 'subscribe', 'pause', 'resume']

function checkCount(where: string, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    fail(where, field, 'a positive integer', value)
  }
}

/** @internal Throws a TypeError naming the consumer and the field for anything that would fail later. */
export function validateConsumer<O extends object>(
  source: unknown,
  handle: unknown,
  given: O,
): { name: string; common: Resolved; options: O } {
  const options = readComponentOptions('`consumer()`', given, KEYS) as O & Record<string, unknown>
  const name = options.name ?? DEFAULTS.workers.consumerName
  checkComponentName('consumer', name)
  const where = `consumer \`${name}\``
  checkKeys(where, 'options', options, KEYS)
  checkObject(where, 'source', source)
  const s = source as Record<string, unknown>
  if ('next' in s) checkFunction(where, 'source.next', s.next)
  else if (typeof s.requeue !== 'function') {
    fail(
      where,
      'source.requeue',
      'a function (a push source must take back the items not started; a pull source has `next`)',
      s.requeue,
    )
  }
  for (const key of SOURCE_CALLBACKS) if (s[key] !== undefined) checkFunction(where, `source.${key}`, s[key])
  checkFunction(where, 'handle', handle)
  if (options.concurrency !== undefined) checkCount(where, 'concurrency', options.concurrency)
  if (options.highWaterMark !== undefined) checkCount(where, 'highWaterMark', options.highWaterMark)
  if (options.pollInterval !== undefined) checkDuration(where, 'pollInterval', options.pollInterval)
  if (options.onError !== undefined) checkFunction(where, 'onError', options.onError)
  if (options.drain !== undefined && options.drain !== 'in-flight' && options.drain !== 'all') {
    fail(where, 'drain', "`'in-flight'` or `'all'`", options.drain)
  }
  return { name, common: resolveCommon('consumer', name, options), options }
}
