import { Consumer } from './consumer.js'
import type { ConsumerOptions, ConsumerSource, ItemHandler } from './consumer-types.js'
import { validateConsumer } from './validate-consumer.js'

/**
 * A component that consumes a queue: it takes items from `source`, a pull source (`next(signal)`) or a push
 * source (`consumer.push(item)` / `subscribe`), runs `handle(item, { signal })` for up to
 * `concurrency` items at once, and acks (`source.ack`) or nacks (`source.nack`) each. On stop it
 * stops taking items, lets the handlers in flight finish, and hands every item it had not started
 * back to the source (`source.requeue`); with `drain: 'all'` it first handles everything it had
 * already received (a pull source: until `next()` returns `undefined`), and hands back only what is
 * left when the stop's budget runs out. The stop hook's `details` has `processed`, `failed`,
 * `drained`, `handedBack` and `abandoned`.
 *
 * @example
 * ```ts
 * const queue: Job[] = loadJobs()
 * lifecycle.register(
 *   consumer(
 *     { next: () => queue.shift(), requeue: (jobs) => queue.unshift(...jobs) },
 *     (job, { signal }) => runJob(job, { signal }),
 *     { name: 'jobs', concurrency: 8 },
 *   ),
 * )
 * ```
 */
export function consumer<T>(
  source: ConsumerSource<T>,
  handle: ItemHandler<T>,
  options: ConsumerOptions<T> = {},
): Consumer<T> {
  const checked = validateConsumer(source, handle, options)
  return new Consumer(checked.name, source, handle, checked.options, checked.common)
}
