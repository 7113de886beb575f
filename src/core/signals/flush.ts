/** @internal What pino (and sonic-boom) expose: `flush(cb)` writes what the logger buffers. */
interface Flushable {
  flush(callback?: (error?: Error | null) => void): void
}

function isFlushable(value: unknown): value is Flushable {
  return value !== null && typeof value === 'object' && typeof (value as Flushable).flush === 'function'
}

/** Never rejects: a logger that fails to flush must not stop the process from exiting. */
function flushLogger(logger: unknown): Promise<void> {
  if (!isFlushable(logger)) return Promise.resolve()
  return new Promise((resolve) => {
    try {
      // A `flush()` without a callback parameter (older pino) is synchronous.
      if (logger.flush.length === 0) {
        logger.flush()
        resolve()
      } else {
        logger.flush(() => resolve())
      }
    } catch {
      resolve()
    }
  })
}

/**
 * On POSIX, stdout and stderr are asynchronous when they are pipes (Docker, Kubernetes, systemd,
 * a parent process): `process.exit()` drops whatever they still hold. An empty write calls back
 * once every earlier write has reached the pipe.
 */
function drain(stream: NodeJS.WritableStream & { writableLength?: number; writableEnded?: boolean }) {
  if (stream.writableEnded || !stream.writable || stream.writableLength === 0) return Promise.resolve()
  return new Promise<void>((resolve) => {
    try {
      stream.write('', () => resolve())
    } catch {
      resolve()
    }
  })
}

/**
 * @internal Bytes stdout and stderr have not handed to their pipes yet: what a reader has not
 * taken. Shrinks as a reader reads, and only then.
 *
 * On a Node pipe, `bytesWritten` counts every byte given to the stream and `_bytesDispatched`
 * those handed to libuv, of which `writeQueueSize` still wait for the pipe; so
 * `bytesWritten - _bytesDispatched + writeQueueSize` is what is left. `writableLength` plus
 * `writeQueueSize` is not: it counts the write in flight twice, and it grows when the stream hands
 * its buffered lines to libuv as one large write (measured on Node 24: +1.66 MB at once, while
 * nothing had been read), which once made the watchdog take a draining stdout for a hang. Elsewhere
 * (Bun, Deno, a file) `writableLength` is the best there is.
 */
export function pendingOutput(): number {
  return unwritten(process.stdout as NodeWritable) + unwritten(process.stderr as NodeWritable)
}

/** @internal */
export interface NodeWritable {
  readonly writableLength?: unknown
  readonly bytesWritten?: unknown
  readonly _bytesDispatched?: unknown
  readonly _handle?: unknown
}

/** @internal What one stream has not handed to its file descriptor yet (see `pendingOutput`). */
export function unwritten(stream: NodeWritable): number {
  try {
    const queued = (stream._handle as { readonly writeQueueSize?: unknown } | null | undefined)
      ?.writeQueueSize
    const given = stream.bytesWritten
    const dispatched = stream._bytesDispatched
    if (typeof queued === 'number' && typeof given === 'number' && typeof dispatched === 'number') {
      return Math.max(0, given - dispatched + queued)
    }
    return typeof stream.writableLength === 'number' ? stream.writableLength : 0
  } catch {
    return 0
  }
}

/** @internal Waits until the logger, then stdout and stderr, have written what they hold. */
export async function flushOutput(logger: unknown): Promise<void> {
  await flushLogger(logger)
  await Promise.all([drain(process.stdout), drain(process.stderr)])
}

/** @internal Settles when `promise` settles or after `ms`, whichever is first; never rejects. */
export function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const cap = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms)
  })
  return Promise.race([promise.then(noop, noop), cap]).finally(() => clearTimeout(timer))
}

function noop(): void {}
